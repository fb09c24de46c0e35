"""Common language on tiny instances with hand-computed optima.

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
