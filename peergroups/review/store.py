"""The review's state in SQLite, in the plan directory: every move, comment and lock, and the
version they were made on.

Each change is one transaction (WAL journal, synchronous FULL), so a closed browser, a crash
or a kill -9 loses at most the change in flight. Every write names the version it was made
on; a write on an older version raises `Stale` and changes nothing (optimistic concurrency:
two tabs or two reviewers never overwrite each other silently).

Undo and redo work on batches: one move is a batch, an accepted re-optimisation is one batch
of many moves. A new move after an undo drops the undone batches (there is nothing to redo).
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS moves (
    seq INTEGER PRIMARY KEY,
    batch INTEGER NOT NULL,
    time TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    company_id TEXT NOT NULL,
    from_group TEXT,
    to_group TEXT,
    theme TEXT,
    facilitator_id TEXT,
    note TEXT NOT NULL DEFAULT '',
    active INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS comments (
    seq INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    company_id TEXT,
    group_id TEXT,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS locks (group_id TEXT PRIMARY KEY);
"""


class Stale(Exception):
    """A write made on an older version than the store's."""

    def __init__(self, expected: int, actual: int) -> None:
        super().__init__(f"version {expected} is stale (now {actual})")
        self.expected, self.actual = expected, actual


class OtherPlan(Exception):
    """The store belongs to another plan (the plan was solved again since the review began)."""


@dataclass(frozen=True)
class Move:
    """A company taken from one group (None: unassigned) to another; `theme` and
    `facilitator_id` are set when the move opens a new group."""

    company_id: str
    from_group: str | None
    to_group: str | None
    theme: str | None = None
    facilitator_id: str | None = None
    note: str = ""
    time: str = ""
    reviewer: str = ""
    batch: int = 0


@dataclass(frozen=True)
class Comment:
    time: str
    reviewer: str
    company_id: str | None
    group_id: str | None
    text: str


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Store:
    """One review's state; `path` is created if absent and bound to the plan's fingerprint."""

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = path
        self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)
        found = self._meta("fingerprint")
        if found is None:
            with self._transaction():
                self.db.execute("INSERT INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
                self.db.execute("INSERT INTO meta VALUES ('version', '0')")
        elif found != fingerprint:
            raise OtherPlan(
                f"{path} holds the review of another plan (its assignments.csv changed since "
                "the review began); move it away to start a new review"
            )

    def close(self) -> None:
        self.db.close()

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    @property
    def version(self) -> int:
        return int(self._meta("version") or 0)

    @contextmanager
    def write(self, version: int) -> Iterator[None]:
        """A transaction made on `version`: refused (Stale) if the store moved on since, and
        the version counted up when it commits."""
        with self._transaction():
            actual = self.version
            if version != actual:
                raise Stale(version, actual)
            yield
            self.db.execute("UPDATE meta SET value = ? WHERE key = 'version'", (str(actual + 1),))

    # --- reads --------------------------------------------------------------------------------

    def moves(self) -> list[Move]:
        """The moves in force, in the order they were made."""
        rows = self.db.execute(
            "SELECT company_id, from_group, to_group, theme, facilitator_id, note, time, "
            "reviewer, batch FROM moves WHERE active = 1 ORDER BY seq"
        )
        return [Move(*row) for row in rows]

    def count_moves(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM moves WHERE active = 1").fetchone()[0]

    def comments(self) -> list[Comment]:
        rows = self.db.execute(
            "SELECT time, reviewer, company_id, group_id, text FROM comments ORDER BY seq"
        )
        return [Comment(*row) for row in rows]

    def locks(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT group_id FROM locks")}

    def can_undo(self) -> bool:
        return (
            self.db.execute("SELECT 1 FROM moves WHERE active = 1 LIMIT 1").fetchone() is not None
        )

    def can_redo(self) -> bool:
        return (
            self.db.execute("SELECT 1 FROM moves WHERE active = 0 LIMIT 1").fetchone() is not None
        )

    # --- writes (inside `write`) -------------------------------------------------------------

    def add_moves(self, moves: list[Move], reviewer: str) -> None:
        """One batch of moves; undone batches can no longer be redone."""
        self.db.execute("DELETE FROM moves WHERE active = 0")
        batch = 1 + (self.db.execute("SELECT COALESCE(MAX(batch), 0) FROM moves").fetchone()[0])
        stamp = now()
        self.db.executemany(
            "INSERT INTO moves (batch, time, reviewer, company_id, from_group, to_group, theme,"
            " facilitator_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    batch,
                    stamp,
                    reviewer,
                    m.company_id,
                    m.from_group,
                    m.to_group,
                    m.theme,
                    m.facilitator_id,
                    m.note,
                )
                for m in moves
            ],
        )

    def undo(self) -> list[Move]:
        """Take back the last batch in force; its moves, or [] when there is none."""
        row = self.db.execute("SELECT MAX(batch) FROM moves WHERE active = 1").fetchone()
        if row[0] is None:
            return []
        self.db.execute("UPDATE moves SET active = 0 WHERE batch = ?", (row[0],))
        return self._batch(row[0])

    def redo(self) -> list[Move]:
        """Put back the first undone batch; its moves, or [] when there is none."""
        row = self.db.execute("SELECT MIN(batch) FROM moves WHERE active = 0").fetchone()
        if row[0] is None:
            return []
        self.db.execute("UPDATE moves SET active = 1 WHERE batch = ?", (row[0],))
        return self._batch(row[0])

    def _batch(self, batch: int) -> list[Move]:
        rows = self.db.execute(
            "SELECT company_id, from_group, to_group, theme, facilitator_id, note, time, "
            "reviewer, batch FROM moves WHERE batch = ? ORDER BY seq",
            (batch,),
        )
        return [Move(*row) for row in rows]

    def add_comment(self, comment: Comment) -> None:
        self.db.execute(
            "INSERT INTO comments (time, reviewer, company_id, group_id, text) "
            "VALUES (?, ?, ?, ?, ?)",
            (comment.time, comment.reviewer, comment.company_id, comment.group_id, comment.text),
        )

    def set_lock(self, group_id: str, locked: bool) -> None:
        if locked:
            self.db.execute("INSERT OR IGNORE INTO locks VALUES (?)", (group_id,))
        else:
            self.db.execute("DELETE FROM locks WHERE group_id = ?", (group_id,))
