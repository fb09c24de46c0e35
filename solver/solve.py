"""The one entry point: problem and scenario in, a checked `Result` out."""

import time
from collections.abc import Callable

from peergroups.model import Group, Grouping, Problem, Unassigned
from solver import cpsat, feasibility
from solver.check import check
from solver.result import Result
from solver.scenario import Scenario

MIN_SEARCH_SECONDS = 0.5


class SolverBug(RuntimeError):
    """The solver returned a plan that breaks a rule: never written, always reported."""


def solve(
    problem: Problem,
    scenario: Scenario | None = None,
    on_progress: Callable[[cpsat.Progress], None] | None = None,
) -> Result:
    """Form groups: pre-check who can be placed, solve the CP-SAT model, re-check the plan."""
    scenario = scenario or Scenario.default()
    started = time.perf_counter()
    rules = scenario.active_rules
    placeability = feasibility.assess(problem, rules, scenario.min_size)
    ctx = cpsat.build(problem, rules, cpsat.plan_slots(placeability.themes, scenario.min_size))
    remaining = scenario.solver.time_limit - (time.perf_counter() - started)
    settings = scenario.solver.model_copy(update={"time_limit": max(MIN_SEARCH_SECONDS, remaining)})
    run = cpsat.run(ctx, settings, on_progress)

    groups = _named_groups(problem, run.groups)
    placed = {cid for group in groups for cid in group.members}
    left_out = _left_out_reason(run.status, scenario.solver.time_limit)
    unassigned = tuple(
        Unassigned(company_id=c.company_id, reason=placeability.reasons.get(c.company_id, left_out))
        for c in problem.companies
        if c.company_id not in placed
    )
    grouping = Grouping(groups=groups, unassigned=unassigned)
    violations = check(problem, grouping, rules)
    if violations:
        listed = "\n".join(f"  {v}" for v in violations)
        raise SolverBug(f"the solver's plan breaks {len(violations)} rule(s):\n{listed}")
    return Result(
        status=run.status,
        objective=run.objective,
        bound=run.bound,
        runtime_s=time.perf_counter() - started,
        grouping=grouping,
        terms=run.terms,
        scenario=scenario,
        stats={
            "companies": len(problem.companies),
            "placeable": len(placeability.themes),
            "slots": len(ctx.slots),
            "variables": len(ctx.model.proto.variables),
            "constraints": len(ctx.model.proto.constraints),
        },
    )


def _named_groups(problem: Problem, chosen: list[tuple[str, list[str]]]) -> tuple[Group, ...]:
    """Stable names G01, G02, ... ordered by theme, then maturity, then members."""

    def order(entry: tuple[str, list[str]]) -> tuple:
        theme, members = entry
        return (theme, min(problem.by_id[cid].maturity for cid in members), members)

    width = max(2, len(str(len(chosen))))
    return tuple(
        Group(group_id=f"G{number:0{width}d}", theme=theme, members=tuple(members))
        for number, (theme, members) in enumerate(sorted(chosen, key=order), start=1)
    )


def _left_out_reason(status: str, time_limit: float) -> str:
    if status == "optimal":
        return (
            "every group it could join is full or would break a rule, and the best plan "
            "(proven optimal) places more companies without it"
        )
    return (
        f"not placed when the {time_limit:g} s time limit ended (the plan is not proven "
        "optimal; a longer --time-limit may place it)"
    )
