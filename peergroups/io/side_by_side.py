"""Independent jobs side by side in forked processes.

A plan's files are written by plain Python, which threads would only take turns at (the
GIL): at 100,000 companies assignments.csv, groups.csv and the report take about half a
second each, and a stopped run has three seconds in all. Forked, each job starts at once with
the plan in hand, and the files are written on every core.
"""

import os
import pickle
import threading
from collections.abc import Callable


def side_by_side(*jobs: Callable[[], None]) -> None:
    """Run the jobs: the first here and each other in a forked child process, when forking
    is safe; otherwise one after the other here. After all have ended, the first job's
    error, or else a child's (it travels pickled), is raised here."""
    if len(jobs) < 2 or not _forkable():
        for job in jobs:
            job()
        return
    children = [_forked(job) for job in jobs[1:]]
    error: BaseException | None = None
    try:
        jobs[0]()
    except BaseException as raised:
        error = raised
    for child in children:
        failure = _ended(*child)
        error = error or failure
    if error is not None:
        raise error


def _forkable() -> bool:
    """Only a process running no other thread is forked: another thread may hold a lock (of
    logging, say) that the child would wait on forever."""
    return hasattr(os, "fork") and threading.active_count() == 1


def _forked(job: Callable[[], None]) -> tuple[int, int]:
    """The job running in a child process: its process id, and a pipe that carries its
    error if it fails. The child leaves by `os._exit`, running nothing of this process's
    (no exit handlers, no buffers flushed twice)."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid:
        os.close(writer)
        return pid, reader
    code = 0
    try:
        os.close(reader)
        job()
    except BaseException as raised:
        code = 1
        try:
            told = pickle.dumps(raised)
        except Exception:  # an error that does not pickle is told in words
            told = pickle.dumps(RuntimeError(f"{type(raised).__name__}: {raised}"))
        with os.fdopen(writer, "wb") as pipe:
            pipe.write(told)
    finally:
        os._exit(code)


def _ended(pid: int, reader: int) -> BaseException | None:
    """Wait for a child: its error, if it failed."""
    with os.fdopen(reader, "rb") as pipe:
        told = pipe.read()
    _, status = os.waitpid(pid, 0)
    if told:
        return pickle.loads(told)
    if status != 0:  # killed, or out of memory: the system refused, as with a full disk
        return OSError(f"a writing process ended with status {os.waitstatus_to_exitcode(status)}")
    return None
