"""Sweeps: every combination run once, the same rows locally and on Ray, a tidy CSV and a plot.

Instances are generated small (30 companies) so that each run is proven optimal in well under
its time limit, which makes rows comparable across engines and process counts.
"""

import csv
from pathlib import Path

import pytest

import cli
from peergroups.generate import generate
from solver import Scenario
from solver.research import BadRequest, parse_seeds, sweep
from tests.test_cli import invoke

SCENARIOS = Path(__file__).parents[2] / "datasets" / "scenarios"
PRESETS = [SCENARIOS / f"{name}.toml" for name in ("default", "strict", "relaxed")]


def tiny_instances(count: int = 2) -> dict:
    return {f"gen{seed}": generate(30, seed=seed) for seed in range(1, count + 1)}


def comparable(row: dict) -> dict:
    """A row without its wall time, the one measure that differs between runs."""
    return {key: value for key, value in row.items() if key != "time_s"}


def test_seeds_are_a_range_or_a_list():
    assert parse_seeds("1-3") == [1, 2, 3]
    assert parse_seeds("1,3,7") == [1, 3, 7]
    with pytest.raises(BadRequest, match="seed range"):
        parse_seeds("1-x")


def test_jobs_cover_every_combination_in_order():
    scenarios = {"a": Scenario.default(), "b": Scenario.load(PRESETS[1])}
    todo = sweep.jobs(scenarios, tiny_instances(), [3, 4], time_limit=7, workers_per_run=1)
    assert [(j.scenario, j.instance, j.seed) for j in todo] == [
        (s, i, seed) for s in ("a", "b") for i in ("gen1", "gen2") for seed in (3, 4)
    ]
    assert all(j.settings.solver.seed == j.seed for j in todo)
    assert {(j.settings.solver.time_limit, j.settings.solver.workers) for j in todo} == {(7, 1)}


def test_parallel_rows_equal_sequential_rows():
    todo = sweep.jobs({"default": Scenario.default()}, tiny_instances(), [1, 2], 10, 1)
    sequential = [sweep.run_job(job) for job in todo]
    parallel = sweep.run_all(todo, processes=2)
    assert [comparable(r) for r in parallel] == [comparable(r) for r in sequential]
    assert all(r["status"] == "optimal" for r in sequential), sequential
    assert all(r["placed"] > 0 and "term_placed" in r for r in sequential)


def test_ray_engine_gives_the_local_rows():
    pytest.importorskip("ray", reason="the ray extra is absent")
    todo = sweep.jobs({"default": Scenario.default()}, tiny_instances(1), [1, 2], 10, 1)
    local = sweep.run_all(todo, processes=1)
    on_ray = sweep.run_all(todo, engine="ray")
    assert [comparable(r) for r in on_ray] == [comparable(r) for r in local]


def test_sweep_command_writes_results_and_plot(tmp_path):
    instances = tmp_path / "instances"
    for seed in (1, 2):
        invoke("generate", 30, "--seed", seed, "--out", instances / f"gen{seed}", expect=0)
    out = tmp_path / "sweep"
    result = invoke(
        "sweep", "--scenarios", *PRESETS, "--instances", instances, "--seeds", "1-2",
        "--time-limit", 5, "--processes", 2, "--out", out, expect=0,
    )  # fmt: skip
    with open(out / "results.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 3 * 2 * 2
    assert {(r["scenario"], r["instance"], r["seed"]) for r in rows} == {
        (s, i, str(seed))
        for s in ("default", "strict", "relaxed")
        for i in ("gen1", "gen2")
        for seed in (1, 2)
    }
    for column in ("placed", "objective", "gap", "time_s", "term_placed"):
        assert all(r[column] != "" for r in rows), column
    assert (out / "comparison.png").read_bytes().startswith(b"\x89PNG")
    assert b"<svg" in (out / "comparison.svg").read_bytes()
    # The summary table has one line per scenario and instance, with the measures the README
    # promises: mean placed, objective, gap and time.
    lines = result.stdout.splitlines()
    assert sum(line.startswith("| ") for line in lines) == 1 + 1 + 3 * 2
    header = [cell.strip() for cell in lines[0].strip("| ").split("|")]
    assert {"placed", "objective", "gap_pct", "time_s"} <= set(header), header


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--seeds", "x"), "seed range"),
        (("--engine", "spark"), "spark"),
    ],
)
def test_sweep_usage_errors_exit_2(tmp_path, arguments, message):
    invoke("generate", 10, "--seed", 1, "--out", tmp_path / "one", expect=0)
    result = invoke(
        "sweep", "--scenarios", PRESETS[0], "--instances", tmp_path, *arguments,
        "--out", tmp_path / "out", expect=2,
    )  # fmt: skip
    assert message in result.output
    assert not (tmp_path / "out").exists()


def test_sweep_without_instances_is_a_usage_error(tmp_path):
    result = invoke(
        "sweep", "--scenarios", PRESETS[0], "--instances", tmp_path, expect=2, command=cli.main
    )
    assert "companies.csv" in result.output


def test_sweep_refuses_an_instance_above_the_size_limit_before_any_run(tmp_path):
    invoke("generate", 10, "--seed", 1, "--out", tmp_path / "one", expect=0)
    small = tmp_path / "small.toml"
    small.write_text("[solver]\nmax_companies = 9\n", encoding="utf-8")
    result = invoke(
        "sweep", "--scenarios", PRESETS[0], small, "--instances", tmp_path,
        "--out", tmp_path / "out", expect=1,
    )  # fmt: skip
    assert "10 companies is more than one run handles (9" in result.output
    assert not (tmp_path / "out").exists()
