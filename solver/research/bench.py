"""The benchmark: named suites of generated instances, each solved by peergroups and by the
baselines, measured the same way (see docs/benchmarking.md for the protocol).

Every (instance, method) runs in a fresh process, so its peak memory is its own. `run_suite`
writes the rows as `<suite>.csv` and `<suite>.md`; `record_reference` keeps the reference
bests that later runs are compared with in `reference.csv`.
"""

import multiprocessing
import resource
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from peergroups.generate import generate
from peergroups.model import Problem
from solver.checks import check_groups
from solver.decompose import parts, pieces
from solver.feasibility import assess
from solver.heuristics import construct
from solver.lexicographic import Progress
from solver.objective import ChosenGroup, Objective
from solver.pipeline import solve
from solver.research import BadRequest, silent
from solver.research.baselines import anonymous_model, anonymous_model_size, theme_sweep
from solver.research.tables import machine, markdown
from solver.scenario import Scenario


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
    "huge": (Case("gen-30000", 30000, 1, 120), Case("gen-100000", 100000, 1, 120)),
}
"""`huge` takes about ten minutes: the sizes up to `max_companies`, apart from the default
suite so that it stays quick."""
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
    levels_proven: str | None = None
    """Objective levels proven optimal out of all, '2/4' (peergroups rows only)."""
    first_plan_s: float | None = None
    best_s: float | None = None
    total_s: float | None = None
    peak_mib: float | None = None
    """Of the measured process; its worker processes (searching pieces) not included."""
    worker_peak_mib: float | None = None
    """Of its largest worker process, if any."""


def run_suite(
    suite: str,
    out: Path,
    methods: Sequence[str] = METHODS,
    only: Sequence[str] | None = None,
    workers: int | None = None,
    progress: Callable[[str], None] = silent,
) -> str:
    """Every method on every instance of the suite (or the instances in `only`), written to
    `out/<suite>.csv` and `out/<suite>.md` (which names the machine); the Markdown returned.
    With `out/reference.csv`, each row's `ref_gap_pct` is its distance to the reference."""
    chosen = _names(methods)
    unknown = sorted(set(chosen) - set(METHODS))
    if unknown:
        raise BadRequest(f"unknown method(s): {', '.join(unknown)}")
    cases = _cases(suite, only)
    threads = workers or Scenario.default().solver.workers
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for case in cases:
        for method in chosen:
            progress(f"{case.name}: {method} ({case.time_limit:g} s limit) ...")
            rows.append(run(case, method, threads))
    table = pd.DataFrame([asdict(r) for r in rows])
    references = out / "reference.csv"
    if references.exists():
        best = pd.read_csv(references).set_index("instance")["objective"]
        table["ref_gap_pct"] = [
            100 * (best[i] - o) / best[i] if i in best.index and pd.notna(o) else None
            for i, o in zip(table["instance"], table["objective"], strict=True)
        ]
    table.to_csv(out / f"{suite}.csv", index=False)
    text = f"Suite `{suite}`, {threads} workers, {machine()}.\n\n{markdown(table)}"
    (out / f"{suite}.md").write_text(text + "\n", encoding="utf-8")
    return text


def record_reference(
    suite: str,
    out: Path,
    only: Sequence[str] | None = None,
    workers: int | None = None,
    progress: Callable[[str], None] = silent,
) -> str:
    """Long peergroups runs (4x each time limit) recorded in `out/reference.csv` as the
    reference bests; instances not run now keep their reference. The runs' Markdown returned."""
    cases = _cases(suite, only)
    threads = workers or Scenario.default().solver.workers
    out.mkdir(parents=True, exist_ok=True)
    rows = []
    for case in cases:
        progress(f"{case.name}: reference run, {4 * case.time_limit:g} s ...")
        rows.append(run(case, "peergroups", threads, 4 * case.time_limit))
    table = pd.DataFrame([asdict(r) for r in rows])
    recorded = table[["instance", "n", "objective", "placed", "primary", "total_s"]]
    path = out / "reference.csv"
    if path.exists():
        kept = pd.read_csv(path)
        recorded = pd.concat([kept[~kept["instance"].isin(recorded["instance"])], recorded])
    recorded.sort_values("n", kind="stable").to_csv(path, index=False)
    return markdown(table)


def _names(listed: Sequence[str]) -> list[str]:
    """Names as typed in a comma-separated option: stripped, empty ones dropped."""
    return [name.strip() for name in listed if name.strip()]


def _cases(suite: str, only: Sequence[str] | None) -> tuple[Case, ...]:
    if suite not in SUITES:
        raise BadRequest(f"no suite {suite} (known: {', '.join(sorted(SUITES))})")
    cases = SUITES[suite]
    if only:
        wanted = _names(only)
        unknown = sorted(set(wanted) - {case.name for case in cases})
        if unknown:
            raise BadRequest(f"suite {suite} has no instance {', '.join(unknown)}")
        cases = tuple(case for case in cases if case.name in wanted)
    return cases


def run(case: Case, method: str, workers: int, time_limit: float | None = None) -> Row:
    """One measured run in a fresh process (not a pool's daemon: the solver starts worker
    processes of its own for large problems)."""
    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(
        target=_measure_into, args=(sending, case, method, workers, time_limit or case.time_limit)
    )
    process.start()
    sending.close()
    try:
        outcome = receiving.recv()
    except EOFError:
        outcome = RuntimeError(f"{method} on {case.name} ended without a result")
    process.join()
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


def _measure_into(sending: Any, case: Case, method: str, workers: int, time_limit: float) -> None:
    try:
        sending.send(_measure(case, method, workers, time_limit))
    except Exception as error:  # handed to the parent, which raises it
        sending.send(error)


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
        row.levels_proven = f"{len(result.proven_levels)}/{len(result.levels)}"
        row.first_plan_s = result.stats["first_plan_s"]
        row.best_s = last[0] if last[0] is not None else row.first_plan_s
    elif method == "heuristic":
        # As the solver builds its first plan: piece by piece, here in one process.
        space = scenario.search_space(problem)
        largest = scenario.solver.piece_companies
        groups = [
            group
            for part in parts(space.narrowed(assess(space).themes))
            for piece in pieces(part, largest)
            for group in construct(piece)
        ]
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
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    row.worker_peak_mib = children or None
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
