"""Forbidden pairs (hard and soft relations) on tiny instances with hand-computed optima.

The conventions these tests share are in tests/rules/README.md.
"""

import pytest

from tests.instances import company, groups, problem, reasons, relation, scenario, solved, terms


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
