"""Writers of the output directory (DESIGN.md): assignments, groups, summary, conflict graph.

All files are written into a staging directory next to the target and swapped in at the end
(`peergroups.io.swap`), so an error, a signal or a second run leaves the previous complete plan
or the new one, and only the tool's own plans (marked by their manifest) are replaced. Text
cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

import csv
import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from peergroups.conflicts import write_graphml
from peergroups.io.cells import spreadsheet_safe
from peergroups.io.columns import ASSIGNMENTS, DIFF, GROUPS, Table
from peergroups.io.swap import OutputDirectoryInUse as OutputDirectoryInUse
from peergroups.io.swap import ensure_output_directory, output_directory
from peergroups.io.tables import assignment_rows, group_rows
from peergroups.model import Grouping, Problem
from peergroups.report import write_report


def _write_csv(path: Path, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows (column name -> value) under the table's header, in its column order."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.header)
        writer.writerows([[spreadsheet_safe(row[name]) for name in table.header] for row in rows])


def write_assignments(path: Path, problem: Problem, grouping: Grouping) -> None:
    _write_csv(path, ASSIGNMENTS, assignment_rows(problem, grouping))


def write_groups(path: Path, problem: Problem, grouping: Grouping) -> None:
    _write_csv(path, GROUPS, group_rows(problem, grouping))


def write_diff(path: Path, rows: list[dict[str, Any]]) -> None:
    """A repair's diff: every company, where it was and is, what changed and why."""
    _write_csv(path, DIFF, [{name: row[name] or "" for name in DIFF.header} for row in rows])


def write_summary(path: Path, summary: dict[str, Any]) -> None:
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def ensure_plan_directory(target: Path) -> Path:
    """`target` as an absolute path, if it is new, empty, or an earlier plan (by its manifest)
    holding nothing else; a directory with other files is refused rather than replaced."""
    return ensure_output_directory(target, "plan")


def plan_directory(target: Path) -> AbstractContextManager[Path]:
    """A staging directory next to `target` that replaces it when the block succeeds
    (`peergroups.io.swap`: atomic, locked, marked as a plan, signals held back)."""
    return output_directory(target, "plan")


def write_plan(
    target: Path,
    problem: Problem,
    grouping: Grouping,
    summary: dict[str, Any],
    lang: str = "en",
    extra: Callable[[Path], None] | None = None,
) -> None:
    """The whole output directory, swapped in atomically; `extra` writes more files (a
    repair's diff) into it first."""
    with plan_directory(target) as staging:
        if extra is not None:
            extra(staging)
        write_assignments(staging / "assignments.csv", problem, grouping)
        write_groups(staging / "groups.csv", problem, grouping)
        write_summary(staging / "summary.json", summary)
        write_graphml(problem, staging / "conflicts.graphml")
        write_report(staging / "report.html", problem, grouping, summary, lang=lang)
