"""Group size on tiny instances with hand-computed optima.

The conventions these tests share are in tests/rules/README.md.
"""

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
