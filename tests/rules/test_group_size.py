"""Group size on tiny instances with hand-computed optima.

The conventions these tests share are in tests/rules/README.md.
"""

from peergroups.model import Problem
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


def test_group_size_by_mode_applies_to_in_person_groups_only():
    # Six share erp at 10..15, base 2-3: three pairs cost 3 points = 30 tenths (see above).
    # by_mode in_person 6-6: an in-person group (all six meet in person in MK01) must hold
    # all six, spread 5 points = 50 tenths. Hybrid companies keep the base bounds: pairs.
    bounds = {
        "min_size": 2,
        "max_size": 3,
        "by_mode": {"in_person": {"min_size": 6, "max_size": 6}},
    }

    def six(mode: str):
        ids = "ABCDEF"
        return problem(
            *(
                company(c, m, mode=mode, region="MK01")
                for c, m in zip(ids, range(10, 16), strict=True)
            )
        )

    in_person = solved(six("in_person"), scenario(2, 3, group_size=bounds))
    assert groups(in_person) == {frozenset("ABCDEF")}
    assert in_person.terms == terms(placed=6, spread=50)
    hybrid = solved(six("hybrid"), scenario(2, 3, group_size=bounds))
    assert groups(hybrid) == {frozenset("AB"), frozenset("CD"), frozenset("EF")}
    assert hybrid.terms == terms(placed=6, spread=30)


def test_group_size_by_theme_caps_one_theme():
    # Four want cybersecurity (10..13), four want erp (20..23); base 3-4 would make two groups
    # of four. by_theme cybersecurity max 3: its group holds three, the nearest maturities
    # that leave the fourth out: {A,B,C} (2 points) rather than {B,C,D} (2 points): equal, so
    # only the size is asserted; erp keeps its group of four (3 points).
    cyber = [company(c, m, "cybersecurity") for c, m in zip("ABCD", range(10, 14), strict=True)]
    erp = [company(c, m) for c, m in zip("EFGH", range(20, 24), strict=True)]
    bounds = {"by_theme": {"cybersecurity": {"max_size": 3}}}
    result = solved(problem(*cyber, *erp), scenario(3, 4, group_size=bounds))
    sizes = sorted((g.theme, len(g.members)) for g in result.grouping.groups)
    assert sizes == [("cybersecurity", 3), ("erp", 4)]
    assert result.terms == terms(placed=7, spread=20 + 30)


def test_group_size_where_format_and_theme_both_bound_the_tighter_holds():
    from solver.rules.group_size import GroupSize

    rule = GroupSize(
        min_size=5,
        max_size=15,
        by_mode={"in_person": {"max_size": 10}, "virtual": {"min_size": 6}},
        by_theme={"cybersecurity": {"max_size": 8}},
    )
    assert rule.bounds("in_person", "erp") == (5, 10)
    assert rule.bounds("in_person", "cybersecurity") == (5, 8)
    assert rule.bounds("virtual", "cybersecurity") == (6, 8)
    assert rule.bounds("hybrid", "erp") == (5, 15)
    assert rule.smallest == 5
    # The check names the bound that applies: 9 virtual members of cybersecurity.
    members = [company(f"C{i}", 10 + i, "cybersecurity", mode="virtual") for i in range(9)]
    instance = problem(*members)
    assert rule.group_violations(instance, "cybersecurity", members) == [
        "9 members, more than the maximum 8 for virtual groups of theme cybersecurity"
    ]
    # Bounds that no group could meet are refused when the scenario is read.
    import pytest

    with pytest.raises(ValueError, match="unknown theme 'cybersecurty'; did you mean"):
        GroupSize(by_theme={"cybersecurty": {"max_size": 8}})
    with pytest.raises(ValueError, match="virtual groups of cybersecurity would need 9 to 8"):
        GroupSize(by_mode={"virtual": {"min_size": 9}}, by_theme={"cybersecurity": {"max_size": 8}})


def test_group_size_by_mode_relaxation_lowers_the_format_minimum_too():
    # A, B, C meet online only; A and B are pinned to G1. Base bounds 3-4 would give one
    # group of three, but virtual groups need 4 and there are only 3 companies: infeasible.
    # Lowering min_size to 2 lowers the virtual minimum with it (min(4, 2) = 2): G1 can form.
    # (Lowering the base alone would leave the virtual minimum at 4, still infeasible.)
    import pytest

    from peergroups.model import Pin
    from solver import solve
    from solver.explain import Infeasible

    instance = Problem(
        companies=tuple(
            company(c, m, mode="virtual") for c, m in zip("ABC", (10, 11, 12), strict=True)
        ),
        pins=tuple(Pin(kind="group", company_id=c, group_id="G1") for c in "AB"),
    )
    chosen = scenario(3, 4, group_size={"by_mode": {"virtual": {"min_size": 4}}})
    with pytest.raises(Infeasible) as raised:
        solve(instance, chosen)
    assert "lower min_size from 3 to 2" in raised.value.explanation.relaxations
