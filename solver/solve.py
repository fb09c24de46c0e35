"""The one entry point: problem and scenario in, a checked `Result` out.

Pre-check who can be placed (`feasibility`), build a first plan (`heuristics`), improve it
level by level with CP-SAT (`lexicographic`), and re-check the plan with every rule.
"""

import time
from collections.abc import Callable

from peergroups.model import Group, Grouping, Problem, Unassigned
from solver import cpsat, feasibility, heuristics
from solver.check import check
from solver.lexicographic import LexicographicSearch, Progress
from solver.objective import ChosenGroup, evaluate
from solver.result import Result
from solver.scenario import Scenario


class SolverBug(RuntimeError):
    """The solver returned a plan that breaks a rule: never written, always reported."""


def solve(
    problem: Problem,
    scenario: Scenario | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> Result:
    """Form groups: pre-check who can be placed, solve level by level, re-check the plan."""
    scenario = scenario or Scenario.default()
    started = time.perf_counter()
    deadline = started + scenario.solver.time_limit
    rules = scenario.active_rules
    window = scenario.maturity_window
    placeability = feasibility.assess(problem, rules, scenario.min_size, window)
    themes_of = placeability.themes
    best = heuristics.construct(problem, rules, themes_of, scenario.min_size, window)
    heuristic_placed = sum(len(members) for _, members in best)
    ctx = cpsat.build(
        problem, rules, cpsat.plan_slots(problem, rules, themes_of, scenario.min_size, window)
    )
    search = LexicographicSearch(ctx, len(themes_of), best, evaluate(problem, rules, best))
    search.run(scenario.solver, deadline, on_progress)
    values = evaluate(problem, rules, search.best)
    grouping = _grouping(problem, search.best, placeability.reasons, search.proven > 0, scenario)
    violations = check(problem, grouping, rules)
    if violations:
        listed = "\n".join(f"  {v}" for v in violations)
        raise SolverBug(f"the solver's plan breaks {len(violations)} rule(s):\n{listed}")
    objective = search.score(values)
    return Result(
        status="optimal" if search.optimal else "feasible",
        objective=objective,
        bound=max(search.score_bound(), objective),
        runtime_s=time.perf_counter() - started,
        grouping=grouping,
        terms=values,
        scenario=scenario,
        stats={
            "companies": len(problem.companies),
            "placeable": len(themes_of),
            "placed_bound": search.placed_bound(),
            "heuristic_placed": heuristic_placed,
            "levels_proven": search.proven,
            "clock_stopped": int(search.clock_stopped),
            "slots": len(ctx.slots),
            "variables": len(ctx.model.proto.variables),
            "constraints": len(ctx.model.proto.constraints),
        },
    )


def _grouping(
    problem: Problem,
    chosen: list[ChosenGroup],
    reasons: dict[str, str],
    placing_proven: bool,
    scenario: Scenario,
) -> Grouping:
    """Named groups plus every other company with the reason it is not in one."""
    groups = _named_groups(problem, chosen)
    placed = {cid for group in groups for cid in group.members}
    left_out = _left_out_reason(placing_proven, scenario.solver.time_limit)
    unassigned = tuple(
        Unassigned(company_id=c.company_id, reason=reasons.get(c.company_id, left_out))
        for c in problem.companies
        if c.company_id not in placed
    )
    return Grouping(groups=groups, unassigned=unassigned)


def _named_groups(problem: Problem, chosen: list[ChosenGroup]) -> tuple[Group, ...]:
    """Stable names G01, G02, ... ordered by theme, then maturity, then members."""

    def order(entry: ChosenGroup) -> tuple:
        theme, members = entry
        return (theme, min(problem.by_id[cid].maturity for cid in members), sorted(members))

    width = max(2, len(str(len(chosen))))
    return tuple(
        Group(group_id=f"G{number:0{width}d}", theme=theme, members=tuple(sorted(members)))
        for number, (theme, members) in enumerate(sorted(chosen, key=order), start=1)
    )


def _left_out_reason(placing_proven: bool, time_limit: float) -> str:
    if placing_proven:
        return (
            "every group it could join is full or would break a rule, and no plan places "
            "more companies (proven)"
        )
    return (
        f"not placed when the {time_limit:g} s time limit ended (the plan is not proven "
        "optimal; a longer --time-limit may place it)"
    )
