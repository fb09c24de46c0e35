"""Shared theme and goal rank on tiny instances with hand-computed optima.

The conventions these tests share are in tests/rules/README.md.
"""

from tests.instances import company, groups, problem, reasons, scenario, solved, terms


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
