"""Continuity in a repair: after a drop-out, companies move only as the rules require."""

from peergroups.model import Change, Group, Grouping, Problem, Relation
from solver.repair import repair
from tests.instances import company, scenario


def old_plan(*groups: tuple[str, str]) -> Grouping:
    return Grouping(
        groups=tuple(Group(group_id=gid, theme="erp", members=tuple(m)) for gid, m in groups)
    )


def test_a_drop_out_moves_nobody_when_its_group_stays_valid():
    # G1 = ABCD, G2 = EFGH (groups of 3-4). D leaves: G1 = ABC is still valid, nobody moves.
    problem = Problem(companies=tuple(company(c, 10 + i) for i, c in enumerate("ABCDEFGH")))
    plan = old_plan(("G1", "ABCD"), ("G2", "EFGH"))

    _, result, moves = repair(
        problem, plan, [Change(change="leave", company_id="D")], scenario(3, 4)
    )

    assert result.terms["moves"] == 0
    assert {g.group_id: set(g.members) for g in result.grouping.groups} == {
        "G1": set("ABC"),
        "G2": set("EFGH"),
    }
    assert [m.change for m in moves if m.company_id == "D"] == ["leaves"]


def test_a_drop_out_below_the_minimum_moves_exactly_the_companies_it_must():
    # G1 = ABC, G2 = DEFG, G3 = HIJK (3-4 members, all within one spread). C leaves: G1 = AB
    # is too small. G2 and G3 each have a member to spare: one of them joins A and B. That is
    # 1 move with all 10 placed; keeping everyone in place would leave A and B out.
    problem = Problem(companies=tuple(company(c, 10 + i) for i, c in enumerate("ABCDEFGHIJK")))
    plan = old_plan(("G1", "ABC"), ("G2", "DEFG"), ("G3", "HIJK"))

    _, result, moves = repair(
        problem, plan, [Change(change="leave", company_id="C")], scenario(3, 4)
    )

    assert result.terms["placed"] == 10
    assert result.terms["moves"] == 1
    (mover,) = [m for m in moves if m.change == "moves"]
    assert mover.before in ("G2", "G3") and mover.after == "G1"
    assert mover.reason == "so that more companies can be placed"


def test_a_new_competitor_relation_moves_one_of_the_pair():
    # G1 = ABCD; A and B become competitors. One of them moves to G2 (EFG has room).
    problem = Problem(companies=tuple(company(c, 10 + i) for i, c in enumerate("ABCDEFG")))
    plan = old_plan(("G1", "ABCD"), ("G2", "EFG"))
    change = Change(change="relation", company_id="A", partner="B", relation="competitor")

    changed, result, moves = repair(problem, plan, [change], scenario(3, 4))

    assert result.terms == result.terms | {"placed": 7, "moves": 1}
    (mover,) = [m for m in moves if m.change == "moves"]
    assert mover.company_id in "AB" and "must not share a group" in mover.reason
    assert Relation(company_a="A", company_b="B", kind="competitor") in changed.relations
