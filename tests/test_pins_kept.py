"""Pins are kept or explained (issue 13): on the shipped sample, two competitors pinned to one
group, or pinned together, are explained before any search; nothing is written, exit 1. A
plan that fails its final check never reaches a user as a traceback."""

import pytest

import cli
from peergroups.model import Grouping, Pin, Problem
from solver import Scenario, solve
from solver.explain import Infeasible, explain_company
from tests.instances import company, relation, scenario, solved
from tests.test_cli import FAST, invoke, sample_args

# C0016 and C0019 are competitors in datasets/sample/relations.csv (hard: neither accepts).
HEADER = "kind,company_id,group_id,groups,themes,partner\n"
GROUP_PINS = HEADER + "group,C0016,G9,,,\ngroup,C0019,G9,,,\n"
TOGETHER_PIN = HEADER + "together,C0016,,,,C0019\n"


@pytest.mark.parametrize(
    ("pins", "conflict"),
    [
        (GROUP_PINS, ["the pin: C0016 in group G9", "the pin: C0019 in group G9"]),
        (TOGETHER_PIN, ["the pin: C0016 together with C0019"]),
        (
            HEADER + "group,C0016,G9,,,\ngroups,C0019,,G9,,\n",
            ["the pin: C0016 in group G9", "the pin: C0019 in one of G9"],
        ),
    ],
)
def test_competitors_pinned_into_one_group_on_the_sample_are_explained(tmp_path, pins, conflict):
    pins_file = tmp_path / "pins.csv"
    pins_file.write_text(pins, encoding="utf-8")
    out = tmp_path / "plan"
    result = invoke(
        "form-groups", *sample_args(out), "--pins", pins_file, *FAST, "--quiet", expect=1
    )
    for line in conflict:
        assert f"  - {line}" in result.output
    assert "the rule forbidden_pairs" in result.output
    assert "drop the pin" in result.output
    assert "time limit" not in result.output
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_together_pin_of_competitors_is_explained_not_kept_by_leaving_both_out():
    # A and B compete; alone, the together pin could be "kept" by placing neither. It is
    # explained instead, with dropping the pin as the way out.
    instance = Problem(
        companies=tuple(company(cid, 10 + i) for i, cid in enumerate("ABCDEF")),
        relations=(relation("A", "B"),),
        pins=(Pin(kind="together", company_id="A", partner="B"),),
    )
    with pytest.raises(Infeasible) as raised:
        solve(instance, scenario(3, 4))
    explanation = raised.value.explanation
    assert explanation.conflict[0] == "the pin: A together with B"
    assert "forbidden_pairs" in explanation.conflict[1]
    assert explanation.relaxations == ["drop the pin: A together with B"]


def test_a_pinned_group_that_may_take_two_themes_is_still_one_group():
    # A (erp first) and F (cybersecurity first) are pinned to G7, which may be an erp or a
    # cybersecurity group. Each in its primary theme would cost no goal rank, with B, C
    # (erp) and D, E (cybersecurity): that splits G7 in two, which a label forbids. One of
    # them takes its second goal.
    companies = [
        company("A", 10, goals="erp|cybersecurity"),
        company("B", 11),
        company("C", 12),
        company("D", 13, goals="cybersecurity"),
        company("E", 14, goals="cybersecurity"),
        company("F", 15, goals="cybersecurity|erp"),
    ]
    instance = Problem(
        companies=tuple(companies),
        pins=(
            Pin(kind="group", company_id="A", group_id="G7"),
            Pin(kind="group", company_id="F", group_id="G7"),
        ),
    )
    result = solved(instance, scenario(3, 4))
    home = result.grouping.group_of
    assert home["A"] is home["F"]
    assert home["A"].group_id == "G7"


def test_a_plan_failing_its_final_check_is_a_plain_error_without_files(tmp_path, monkeypatch):
    from solver import SolverBug

    def broken(*args, **kwargs):
        raise SolverBug("the solver's plan breaks 1 rule(s):\n  G1: something [pins]")

    monkeypatch.setattr(cli, "solve", broken)
    out = tmp_path / "plan"
    result = invoke("form-groups", *sample_args(out), *FAST, expect=1)
    assert "Error: the solver's plan breaks 1 rule(s)" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    shown = invoke("form-groups", *sample_args(out), *FAST, "--debug", expect=1)
    assert "Traceback" in shown.output


def test_explain_names_the_pins_that_touch_a_company():
    instance = Problem(
        companies=tuple(company(cid, 10 + i) for i, cid in enumerate("ABCDEF")),
        pins=(
            Pin(kind="together", company_id="A", partner="B"),
            Pin(kind="apart", company_id="C", partner="A"),
            Pin(kind="group", company_id="D", group_id="G1"),
        ),
    )
    lines = explain_company(instance, Scenario.default(), Grouping(groups=(), unassigned=()), "A")
    assert "pinned: A together with B" in lines
    assert "pinned: C apart from A" in lines
    assert not any("D in group G1" in line for line in lines)
