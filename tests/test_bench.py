"""`peergroups bench` on the quick suite: the table's rows, columns and files (timings are
measured by the command, never asserted here)."""

import csv

from tests.test_cli import invoke

COLUMNS = {"instance", "n", "method", "placed", "primary", "objective", "bound", "gap_pct"}
COLUMNS |= {"first_plan_s", "best_s", "total_s", "peak_mib"}


def test_bench_writes_one_row_per_instance_and_method(tmp_path):
    result = invoke(
        "bench", "--suite", "quick", "--instances", "gen-150", "--methods", "heuristic,sweep",
        "--out", tmp_path, expect=0,
    )  # fmt: skip
    with open(tmp_path / "quick.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["instance"], r["method"]) for r in rows] == [
        ("gen-150", "heuristic"),
        ("gen-150", "sweep"),
    ]
    assert set(rows[0]) >= COLUMNS
    assert all(0 < int(r["placed"]) <= 150 for r in rows)
    assert "cores" in (tmp_path / "quick.md").read_text(encoding="utf-8")
    assert "| gen-150 |" in result.stdout


def test_bench_rejects_an_unknown_instance(tmp_path):
    result = invoke(
        "bench", "--suite", "quick", "--instances", "gen-7", "--out", tmp_path, expect=2
    )
    assert "gen-7" in result.output
    assert not (tmp_path / "quick.csv").exists()
