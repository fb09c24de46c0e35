"""Writers of the output directory (DESIGN.md): assignments, groups, summary, conflict graph.

All files are written into a fresh temporary directory next to the target and swapped in at
the end, so an error or a kill leaves the previous complete plan or none. Text cells that a
spreadsheet would run as a formula are prefixed with an apostrophe.
"""

import csv
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from peergroups.conflicts import write_graphml
from peergroups.io.cells import spreadsheet_safe
from peergroups.io.columns import ASSIGNMENTS, DIFF, DIGIAGENTS, GROUPS, Table
from peergroups.model import GroupFacts, Grouping, Problem
from peergroups.programme import digiagent_rows
from peergroups.report import write_report

PLAN_FILES = (
    "assignments.csv",
    "groups.csv",
    "summary.json",
    "conflicts.graphml",
    "report.html",
    "diff.csv",
    "digiagents.csv",
)


class OutputDirectoryInUse(Exception):
    """The output directory holds files that are not a plan; we never overwrite those."""


def _write_csv(path: Path, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows (column name -> value) under the table's header, in its column order."""
    header = [
        column.name
        for column in table.written
        if not column.optional or any(row.get(column.name) not in (None, "") for row in rows)
    ]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[spreadsheet_safe(row[name]) for name in header] for row in rows])


def write_assignments(
    path: Path, problem: Problem, grouping: Grouping, subsidised: frozenset[str] | None = None
) -> None:
    """Every input company exactly once, in input order; `subsidised` (the companies granted
    a subsidised seat) adds that column for the companies that asked for one."""
    reasons = {u.company_id: u.reason for u in grouping.unassigned}
    rows = []
    for company in problem.companies:
        if subsidised is not None and company.subsidy is not None:
            granted = company.company_id in subsidised
            rows.append({"subsidised": "yes" if granted else "no"})
        else:
            rows.append({"subsidised": ""})
        group = grouping.group_of.get(company.company_id)
        if group is None:
            rows[-1].update(
                {
                    "company_id": company.company_id,
                    "group_id": "",
                    "theme": "",
                    "role_in_group": "",
                    "reason": reasons[company.company_id],
                }
            )
            continue
        role = {group.chair: "chair", group.scribe: "scribe"}.get(company.company_id, "member")
        rows[-1].update(
            {
                "company_id": company.company_id,
                "group_id": group.group_id,
                "theme": group.theme,
                "role_in_group": role,
                "reason": "",
            }
        )
    _write_csv(path, ASSIGNMENTS, rows)


def write_groups(path: Path, problem: Problem, grouping: Grouping) -> None:
    """One row per group with the facts a facilitator scans first."""
    rows = []
    for group in grouping.groups:
        facts = GroupFacts.of(problem, group)
        rows.append(
            {
                "group_id": group.group_id,
                "theme": group.theme,
                "size": facts.size,
                "maturity_min": f"{facts.maturity_min:.1f}",
                "maturity_max": f"{facts.maturity_max:.1f}",
                "maturity_spread": f"{facts.maturity_spread:.1f}",
                "mode": facts.mode.value,
                "region": facts.region or "",
                "language": facts.language or "",
                "facilitator_id": group.facilitator_id or "",
            }
        )
    _write_csv(path, GROUPS, rows)


def write_digiagents(path: Path, problem: Problem, grouping: Grouping) -> None:
    """Each digiagent's companies: the group each landed in, or why it has none."""
    _write_csv(path, DIGIAGENTS, digiagent_rows(problem, grouping))


def write_diff(path: Path, rows: list[dict[str, Any]]) -> None:
    """A repair's diff: every company, where it was and is, what changed and why."""
    _write_csv(path, DIFF, [{name: row[name] or "" for name in DIFF.header} for row in rows])


def write_summary(path: Path, summary: dict[str, Any]) -> None:
    path.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def ensure_plan_directory(target: Path) -> Path:
    """`target` as an absolute path, if it is new, empty, or an earlier plan; a directory
    with other files (say the user's home) is refused rather than replaced."""
    target = target.resolve()
    if target.exists() and not target.is_dir():
        raise OutputDirectoryInUse(f"{target}: it is a file; choose a new or empty directory")
    foreign = sorted(p.name for p in target.iterdir()) if target.exists() else []
    foreign = [name for name in foreign if name not in PLAN_FILES]
    if foreign:
        raise OutputDirectoryInUse(
            f"{target} holds files that are not a plan ({', '.join(foreign[:3])}); "
            "choose a new or empty directory"
        )
    return target


@contextmanager
def plan_directory(target: Path) -> Iterator[Path]:
    """A temporary directory next to `target` that replaces it when the block succeeds."""
    target = ensure_plan_directory(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    staging.chmod(0o777 & ~_umask())  # as mkdir would make it, not mkdtemp's private 0700
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if target.exists():
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
        target.rename(retired / target.name)
        staging.rename(target)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        staging.rename(target)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


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
        subsidy = summary.get("programme", {}).get("subsidy")
        subsidised = None if subsidy is None else frozenset(subsidy["granted_to"])
        write_assignments(staging / "assignments.csv", problem, grouping, subsidised)
        if any(c.digiagent for c in problem.companies):
            write_digiagents(staging / "digiagents.csv", problem, grouping)
        write_groups(staging / "groups.csv", problem, grouping)
        write_summary(staging / "summary.json", summary)
        write_graphml(problem, staging / "conflicts.graphml")
        write_report(staging / "report.html", problem, grouping, summary, lang=lang)
