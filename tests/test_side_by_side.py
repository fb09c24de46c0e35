"""Jobs side by side in forked processes (`peergroups.io.side_by_side`), as the plan's files
are written: each job runs once, a child's error comes back whole, and a process with
another thread runs them one after the other."""

import errno
import os
import threading

import pytest

from peergroups.io.side_by_side import side_by_side


def _noting(path, text):
    def job():
        path.write_text(f"{text} {os.getpid()}")

    return job


def _pids(tmp_path, names):
    return [int((tmp_path / name).read_text().split()[1]) for name in names]


def test_each_job_runs_once_the_others_in_child_processes(tmp_path):
    names = ["a", "b", "c"]
    side_by_side(*(_noting(tmp_path / name, name) for name in names))
    assert [(tmp_path / n).read_text().split()[0] for n in names] == names
    here, *children = _pids(tmp_path, names)
    assert here == os.getpid() and len({here, *children}) == 3


def test_a_childs_error_is_raised_here_after_every_job_ended(tmp_path):
    def full_disk():
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "groups.csv"))

    with pytest.raises(OSError) as raised:
        side_by_side(_noting(tmp_path / "a", "a"), full_disk, _noting(tmp_path / "c", "c"))
    assert raised.value.errno == errno.ENOSPC and raised.value.filename.endswith("groups.csv")
    assert (tmp_path / "a").exists() and (tmp_path / "c").exists()


def test_an_error_that_does_not_pickle_is_told_in_words(tmp_path):
    class Odd(Exception):
        def __reduce__(self):
            raise TypeError("no")

    def odd():
        raise Odd("the reason")

    with pytest.raises(RuntimeError, match="Odd: the reason"):
        side_by_side(_noting(tmp_path / "a", "a"), odd)


def test_with_another_thread_alive_the_jobs_run_here_in_turn(tmp_path):
    waiting = threading.Event()
    other = threading.Thread(target=waiting.wait)
    other.start()
    try:
        side_by_side(_noting(tmp_path / "a", "a"), _noting(tmp_path / "b", "b"))
    finally:
        waiting.set()
        other.join()
    assert _pids(tmp_path, ["a", "b"]) == [os.getpid(), os.getpid()]


def test_a_child_that_dies_without_a_word_is_a_refusal_of_the_system(tmp_path):
    def killed():
        os._exit(9)

    with pytest.raises(OSError, match="ended with status 9"):
        side_by_side(_noting(tmp_path / "a", "a"), killed)
    assert (tmp_path / "a").exists()
