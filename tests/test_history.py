"""History that matters (issue 13): on a realistic generated cohort, round 2 formed with round
1's history meets more new peers than round 2 formed without it."""

from itertools import combinations

import pytest

import solver.pipeline
from peergroups.generate import generate
from peergroups.model import Meeting, Problem
from solver import Scenario, solve
from solver.lexicographic import WORK_PER_SECOND
from solver.result import Result


@pytest.fixture
def budget_bound(monkeypatch):
    """A 60 s limit with the work budget of a 10 s run: every search ends on its
    deterministic budget, not on the clock, so a loaded machine gives the plans a quiet one
    gives (with 10 s of wall time, a busy machine placed 155 or 158 where a quiet one
    places 156)."""
    monkeypatch.setattr(solver.pipeline, "WORK_PER_SECOND", WORK_PER_SECOND / 6)
    return Scenario.default().with_solver(time_limit=60, workers=2)


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


def test_round_two_with_history_repeats_fewer_pairs_than_without(budget_bound):
    cohort = generate(200, seed=1)
    chosen = budget_bound
    first = solve(cohort, chosen)
    round_one = met_pairs(first)

    blind_result = solve(cohort, chosen)
    blind = met_pairs(blind_result) & round_one
    informed_result = solve(with_history(cohort, first), chosen)
    informed = met_pairs(informed_result) & round_one

    assert all(r.stats["reproducible"] for r in (first, blind_result, informed_result))
    assert informed_result.terms["placed"] == first.terms["placed"]
    assert informed_result.terms["repeat_pairs"] >= len(informed)  # each costs at least 1
    assert len(informed) < len(blind)
