"""Pieces of a large problem searched on a Ray cluster (`engine = "ray"`, the optional `ray`
extra): the tasks the local worker processes run, sent to the cluster that `ray.init()`
joins (RAY_ADDRESS) or to a local one it starts.

A piece's plan depends only on the piece and its work budget, so the cluster gives the plan
the local processes give. The problem goes to the object store once; a Ray worker builds
its `Worker` when the first task of a run reaches it and keeps it for the run's other
tasks. A stop request here reaches the searches through a small actor they poll.
"""

import pickle
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import replace
from types import ModuleType
from typing import Any

from peergroups.model import Problem
from solver.extras import needs
from solver.interrupt import STOP
from solver.parallel import Worker
from solver.scenario import Scenario

POLL_SECONDS = 0.2
"""How often a search on the cluster asks whether this run was asked to stop."""


@contextmanager
def session(purpose: str) -> Iterator[ModuleType]:
    """Ray, connected: to the running cluster of RAY_ADDRESS, to the one this process
    already joined, or to a local cluster started (and shut down) here."""
    ray = needs("ray", "ray", purpose)
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(include_dashboard=False, log_to_driver=False)
    try:
        yield ray
    finally:
        if started_here:
            ray.shutdown()


class _StopFlag:
    """Set once when the run is asked to stop; the searches poll it."""

    def __init__(self) -> None:
        self.set_ = False

    def set(self) -> None:
        self.set_ = True

    def is_set(self) -> bool:
        return self.set_


_WORKERS: dict[str, Worker] = {}
"""This Ray worker's `Worker` for the run it last served, by the run's token."""


def _call(token: str, given: bytes, stop: Any, method: str, task: Any) -> Any:
    """One task of a run on a Ray worker: its `Worker` (built once per run), the method
    called while a thread turns the run's stop flag into a stop request here."""
    import ray

    if token not in _WORKERS:
        _WORKERS.clear()
        _WORKERS[token] = Worker.of(*pickle.loads(given))
    task = replace(task, deadline=time.perf_counter() + task.deadline - time.time())
    STOP.clear()  # Ray reuses worker processes: a request of an earlier run does not count
    if ray.get(stop.is_set.remote()):  # started after the run was stopped: answer at once
        STOP.request()
    done = threading.Event()

    def relay() -> None:
        while not done.wait(POLL_SECONDS):
            if ray.get(stop.is_set.remote()):
                STOP.request()
                return

    threading.Thread(target=relay, daemon=True).start()
    try:
        return getattr(_WORKERS[token], method)(task)
    finally:
        done.set()


class RayTasks:
    """Submits one run's tasks to the cluster; `submit` gives concurrent futures, as a
    process pool does."""

    def __init__(self, ray: ModuleType, problem: Problem, scenario: Scenario) -> None:
        self.ray = ray
        self.given = ray.put(pickle.dumps((problem, scenario)))
        self.token = self.given.hex()
        self.stop = ray.remote(_StopFlag).remote()
        self.remote = ray.remote(_call)
        self.lost: tuple[type[BaseException], ...] = (
            ray.exceptions.WorkerCrashedError,
            ray.exceptions.NodeDiedError,
            ray.exceptions.ObjectLostError,
        )
        """A task lost with its worker or node: its piece keeps its first plan."""
        self._pending: list[Any] = []

    def submit(self, method: str, task: Any) -> Future:
        """The task's deadline travels as clock time: a `perf_counter` value means nothing on
        another machine. Its future counts as running from now: a task sent to the cluster
        cannot be taken back, and a stopped run waits for its best plan so far (a task that
        starts after the stop answers at once)."""
        task = replace(task, deadline=time.time() + task.deadline - time.perf_counter())
        ref = self.remote.remote(self.token, self.given, self.stop, method, task)
        self._pending.append(ref)
        future = ref.future()
        future.set_running_or_notify_cancel()
        return future

    def request_stop(self) -> None:
        self.stop.set.remote()

    def close(self) -> None:
        """Cancels what is still running (only after an error here) and frees the flag."""
        for ref in self._pending:
            self.ray.cancel(ref)
        self.ray.kill(self.stop)


@contextmanager
def tasks_on_ray(problem: Problem, scenario: Scenario) -> Iterator[RayTasks]:
    """A run's tasks on Ray, with this process's stop request forwarded to them."""
    with session("form-groups --engine ray") as ray:
        tasks = RayTasks(ray, problem, scenario)
        try:
            with STOP.forwarded(tasks.request_stop):
                yield tasks
        finally:
            tasks.close()
