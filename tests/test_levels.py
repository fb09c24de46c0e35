"""Term-by-term honesty (issue 13): summary.json, progress and the summary on stderr give each
objective level's value, bound and proof; an open level is never hidden behind a small
overall gap."""

import json

from peergroups.model import Meeting, Problem
from solver.objective import Objective
from tests.instances import company, scenario, solved
from tests.test_cli import QUICK, invoke, sample_args


def test_a_proven_plan_reports_every_level_at_its_bound():
    # A..F at 10..15 in pairs, A and B met before: every level is proven, so each level's
    # bound equals its value (repeat 0, spread 50 tenths: see test_repeat_pairs.py).
    instance = Problem(
        companies=tuple(company(c, 10 + i) for i, c in enumerate("ABCDEF")),
        history=tuple(Meeting(round=1, group_id="G1", company_id=c) for c in "AB"),
    )
    chosen = scenario(2, 2)
    result = solved(instance, chosen)
    names = [lv.name for lv in Objective(instance, chosen.grouping_rules).levels]
    levels = result.summary()["levels"]
    assert [level["name"] for level in levels] == names
    assert all(level["proven"] and level["bound"] == level["value"] for level in levels)
    assert {level["name"]: level["value"] for level in levels}["repeat_pairs"] == 0
    assert result.summary()["proven_levels"] == names


def test_a_short_run_says_which_levels_are_open_and_bounds_only_those_it_may(tmp_path):
    out = tmp_path / "plan"
    shown = invoke("form-groups", *sample_args(out), *QUICK, expect=0)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    levels = summary["levels"]
    assert levels[0]["name"] == "placed"
    assert summary["proven_levels"] == [level["name"] for level in levels if level["proven"]]
    assert (summary["status"] == "optimal") == all(level["proven"] for level in levels)
    first_open = next((i for i, level in enumerate(levels) if not level["proven"]), None)
    if first_open is not None:
        # A level's bound holds only given the levels before it at their best.
        assert levels[first_open]["bound"] is not None
        assert all(level["bound"] is None for level in levels[first_open + 1 :])
        assert "gap 0.00 %" not in shown.output.split("Plan written to")[1]
        assert "levels proven optimal:" in shown.output
    for level in levels:
        if level["bound"] is not None:
            better = level["bound"] >= level["value"] if level["name"] == "placed" else True
            assert better and (level["name"] == "placed" or level["bound"] <= level["value"])
    report = (out / "report.html").read_text(encoding="utf-8")
    assert 'data-key="levels"' in report


def test_progress_on_a_later_level_shows_that_level_not_the_overall_gap(capsys):
    # The score gap is 1e-9 here (the spread term is tiny against placing), which would
    # print as 0.00 %; the line gives the spread level's own value, bound and gap instead.
    import cli
    from solver.lexicographic import Progress

    show = cli._progress_printer()
    show(Progress(1.0, "spread", 120, 126, 1e12, 1e12 + 1000, value=3998, value_bound=2000))
    line = capsys.readouterr().err
    assert "spread 3998 (bound 2000)" in line
    assert "level gap 49.97 %" in line
    assert "gap 0.00 %" not in line
