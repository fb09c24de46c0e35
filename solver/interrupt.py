"""Stopping a search on request: Ctrl-C (SIGINT) or SIGTERM ends the search within moments
and leaves the best plan found so far, which the caller writes with `status: interrupted`.

One process-wide request, as signals are process-wide: every CP-SAT search registers its
solver while it runs (`solving`), and the search loops check `requested` between steps.
CP-SAT runs in a helper thread so that the main thread, where Python runs signal handlers,
stays free to receive the signal and stop it.
"""

import gc
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from ortools.sat.python import cp_model

T = TypeVar("T")


class StopRequest:
    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._solvers: set[cp_model.CpSolver] = set()
        self._forwards: list[Callable[[], None]] = []

    @property
    def requested(self) -> bool:
        return self._event.is_set()

    def request(self) -> None:
        self._event.set()
        with self._lock:
            for solver in self._solvers:
                solver.stop_search()
            forwards = list(self._forwards)
        for forward in forwards:
            forward()

    @contextmanager
    def forwarded(self, forward: Callable[[], None]) -> Iterator[None]:
        """While the block runs, a request also calls `forward` (which passes it on to the
        worker processes searching for this one); at once if it was requested already."""
        with self._lock:
            self._forwards.append(forward)
        try:
            if self.requested:
                forward()
            yield
        finally:
            with self._lock:
                self._forwards.remove(forward)

    def clear(self) -> None:
        self._event.clear()

    def solve(self, solver: cp_model.CpSolver, call: Callable[[], T]) -> T:
        """Run `call` (a solve of `solver`) in a helper thread that a request can stop."""
        with self._lock:
            self._solvers.add(solver)
        outcome: dict[str, T | BaseException] = {}

        def target() -> None:
            try:
                outcome["value"] = call()
            except BaseException as error:  # handed back to the caller's thread
                outcome["error"] = error

        worker = threading.Thread(target=target, daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.1)
        finally:
            with self._lock:
                self._solvers.discard(solver)
        if "error" in outcome:
            raise outcome["error"]  # type: ignore[misc]
        return outcome["value"]  # type: ignore[return-value]


STOP = StopRequest()


@contextmanager
def stop_on_signals() -> Iterator[StopRequest]:
    """While the block runs, SIGINT and SIGTERM request a stop instead of killing. A stopped
    run has seconds left to write its plan: the cycle collector pauses until the block ends
    (its passes over the objects of 100,000 companies took one of those seconds)."""
    STOP.clear()
    collecting = gc.isenabled()

    def stop(*_: object) -> None:
        gc.disable()
        STOP.request()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield STOP
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if collecting:
            gc.enable()
