"""The one entry point: problem and scenario in, a checked `Result` out.

Pre-check who can be placed (`feasibility`), build a first plan (`heuristics`), improve it
level by level with CP-SAT (`lexicographic`), and re-check the plan with every rule.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from peergroups.model import Group, Grouping, Problem, Unassigned
from solver import cpsat, feasibility, heuristics
from solver.check import check
from solver.lexicographic import WORK_PER_SECOND, LexicographicSearch, Progress
from solver.lns import Improvement, NeighbourhoodSearch
from solver.objective import ChosenGroup, Objective
from solver.result import Result
from solver.scenario import Scenario

FULL_MODEL_COMPANIES = 300
"""Above this many placeable companies one CP-SAT model is too slow to help (on the
generated 1,000-company instance it did not improve the first plan in 60 s), so the
neighbourhood search takes over."""


class SolverBug(RuntimeError):
    """The solver returned a plan that breaks a rule: never written, always reported."""


def solve(
    problem: Problem,
    scenario: Scenario | None = None,
    on_progress: Callable[[Progress], None] | None = None,
) -> Result:
    """Form groups: pre-check who can be placed, search, re-check the plan."""
    scenario = scenario or Scenario.default()
    settings = scenario.solver
    started = time.perf_counter()
    deadline = started + settings.time_limit
    work = settings.time_limit * WORK_PER_SECOND
    rules = scenario.active_rules
    window = scenario.maturity_window
    objective = Objective(problem, rules)
    placeability = feasibility.assess(problem, rules, scenario.min_size, window)
    themes_of = placeability.themes
    first_plan = heuristics.construct(problem, rules, themes_of, scenario.min_size, window)
    strategy = settings.strategy
    if strategy == "auto":
        strategy = "cpsat" if len(themes_of) <= FULL_MODEL_COMPANIES else "lns"

    if strategy == "cpsat":
        plans = cpsat.plan_slots(problem, rules, themes_of, scenario.min_size, window)
        search = LexicographicSearch(
            cpsat.build(problem, rules, plans), objective, len(themes_of), first_plan
        )
        search.run(work, settings, deadline, on_progress)
        searched = Searched(search.best, search.bounds, search.proven, not search.clock_stopped)
    else:
        lns = NeighbourhoodSearch(
            objective, rules, themes_of, scenario.min_size, window, first_plan
        )
        report = _lns_progress(objective, len(themes_of), started, on_progress)
        complete = lns.run(work, settings, deadline, report)
        stats = {"neighbourhoods": lns.neighbourhoods, "work": round(lns.work_spent, 2)}
        searched = Searched(lns.best, {}, 0, complete, stats)

    best, bounds, proven = searched.best, searched.bounds, searched.proven
    values = objective.evaluate(best)
    grouping = _grouping(problem, best, placeability.reasons, proven > 0, scenario)
    violations = check(problem, grouping, rules)
    if violations:
        listed = "\n".join(f"  {v}" for v in violations)
        raise SolverBug(f"the solver's plan breaks {len(violations)} rule(s):\n{listed}")
    score = objective.score(values)
    return Result(
        status="optimal" if proven == len(objective.levels) else "feasible",
        objective=score,
        bound=max(objective.score_bound(bounds, len(themes_of)), score),
        runtime_s=time.perf_counter() - started,
        grouping=grouping,
        terms=values,
        scenario=scenario,
        stats={
            "companies": len(problem.companies),
            "placeable": len(themes_of),
            "placed_bound": _placed_bound(bounds, len(themes_of)),
            "heuristic_placed": objective.evaluate(first_plan)["placed"],
            "levels_proven": proven,
            "reproducible": int(searched.complete),
        }
        | searched.stats,
        strategy=strategy,
    )


@dataclass
class Searched:
    """What a search strategy hands back."""

    best: list[ChosenGroup]
    bounds: dict[str, float]
    """Bounds of the proven objective levels and of the first unproven one."""
    proven: int
    complete: bool
    """It spent its whole work budget: the same input and seed give the same plan."""
    stats: dict[str, int | float] = field(default_factory=dict)


def _placed_bound(bounds: dict[str, float], placeable: int) -> int:
    return min(placeable, math.floor(bounds.get("placed", placeable) + 1e-6))


def _lns_progress(
    objective: Objective,
    placeable: int,
    started: float,
    on_progress: Callable[[Progress], None] | None,
) -> Callable[[Improvement], None] | None:
    """Report neighbourhood-search improvements against the pre-check's bound."""
    if on_progress is None:
        return None

    def report(improvement: Improvement) -> None:
        values = improvement.values
        bound = objective.score_bound({}, placeable)
        on_progress(
            Progress(
                seconds=time.perf_counter() - started,
                level="neighbourhoods",
                placed=values["placed"],
                placed_bound=placeable,
                objective=objective.score(values),
                bound=bound,
            )
        )

    return report


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
