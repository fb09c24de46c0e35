"""Every pin kind the rules cannot keep is explained, with the least relaxation, whatever the
size of the cohort (issue 13): the checks look at the pinned groups only, so a cohort of
2,000 companies is explained as fast as one of ten. `explain` names the pins that touch a
company, of every kind."""

import pytest

from peergroups.io.readers import read_inputs
from peergroups.model import Grouping, Pin, Problem
from solver import Scenario, solve
from solver.explain import Infeasible, explain_company
from solver.rules import RuleSet
from tests.instances import company, relation, scenario
from tests.test_cli import invoke


def pin(kind: str, **fields) -> Pin:
    return Pin(kind=kind, **fields)


def six(*pins: Pin, relations=(), **goals: str) -> Problem:
    """A..F, CEOs at maturities 10..15 with the goal erp (or `goals`), with the pins given."""
    companies = [
        company(cid, 10 + i, goals=goals.get(cid, "erp")) for i, cid in enumerate("ABCDEF")
    ]
    return Problem(companies=tuple(companies), relations=tuple(relations), pins=pins)


def explained(instance: Problem) -> tuple[list[str], list[str]]:
    with pytest.raises(Infeasible) as raised:
        solve(instance, scenario(3, 4))
    explanation = raised.value.explanation
    assert not any("time" in line for line in explanation.lines())
    return explanation.conflict, explanation.relaxations


def test_a_locked_group_too_small_names_the_lock_and_the_group_size():
    pins = [pin("group", company_id=c, group_id="G1") for c in "AB"]
    conflict, relaxations = explained(six(*pins, pin("lock", group_id="G1")))
    assert "the pin: group G1 locked as it is" in conflict
    assert any(line.startswith("the rule group_size") for line in conflict)
    assert relaxations == ["drop the pin: group G1 locked as it is", "lower min_size from 3 to 2"]


def test_a_locked_group_of_a_theme_its_members_lack_names_the_lock_and_shared_theme():
    # A, B, C want erp; the lock makes G1 a cybersecurity group.
    pins = [pin("group", company_id=c, group_id="G1") for c in "ABC"]
    conflict, relaxations = explained(
        six(*pins, pin("lock", group_id="G1", themes="cybersecurity"))
    )
    assert "the pin: group G1 locked as it is (theme cybersecurity)" in conflict
    assert any(line.startswith("the rule shared_theme") for line in conflict)
    assert relaxations == ["drop the pin: group G1 locked as it is (theme cybersecurity)"]


def test_a_themes_pin_that_the_pinned_group_cannot_take_is_named():
    # G1 holds A, B (erp only); C may only join cybersecurity groups but is pinned to G1.
    pins = [pin("group", company_id=c, group_id="G1") for c in "ABC"]
    conflict, relaxations = explained(
        six(*pins, pin("themes", company_id="C", themes="cybersecurity"), C="erp|cybersecurity")
    )
    assert "the pin: C only in cybersecurity" in conflict
    assert "drop the pin: C only in cybersecurity" in relaxations


def test_a_groups_pin_whose_groups_cannot_hold_the_company_is_named():
    # G1 holds A, G2 holds D; X competes with both (neither accepts competitors).
    instance = Problem(
        companies=(*six().companies, company("X", 12)),
        relations=(relation("X", "A"), relation("X", "D")),
        pins=(
            pin("group", company_id="A", group_id="G1"),
            pin("group", company_id="D", group_id="G2"),
            pin("groups", company_id="X", groups="G1|G2"),
        ),
    )
    conflict, relaxations = explained(instance)
    assert "the pin: X in one of G1, G2" in conflict
    assert any("forbidden_pairs" in line for line in conflict)
    assert "drop the pin: X in one of G1, G2" in relaxations


def test_an_apart_pin_of_two_companies_pinned_to_one_group_is_named():
    pins = (
        pin("group", company_id="A", group_id="G1"),
        pin("group", company_id="B", group_id="G1"),
        pin("apart", company_id="A", partner="B"),
    )
    conflict, relaxations = explained(six(*pins))
    assert sorted(conflict) == [
        "the pin: A apart from B",
        "the pin: A in group G1",
        "the pin: B in group G1",
    ]
    assert "drop the pin: A apart from B" in relaxations


def test_a_together_pin_across_two_pinned_groups_is_named():
    pins = (
        pin("group", company_id="A", group_id="G1"),
        pin("group", company_id="D", group_id="G2"),
        pin("together", company_id="A", partner="D"),
    )
    conflict, relaxations = explained(six(*pins))
    assert "the pin: A together with D" in conflict
    assert "drop the pin: A together with D" in relaxations


@pytest.mark.parametrize(
    ("pins", "expected"),
    [
        ((pin("group", company_id="A", group_id="G1"),), "A in group G1"),
        (
            (
                pin("group", company_id="B", group_id="G1"),
                pin("groups", company_id="A", groups="G1"),
            ),
            "A in one of G1",
        ),
        ((pin("themes", company_id="A", themes="erp"),), "A only in erp"),
        (
            (pin("group", company_id="A", group_id="G1"), pin("lock", group_id="G1")),
            "group G1 locked as it is",
        ),
        ((pin("together", company_id="B", partner="A"),), "B together with A"),
        ((pin("apart", company_id="B", partner="A"),), "B apart from A"),
        (
            (
                pin("group", company_id="A", group_id="G1"),
                pin("groups", company_id="C", groups="G1"),
            ),
            "C in one of G1",
        ),
    ],
)
def test_explain_names_every_kind_of_pin_that_touches_a_company(pins, expected):
    lines = explain_company(six(*pins), Scenario.default(), Grouping(), "A")
    assert f"pinned: {expected}" in lines


def test_pins_on_a_generated_cohort_of_2000_are_explained_and_nothing_is_written(tmp_path):
    # Two companies that may share a group, pinned to G1 and locked there: a group of two,
    # below the programme's five. The model of the pinned group alone proves it at once.
    instance = tmp_path / "cohort"
    invoke("generate", "2000", "--seed", "3", "--out", instance, expect=0)
    cohort = read_inputs(instance / "companies.csv", instance / "relations.csv").problem
    rules = RuleSet(cohort, tuple(Scenario.default().grouping_rules))
    first, *others = cohort.companies
    second = next(
        c for c in others if set(c.goals) & set(first.goals) and rules.compatible(first, c)
    )
    pins = tmp_path / "pins.csv"
    pins.write_text(
        "kind,company_id,group_id,groups,themes,partner\n"
        f"group,{first.company_id},G1,,,\ngroup,{second.company_id},G1,,,\nlock,,G1,,,\n",
        encoding="utf-8",
    )
    out = tmp_path / "plan"
    result = invoke(
        "form-groups",
        instance / "companies.csv",
        "--relations",
        instance / "relations.csv",
        "--pins",
        pins,
        "--out",
        out,
        "--time-limit",
        "20",
        "--quiet",
        expect=1,
    )
    assert "  - the pin: group G1 locked as it is" in result.output
    assert "  - drop the pin: group G1 locked as it is" in result.output
    assert "  - lower min_size from 5 to 2" in result.output
    assert "time limit" not in result.output
    assert "nothing was written" in result.output
    assert not out.exists()
