"""Every registered rule on a tiny instance whose optimum is worked out by hand.

Each test solves through `solver.solve` with every rule at its defaults (max maturity spread
25, max role gap 1, ...) except the group size and the rule under test, so the other rules
must not bind: unless a test says otherwise, companies are CEOs with the single goal erp,
speak Finnish, meet hybrid, have no region and no relations (`tests.instances.company`).
`result.terms` holds: placed, goal_rank, spread (in tenths of a point) and soft_relations.
Maturities are given in points; spreads in the comments are in points, the terms in tenths.
"""

import pytest

from peergroups.model import Problem
from solver import Result, Scenario, check, solve
from tests.instances import company, groups, problem, reasons, relation, scenario

PROVEN_LEFT_OUT = "no plan places more companies (proven)"
"""The reason of a company that could sit in some group, but not in an optimal plan."""


def solved(instance: Problem, chosen: Scenario) -> Result:
    """Solve, then hold the plan to the contract: proven optimal, every company exactly once,
    every rule's check passes and every unassigned company carries a reason."""
    result = solve(instance, chosen)
    assert result.status == "optimal"
    assert result.grouping.accounting_errors(instance) == []
    assert check(instance, result.grouping, chosen.active_rules) == []
    assert all(u.reason for u in result.grouping.unassigned)
    return result


def terms(placed: int, goal_rank: int = 0, spread: int = 0, soft: int = 0) -> dict[str, int]:
    return {"placed": placed, "goal_rank": goal_rank, "spread": spread, "soft_relations": soft}


# --- group_size --------------------------------------------------------------------------------


def test_group_size_splits_seven_into_three_and_four():
    # A..G share erp, min 3 max 4: 7 = 3 + 4, so all 7 are placed in two groups.
    # Maturities 10 11 12 | 20 21 22 23: any group mixing the two clusters spans >= 8 points,
    # so the split is {A,B,C} (spread 2) + {D,E,F,G} (spread 3) = 5 points = 50 tenths
    # (the other split in order, {A..D} 10 + {E,F,G} 2, costs 120).
    # H alone wants cybersecurity: no partner, the pre-check names the theme and the size.
    instance = problem(
        *(company(cid, m) for cid, m in zip("ABCDEFG", (10, 11, 12, 20, 21, 22, 23), strict=True)),
        company("H", 15, "cybersecurity"),
    )
    result = solved(instance, scenario(3, 4))
    assert result.terms == terms(placed=7, spread=50)
    assert groups(result) == {frozenset("ABC"), frozenset("DEFG")}
    assert reasons(result) == {
        "H": "no other company shares its goal cybersecurity (a group needs 3)"
    }


def test_group_size_leaves_out_one_of_five():
    # Five share erp, min 3 max 4: two groups need >= 6 companies and one group holds at
    # most 4, so 4 are placed. Leaving out E (30) gives {A,B,C,D} with spread 13 - 10 = 3
    # points = 30 tenths; leaving out anyone else keeps E and a spread >= 30 - 11 = 19.
    # E is within 25 points of everyone, so it could sit in a group: the reason says proven.
    instance = problem(
        *(company(cid, m) for cid, m in zip("ABCDE", (10, 11, 12, 13, 30), strict=True))
    )
    result = solved(instance, scenario(3, 4))
    assert result.terms == terms(placed=4, spread=30)
    assert groups(result) == {frozenset("ABCD")}
    assert set(reasons(result)) == {"E"}
    assert PROVEN_LEFT_OUT in reasons(result)["E"]


def test_group_size_min_two_lets_pairs_beat_triples():
    # Six share erp at 10, 11, ..., 15; min 2 max 3: every plan below places all six, so
    # spread decides. Three pairs {A,B} {C,D} {E,F}: 1 + 1 + 1 = 3 points = 30 tenths; two
    # triples {A,B,C} {D,E,F}: 2 + 2 = 40; a triple with a pair leaves one company alone.
    instance = problem(*(company(cid, m) for cid, m in zip("ABCDEF", range(10, 16), strict=True)))
    result = solved(instance, scenario(2, 3))
    assert result.terms == terms(placed=6, spread=30)
    assert groups(result) == {frozenset("AB"), frozenset("CD"), frozenset("EF")}


# --- shared_theme ------------------------------------------------------------------------------


def test_shared_theme_prefers_primary_goals_over_spread():
    # A, B, C: erp first, cybersecurity second; D, E, F the other way round. min 3 max 6.
    # Primary goals only: {A,B,C} erp (10..30, spread 20) + {D,E,F} cybersecurity (11..31,
    # spread 20): goal_rank 0, spread 400 tenths. Any other plan placing all six puts someone
    # in their second goal (goal_rank >= 1) - e.g. all six in erp: rank 3, spread only 21.
    # Goal rank (priority 1) outranks spread (priority 2), so the primary plan wins.
    instance = problem(
        company("A", 10, "erp|cybersecurity"),
        company("B", 20, "erp|cybersecurity"),
        company("C", 30, "erp|cybersecurity"),
        company("D", 11, "cybersecurity|erp"),
        company("E", 21, "cybersecurity|erp"),
        company("F", 31, "cybersecurity|erp"),
    )
    result = solved(instance, scenario(3, 6))
    assert result.terms == terms(placed=6, goal_rank=0, spread=400)
    assert groups(result) == {frozenset("ABC"), frozenset("DEF")}
    assert {g.theme for g in result.grouping.groups if "A" in g.members} == {"erp"}
    assert {g.theme for g in result.grouping.groups if "D" in g.members} == {"cybersecurity"}


def test_shared_theme_uses_a_second_goal_to_place_more():
    # A, B want erp; C wants cybersecurity then erp; D robotics then erp; min 3 max 4.
    # Nobody else wants cybersecurity or robotics, so the only group is {A,B,C,D} in erp:
    # placing 4 beats goal rank; C and D sit in their second goal: goal_rank 1 + 1 = 2;
    # spread 16 - 10 = 6 points = 60 tenths. E's two goals are shared by nobody.
    instance = problem(
        company("A", 10),
        company("B", 12),
        company("C", 14, "cybersecurity|erp"),
        company("D", 16, "robotics_automation|erp"),
        company("E", 18, "carbon_energy_mgmt|additive_manufacturing"),
    )
    result = solved(instance, scenario(3, 4))
    assert result.terms == terms(placed=4, goal_rank=2, spread=60)
    assert groups(result) == {frozenset("ABCD")}
    assert [g.theme for g in result.grouping.groups] == ["erp"]
    assert reasons(result) == {"E": "no other company shares any of its goals (a group needs 3)"}


# --- maturity_spread ---------------------------------------------------------------------------


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


# --- role_tier ---------------------------------------------------------------------------------

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


# --- common_language ---------------------------------------------------------------------------


def test_common_language_needs_one_language_for_the_whole_group():
    # A fi|sv, B sv|en, C en|fi, D fi|en; min 3 max 4. Every pair shares a language, but
    # {A,B,C} and {A,B,D} share none (A and B meet only in sv, C and D lack sv) and neither
    # do all four. Groups: {A,C,D} in fi (10..13: 3 points) or {B,C,D} in en (11..13: 2).
    # 3 placed, the tighter {B,C,D} wins with 20 tenths; A could sit in {A,C,D}: proven.
    instance = problem(
        company("A", 10, languages="fi|sv"),
        company("B", 11, languages="sv|en"),
        company("C", 12, languages="en|fi"),
        company("D", 13, languages="fi|en"),
    )
    result = solved(instance, scenario(3, 4))
    assert result.terms == terms(placed=3, spread=20)
    assert groups(result) == {frozenset("BCD")}
    assert set(reasons(result)) == {"A"}
    assert PROVEN_LEFT_OUT in reasons(result)["A"]


def test_common_language_pairwise_overlap_is_not_a_group():
    # A fi|sv, B sv|en, C en|fi: each pair shares a language, the three share none, and a
    # group needs 3: nobody can be placed, and the pre-check says the partners clash.
    instance = problem(
        company("A", 10, languages="fi|sv"),
        company("B", 11, languages="sv|en"),
        company("C", 12, languages="en|fi"),
    )
    result = solved(instance, scenario(3, 4))
    assert result.terms == terms(placed=0)
    assert groups(result) == set()
    assert set(reasons(result)) == set("ABC")
    assert all("2 companies" in r and "group of 3" in r for r in reasons(result).values())


def test_common_language_speaking_reason():
    # A, B, C speak fi; D only sv: D has no partner, {A,B,C} is the group (10..12: 20).
    instance = problem(
        company("A", 10), company("B", 11), company("C", 12), company("D", 13, languages="sv")
    )
    result = solved(instance, scenario(3, 4))
    assert result.terms == terms(placed=3, spread=20)
    assert groups(result) == {frozenset("ABC")}
    assert reasons(result) == {
        "D": "no other company speaking sv shares its goal erp (a group needs 3)"
    }


# --- meeting_mode ------------------------------------------------------------------------------


def test_meeting_mode_in_person_group_stays_in_its_region():
    # A meets in person in MK01; B, C hybrid in MK01; D hybrid in MK02; E virtual in MK02;
    # F hybrid with no region. min 3 max 6. A can only sit with B and C (D is elsewhere, E
    # virtual, F has no region), so placing A means {A,B,C}; {D,E,F} has no in-person member
    # and may mix. 6 placed (without A at most 5), spread 2 + 2 points = 40 tenths.
    instance = problem(
        company("A", 10, mode="in_person", region="MK01"),
        company("B", 11, region="MK01"),
        company("C", 12, region="MK01"),
        company("D", 13, region="MK02"),
        company("E", 14, mode="virtual", region="MK02"),
        company("F", 15),
    )
    result = solved(instance, scenario(3, 6))
    assert result.terms == terms(placed=6, spread=40)
    assert groups(result) == {frozenset("ABC"), frozenset("DEF")}


def test_meeting_mode_in_person_reason():
    # A meets in person in MK01 (Uusimaa); B, C, D are hybrid in MK02: A has no partner.
    # {B,C,D} (11..13: 20 tenths) is the group.
    instance = problem(
        company("A", 10, mode="in_person", region="MK01"),
        company("B", 11, region="MK02"),
        company("C", 12, region="MK02"),
        company("D", 13, region="MK02"),
    )
    result = solved(instance, scenario(3, 4))
    assert result.terms == terms(placed=3, spread=20)
    assert groups(result) == {frozenset("BCD")}
    assert reasons(result) == {
        "A": "no other company meeting in person in Uusimaa shares its goal erp (a group needs 3)"
    }


def test_meeting_mode_reason_for_in_person_without_region_names_no_empty_region():
    # A meets in person but has no region, so it can share a group with nobody (B, C, D are
    # hybrid in MK01); the reason must not print an empty region name.
    instance = problem(
        company("A", 10, mode="in_person"),
        company("B", 11, region="MK01"),
        company("C", 12, region="MK01"),
        company("D", 13, region="MK01"),
    )
    result = solved(instance, scenario(3, 4))
    assert groups(result) == {frozenset("BCD")}
    assert "meeting in person" in reasons(result)["A"]
    assert "meeting in person in  " not in reasons(result)["A"]


# --- forbidden_pairs ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a_ok", "b_ok", "severity"),
    [(True, True, None), (True, False, None), (False, False, None), (False, True, "soft")],
)
def test_forbidden_pairs_competitors_share_only_with_mutual_consent(a_ok, b_ok, severity):
    # A and B compete; pairs only (min 2 max 2). A 10, B 11, C 20, D 21.
    # {A,B} + {C,D}: spread 1 + 1 = 20 tenths; the crossing pairings cost 10 + 10 = 200 either
    # way ({A,C},{B,D} or {A,D},{B,C}).
    # Both accept competitors: the pair is soft; spread (priority 2) outranks soft relations
    # (priority 3), so A and B share at a cost of 1.
    # Otherwise the pair is hard (a 'soft' severity does not override missing consent):
    # A and B never share, spread 200, either crossing pairing.
    instance = problem(
        company("A", 10, competitor_ok=a_ok),
        company("B", 11, competitor_ok=b_ok),
        company("C", 20),
        company("D", 21),
        relations=(relation("A", "B", "competitor", severity=severity),),
    )
    result = solved(instance, scenario(2, 2))
    if a_ok and b_ok:
        assert result.terms == terms(placed=4, spread=20, soft=1)
        assert groups(result) == {frozenset("AB"), frozenset("CD")}
    else:
        assert result.terms == terms(placed=4, spread=200, soft=0)
        assert groups(result) in (
            {frozenset("AC"), frozenset("BD")},
            {frozenset("AD"), frozenset("BC")},
        )


def test_forbidden_pairs_soft_relation_avoided_when_free():
    # As above with A-B competitors without consent (hard): the crossing pairings tie on
    # spread (200). A and D are customer and supplier (soft by default, cost 1): {A,D} + {B,C}
    # costs 1, {A,C} + {B,D} costs 0 and wins.
    instance = problem(
        company("A", 10),
        company("B", 11),
        company("C", 20),
        company("D", 21),
        relations=(relation("A", "B"), relation("A", "D", "customer_supplier")),
    )
    result = solved(instance, scenario(2, 2))
    assert result.terms == terms(placed=4, spread=200, soft=0)
    assert groups(result) == {frozenset("AC"), frozenset("BD")}


def test_forbidden_pairs_hard_relations_keep_apart():
    # A competes with B, shares an owner with C, is in conflict with D and has a customer
    # relation marked hard with E: no partner left for A (min 3 max 4). B..E form the
    # group (11..14: 3 points = 30 tenths).
    instance = problem(
        *(company(cid, m) for cid, m in zip("ABCDE", (10, 11, 12, 13, 14), strict=True)),
        relations=(
            relation("A", "B", "competitor"),
            relation("A", "C", "same_owner"),
            relation("A", "D", "conflict"),
            relation("A", "E", "customer_supplier", severity="hard"),
        ),
    )
    result = solved(instance, scenario(3, 4))
    assert result.terms == terms(placed=4, spread=30)
    assert groups(result) == {frozenset("BCDE")}
    assert set(reasons(result)) == {"A"}
    assert "free of competitor" in reasons(result)["A"]
