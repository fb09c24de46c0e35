"""Scenario files: presets, round trips, clear errors, command-line overrides."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from solver.proof import ScoreReader
from solver.rules import REGISTRY
from solver.scenario import DEFAULT_ORDER, Scenario

PRESETS = Path(__file__).parent.parent / "datasets" / "scenarios"
FIVE = Path(__file__).parent / "data" / "cli" / "five_companies.csv"


@pytest.mark.parametrize("preset", sorted(PRESETS.glob("*.toml")), ids=lambda p: p.stem)
def test_every_preset_loads_and_round_trips_through_toml_and_json(preset, tmp_path):
    scenario = Scenario.load(preset)
    copy = tmp_path / "copy.toml"
    copy.write_text(scenario.to_toml(), encoding="utf-8")

    assert Scenario.load(copy) == scenario
    assert Scenario.from_dict(json.loads(json.dumps(scenario.to_dict()))) == scenario
    # The default rules in their order, then the variants a preset switches on.
    assert [r.kind for r in scenario.rules][: len(DEFAULT_ORDER)] == list(DEFAULT_ORDER)


def test_a_rule_moved_in_the_objective_round_trips_and_reorders_the_levels(tmp_path):
    from peergroups.model import Meeting, Problem
    from solver.objective import Objective
    from tests.instances import company

    path = tmp_path / "history_last.toml"
    path.write_text('[[rules]]\nkind = "repeat_pairs"\npriority = 4\n', encoding="utf-8")
    scenario = Scenario.load(path)
    copy = tmp_path / "copy.toml"
    copy.write_text(scenario.to_toml(), encoding="utf-8")
    assert Scenario.load(copy) == scenario
    assert Scenario.from_dict(json.loads(json.dumps(scenario.to_dict()))) == scenario

    seats = [Meeting(round=1, group_id="G1", company_id=c) for c in "AB"]
    problem = Problem(companies=(company("A", 10), company("B", 20)), history=tuple(seats))
    ranked = [lv.name for lv in Objective(problem, scenario.grouping_rules).levels]
    moved = [
        lv.name for lv in Objective(problem, scenario.grouping_rules, scenario.priorities).levels
    ]
    assert ranked.index("repeat_pairs") < ranked.index("spread")
    assert moved.index("repeat_pairs") > moved.index("spread")
    # The printed summary reads the plan's score with the levels the plan was scored by.
    assert [lv.name for lv in ScoreReader(problem, scenario).levels] == moved


def test_presets_differ_where_they_say():
    strict, relaxed = (Scenario.load(PRESETS / f"{name}.toml") for name in ("strict", "relaxed"))
    assert strict.effective_rules()["max_maturity_spread"] == 15
    assert strict.effective_rules()["max_role_gap"] == 0
    assert (strict.min_size, strict.rule("group_size").max_size) == (6, 12)
    assert relaxed.effective_rules()["max_maturity_spread"] == 35
    assert Scenario.load(PRESETS / "default.toml").rules == Scenario.default().rules


def test_an_unlisted_rule_stays_in_force_and_off_switches_it_off(tmp_path):
    path = tmp_path / "no_roles.toml"
    path.write_text('[[rules]]\nkind = "role_tier"\nenforce = "off"\n', encoding="utf-8")

    scenario = Scenario.load(path)

    assert "role_tier" not in scenario.effective_rules()["in_force"]
    assert "maturity_spread" in scenario.effective_rules()["in_force"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '[[rules]]\nkind = "group_size"\nmin_size = 20\n',
            "rules[group_size]: min_size 20 exceeds max_size 15",
        ),
        ('[[rules]]\nkind = "nope"\n', "rules[nope]: unknown rule kind 'nope'"),
        ('[[rules]]\nkind = "role_tier"\nmax_role_gap = 5\n', "rules[role_tier].max_role_gap:"),
        ("[solver]\ntime_limit = -1\n", "solver.time_limit:"),
        (
            '[[rules]]\nkind = "role_tier"\npriority = 1\n',
            "rules[role_tier].priority: role_tier adds no objective term to rank",
        ),
        (
            '[[rules]]\nkind = "repeat_pairs"\npriority = 0\n',
            "rules[repeat_pairs].priority: must be above 0, not 0",
        ),
        ("[solver\n", "bad.toml: "),
    ],
)
def test_bad_scenario_files_name_the_file_and_the_setting(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.toml") as raised:
        Scenario.load(path)
    assert message in str(raised.value)


def test_form_groups_takes_a_scenario_and_lets_options_override_it(tmp_path):
    out = tmp_path / "plan"
    result = CliRunner().invoke(
        cli.form_groups_command,
        [
            str(FIVE),
            "--scenario",
            str(PRESETS / "strict.toml"),
            "--max-size",
            "7",
            "--out",
            str(out),
            "--time-limit",
            "2",
            "--workers",
            "1",
            "--quiet",
        ],
    )

    assert result.exit_code in (0, 3), result.output
    rules = json.loads((out / "summary.json").read_text(encoding="utf-8"))["rules"]
    assert (rules["min_size"], rules["max_size"], rules["max_role_gap"]) == (6, 7, 0)


def test_a_bad_scenario_file_is_a_usage_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('[[rules]]\nkind = "nope"\n', encoding="utf-8")
    result = CliRunner().invoke(
        cli.form_groups_command, [str(FIVE), "--scenario", str(path), "--out", str(tmp_path / "p")]
    )
    assert result.exit_code == 2
    assert "unknown rule kind 'nope'" in result.output
    assert not (tmp_path / "p").exists()


def test_rules_lists_every_registered_rule():
    result = CliRunner().invoke(cli.main, ["rules"])
    assert result.exit_code == 0
    for kind, rule in REGISTRY.items():
        assert kind in result.output and rule.summary in result.output
