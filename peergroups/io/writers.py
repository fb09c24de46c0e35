"""Writers of the output directory (DESIGN.md): assignments, groups, summary, conflict graph.

All files are written into a staging directory next to the target and swapped in at the end
(`peergroups.io.swap`), so an error, a signal or a second run leaves the previous complete plan
or the new one, and only the tool's own plans (marked by their manifest) are replaced. Text
cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
"""

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from operator import itemgetter
from pathlib import Path
from typing import Any

from peergroups.conflicts import write_graphml
from peergroups.io.assignments_text import assignments_text, encoded
from peergroups.io.cells import may_need_apostrophe, spreadsheet_safe
from peergroups.io.columns import ASSIGNMENTS, DIFF, DIGIAGENTS, GROUPS, REVIEW_LOG, Table
from peergroups.io.side_by_side import side_by_side
from peergroups.io.swap import OutputDirectoryInUse as OutputDirectoryInUse
from peergroups.io.swap import ensure_output_directory, output_directory
from peergroups.io.tables import Row, assignment_rows, group_rows
from peergroups.io.workbook import write_workbook
from peergroups.model import Grouping, Problem
from peergroups.packs import write_packs
from peergroups.programme import digiagent_rows
from peergroups.report import RoundsShown, compile_templates, write_report
from peergroups.wording import localise

FULL_OUTPUT_COMPANIES = 20_000
"""Larger plans (and interrupted ones) get no workbook, no conflict graph and a report
without the conflict picture: writing them would take minutes of a run's time limit
(openpyxl, networkx and matplotlib, measured at 10,000); the CSVs hold the plan."""


def _filled(
    table: Table, rows: list[Row], lead: tuple[str, ...] = ()
) -> tuple[tuple[str, ...], list[Row]]:
    """The header and rows without the table's optional columns that no row fills; `lead`
    names the columns each row has before the table's own (a plan of rounds: 'round')."""
    kept = [*range(len(lead))]
    for index, column in enumerate(table.written, start=len(lead)):
        if not column.optional or not set(map(itemgetter(index), rows)) <= {None, ""}:
            kept.append(index)
    header = (*lead, *table.header)
    if len(kept) == len(header):
        return header, rows
    pick = itemgetter(*kept)
    return pick(header), list(map(pick, rows))


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Rows (values in the header's order) under the header, formula-safe. Written as they
    are and searched once (`may_need_apostrophe`); only a table that may hold a cell to
    prefix is written again cell by cell with `spreadsheet_safe`: a plan of 100,000
    companies has a million cells, and a stopped run writes it within moments."""
    text = _csv_text(header, rows)
    if may_need_apostrophe(text):
        text = _csv_text(header, ([spreadsheet_safe(value) for value in row] for row in rows))
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write(text)


def write_assignments(
    path: Path, problem: Problem, grouping: Grouping, subsidised: frozenset[str] | None = None
) -> None:
    """From the cells encoded ahead (`assignments_text`); cell by cell, as every table,
    when a cell may need the spreadsheet apostrophe."""
    text = assignments_text(problem, grouping, subsidised)
    if may_need_apostrophe(text):
        _write_csv(path, *_filled(ASSIGNMENTS, assignment_rows(problem, grouping, subsidised)))
        return
    with path.open("w", newline="", encoding="utf-8") as handle:
        handle.write(text)


def write_groups(path: Path, problem: Problem, grouping: Grouping, lang: str = "en") -> None:
    _write_csv(path, GROUPS.header, group_rows(problem, grouping, lang))


def write_digiagents(path: Path, problem: Problem, grouping: Grouping) -> None:
    """Each digiagent's companies: the group each landed in, or why it has none."""
    header = DIGIAGENTS.header
    _write_csv(
        path, header, [[row[name] for name in header] for row in digiagent_rows(problem, grouping)]
    )


def write_diff(path: Path, rows: list[dict[str, Any]]) -> None:
    """A repair's diff: every company, where it was and is, what changed and why."""
    _write_csv(path, DIFF.header, [[row[name] or "" for name in DIFF.header] for row in rows])


def write_review_log(path: Path, rows: list[dict[str, Any]]) -> None:
    """A review's moves and comments, one row each (`peergroups review`)."""
    header = REVIEW_LOG.header
    _write_csv(path, header, [[row.get(name) or "" for name in header] for row in rows])


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


def replace_packs(
    plan_dir: Path, problem: Problem, grouping: Grouping, summary: dict[str, Any], lang: str
) -> list[Path]:
    """A plan's packs/ written again, swapped in whole like a plan; the folders written."""
    target = Path(plan_dir).resolve() / "packs"
    staging = Path(tempfile.mkdtemp(prefix=".packs.", dir=target.parent))
    try:
        names = [p.name for p in write_packs(staging, problem, grouping, summary, lang)]
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=".packs.old.", dir=target.parent))
        target.rename(retired / "packs")
        shutil.rmtree(retired, ignore_errors=True)
    staging.chmod(0o777 & ~_umask())
    staging.rename(target)
    return [target / name for name in names]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def prepare_writing(problem: Problem) -> None:
    """What writing any plan of `problem` needs, done now (before a search): the report's
    templates compiled, the companies' cells of assignments.csv encoded. A stopped run then
    writes its plan within moments."""
    compile_templates()
    encoded(problem)


def write_plan(
    target: Path,
    problem: Problem,
    grouping: Grouping,
    summary: dict[str, Any],
    lang: str = "en",
    extra: Callable[[Path], None] | None = None,
    violations: Sequence[str] = (),
    packs: bool = False,
) -> None:
    """The whole output directory, swapped in atomically; `extra` writes more files (a
    repair's diff) into it first; `violations` (of an edited plan) go into the report.
    Reasons are written in `lang`, as is the workbook; `packs` adds one folder per
    facilitator (`peergroups.packs`)."""
    grouping = localise(grouping, lang)
    # An interrupted run is to end within moments: the plan's files without the extras.
    interrupted = summary.get("status") == "interrupted"
    full = len(problem.companies) <= FULL_OUTPUT_COMPANIES and not interrupted
    # Asked here, before the writers fork: a writer that goes over every company touches
    # (and so copies) their memory pages.
    digiagents = any(c.digiagent for c in problem.companies)
    with plan_directory(target) as staging:
        if extra is not None:
            extra(staging)

        def tables() -> None:
            subsidy = summary.get("programme", {}).get("subsidy")
            subsidised = None if subsidy is None else frozenset(subsidy["granted_to"])
            write_assignments(staging / "assignments.csv", problem, grouping, subsidised)
            if digiagents:
                write_digiagents(staging / "digiagents.csv", problem, grouping)
            write_summary(staging / "summary.json", summary)
            if full:
                write_graphml(problem, staging / "conflicts.graphml")

        def report() -> None:
            write_report(
                staging / "report.html", problem, grouping, summary, violations, lang, full=full
            )
            if packs:
                write_packs(staging / "packs", problem, grouping, summary, lang)

        def groups_and_tables() -> None:
            write_groups(staging / "groups.csv", problem, grouping, lang)
            tables()

        # groups.csv here: the printed summary counts from the same groups' facts. Without
        # the extras the tables go with it, and the pages both touch are copied once.
        jobs: list[Callable[[], None]] = [groups_and_tables, report]
        if full:
            jobs = [
                lambda: write_groups(staging / "groups.csv", problem, grouping, lang),
                tables,
                report,
                lambda: write_workbook(staging / "plan.xlsx", problem, grouping, summary, lang),
            ]
        side_by_side(*jobs)


def write_rounds(
    target: Path,
    problem: Problem,
    groupings: list[Grouping],
    summary: dict[str, Any],
    lang: str = "en",
    again: dict[tuple[str, str], list[int]] | None = None,
) -> None:
    """Several rounds of one cohort as one plan directory: `assignments.csv` and `groups.csv`
    with a leading `round` column (every company once per round), the summary, the conflict
    graph, and the report of every round (`again`: the pairs that meet again -> the rounds;
    `summary["rounds_detail"]` holds every round's summary)."""
    with plan_directory(target) as staging:
        for name, table, rows_of in (
            ("assignments.csv", ASSIGNMENTS, assignment_rows),
            ("groups.csv", GROUPS, group_rows),
        ):
            rows = [
                (number, *row)
                for number, grouping in enumerate(groupings, start=1)
                for row in rows_of(problem, grouping)
            ]
            _write_csv(staging / name, *_filled(table, rows, ("round",)))
        write_summary(staging / "summary.json", summary)
        write_graphml(problem, staging / "conflicts.graphml")
        again = again or {}
        shown = RoundsShown(
            tuple(groupings),
            tuple(() for _ in groupings),
            sum(len(numbers) for numbers in again.values()),
            len(again),
        )
        write_report(
            staging / "report.html", problem, groupings[0], summary, lang=lang, rounds=shown
        )
