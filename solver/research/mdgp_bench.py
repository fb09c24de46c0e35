"""The MDGPLIB suite: the pairwise solver against the literature's best-known values.

Every RanReal and RanInt instance of size n = 120, 240 or 480 found under the shared benchmark
folder (`../shared/benchmarks`, never copied into the repository) is solved by
`solver.research.pairwise.solve_mdgp` within the state of the art's time limit per run
(`LIMITS`, the limits TPSDP and its predecessors report), and compared with the best-known
value in `mdgp_best_known.csv`:

    gap_pct = 100 * (best_known - objective) / best_known

positive when below the best-known value, negative when above it. The objective is re-scored
by `peergroups.research.mdgp.objective` and the grouping checked by
`peergroups.research.mdgp.feasible`, not taken from the solver. docs/mdgp.md has the protocol.

`run_suite` runs the whole suite and writes `mdgp.csv` and `mdgp.md`; `run` and `summary`
give its rows as plain dicts. The search needs numba (the research extra), imported when a run
starts, so the rest of this module works without it.
"""

import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from peergroups.research import mdgp
from solver.research import Unavailable, silent
from solver.research.tables import machine, markdown

LIMITS = {120: 3.0, 240: 20.0, 480: 120.0}
"""Seconds per run by instance size: the state of the art's limits (MDGPLIB README)."""
FAMILIES = ("RanReal", "RanInt")


def instances(root: Path) -> list[str]:
    """The names of every RanReal and RanInt instance with n in `LIMITS` under `root`, sorted.

    Empty when the folder holds none (or does not exist).
    """
    names = []
    for family in FAMILIES:
        folder = Path(root) / "mdgp" / family
        if not folder.is_dir():
            continue
        for path in folder.glob(f"{family}_n*_*_*.txt"):
            try:
                n = int(path.stem.split("_")[1][1:])
            except ValueError:
                continue
            if n in LIMITS:
                names.append(path.stem)
    return sorted(names)


def run_suite(
    root: Path | None,
    out: Path,
    seeds: Sequence[int],
    workers: int = 2,
    time_scale: float = 1.0,
    progress: Callable[[str], None] = silent,
) -> str:
    """Every instance under `root` (by default the shared benchmark folder) once per seed,
    written to `out/mdgp.csv` (the runs) and `out/mdgp.md` (summary, runs and machine); the
    summary's Markdown returned. Unavailable without numba or without instances."""
    from solver.research.pairwise import warm_up  # numba, the research extra

    warm_up()  # compiled, or refused, before any instance is read
    root = root or mdgp.benchmark_root()
    names = instances(root) if root else []
    if not names:
        looked = root or Path(mdgp.__file__).resolve().parents[2].parent / "shared" / "benchmarks"
        raise Unavailable(
            f"no MDGPLIB instances under {looked} (looked for mdgp/<family>/<name>.txt): "
            "nothing to run; pass the benchmark folder with --data"
        )
    known = mdgp.best_known(root)
    rows = []
    for name in names:
        for seed in seeds:
            row = run(name, root, seed, workers, time_scale, known)
            progress(f"  {name} seed {seed}: gap {row['gap_pct']:.3f} % in {row['time_s']:.1f} s")
            rows.append(row)
    out.mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame(rows)
    table.to_csv(out / "mdgp.csv", index=False)
    lines = pd.DataFrame(
        [line | {"n": line["n"] or "", "kind": line["kind"] or ""} for line in summary(rows)]
    )
    text = (
        f"MDGPLIB suite, {workers} workers, time limits x{time_scale:g}, seeds {list(seeds)}, "
        f"{machine()}.\n\n{markdown(lines)}\n\nPer run:\n\n{markdown(table)}"
    )
    (out / "mdgp.md").write_text(text + "\n", encoding="utf-8")
    return markdown(lines)


def run(
    name: str,
    root: Path,
    seed: int,
    workers: int = 2,
    time_scale: float = 1.0,
    best_known: dict[str, float] | None = None,
) -> dict:
    """Solve instance `name` once within `time_scale` times its limit; one tidy row.

    Row: family, instance, n, kind (ss/ds), groups, seed, workers, seconds (the limit used),
    objective, best_known (None when the table has no value), gap_pct (None likewise),
    time_s (measured wall time of the solve, reading excluded), feasible.
    `best_known` defaults to `peergroups.research.mdgp.best_known()`.
    """
    from solver.research.pairwise import solve_mdgp, warm_up  # numba, the research extra

    instance = mdgp.read_instance(mdgp.instance_file(Path(root), name))
    seconds = LIMITS[instance.n] * time_scale
    distance = np.array(instance.distance, dtype=np.float64)
    warm_up()  # compiling (or loading the compiled search) is not the search's time
    started = time.monotonic()
    group_of, _ = solve_mdgp(distance, instance.bounds, seconds, seed, workers=workers)
    elapsed = time.monotonic() - started
    value = mdgp.objective(instance, group_of)
    table = mdgp.best_known() if best_known is None else best_known
    bkv = table.get(name)
    return {
        "family": instance.family,
        "instance": name,
        "n": instance.n,
        "kind": instance.kind,
        "groups": instance.groups,
        "seed": seed,
        "workers": workers,
        "seconds": seconds,
        "objective": value,
        "best_known": bkv,
        "gap_pct": None if bkv is None else gap_pct(value, bkv),
        "time_s": elapsed,
        "feasible": not mdgp.feasible(instance, group_of),
    }


def gap_pct(value: float, best_known: float) -> float:
    """100 * (best_known - value) / best_known: the percentage below the best-known value."""
    return 100.0 * (best_known - value) / best_known


def summary(rows: list[dict]) -> list[dict]:
    """Per (family, n, kind), then one overall line: runs, instances, mean and max gap, feasible.

    Rows without a best-known value count in `runs` but not in the gaps; `feasible` is the
    number of feasible runs. Groups are sorted by family, n, kind; the overall line has
    family "all" and n and kind None.
    """
    keyed: dict[tuple, list[dict]] = {}
    for row in rows:
        keyed.setdefault((row["family"], row["n"], row["kind"]), []).append(row)
    lines = [_line(family, n, kind, keyed[family, n, kind]) for family, n, kind in sorted(keyed)]
    if rows:
        lines.append(_line("all", None, None, rows))
    return lines


def _line(family: str, n: int | None, kind: str | None, rows: list[dict]) -> dict:
    gaps = [row["gap_pct"] for row in rows if row["gap_pct"] is not None]
    return {
        "family": family,
        "n": n,
        "kind": kind,
        "runs": len(rows),
        "instances": len({row["instance"] for row in rows}),
        "mean_gap_pct": statistics.fmean(gaps) if gaps else None,
        "max_gap_pct": max(gaps) if gaps else None,
        "feasible": sum(bool(row["feasible"]) for row in rows),
    }
