"""Fill first: a repair seats newcomers in open seats before it opens new groups."""

from peergroups.model import Change, Group, Grouping, Problem
from solver.repair import repair
from tests.instances import company, scenario


def test_newcomers_fill_open_seats_before_a_new_group_opens():
    # G1 = ABC and G2 = DEF (groups of 3-5). X and Y join: a new group would need 3, so
    # they join the current groups; no new group, no move.
    problem = Problem(companies=tuple(company(c, 10 + i) for i, c in enumerate("ABCDEFXY")))
    plan = Grouping(
        groups=(
            Group(group_id="G1", theme="erp", members=tuple("ABC")),
            Group(group_id="G2", theme="erp", members=tuple("DEF")),
        )
    )
    changes = [Change(change="join", company_id="X"), Change(change="join", company_id="Y")]

    _, result, moves = repair(problem, plan, changes, scenario(3, 5))

    assert result.terms["placed"] == 8
    assert result.terms["new_groups"] == 0 and result.terms["moves"] == 0
    assert {g.group_id for g in result.grouping.groups} == {"G1", "G2"}
    assert sorted(m.change for m in moves if m.company_id in "XY") == ["joins", "joins"]


def test_six_newcomers_open_one_new_group_rather_than_crowding():
    # G1 = ABC (max 5). Six newcomers at maturity 40+: within spread of each other but not
    # of A-C (10-12), so they cannot join G1: one new group of six... max 5: two groups of 3.
    problem = Problem(
        companies=(
            *(company(c, 10 + i) for i, c in enumerate("ABC")),
            *(company(f"N{i}", 40 + i) for i in range(6)),
        )
    )
    plan = Grouping(groups=(Group(group_id="G1", theme="erp", members=tuple("ABC")),))
    changes = [Change(change="join", company_id=f"N{i}") for i in range(6)]

    _, result, _ = repair(problem, plan, changes, scenario(3, 5))

    assert result.terms["placed"] == 9
    assert result.terms["new_groups"] == 2
