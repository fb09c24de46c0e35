"""Pieces of a large problem, searched side by side in worker processes.

Pieces share no group, so each is searched apart: its first plan (`first_plans`), then its
search within its own work budget (`searches`). Before them, the pre-check's themes are
checked side by side too (`shortfalls`): a witness group of one theme says nothing of
another. A piece's plan depends only on the piece and its budget, never on how many
processes run the pieces or in which order, so the `processes` setting changes the wall
time, not the plan. Each worker also prepares the groups of the plans it returns (their
share of the final check, `solver.groundwork`), and one solves the facilitators' flow at the
end. With one process, for a problem no larger than one piece, or inside a daemon process,
the pieces are searched here, in order.

Worker processes run on this machine (`engine = "local"`) or on a Ray cluster
(`engine = "ray"`, `solver.ray_engine`). Local workers are forked when that is safe and
spawned otherwise (`_forkable`), and stop their own search on SIGINT or SIGTERM (a
terminal's Ctrl-C reaches the whole process group) or when this process forwards its own
stop request (SIGTERM is sent to this process only).
"""

import atexit
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, Generic, Protocol, TypeVar

import numpy as np

from peergroups.model import Problem
from solver import feasibility, heuristics
from solver.facilitation import Flow
from solver.groundwork import Groundwork, Key, Prepared
from solver.interrupt import STOP
from solver.lexicographic import Progress
from solver.objective import ChosenGroup, Objective
from solver.scenario import Scenario, SolverSettings
from solver.search import Part, Searched, search
from solver.space import SearchSpace

T = TypeVar("T")


@dataclass(frozen=True)
class PrecheckTask:
    themes: tuple[str, ...]
    """The themes whose companies the pre-check tries to place (`feasibility.shortfalls`)."""
    deadline: float


@dataclass(frozen=True)
class FirstPlanTask:
    themes_of: dict[str, tuple[str, ...]]
    """The piece's companies that may be placed, with their themes."""
    start: list[ChosenGroup]
    """Groups that stay (the current groups of a repair that keep the rules)."""
    deadline: float


@dataclass(frozen=True)
class SearchTask:
    themes_of: dict[str, tuple[str, ...]]
    """The piece's companies (pinned ones included), with their themes."""
    first_plan: list[ChosenGroup]
    strategy: str
    work: float
    seconds: float
    """Wall-clock share of the piece, counted from when its search starts."""
    deadline: float
    """No piece searches past it."""


@dataclass(frozen=True)
class Answered(Generic[T]):
    """A worker's result (a first plan, a searched piece) with its new groups' share of the
    final check, worked out there (`solver.groundwork`): the process that checks the plan
    then need not, and a stopped run ends within moments."""

    value: T
    prepared: dict[Key, Prepared]


class Worker:
    """What a process needs to search pieces of one problem (and prepare their groups)."""

    def __init__(
        self,
        space: SearchSpace,
        objective: Objective,
        settings: SolverSettings,
        groundwork: Groundwork,
    ) -> None:
        self.space, self.objective, self.settings = space, objective, settings
        self.groundwork = groundwork

    @classmethod
    def of(cls, problem: Problem, scenario: Scenario) -> "Worker":
        objective = Objective(problem, scenario.grouping_rules, scenario.priorities)
        groundwork = Groundwork(problem, scenario)
        return cls(scenario.search_space(problem), objective, scenario.solver, groundwork)

    def shortfalls(self, task: PrecheckTask) -> feasibility.Shortfalls:
        return feasibility.shortfalls(self.space, task.themes, task.deadline)

    def first_plan(self, task: FirstPlanTask) -> list[ChosenGroup]:
        return heuristics.construct(self.space.narrowed(task.themes_of), task.deadline, task.start)

    def answered_first_plan(self, task: FirstPlanTask) -> "Answered[list[ChosenGroup]]":
        groups = self.first_plan(task)
        return Answered(groups, self.groundwork.answers(groups))

    def answered_search(self, task: SearchTask) -> "Answered[Searched]":
        """The search, with the groups it formed anew (the first plan's are known)."""
        result = self.search(task)
        known = {(theme, tuple(sorted(members))) for theme, members in task.first_plan}
        new = [group for group in result.best if (group[0], tuple(sorted(group[1]))) not in known]
        return Answered(result, self.groundwork.answers(new))

    def staffing_flow(self, flow: Flow) -> np.ndarray:
        return flow.solve()

    def search(
        self, task: SearchTask, on_progress: Callable[[Progress], None] | None = None
    ) -> Searched:
        deadline = min(task.deadline, time.perf_counter() + task.seconds)
        part = Part(self.space.narrowed(task.themes_of), task.first_plan)
        return search(
            part, self.objective, task.strategy, task.work, self.settings, deadline, on_progress
        )


_WORKER: Worker | None = None
"""This worker process's `Worker` (set once when the process starts)."""


def _start(given: "bytes | Worker", stop: Any) -> None:
    """A worker process starts: signals and the forwarded request stop its search. A forked
    worker has the caller's `Worker` already; a spawned one builds it from the pickled
    problem and scenario."""
    global _WORKER
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: STOP.request())

    def relay() -> None:
        stop.wait()
        STOP.request()

    threading.Thread(target=relay, daemon=True).start()
    _WORKER = given if isinstance(given, Worker) else Worker.of(*pickle.loads(given))
    # Its results sent, a worker ends without freeing the problem object by object (seconds
    # for 100,000 companies), which the pool's shutdown, and a stopped run, would wait for.
    atexit.register(os._exit, 0)


def _ready() -> None:
    """Nothing: submitted first, so that the workers start."""


def _call(method: str, task: Any) -> Any:
    assert _WORKER is not None
    return getattr(_WORKER, method)(task)


class Tasks(Protocol):
    """Where a run's tasks go (local worker processes, a Ray cluster): `submit` gives
    concurrent futures; a task that fails with `lost` lost its worker."""

    lost: tuple[type[BaseException], ...]

    def submit(self, method: str, task: Any) -> Future: ...


class _Processes:
    """A run's tasks in local worker processes; `submit` gives concurrent futures."""

    lost: tuple[type[BaseException], ...] = (BrokenProcessPool,)
    """A worker killed (not stopped): its piece keeps its first plan."""

    def __init__(self, executor: ProcessPoolExecutor) -> None:
        self.executor = executor

    def submit(self, method: str, task: Any) -> Future:
        return self.executor.submit(_call, method, task)


def _forkable() -> bool:
    """Whether worker processes may be forked: they then start at once, sharing the
    caller's problem and search space, where a spawned worker unpickles the problem and
    builds its own (16 s for 100,000 companies on the project machine). Only a process
    running no other Python thread is forked: another thread may hold a lock (of logging,
    say) that the child would wait on forever. CP-SAT's threads end with each solve."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


@contextmanager
def _local_processes(
    worker: Worker, problem: Problem, scenario: Scenario, processes: int
) -> Iterator[_Processes]:
    forked = _forkable()
    context = multiprocessing.get_context("fork" if forked else "spawn")
    stop = context.Event()
    # A forked worker inherits the caller's `Worker`; a spawned one gets the problem pickled
    # once for all workers. The executor starts a process for each task that finds none
    # idle (when forking, all of them at the first task): one `_ready` per process starts
    # them all now, not when the tasks come; spawned ones in the background, so that the
    # caller's work goes on meanwhile.
    given = worker if forked else pickle.dumps((problem, scenario))
    others = set(multiprocessing.active_children())
    executor = ProcessPoolExecutor(processes, context, initializer=_start, initargs=(given, stop))

    def start_all() -> None:
        for _ in range(processes):
            executor.submit(_ready)

    if forked:
        start_all()
    else:
        threading.Thread(target=start_all, daemon=True).start()
    try:
        with STOP.forwarded(stop.set):
            yield _Processes(executor)
    finally:
        if STOP.requested:
            # Every result wanted is in: a worker still starting (reading the problem,
            # building its search space: seconds for 100,000 companies, deaf to the stop)
            # is ended rather than waited for.
            executor.shutdown(wait=False, cancel_futures=True)
            started = set(multiprocessing.active_children()) - others
            for process in started:  # all at once: each takes a moment to end
                process.kill()
            for process in started:
                process.join()
        else:
            executor.shutdown(wait=True, cancel_futures=True)


class Pool:
    """Runs tasks of one problem in worker processes or on a Ray cluster (`engine`), or
    here when `processes` is 1. The groups the workers prepared go to `learn`."""

    def __init__(
        self,
        worker: Worker,
        processes: int,
        flows: bool,
        engine: str = "local",
        learn: Callable[[dict[Key, Prepared]], None] | None = None,
    ) -> None:
        self.worker, self.processes, self.flows, self.engine = worker, processes, flows, engine
        self.learn = learn
        self._tasks: Tasks | None = None

    @contextmanager
    def running(self, problem: Problem, scenario: Scenario) -> Iterator["Pool"]:
        if self.engine == "ray":
            from solver.ray_engine import tasks_on_ray  # the optional extra, only when asked

            elsewhere = tasks_on_ray(problem, scenario)
        elif self.processes == 1 or multiprocessing.current_process().daemon:
            yield self  # a daemon process (a pool's worker) may not start processes
            return
        else:
            elsewhere = _local_processes(self.worker, problem, scenario, self.processes)
        with elsewhere as self._tasks:
            try:
                yield self
            finally:
                self._tasks = None

    def flow(self, flow: Flow) -> Callable[[], np.ndarray]:
        """The arcs the facilitators' flow takes, when asked: solved meanwhile in a local
        worker process, as OR-Tools holds the GIL while it solves (a second for 100,000
        companies); here, when asked, without local workers or if the worker died. (Not
        sent to a Ray cluster: its arrays are about 13 MB at that size.)"""
        if not isinstance(self._tasks, _Processes):
            return flow.solve
        solving, lost = self._tasks.submit("staffing_flow", flow), self._tasks.lost

        def taken() -> np.ndarray:
            try:
                return solving.result()
            except lost:
                return flow.solve()

        return taken

    @property
    def elsewhere(self) -> bool:
        """The tasks run in worker processes."""
        return self._tasks is not None

    def shortfalls(
        self, batches: list[tuple[str, ...]], deadline: float
    ) -> list[feasibility.Shortfalls]:
        """The pre-check's findings for each batch of themes. A batch whose worker died,
        or that a stop request left unstarted, finds nothing: its companies count as
        placeable unchecked, as those the deadline leaves."""
        tasks = [PrecheckTask(themes, deadline) for themes in batches]
        if self._tasks is None:
            return [self.worker.shortfalls(task) for task in tasks]
        return self._gather("shortfalls", tasks, lambda _: {})

    def first_plans(self, tasks: Sequence[FirstPlanTask]) -> list[list[ChosenGroup]]:
        """Each task's first plan; a piece whose worker died has none (empty)."""
        if self._tasks is None:
            return [self.worker.first_plan(task) for task in tasks]
        return self._gather("answered_first_plan", tasks, lambda _: [])

    def searches(
        self,
        tasks: Sequence[SearchTask],
        on_done: Callable[[int, Searched], None],
        reporter: Callable[[int], Callable[[Progress], None] | None],
        unsearched: Callable[[int], Searched],
    ) -> list[Searched]:
        """Each task's search, in task order; `on_done` hears of each as it ends. A piece
        whose worker died, or that a stop request left unstarted, is `unsearched(number)`."""
        if self._tasks is None:
            return self._in_turn(tasks, on_done, reporter)
        return self._gather("answered_search", tasks, unsearched, on_done)

    def _in_turn(
        self,
        tasks: Sequence[SearchTask],
        on_done: Callable[[int, Searched], None],
        reporter: Callable[[int], Callable[[Progress], None] | None],
    ) -> list[Searched]:
        """The tasks here, one after the other. When the pieces were not meant to run side
        by side (`flows`), what a piece leaves of its work and time flows on to the next."""
        results: list[Searched] = []
        work_left = sum(task.work for task in tasks)
        for number, task in enumerate(tasks):
            if self.flows:
                share = len(task.themes_of) / sum(len(t.themes_of) for t in tasks[number:])
                seconds = (task.deadline - time.perf_counter()) * share
                task = replace(task, work=work_left * share, seconds=seconds)
            results.append(self.worker.search(task, reporter(number)))
            work_left -= results[-1].work
            on_done(number, results[-1])
        return results

    def _gather(
        self,
        method: str,
        tasks: Sequence[Any],
        fallback: Callable[[int], T],
        on_done: Callable[[int, T], None] | None = None,
    ) -> list[T]:
        """Results in task order (the groups a worker prepared with one go to `learn`).
        Waits in short steps so that this process's signal handlers run while the workers
        search."""
        assert self._tasks is not None
        futures: dict[Future[T], int] = {
            self._tasks.submit(method, task): n for n, task in enumerate(tasks)
        }
        results: dict[int, T] = {}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
            if STOP.requested:  # pieces not started yet keep their fallback (a first plan)
                cancelled = {future for future in pending if future.cancel()}
                for future in sorted(cancelled, key=futures.__getitem__):
                    number = futures[future]
                    results[number] = fallback(number)
                    if on_done is not None:
                        on_done(number, results[number])
                pending -= cancelled
            for future in sorted(done, key=futures.__getitem__):
                number = futures[future]
                try:
                    result = future.result()
                except self._tasks.lost:  # its worker died: the piece is lost
                    result = fallback(number)
                if isinstance(result, Answered):
                    if self.learn is not None:
                        self.learn(result.prepared)
                    result = result.value
                results[number] = result
                if on_done is not None:
                    on_done(number, results[number])
        return [results[number] for number in range(len(tasks))]
