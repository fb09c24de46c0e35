"""Replacing an output directory whole, so that nothing is lost at the edges.

A command writes its directory (a plan, a generated instance) into a staging directory beside
the target, then swaps it in. The promises:

- The target is the earlier output or the new one at every instant, never missing and never
  half written: the swap is one `renameat2(RENAME_EXCHANGE)` where the kernel and the file
  system offer it; elsewhere each file is replaced by its own `os.replace`, so every file of
  the target is always there, old or new, until the new set is complete.
- Only the tool's own outputs are replaced: a directory is recognised by the manifest the tool
  writes into it (`manifest.json`: who made it, what kind it is, which files are its own),
  never by file names. A directory holding anything else is refused.
- One writer at a time: the staging and the swap run under an exclusive lock on the parent
  directory, so concurrent runs into one `--out` wait for each other and each leaves a
  complete directory. Staging directories of killed runs are removed by the next writer.
- SIGINT and SIGTERM that arrive while the directory is written are held back until it is
  complete and swapped in, then delivered: the command ends with the new output whole.
"""

import ctypes
import ctypes.util
import errno
import fcntl
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

MARKER = "manifest.json"
"""The file that marks a directory as the tool's own output."""
MADE_BY = "peergroups"
STAGING = ".peergroups-staging-"
"""Part of every staging directory's name (`.plan.peergroups-staging-x1y2/`)."""


class OutputDirectoryInUse(Exception):
    """The output directory holds files that are not the tool's output; we never overwrite
    those."""


def read_marker(directory: Path) -> dict[str, Any] | None:
    """The manifest of a directory the tool wrote, or None when it has none (or a broken one)."""
    path = Path(directory) / MARKER
    try:
        if not path.is_file() or path.stat().st_size > 1 << 20:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("made_by") != MADE_BY:
        return None
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return data


def write_marker(directory: Path, kind: str) -> None:
    """Mark `directory` as the tool's output of `kind`, listing the entries it holds now."""
    files = sorted(p.name for p in Path(directory).iterdir() if p.name != MARKER)
    text = json.dumps({"made_by": MADE_BY, "kind": kind, "files": files}, indent=2)
    (Path(directory) / MARKER).write_text(text + "\n", encoding="utf-8")


def ensure_output_directory(target: Path, kind: str = "plan") -> Path:
    """`target` as an absolute path if it is new, empty, or the tool's own output of `kind`
    holding nothing else; otherwise OutputDirectoryInUse, before any work is done."""
    target = Path(os.path.abspath(target))
    if target.is_symlink():
        raise OutputDirectoryInUse(
            f"{target}: it is a symbolic link; give the directory it points to"
        )
    if target.exists() and not target.is_dir():
        raise OutputDirectoryInUse(f"{target}: it is a file; choose a new or empty directory")
    if not target.exists():
        return target
    try:
        names = sorted(p.name for p in target.iterdir())
    except OSError as error:
        raise OutputDirectoryInUse(f"{target}: cannot list it ({error.strerror})") from None
    if not names:
        return target
    marker = read_marker(target)
    if marker is None:
        raise OutputDirectoryInUse(
            f"{target} holds files that are not a {kind} made by peergroups "
            f"({', '.join(names[:3])}); choose a new or empty directory"
        )
    if marker.get("kind") != kind:
        raise OutputDirectoryInUse(
            f"{target} holds another kind of peergroups output ({marker.get('kind')}, "
            f"not {kind}); choose another directory"
        )
    foreign = [name for name in names if name not in {MARKER, *marker["files"]}]
    if foreign:
        raise OutputDirectoryInUse(
            f"{target} holds files that are not part of the {kind} ({', '.join(foreign[:3])}); "
            "move them away or choose a new or empty directory"
        )
    return target


@contextmanager
def output_directory(target: Path, kind: str = "plan") -> Iterator[Path]:
    """A staging directory beside `target` that replaces it, marked as `kind`, when the block
    succeeds; on an error (or an interrupt before the block ends) the earlier output stays."""
    target = ensure_output_directory(target, kind)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent), deferred_signals():
        remove_stale_staging(target)
        target = ensure_output_directory(target, kind)  # again, now that we hold the lock
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}{STAGING}", dir=target.parent))
        try:
            staging.chmod(0o777 & ~_umask())  # as mkdir would make it, not mkdtemp's 0700
            yield staging
            write_marker(staging, kind)
            swap(staging, target)
        finally:
            # After an exchange the staging path holds the earlier output; after a plain
            # rename it is gone; after an error it holds the half-written one.
            shutil.rmtree(staging, ignore_errors=True)


def remove_stale_staging(target: Path) -> list[Path]:
    """Remove the staging directories that killed runs left beside `target` (call it under
    the lock: then no live run has one)."""
    removed = []
    for path in target.parent.glob(f".{target.name}{STAGING}*"):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


def swap(staging: Path, target: Path) -> None:
    """Put `staging` in the place of `target`: an atomic rename when there is no target, an
    atomic exchange where available, else file by file (each file always present)."""
    if not target.exists():
        os.rename(staging, target)
    elif not exchange(staging, target):
        _replace_each(staging, target)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 with RENAME_EXCHANGE); False when the
    system or the file system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange):
        code = ctypes.get_errno()
        if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM):
            return False
        raise OSError(code, os.strerror(code), str(second))
    return True


def _renameat2() -> Any:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError, TypeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _replace_each(source: Path, target: Path) -> None:
    """Move every entry of `source` over `target`'s (files by os.replace), then remove what
    the new output no longer has; the marker goes last, when the set is complete."""
    names = sorted(p.name for p in source.iterdir())
    for name in sorted(names, key=lambda n: n == MARKER):
        new, old = source / name, target / name
        if new.is_dir() and old.is_dir() and not old.is_symlink():
            _replace_each(new, old)
        else:
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            os.replace(new, old)
    for old in target.iterdir():
        if old.name not in names:
            if old.is_dir() and not old.is_symlink():
                shutil.rmtree(old)
            else:
                old.unlink()


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """An exclusive lock on `directory` (flock on its descriptor): waits for another writer.
    A signal while waiting interrupts the wait (nothing is written yet)."""
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # releases the lock


@contextmanager
def deferred_signals(deliver: bool = True) -> Iterator[list[int]]:
    """Hold SIGINT and SIGTERM back while the block runs (in the main thread; elsewhere a
    no-op). The block gets the list of those that arrive; when it ends, the first is delivered
    to the handler in force before, unless `deliver` is False (the caller acts on the list)."""
    arrived: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield arrived
        return
    watched = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda n, _: arrived.append(n)) for sig in watched}
    try:
        yield arrived
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if arrived and deliver:
            signal.raise_signal(arrived[0])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def output_file(target: Path, is_ours: Any = None) -> Iterator[Path]:
    """A temporary file beside `target` that replaces it (os.replace) when the block succeeds.
    An existing target is replaced only when `is_ours(target)` says the tool wrote it."""
    target = Path(os.path.abspath(target))
    if target.is_dir():
        raise OutputDirectoryInUse(f"{target}: it is a directory; choose a file")
    if target.exists() and (is_ours is None or not is_ours(target)):
        raise OutputDirectoryInUse(
            f"{target} exists and was not written by peergroups; choose another file"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with deferred_signals():
        handle, name = tempfile.mkstemp(prefix=f".{target.name}{STAGING}", dir=target.parent)
        os.close(handle)
        temporary = Path(name)
        try:
            yield temporary
            temporary.chmod(0o666 & ~_umask())
            os.replace(temporary, target)
        finally:
            temporary.unlink(missing_ok=True)
