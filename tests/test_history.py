"""History that matters (issue 13): on a realistic generated cohort, round 2 formed with round
1's history meets more new peers than round 2 formed without it."""

from itertools import combinations

from peergroups.generate import generate
from peergroups.model import Meeting, Problem
from solver import Scenario, solve
from solver.result import Result


def met_pairs(result: Result) -> set[tuple[str, str]]:
    return {pair for g in result.grouping.groups for pair in combinations(sorted(g.members), 2)}


def with_history(problem: Problem, result: Result, number: int = 1) -> Problem:
    seats = tuple(
        Meeting(round=number, group_id=g.group_id, company_id=cid)
        for g in result.grouping.groups
        for cid in g.members
    )
    fields = {name: getattr(problem, name) for name in type(problem).model_fields}
    return Problem(**fields | {"history": problem.history + seats})


def test_round_two_with_history_repeats_fewer_pairs_than_without():
    cohort = generate(200, seed=1)
    chosen = Scenario.default().with_solver(time_limit=10, workers=2)
    first = solve(cohort, chosen)
    round_one = met_pairs(first)

    blind = met_pairs(solve(cohort, chosen)) & round_one
    informed_result = solve(with_history(cohort, first), chosen)
    informed = met_pairs(informed_result) & round_one

    assert informed_result.terms["placed"] == first.terms["placed"]
    assert informed_result.terms["repeat_pairs"] >= len(informed)  # each costs at least 1
    assert len(informed) < len(blind)
