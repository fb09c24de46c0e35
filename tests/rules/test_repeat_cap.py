"""Repeat cap (soft): pairs that met `cap` times meet again only when placing everyone needs
it (tiny hand-checked instances; see tests/rules/README.md)."""

from peergroups.model import Problem
from tests.instances import company, scenario, solved
from tests.rules.test_repeat_pairs import history


def test_a_capped_pair_parts_even_at_the_cost_of_a_much_wider_band():
    # A 10, B 11, C 30, D 31 in pairs; A and B met once (cap 1). AB + CD has a spread of 2
    # points, but the capped pair ranks right after placing: AC + BD or AD + BC (40 points
    # in all, each pair within the 25-point limit), and no capped pair meets.
    instance = Problem(
        companies=(
            company("A", 10),
            company("B", 11),
            company("C", 30),
            company("D", 31),
        ),
        history=history((1, "AB")),
    )
    chosen = scenario(2, 2, repeat_cap={"cap": 1}, repeat_pairs={"enforce": "off"})
    result = solved(instance, chosen)
    assert result.terms["capped_repeats"] == 0
    assert frozenset("AB") not in {frozenset(g.members) for g in result.grouping.groups}
    assert result.terms["placed"] == 4
    assert result.terms["spread"] == 400


def test_a_capped_pair_meets_again_when_placing_everyone_needs_it():
    # A, B, C and groups of exactly 3: the only full plan holds the capped pair A-B. The soft
    # cap pays 1 and places all three; the hard cap (max_repeats 1) would leave one out.
    instance = Problem(
        companies=tuple(company(c, 10 + i) for i, c in enumerate("ABC")),
        history=history((1, "AB")),
    )
    soft = solved(instance, scenario(3, 3, repeat_cap={"cap": 1}))
    assert soft.terms["placed"] == 3
    assert soft.terms["capped_repeats"] == 1
    hard = solved(instance, scenario(3, 3, repeat_pairs={"max_repeats": 1}))
    assert hard.terms["placed"] == 0


def test_pairs_below_the_cap_cost_nothing_here():
    # A and B met once; with cap 2 the pair is not capped, so the term is no level at all.
    instance = Problem(
        companies=tuple(company(c, 10 + i) for i, c in enumerate("ABC")),
        history=history((1, "AB")),
    )
    result = solved(instance, scenario(3, 3, repeat_cap={"cap": 2}))
    assert result.terms["capped_repeats"] == 0
    assert result.terms["placed"] == 3
