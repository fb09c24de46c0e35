"""Maturity spread on tiny instances with hand-computed optima.

The conventions these tests share are in tests/rules/README.md.
"""

import pytest

from solver import solve
from tests.instances import (
    PROVEN_LEFT_OUT,
    company,
    groups,
    problem,
    reasons,
    scenario,
    solved,
    terms,
)


@pytest.mark.parametrize(
    ("d_maturity", "placed", "members", "spread", "reason"),
    [
        # 35.0 - 10.0 = 25.0 <= 25: the limit is inclusive, all four in one group (250).
        (35.0, 4, "ABCD", 250, None),
        # 35.1 - 10.0 = 25.1 > 25: at most 3 in a group. {A,B,C} spans 10 points (100),
        # {B,C,D} 20.1 (201): D is left out although {B,C,D} could hold it.
        (35.1, 3, "ABC", 100, PROVEN_LEFT_OUT),
        # 60 is more than 25 points from everyone: the pre-check rules D out by maturity.
        (60.0, 3, "ABC", 100, "no other company within 25 maturity points shares its goal erp"),
    ],
)
def test_maturity_spread_limit(d_maturity, placed, members, spread, reason):
    # A 10, B 15, C 20 and D share erp; min 3 max 4; max_maturity_spread 25 (the default).
    instance = problem(
        company("A", 10), company("B", 15), company("C", 20), company("D", d_maturity)
    )
    result = solved(instance, scenario(3, 4, maturity_spread={"max_maturity_spread": 25}))
    assert result.terms == terms(placed=placed, spread=spread)
    assert groups(result) == {frozenset(members)}
    if reason is None:
        assert reasons(result) == {}
    else:
        assert set(reasons(result)) == {"D"}
        assert reason in reasons(result)["D"]


def test_maturity_spread_prefers_tighter_groups_when_placement_ties():
    # Four share erp, pairs only (min 2 max 2): every pairing places all four.
    # {A,B} 10-11 + {C,D} 20-22: 1 + 2 = 3 points = 30 tenths;
    # {A,C} + {B,D}: 10 + 11 = 21 points; {A,D} + {B,C}: 12 + 9 = 21 points.
    instance = problem(company("A", 10), company("B", 11), company("C", 20), company("D", 22))
    result = solved(instance, scenario(2, 2))
    assert result.terms == terms(placed=4, spread=30)
    assert groups(result) == {frozenset("AB"), frozenset("CD")}


def test_maturity_spread_custom_limit_splits_pairs():
    # max_maturity_spread 5, min 2 max 4: A 10, B 14 | C 20, D 25. A group with A may reach
    # 15 (B only), C reaches 25 (D only, 25 - 20 = 5, inclusive): {A,B} 4 + {C,D} 5 = 90.
    instance = problem(company("A", 10), company("B", 14), company("C", 20), company("D", 25))
    result = solved(instance, scenario(2, 4, maturity_spread={"max_maturity_spread": 5}))
    assert result.terms == terms(placed=4, spread=90)
    assert groups(result) == {frozenset("AB"), frozenset("CD")}


def test_maturity_spread_window_keeps_a_pair_exactly_at_a_fractional_limit():
    # max_maturity_spread 10.3, pairs (min 2 max 2): A 32.3 and B 42.6 differ by exactly
    # 10.3 points, which the rule allows (the pre-check finds the group {A,B}): 2 placed,
    # spread 103 tenths.
    instance = problem(company("A", 32.3), company("B", 42.6))
    result = solve(instance, scenario(2, 2, maturity_spread={"max_maturity_spread": 10.3}))
    assert result.terms == terms(placed=2, spread=103)
    assert groups(result) == {frozenset("AB")}
