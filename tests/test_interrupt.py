"""Ctrl-C (SIGINT) and SIGTERM during solving: the best plan so far is written, marked
`interrupted`, with every company in it, and the command exits 130 within moments."""

import csv
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from peergroups.generate import generate, write_problem
from peergroups.model import Pin
from solver.interrupt import STOP
from solver.parallel import Worker
from solver.pipeline import NoPlanInTime, solve
from solver.scenario import Scenario

STOPPED_WITHIN = 10.0
"""Seconds from the signal to the exit: stopping CP-SAT, checking and writing the plan."""


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("instance")
    write_problem(generate(400, 11), directory)
    return directory


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_while_solving_writes_the_best_plan_and_exits_130(instance, tmp_path, sig):
    out = tmp_path / "plan"
    command = [
        sys.executable,
        "-c",
        "import cli; cli.form_groups_command()",
        str(instance / "companies.csv"),
        "--relations",
        str(instance / "relations.csv"),
        "--out",
        str(out),
        "--time-limit",
        "300",
        "--workers",
        "2",
    ]
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent
    )
    assert process.stderr is not None
    for line in process.stderr:  # wait until the search is under way
        if line.startswith("Solving"):
            break
    time.sleep(3)
    process.send_signal(sig)
    signalled = time.monotonic()
    rest = process.communicate(timeout=60)[1]

    assert process.returncode == 130, rest
    assert time.monotonic() - signalled < STOPPED_WITHIN
    assert "Interrupted" in rest and "Traceback" not in rest
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "interrupted"
    with (out / "assignments.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert sorted(row["company_id"] for row in rows) == sorted(
        c.company_id for c in generate(400, 11).companies
    )
    assert summary["placed"] == sum(1 for row in rows if row["group_id"])


def test_sigterm_reaches_the_worker_processes_of_a_cut_problem(instance, tmp_path):
    # Pieces of at most 100 companies, searched in two worker processes: SIGTERM goes to
    # this process only, which passes the stop on and writes the pieces' best plans.
    scenario = tmp_path / "pieces.toml"
    scenario.write_text("[solver]\npiece_companies = 100\n", encoding="utf-8")
    out = tmp_path / "plan"
    command = [
        sys.executable,
        "-c",
        "import cli; cli.form_groups_command()",
        str(instance / "companies.csv"),
        "--scenario",
        str(scenario),
        "--out",
        str(out),
        "--time-limit",
        "300",
    ]
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent
    )
    assert process.stderr is not None
    for line in process.stderr:  # the first plan is there: the pieces are being searched
        if "placed" in line:
            break
    time.sleep(2)
    process.send_signal(signal.SIGTERM)
    signalled = time.monotonic()
    rest = process.communicate(timeout=60)[1]

    assert process.returncode == 130, rest
    assert time.monotonic() - signalled < STOPPED_WITHIN
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["status"] == "interrupted"
    assert summary["placed"] > 0
    with (out / "assignments.csv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle))) == 400


def test_a_stop_before_the_first_plan_writes_everyone_unassigned_and_proves_nothing():
    # Stopped during the pre-check: no split into parts, no first plan, no search; the plan
    # places nobody, gives every company a reason, and claims no level.
    problem = generate(300, 4)
    STOP.request()
    try:
        result = solve(problem, Scenario.default())
    finally:
        STOP.clear()

    assert result.status == "interrupted" and result.placed == 0
    assert result.grouping.accounting_errors(problem) == []
    assert {u.reason for u in result.grouping.unassigned} >= {
        "not placed when the search was interrupted"
    }
    assert not any(level.proven for level in result.levels)
    assert result.levels[0].bound is not None and result.levels[0].bound > 0
    assert all(level.bound is None for level in result.levels[1:])
    assert "pieces" not in result.stats


def test_a_pinned_run_stopped_as_its_search_starts_never_writes_a_plan_breaking_a_pin(
    monkeypatch,
):
    # The first plan does not know pins: a search that never ran has not kept them, so the
    # run says no plan keeping the pins was found in time; it never fails its final check.
    problem = generate(60, 7)
    a, b = next(
        (a, b)
        for a in problem.companies
        for b in problem.companies
        if a.goals[0] != b.goals[0] and a.goals[0] in b.goals[1:]
    )
    pinned = problem.model_copy(
        update={"pins": (Pin(kind="together", company_id=a.company_id, partner=b.company_id),)}
    )
    search = Worker.search

    def stopped_first(self, *args, **kwargs):
        STOP.request()
        return search(self, *args, **kwargs)

    monkeypatch.setattr(Worker, "search", stopped_first)
    try:
        with pytest.raises(NoPlanInTime):
            solve(pinned, Scenario.default())
    finally:
        STOP.clear()
