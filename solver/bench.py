"""The benchmark: named suites of generated instances, each solved by peergroups and by the
baselines, measured the same way (see docs/benchmarking.md for the protocol).

Every (instance, method) runs in a fresh process, so its peak memory is its own. This module
returns rows of plain values; the command line writes them as CSV and Markdown.
"""

import multiprocessing
import resource
import time
from dataclasses import asdict, dataclass

from peergroups.generate import generate
from peergroups.model import Problem
from solver.baselines import anonymous_model, anonymous_model_size, theme_sweep
from solver.check import check_groups
from solver.feasibility import assess
from solver.heuristics import construct
from solver.lexicographic import Progress
from solver.objective import ChosenGroup, Objective
from solver.scenario import Scenario
from solver.solve import solve


@dataclass(frozen=True)
class Case:
    name: str
    n: int
    seed: int
    time_limit: float


SUITES = {
    "default": (
        Case("gen-150", 150, 2026, 30),
        Case("gen-500", 500, 1, 60),
        Case("gen-1000", 1000, 1, 60),
        Case("gen-3000", 3000, 1, 120),
        Case("gen-10000", 10000, 1, 300),
    ),
    "quick": (Case("gen-150", 150, 2026, 10), Case("gen-500", 500, 1, 20)),
}
METHODS = ("peergroups", "heuristic", "sweep", "anonymous")
ANONYMOUS_LITERALS = 250_000
"""Larger anonymous models are not built: at n = 3,000 it would need 1.8 million literals
before a single constraint, beyond what the machine's memory target allows."""


@dataclass
class Row:
    instance: str
    n: int
    method: str
    status: str
    placed: int | None = None
    primary: int | None = None
    objective: float | None = None
    bound: float | None = None
    gap_pct: float | None = None
    first_plan_s: float | None = None
    best_s: float | None = None
    total_s: float | None = None
    peak_mib: float | None = None


def run(case: Case, method: str, workers: int, time_limit: float | None = None) -> Row:
    """One measured run in a fresh process."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        return pool.apply(_measure, (case, method, workers, time_limit or case.time_limit))


def _measure(case: Case, method: str, workers: int, time_limit: float) -> Row:
    problem = generate(case.n, case.seed)
    scenario = Scenario.default().with_solver(time_limit=time_limit, workers=workers)
    started = time.perf_counter()
    row = Row(case.name, case.n, method, status="")
    if method == "peergroups":
        last = [None]

        def note(progress: Progress) -> None:
            last[0] = progress.seconds

        result = solve(problem, scenario, note)
        groups = [(g.theme, list(g.members)) for g in result.grouping.groups]
        row.status, row.bound = result.status, result.bound
        row.first_plan_s = result.stats["first_plan_s"]
        row.best_s = last[0] if last[0] is not None else row.first_plan_s
    elif method == "heuristic":
        rules = scenario.active_rules
        themes_of = assess(problem, rules, scenario.min_size, scenario.maturity_window).themes
        groups = construct(problem, rules, themes_of, scenario.min_size, scenario.maturity_window)
        row.status = "heuristic"
        row.first_plan_s = row.best_s = time.perf_counter() - started
    elif method == "sweep":
        max_size = scenario.rule("group_size").max_size
        groups = theme_sweep(problem, scenario.active_rules, max_size, scenario.maturity_window)
        row.status = "heuristic"
        row.first_plan_s = row.best_s = time.perf_counter() - started
    else:
        if anonymous_model_size(problem, scenario) > ANONYMOUS_LITERALS:
            row.status = "not built"
            return row
        groups, row.status, row.first_plan_s = anonymous_model(
            problem, scenario, time_limit, workers, scenario.solver.seed
        )
    row.total_s = time.perf_counter() - started
    _score(problem, scenario, groups, row)
    row.peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return row


def _score(problem: Problem, scenario: Scenario, groups: list[ChosenGroup], row: Row) -> None:
    """Objective, placements and the rule check, the same for every method."""
    broken = check_groups(problem, groups, scenario.active_rules)
    if broken:
        raise RuntimeError(
            f"{row.method} on {row.instance} breaks {len(broken)} rules: {broken[0]}"
        )
    objective = Objective(problem, scenario.active_rules, scenario.priorities)
    values = objective.evaluate(groups)
    row.placed = values["placed"]
    row.primary = sum(
        problem.by_id[cid].goals[0] == theme for theme, members in groups for cid in members
    )
    row.objective = objective.score(values)
    if row.bound is not None:
        row.gap_pct = 100 * max(0.0, row.bound - row.objective) / max(1.0, row.objective)


def as_dict(row: Row) -> dict:
    return asdict(row)
