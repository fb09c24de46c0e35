"""Subsidised seats on tiny instances with hand-computed optima.

The conventions these tests share are in tests/rules/README.md.
"""

import pytest

from peergroups.model import Group, Grouping, Meeting, Problem
from peergroups.programme import grant_seats
from solver.rules.subsidy import Subsidy
from tests.instances import company, groups, problem, scenario, solved


def four_and_one_requester(**requester):
    # A, B, C (10, 11, 12) do not ask; D (30) asks for a subsidised seat.
    return problem(
        *(company(cid, m) for cid, m in zip("ABC", (10, 11, 12), strict=True)),
        company("D", 30, subsidy="kyllä", **requester),
    )


def test_without_a_budget_the_request_changes_nothing():
    # Groups of exactly 3: {A,B,C} has spread 2 points, the best; D is left out and its
    # request is refused because it was not placed (no budget at all: 0 seats).
    instance = four_and_one_requester()
    result = solved(instance, scenario(3, 3))
    assert groups(result) == {frozenset("ABC")}
    subsidy = result.summary()["programme"]["subsidy"]
    assert subsidy["budget_seats"] == 0 and subsidy["granted_to"] == []
    assert subsidy["refused"][0]["company_id"] == "D"
    assert subsidy["refused"][0]["reason"].startswith("not placed in a group")


def test_a_budget_places_the_requester_before_spread():
    # With one seat: placing D is a level above goal ranks and spread. Any group of 3 with D
    # places 2 companies that did not ask (cost 2) instead of 3: {B,C,D} has the least
    # spread among them, 30 - 11 = 19 points = 190 tenths. D gets the seat.
    instance = four_and_one_requester()
    result = solved(instance, scenario(3, 3, subsidy={"subsidised_seats": 1}))
    assert groups(result) == {frozenset("BCD")}
    assert result.terms["unsubsidised_placed"] == 2
    assert result.terms["spread"] == 190
    assert result.summary()["programme"]["subsidy"]["granted_to"] == ["D"]


def test_greatest_need_first_and_never_beyond_the_budget():
    # All five placed in one group (3-5). A, B, C ask; two seats: lowest maturity first
    # (A, B at 10; C at 12), then fewest employees (B 20 before A 50): B, A granted, C refused.
    instance = problem(
        company("A", 10, subsidy="yes", employees=50),
        company("B", 10, subsidy="yes", employees=20),
        company("C", 12, subsidy="yes", employees=5),
        company("D", 13),
        company("E", 14, subsidy="ei"),
    )
    result = solved(instance, scenario(3, 5, subsidy={"budget_eur": 7000, "seat_price_eur": 3000}))
    subsidy = result.summary()["programme"]["subsidy"]
    assert subsidy["budget_seats"] == 2  # 7,000 € / 3,000 € = 2 whole seats
    assert subsidy["granted_to"] == ["B", "A"]
    assert [r["company_id"] for r in subsidy["refused"]] == ["C"]
    assert "budget of 2 seats" in subsidy["refused"][0]["reason"]


def test_first_time_participants_come_before_returning_ones():
    # Same maturity and headcount: A took part in round 1, B did not: B's need comes first.
    instance = Problem(
        companies=(
            company("A", 10, subsidy=True, employees=9),
            company("B", 10, subsidy=True, employees=9),
        ),
        history=(Meeting(round=1, group_id="R1", company_id="A"),),
    )
    plan = Grouping(groups=(Group(group_id="G1", theme="erp", members=("A", "B")),))
    decision = grant_seats(instance, plan, 1)
    assert decision.granted == ("B",)
    assert list(decision.refused) == ["A"]


def test_budget_settings_are_checked():
    with pytest.raises(ValueError, match="not both"):
        Subsidy(subsidised_seats=3, budget_eur=100, seat_price_eur=10)
    with pytest.raises(ValueError, match="go together"):
        Subsidy(budget_eur=100)
    assert Subsidy(budget_eur=9999, seat_price_eur=2500).seats == 3
