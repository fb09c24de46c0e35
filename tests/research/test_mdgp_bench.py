"""The MDGPLIB bench suite (solver.research.mdgp_bench): which instances it runs, one run's row,
the summary, and the `bench --suite mdgp` command. The tests that read `../shared/benchmarks`
skip when it is absent, and those that run the search skip without numba (the research extra).
"""

import csv

import pytest

from peergroups.research.mdgp import benchmark_root, best_known
from solver.research.mdgp_bench import LIMITS, gap_pct, instances, run, summary
from tests.test_cli import invoke

ROOT = benchmark_root()
needs_benchmarks = pytest.mark.skipif(ROOT is None, reason="../shared/benchmarks is absent")


@needs_benchmarks
def test_bench_lists_the_instances():
    names = instances(ROOT)
    assert names == sorted(names)
    assert "RanReal_n120_ds_01" in names and "RanInt_n480_ss_01" in names
    assert all(name.startswith(("RanReal_", "RanInt_")) for name in names)
    assert not any("_n010_" in name or "_n012_" in name for name in names)
    assert {int(name.split("_")[1][1:]) for name in names} <= set(LIMITS)


def test_bench_lists_nothing_in_an_empty_folder(tmp_path):
    assert instances(tmp_path) == []


@needs_benchmarks
def test_bench_run_and_summary():
    pytest.importorskip("numba", reason="the MDGP search needs the research extra")
    name = "RanInt_n120_ss_01"
    row = run(name, ROOT, seed=1, workers=1, time_scale=0.1)
    assert row["instance"] == name
    assert (row["family"], row["n"], row["kind"], row["groups"]) == ("RanInt", 120, "ss", 10)
    assert row["seconds"] == pytest.approx(0.3)
    assert row["time_s"] < 0.3 + 1.0
    assert row["feasible"] is True
    assert row["best_known"] == best_known()[name]
    assert row["gap_pct"] == pytest.approx(gap_pct(row["objective"], row["best_known"]))
    assert row["gap_pct"] < 2.0

    other = dict(row, instance="x", kind="ds", gap_pct=1.5, feasible=False)
    lines = summary([row, other, dict(row, gap_pct=None)])
    assert [(line["kind"], line["runs"]) for line in lines] == [("ds", 1), ("ss", 2), (None, 3)]
    overall = lines[-1]
    assert overall["family"] == "all" and overall["instances"] == 2
    assert overall["mean_gap_pct"] == pytest.approx((row["gap_pct"] + 1.5) / 2)
    assert overall["max_gap_pct"] == max(row["gap_pct"], 1.5)
    assert overall["feasible"] == 2
    assert summary([]) == []


@needs_benchmarks
def test_bench_command_writes_the_mdgp_table(tmp_path):
    pytest.importorskip("numba", reason="the MDGP search needs the research extra")
    result = invoke("bench", "--suite", "mdgp", "--time-scale", 0.01, "--out", tmp_path, expect=0)
    with open(tmp_path / "mdgp.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["instance"] for row in rows} == set(instances(ROOT))
    assert all(row["feasible"] == "True" for row in rows)
    assert all(abs(float(row["gap_pct"])) < 50 for row in rows)
    assert "| all |" in result.stdout
    assert "cores" in (tmp_path / "mdgp.md").read_text(encoding="utf-8")


def test_bench_without_mdgp_data_exits_1(tmp_path):
    pytest.importorskip("numba", reason="without numba the bench stops before it looks for data")
    result = invoke("bench", "--suite", "mdgp", "--data", tmp_path, "--out", tmp_path, expect=1)
    assert "no MDGPLIB instances" in result.output
    assert not (tmp_path / "mdgp.csv").exists()
