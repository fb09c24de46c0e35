"""`peergroups bench` on the quick suite: the table's rows, columns and files (timings are
measured by the command, never asserted here)."""

import csv
import re

import pytest

from solver.research import BadRequest, bench
from tests.test_cli import invoke

COLUMNS = {"instance", "n", "method", "placed", "primary", "objective", "bound", "gap_pct"}
COLUMNS |= {"levels_proven", "first_plan_s", "best_s", "total_s", "peak_mib"}


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


def test_a_reference_run_of_part_of_a_suite_keeps_the_other_references(tmp_path):
    (tmp_path / "reference.csv").write_text(
        "instance,n,objective,placed,primary,total_s\ngen-500,500,1.0,2,3,4.0\n",
        encoding="utf-8",
    )
    invoke(
        "bench", "--suite", "quick", "--instances", "gen-150", "--reference", "--out", tmp_path,
        expect=0,
    )  # fmt: skip
    with open(tmp_path / "reference.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["instance"] for r in rows] == ["gen-150", "gen-500"]
    assert rows[1] == {
        "instance": "gen-500", "n": "500", "objective": "1.0", "placed": "2", "primary": "3",
        "total_s": "4.0",
    }  # fmt: skip
    assert 0 < int(rows[0]["placed"]) <= 150


@pytest.mark.parametrize(
    ("suite", "methods", "message"),
    [
        ("quick", ["heuristic", "magic"], "unknown method(s): magic"),
        ("vast", ["sweep"], "no suite vast"),
    ],
)
def test_a_request_no_run_can_serve_is_refused_before_any_run(tmp_path, suite, methods, message):
    with pytest.raises(BadRequest, match=re.escape(message)):
        bench.run_suite(suite, tmp_path / "out", methods)
    assert not (tmp_path / "out").exists()


def test_a_peergroups_row_says_how_many_levels_are_proven(tmp_path):
    bench.run_suite("quick", tmp_path, ["peergroups", "heuristic"], ["gen-150"])
    with open(tmp_path / "quick.csv", encoding="utf-8") as handle:
        rows = {r["method"]: r for r in csv.DictReader(handle)}
    # Placing, goal rank, spread and soft relations on gen-150; how many are proven within
    # the quick suite's 10 s depends on the budget, so only the form is held here.
    assert re.fullmatch(r"[0-4]/4", rows["peergroups"]["levels_proven"])
    assert rows["heuristic"]["levels_proven"] == ""
