"""Role tiers on tiny instances with hand-computed optima.

The conventions these tests share are in tests/rules/README.md.
"""

import pytest

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

ROLES = {
    "A": "ceo",  # tier 2
    "B": "board_chair",  # tier 2
    "C": "development_director",  # tier 1
    "D": "management_team_member",  # tier 1
    "E": "other",  # tier 0
}


@pytest.mark.parametrize(
    ("gap", "placed", "members", "spread"),
    [
        # Gap 2: tiers 2,2,1,1,0 all fit in one group of 5 (10..14: 4 points).
        (2, 5, ["ABCDE"], 40),
        # Gap 1: E (tier 0) cannot sit with A or B (tier 2). E's only group is {C,D,E},
        # which strands A and B (2 < 3): 3 placed. Leaving E out gives {A,B,C,D}: 4 placed.
        (1, 4, ["ABCD"], 30),
        # Gap 0: only equal tiers: {A,B}, {C,D} and {E} are all below 3: nobody placed.
        (0, 0, [], 0),
    ],
)
def test_role_tier_gap(gap, placed, members, spread):
    instance = problem(*(company(cid, 10 + i, role=ROLES[cid]) for i, cid in enumerate(ROLES)))
    result = solved(instance, scenario(3, 5, role_tier={"max_role_gap": gap}))
    assert result.terms == terms(placed=placed, spread=spread)
    assert groups(result) == {frozenset(m) for m in members}
    unplaced = reasons(result)
    if gap == 1:
        assert set(unplaced) == {"E"}
        assert PROVEN_LEFT_OUT in unplaced["E"]
    if gap == 0:
        # The pre-check narrows each company's partners to its own tier.
        assert set(unplaced) == set("ABCDE")
        assert all("in a similar position" in reason for reason in unplaced.values())
        assert unplaced["A"].startswith("only 1 other company in a similar position")
        assert unplaced["E"].startswith("no other company in a similar position")
