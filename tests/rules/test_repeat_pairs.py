"""Repeat pairs: companies who met before meet new peers (tiny hand-checked instances)."""

from peergroups.model import Meeting, Problem
from solver.scenario import Scenario
from tests.instances import company, scenario, solved


def history(*groups: tuple[int, str]) -> tuple[Meeting, ...]:
    """(round, members) -> the seats of that round's group."""
    return tuple(
        Meeting(round=number, group_id=f"R{number}-{members}", company_id=cid)
        for number, members in groups
        for cid in members
    )


def test_meeting_new_peers_ranks_above_a_tighter_band():
    # A..F at 10..15, pairs (min 2, max 2): the tightest split is AB, CD, EF (spread 1 each,
    # 30 tenths). A and B met in round 2, the latest: cost 1 + recency 2 = 3. Repeats
    # (priority 1.5) rank above spread (priority 2): A and B part, at the least spread
    # that allows it, 50 tenths (AC + BD + EF or AD + BC + EF).
    instance = Problem(
        companies=tuple(company(c, 10 + i) for i, c in enumerate("ABCDEF")),
        history=history((2, "AB")),
    )
    result = solved(instance, scenario(2, 2))
    assert result.terms["repeat_pairs"] == 0
    assert result.terms["spread"] == 50
    assert frozenset("AB") not in {frozenset(g.members) for g in result.grouping.groups}


def test_a_scenario_may_rank_repeats_below_the_band_again():
    # The same cohort with `priority = 4` for repeat_pairs: spread first, so AB stays
    # together and pays its 3.
    instance = Problem(
        companies=tuple(company(c, 10 + i) for i, c in enumerate("ABCDEF")),
        history=history((2, "AB")),
    )
    moved = Scenario.from_dict(scenario(2, 2).to_dict() | {"priorities": {"repeat_pairs": 4}})
    result = solved(instance, moved)
    assert result.terms["repeat_pairs"] == 3
    assert result.terms["spread"] == 30


def test_repeats_decide_between_equally_tight_plans():
    # A, B, C, D all at 10: every split into pairs has spread 0. A-B met in round 1 and C-D in
    # round 2 (latest): cost 1 + max(0, 2 - 1) = 2 and 3. AC + BD costs nothing.
    instance = Problem(
        companies=tuple(company(c, 10) for c in "ABCD"),
        history=history((1, "AB"), (2, "CD")),
    )
    result = solved(instance, scenario(2, 2))
    assert result.terms["repeat_pairs"] == 0
    assert frozenset("AB") not in {frozenset(g.members) for g in result.grouping.groups}


def test_a_hard_cap_keeps_pairs_that_met_too_often_apart():
    # A and B met twice; with max_repeats 2 they may not meet again even though it leaves B out.
    instance = Problem(
        companies=tuple(company(c, 10 + i) for i, c in enumerate("ABC")),
        history=history((1, "AB"), (2, "AB")),
    )
    result = solved(instance, scenario(2, 3, repeat_pairs={"max_repeats": 2}))
    assert all({"A", "B"} - set(g.members) for g in result.grouping.groups)
    assert result.terms["placed"] == 2
