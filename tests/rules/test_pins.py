"""Pins on tiny hand-checked instances: every kind, and the explanation when they conflict.

Companies are CEOs with the goal erp (unless a test says otherwise); groups of 3-4 companies
(`scenario(3, 4)`), so the arithmetic stays small.
"""

import pytest

from peergroups.model import Pin, Problem
from solver import solve
from solver.explain import Infeasible
from tests.instances import company, scenario, solved


def pin(kind: str, **fields) -> Pin:
    return Pin(kind=kind, **fields)


def plan(instance: Problem, chosen=None) -> dict[str, frozenset[str]]:
    result = solved(instance, chosen or scenario(3, 4))
    return {g.group_id: frozenset(g.members) for g in result.grouping.groups}


def six(*pins: Pin, **maturities: float) -> Problem:
    """A..F at maturities 10, 11, ... 15 (overridable), with the pins given."""
    companies = [company(cid, maturities.get(cid, 10 + i)) for i, cid in enumerate("ABCDEF")]
    return Problem(companies=tuple(companies), pins=pins)


def test_companies_pinned_to_a_label_share_the_group_that_keeps_the_label():
    # Unpinned, the tightest split is ABC + DEF (spread 2 + 2). Pinning A and F to G7
    # forces them together: G7 holds A, F and one or two others; every company is placed.
    groups = plan(
        six(
            pin("group", company_id="A", group_id="G7"), pin("group", company_id="F", group_id="G7")
        )
    )

    assert {"A", "F"} <= groups["G7"]
    assert set().union(*groups.values()) == set("ABCDEF")


def test_a_locked_group_holds_exactly_its_pinned_companies():
    pins = [pin("group", company_id=c, group_id="G1") for c in "ABC"] + [pin("lock", group_id="G1")]
    # D, E, F would tighten nothing by joining, but a lock keeps even a fourth member out.
    groups = plan(six(*pins))
    assert groups["G1"] == frozenset("ABC")


def test_allowed_groups_and_themes():
    # X may only join G1 (A, B, C); Y only groups of cybersecurity, which nobody else has.
    instance = Problem(
        companies=(
            *six().companies,
            company("X", 12.5),
            company("Y", 12.5, goals="erp|cybersecurity"),
        ),
        pins=(
            *(pin("group", company_id=c, group_id="G1") for c in "ABC"),
            pin("groups", company_id="X", groups="G1"),
            pin("themes", company_id="Y", themes="cybersecurity"),
        ),
    )
    result = solved(instance, scenario(3, 4))
    groups = {g.group_id: set(g.members) for g in result.grouping.groups}
    assert "X" in groups["G1"]
    assert "Y" in {u.company_id for u in result.grouping.unassigned}


def test_together_and_apart():
    # A (10) and F (15) together; B and C apart. With groups of 3: {A, F, x} and the rest,
    # B and C in different groups.
    groups = plan(
        six(pin("together", company_id="A", partner="F"), pin("apart", company_id="B", partner="C"))
    )
    home = {c: gid for gid, members in groups.items() for c in members}
    assert home["A"] == home["F"]
    assert home["B"] != home["C"]


def test_conflicting_pins_are_explained_with_the_least_relaxation():
    # A (10) and FAR (50) pinned to one group: 40 points apart, above the 25-point spread.
    # Dropping FAR's pin, or raising the spread to 40, would let the rest hold.
    instance = Problem(
        companies=(*six().companies, company("FAR", 50)),
        pins=(
            pin("group", company_id="A", group_id="G1"),
            pin("group", company_id="FAR", group_id="G1"),
        ),
    )
    with pytest.raises(Infeasible) as raised:
        solve(instance, scenario(3, 4))
    explanation = raised.value.explanation
    assert sorted(explanation.conflict) == [
        "the pin: A in group G1",
        "the pin: FAR in group G1",
        "the rule maturity_spread: Members' digital maturity (0-100) differs by at most "
        "max_maturity_spread points. (max_maturity_spread = 25)",
    ]
    assert "drop the pin: FAR in group G1" in explanation.relaxations
    assert "raise max_maturity_spread from 25 to 40" in explanation.relaxations


def test_pins_into_one_group_of_companies_without_a_common_goal_are_explained():
    # A wants erp only, MES mes_production_data only: group G1 can have no theme. Each pin
    # alone can hold (A with B, C in an erp group; MES with three others that want MES).
    mes = [company(cid, 20 + i, goals="mes_production_data") for i, cid in enumerate("MNOP")]
    instance = Problem(
        companies=(*six().companies, *mes),
        pins=(
            pin("group", company_id="A", group_id="G1"),
            pin("group", company_id="M", group_id="G1"),
        ),
    )
    with pytest.raises(Infeasible) as raised:
        solve(instance, scenario(3, 4))
    explanation = raised.value.explanation
    assert explanation.conflict[:2] == ["the pin: A in group G1", "the pin: M in group G1"]
    assert "(A, M share no goal for G1)" in explanation.conflict[2]
    assert explanation.relaxations == ["drop the pin: A in group G1", "drop the pin: M in group G1"]


def test_a_pinned_pair_of_competitors_is_explained():
    from peergroups.model import Relation

    instance = Problem(
        companies=six().companies,
        relations=(Relation(company_a="A", company_b="B", kind="competitor"),),
        pins=(
            pin("together", company_id="A", partner="B"),
            pin("group", company_id="A", group_id="G1"),
        ),
    )
    with pytest.raises(Infeasible) as raised:
        solve(instance, scenario(3, 4))
    conflict = " ".join(raised.value.explanation.conflict)
    assert "A together with B" in conflict and "forbidden_pairs" in conflict


@pytest.mark.parametrize("locked", [False, True])
def test_pins_in_one_part_of_a_problem_that_splits_in_two(locked):
    # A..F share erp, P..U share cybersecurity only: no group can span both, so the problem
    # is solved as two parts. The pins on A, B, C bind in the erp part alone: the other
    # part must neither require them (no plan) nor hold the group a second time.
    others = [company(cid, 10 + i, goals="cybersecurity") for i, cid in enumerate("PQRSTU")]
    pins = [pin("group", company_id=c, group_id="G1") for c in "ABC"]
    if locked:
        pins.append(pin("lock", group_id="G1"))
    instance = Problem(companies=(*six().companies, *others), pins=tuple(pins))
    groups = plan(instance)
    assert {"A", "B", "C"} <= groups["G1"]
    assert set().union(*groups.values()) == set("ABCDEFPQRSTU")


def test_keep_some_groups_and_solve_the_rest_again():
    # A plan of two groups of three, ABC and DEF: keeping ABC locks it exactly (D, E, F
    # could have joined it, being close in maturity), the rest is solved again.
    from peergroups.model import Group, Grouping
    from solver.keep import keeping, reoptimise_keeping

    before = Grouping(
        groups=(
            Group(group_id="G1", theme="erp", members=("A", "B", "C")),
            Group(group_id="G2", theme="erp", members=("D", "E", "F")),
        )
    )
    locked = keeping(six(), before, frozenset({"G1"}))
    assert locked.locked == frozenset({"G1"}) and locked.labels["G1"] == ("A", "B", "C")
    after = reoptimise_keeping(six(), scenario(3, 4), before, frozenset({"G1"}))
    groups = {g.group_id: set(g.members) for g in after.groups}
    assert groups["G1"] == set("ABC") and set().union(*groups.values()) == set("ABCDEF")
