"""Several rounds at once (issue 13): `--rounds W` plans W complete rounds of one cohort so
that pairs meet again as seldom as possible, never worse than round by round."""

import csv
import json
from collections import Counter
from itertools import combinations

from peergroups.model import Group, Grouping, Meeting, Problem
from solver import Scenario
from solver.rounds import meetings_again, plan_rounds, repeated_meetings
from tests.instances import company
from tests.test_cli import invoke


def golfers(tmp_path, count: int):
    """`count` alike companies (same maturity, role, goal): the Social Golfer Problem."""
    path = tmp_path / "golfers.csv"
    rows = ["company_id,name,maturity,role,goals"]
    rows += [f"P{i:02d},Golfer {i:02d} Oy,50,ceo,erp" for i in range(count)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_25_golfers_in_groups_of_5_meet_in_six_rounds_without_a_repeated_pair(tmp_path):
    # CSPLib prob010 5-5-6: the affine plane of order 5 has 6 parallel classes of 5 lines
    # of 5 points, so six rounds in which no pair meets twice exist (each of the 300 pairs
    # meets exactly once: 6 rounds x 5 groups x 10 pairs = 300). Round by round, the tool
    # reaches only three.
    out = tmp_path / "plan"
    shown = invoke(
        "form-groups",
        golfers(tmp_path, 25),
        "--min-size",
        "5",
        "--max-size",
        "5",
        "--rounds",
        "6",
        "--time-limit",
        "20",
        "--workers",
        "2",
        "--out",
        out,
        expect=0,
    )
    with (out / "assignments.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0])[:2] == ["round", "company_id"] and "group_id" in rows[0]
    assert Counter(row["round"] for row in rows) == {str(r): 25 for r in range(1, 7)}
    groups: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        assert row["group_id"], row
        groups.setdefault((row["round"], row["group_id"]), []).append(row["company_id"])
    assert sorted(len(members) for members in groups.values()) == [5] * 30
    meetings = Counter(
        pair for members in groups.values() for pair in combinations(sorted(members), 2)
    )
    assert len(meetings) == 300 and set(meetings.values()) == {1}
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["rounds"]["repeated_meetings"] == 0
    assert summary["rounds"]["repeats_proven_minimal"] is True
    assert summary["rounds"]["round_by_round_repeated_meetings"] >= 0
    assert len(summary["rounds_detail"]) == 6
    assert "0 meetings repeat an earlier one (proven minimal)" in shown.stderr
    # check reads every round; commands that read a plan of one round say so instead of
    # listing duplicate rows.
    checked = invoke("check", out, expect=0)
    assert "round 6: 0 violation(s)" in checked.stderr
    assert "0 meeting(s) repeat an earlier one (0 pair(s) meet again)" in checked.stderr
    refused = invoke("packs", out, expect=2)
    assert "holds 6 rounds" in refused.stderr


def test_36_in_groups_of_6_meet_in_three_rounds_without_a_repeated_pair():
    # Three mutually orthogonal classes exist for 36 = 6 x 6 (two MOLS of order 6 do not,
    # so four rounds would not).
    cohort = Problem(companies=tuple(company(f"P{i:02d}", 50) for i in range(36)))
    chosen = (
        Scenario.default()
        .with_rule("group_size", min_size=6, max_size=6)
        .with_solver(time_limit=10, workers=2)
    )
    planned = plan_rounds(cohort, chosen, 3)
    assert planned.repeats == 0
    assert [r.placed for r in planned.results] == [36, 36, 36]
    assert planned.repeats <= planned.seed_repeats


def test_repeated_meetings_count_history_and_earlier_rounds():
    # A-B met in the history: meeting in round 1 repeats once, again in round 2 twice more
    # in all; C-D meet in both rounds: the second repeats. 1 + 1 + 1 = 3.
    cohort = Problem(
        companies=tuple(company(c, 50) for c in "ABCD"),
        history=tuple(Meeting(round=1, group_id="G", company_id=c) for c in "AB"),
    )
    plan = [("erp", ["A", "B"]), ("erp", ["C", "D"])]
    assert repeated_meetings(cohort, [plan]) == 1
    assert repeated_meetings(cohort, [plan, plan]) == 3
    # The same meetings by pair and round, as `check` lists them.
    grouping = Grouping(
        groups=tuple(
            Group(group_id=f"G{i}", theme=t, members=tuple(m)) for i, (t, m) in enumerate(plan)
        )
    )
    assert meetings_again(cohort, [grouping, grouping]) == {("A", "B"): [1, 2], ("C", "D"): [2]}
