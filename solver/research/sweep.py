"""Sweeps: every (scenario, instance, seed) combination solved and measured the same way.

Runs go to parallel local processes by default, or to a Ray cluster (`engine="ray"`, the
optional `ray` extra; `ray.init()` joins a running cluster or starts a local one). Each run
returns one tidy row; `run_sweep` writes the rows as `results.csv`, draws the comparison and
returns the summary (mean per scenario and instance).
"""

import os
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from peergroups.model import Problem
from peergroups.research.comparison import comparison_figure
from solver import ray_engine
from solver.pipeline import solve
from solver.research import BadRequest, silent
from solver.research.tables import markdown
from solver.scenario import Scenario


@dataclass(frozen=True)
class Job:
    scenario: str
    instance: str
    seed: int
    problem: Problem
    settings: Scenario


def instance_files(directory: Path) -> dict[str, dict[str, Path | None]]:
    """The instances of a sweep by name: `directory` itself and each subdirectory that holds a
    companies.csv, with the input files `read_problem` takes (relations.csv when present)."""
    found = sorted(
        folder
        for folder in [directory, *directory.iterdir()]
        if folder.is_dir() and (folder / "companies.csv").exists()
    )
    if not found:
        raise BadRequest(f"{directory} holds no companies.csv (nor do its subdirectories)")
    return {
        folder.name: {
            "companies": folder / "companies.csv",
            "relations": relations if (relations := folder / "relations.csv").exists() else None,
        }
        for folder in found
    }


def run_sweep(
    scenarios: dict[str, Scenario],
    instances: dict[str, Problem],
    seeds: list[int],
    time_limit: float,
    out: Path,
    engine: str = "local",
    processes: int | None = None,
    progress: Callable[[str], None] = silent,
) -> str:
    """Every combination run (`processes` at a time, by default one per core, sharing the
    cores), written to `out/results.csv` and `out/comparison.png`/`.svg`; the summary's
    Markdown returned."""
    parallel = processes or os.cpu_count() or 1
    todo = jobs(scenarios, instances, seeds, time_limit, max(1, (os.cpu_count() or 1) // parallel))
    progress(
        f"{len(todo)} runs ({len(scenarios)} scenarios x {len(instances)} instances"
        f" x seeds {','.join(str(seed) for seed in seeds)}) ..."
    )
    rows = run_all(
        todo,
        engine,
        parallel,
        lambda row: progress(
            f"  {row['scenario']} {row['instance']} seed {row['seed']}:"
            f" placed {row['placed']} in {row['time_s']:.1f} s"
        ),
    )
    out.mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame(rows)
    table.to_csv(out / "results.csv", index=False)
    comparison_figure(rows, out / "comparison.png", out / "comparison.svg")
    table["gap_pct"] = 100 * pd.to_numeric(table["gap"])
    measures = ["placed", "objective", "term_goal_rank", "term_spread", "gap_pct", "time_s"]
    summary = (
        table.groupby(["scenario", "instance"], sort=True)[[m for m in measures if m in table]]
        .mean()
        .reset_index()
    )
    return markdown(summary)


def jobs(
    scenarios: dict[str, Scenario],
    instances: dict[str, Problem],
    seeds: list[int],
    time_limit: float,
    workers_per_run: int,
) -> list[Job]:
    """Every combination, in a fixed order (scenario, instance, seed)."""
    return [
        Job(
            name,
            instance,
            seed,
            problem,
            scenario.with_solver(time_limit=time_limit, seed=seed, workers=workers_per_run),
        )
        for name, scenario in scenarios.items()
        for instance, problem in instances.items()
        for seed in seeds
    ]


def run_job(job: Job) -> dict:
    """Solve one combination; the row names it and gives every measure and term."""
    started = time.perf_counter()
    result = solve(job.problem, job.settings)
    return {
        "scenario": job.scenario,
        "instance": job.instance,
        "seed": job.seed,
        "companies": len(job.problem.companies),
        "status": result.status,
        "placed": result.placed,
        "groups": len(result.grouping.groups),
        "objective": result.objective,
        "bound": result.bound,
        "gap": result.gap,
        "time_s": round(time.perf_counter() - started, 3),
        **{f"term_{name}": value for name, value in result.terms.items()},
    }


def run_all(
    todo: list[Job],
    engine: str = "local",
    processes: int = 1,
    on_row: Callable[[dict], None] | None = None,
) -> list[dict]:
    """The rows of every job, in the order of `todo`."""
    if engine == "ray":
        return _run_on_ray(todo, on_row)
    rows: list[dict | None] = [None] * len(todo)
    with ProcessPoolExecutor(max_workers=processes) as pool:
        futures = {pool.submit(run_job, job): index for index, job in enumerate(todo)}
        for future, index in futures.items():
            rows[index] = future.result()
            if on_row:
                on_row(rows[index])
    return [row for row in rows if row is not None]


def _run_on_ray(todo: list[Job], on_row: Callable[[dict], None] | None) -> list[dict]:
    with ray_engine.session("sweep --engine ray") as ray:
        remote = ray.remote(run_job)
        rows = ray.get([remote.remote(job) for job in todo])
    for row in rows:
        if on_row:
            on_row(row)
    return rows
