"""The large-instance machinery: neighbourhood search, bounds, decomposition, baselines."""

import multiprocessing
import random
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from peergroups.generate import generate
from peergroups.model import Company, Problem
from solver import Scenario, solve
from solver.checks import check_groups
from solver.decompose import parts, pieces
from solver.feasibility import assess
from solver.interrupt import STOP
from solver.lns import NeighbourhoodSearch
from solver.objective import Objective
from solver.parallel import FirstPlanTask, Pool, SearchTask, Worker, _forkable
from solver.research.baselines import theme_sweep
from tests.instances import best_by_enumeration, random_problem


def test_neighbourhood_search_improves_a_poor_first_plan():
    problem = generate(220, 3)
    scenario = Scenario.default().with_solver(workers=1)
    rules = scenario.grouping_rules
    space = scenario.search_space(problem)
    themes_of = assess(space).themes
    # The coordinator's sweep is the poor start; keep only companies the pre-check allows.
    start = [
        (theme, members)
        for theme, members in theme_sweep(problem, rules, 15, 25.0)
        if all(theme in themes_of.get(cid, ()) for cid in members)
    ]
    objective = Objective(problem, rules)
    search = NeighbourhoodSearch(objective, space.narrowed(themes_of), start)

    complete = search.run(3.0, scenario.solver, time.perf_counter() + 120)

    before, after = (objective.key(objective.evaluate(plan)) for plan in (start, search.best))
    assert complete
    assert after > before
    assert after[0] > before[0]  # it places more companies, the first aim
    assert sorted(c for _, m in search.best for c in m) == sorted(
        set(c for _, m in search.best for c in m)
    )


@pytest.mark.parametrize("strategy", ["cpsat", "lns"])
def test_the_bound_is_never_below_a_known_optimum(strategy):
    # Tiny instances whose optimum is known by enumerating every plan.
    rng = random.Random(f"bound-{strategy}")
    for _ in range(12):
        instance = random_problem(rng, rng.randint(5, 8), themes=2)
        scenario = (
            Scenario.default()
            .with_rule("group_size", min_size=2, max_size=3)
            .with_solver(time_limit=2, workers=1, strategy=strategy)
        )
        objective = Objective(instance, scenario.grouping_rules)
        best = best_by_enumeration(instance, scenario.grouping_rules)
        optimum = sum(level.weight * k for level, k in zip(objective.levels, best, strict=True))

        result = solve(instance, scenario)

        assert result.objective <= optimum
        assert result.bound >= optimum


def test_independent_parts_are_found_and_solved_apart():
    # Swedish-only and Finnish-only companies can never share a group.
    def company(cid: str, language: str) -> Company:
        return Company(
            company_id=cid, name=cid, maturity=40, role="ceo", goals="erp", languages=language
        )

    problem = Problem(
        companies=tuple(company(f"S{i}", "sv") for i in range(5))
        + tuple(company(f"F{i}", "fi") for i in range(6))
    )
    scenario = Scenario.default().with_solver(time_limit=5, workers=1)
    space = scenario.search_space(problem)

    found = [part.themes_of for part in parts(space.narrowed(assess(space).themes))]
    result = solve(problem, scenario)

    assert [sorted(part) for part in found] == [
        [f"S{i}" for i in range(5)],
        [f"F{i}" for i in range(6)],
    ]
    assert result.status == "optimal" and result.stats["parts"] == 2
    assert {frozenset(g.members) for g in result.grouping.groups} == {
        frozenset(f"S{i}" for i in range(5)),
        frozenset(f"F{i}" for i in range(6)),
    }


def test_the_sweep_baseline_keeps_every_rule():
    problem = generate(300, 8)
    scenario = Scenario.default()

    groups = theme_sweep(problem, scenario.grouping_rules, 15, 25.0)

    assert groups
    assert check_groups(problem, groups, scenario.active_rules) == []


def test_pieces_cut_a_large_part_into_runs_of_at_most_the_size():
    problem = generate(300, 5)
    space = Scenario.default().search_space(problem)
    whole = max(parts(space), key=lambda part: len(part.themes_of))
    cut = pieces(whole, 40)
    assert len(cut) > 1
    assert all(len(piece.themes_of) <= 40 for piece in cut)
    assert sorted(cid for piece in cut for cid in piece.themes_of) == sorted(whole.themes_of)
    assert pieces(whole, len(whole.themes_of)) == [whole]


CUT = generate(60, 8)
"""Cut into pieces of at most 20 companies (`piece_companies`)."""


def cut_plan(**settings: Any) -> list[tuple[str, tuple[str, ...], str | None]]:
    """CUT's plan: its pieces searched (in worker processes, here or on Ray as `settings`
    say), each with its own work budget, which ends the search well before the wall clock
    (starting workers takes seconds); then across the seams."""
    scenario = Scenario.default().with_solver(
        time_limit=40, workers=1, piece_companies=20, **settings
    )
    result = solve(CUT, scenario)
    assert result.stats["parts"] < result.stats["pieces"]
    assert result.stats["reproducible"] == 1
    grouping = result.grouping
    placed = [cid for group in grouping.groups for cid in group.members]
    assert len(placed) == len(set(placed))
    assert sorted([*placed, *(u.company_id for u in grouping.unassigned)]) == sorted(CUT.by_id)
    chosen = [(group.theme, list(group.members)) for group in grouping.groups]
    assert not check_groups(CUT, chosen, scenario.grouping_rules)
    # The facilitators too: with worker processes, their flow is solved in one of them.
    assert any(group.facilitator_id for group in grouping.groups)
    return [(group.theme, group.members, group.facilitator_id) for group in grouping.groups]


@pytest.fixture(scope="module")
def plan_of_two_processes() -> list[tuple[str, tuple[str, ...], str | None]]:
    return cut_plan(processes=2)


def test_a_cut_problem_gives_the_same_plan_with_one_or_two_processes(plan_of_two_processes):
    assert cut_plan(processes=1) == plan_of_two_processes


def test_workers_are_spawned_while_another_thread_runs_and_plan_alike(plan_of_two_processes):
    # A forked child of a process with another thread could wait forever on a lock that
    # thread held: then the workers are spawned, and build the problem themselves.
    assert _forkable()
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    try:
        assert not _forkable()
        assert cut_plan(processes=2) == plan_of_two_processes
    finally:
        waiting.set()
        other.join()


def test_the_pre_check_gives_the_same_answer_theme_by_theme_in_worker_processes():
    problem, scenario = generate(1500, 3), Scenario.default()
    worker = Worker.of(problem, scenario)
    here = assess(worker.space)
    assert here.reasons  # some companies no group can hold, with their reasons
    pool = Pool(worker, 2, flows=False)
    with pool.running(problem, scenario):
        assert pool.elsewhere
        side_by_side = assess(worker.space, checked=pool.shortfalls)
    assert side_by_side == here


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[Any]:
    """A local Ray cluster, started once: `engine = "ray"` joins it as it would join the
    cluster of RAY_ADDRESS."""
    ray = pytest.importorskip("ray", reason="the ray extra is absent")
    ray.init(include_dashboard=False, log_to_driver=False, num_cpus=2)
    yield ray
    ray.shutdown()


def test_a_cut_problem_gives_the_same_plan_on_ray(plan_of_two_processes, ray_cluster):
    assert cut_plan(engine="ray") == plan_of_two_processes


def test_a_stop_request_ends_the_searches_on_ray(ray_cluster):
    # One piece with work for hours and a 300 s deadline: the stop request reaches its
    # search on the cluster, which ends with its best plan so far.
    problem = generate(300, 5)
    scenario = Scenario.default().with_solver(workers=1, strategy="lns", engine="ray")
    worker = Worker.of(problem, scenario)
    themes_of = assess(worker.space).themes
    pool = Pool(worker, 2, flows=False, engine="ray")
    try:
        with pool.running(problem, scenario):
            far = time.perf_counter() + 300
            (first,) = pool.first_plans([FirstPlanTask(themes_of, [], far)])
            threading.Timer(5, STOP.request).start()
            started = time.perf_counter()
            (searched,) = pool.searches(
                [SearchTask(themes_of, first, "lns", 1e9, 300, far)],
                lambda *_: None,
                lambda _: None,
                lambda _: pytest.fail("the search started, so it is not unsearched"),
            )
    finally:
        STOP.clear()
    assert time.perf_counter() - started < 120  # not the 300 s of its deadline
    assert not searched.complete
    objective = worker.objective
    assert objective.key(objective.evaluate(searched.best)) >= objective.key(
        objective.evaluate(first)
    )
    assert not check_groups(problem, searched.best, scenario.grouping_rules)


def test_every_worker_process_starts_before_the_first_task():
    # The executor spawns a process per task that finds none idle: a pool that started one
    # left the other to start (reading the whole problem) when the first plans were due.
    problem, scenario = generate(200, 1), Scenario.default()
    pool = Pool(Worker.of(problem, scenario), 2, flows=False)
    with pool.running(problem, scenario):
        waited = time.monotonic()
        while len(multiprocessing.active_children()) < 2 and time.monotonic() - waited < 60:
            time.sleep(0.1)

        assert len(multiprocessing.active_children()) == 2
