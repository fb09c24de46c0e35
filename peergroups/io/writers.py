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
from peergroups.io.columns import ASSIGNMENTS, DIFF, GROUPS, SEPARATOR, Table
from peergroups.io.workbook import write_workbook
from peergroups.model import GroupFacts, Grouping, Problem
from peergroups.packs import write_packs
from peergroups.places import meeting_place, region_label, theme_label
from peergroups.report import write_report
from peergroups.wording import localise

PLAN_FILES = (
    "assignments.csv",
    "groups.csv",
    "summary.json",
    "conflicts.graphml",
    "report.html",
    "diff.csv",
    "plan.xlsx",
    "packs",
)


class OutputDirectoryInUse(Exception):
    """The output directory holds files that are not a plan; we never overwrite those."""


def _write_csv(path: Path, table: Table, rows: list[dict[str, Any]]) -> None:
    """Rows (column name -> value) under the table's header, in its column order."""
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(table.header)
        writer.writerows([[spreadsheet_safe(row[name]) for name in table.header] for row in rows])


def write_assignments(path: Path, problem: Problem, grouping: Grouping) -> None:
    """Every input company exactly once, in input order, with what a reader needs to reach
    it (name, Y-tunnus, contact person, e-mail where given)."""
    reasons = {u.company_id: u.reason for u in grouping.unassigned}
    rows = []
    for company in problem.companies:
        known = {
            "company_id": company.company_id,
            "name": company.name,
            "business_id": company.business_id or "",
            "contact": company.contact or "",
            "email": company.email or "",
        }
        group = grouping.group_of.get(company.company_id)
        if group is None:
            rows.append(
                known
                | {
                    "group_id": "",
                    "theme": "",
                    "role_in_group": "",
                    "reason": reasons[company.company_id],
                }
            )
            continue
        role = {group.chair: "chair", group.scribe: "scribe"}.get(company.company_id, "member")
        rows.append(
            known
            | {
                "group_id": group.group_id,
                "theme": group.theme,
                "role_in_group": role,
                "reason": "",
            }
        )
    _write_csv(path, ASSIGNMENTS, rows)


def write_groups(path: Path, problem: Problem, grouping: Grouping, lang: str = "en") -> None:
    """One row per group with the facts a facilitator scans first; theme and region names
    in the plan's language, members by name."""
    rows = []
    for group in grouping.groups:
        facts = GroupFacts.of(problem, group)
        place = meeting_place(problem, group)
        names = [problem.by_id[c].name if c in problem.by_id else c for c in group.members]
        rows.append(
            {
                "group_id": group.group_id,
                "theme": group.theme,
                "theme_name": theme_label(group.theme, lang),
                "size": facts.size,
                "maturity_min": f"{facts.maturity_min:.1f}",
                "maturity_max": f"{facts.maturity_max:.1f}",
                "maturity_spread": f"{facts.maturity_spread:.1f}",
                "mode": facts.mode.value,
                "region": facts.region or "",
                "region_name": region_label(facts.region, lang),
                "meeting_place": region_label(place, lang),
                "language": facts.language or "",
                "facilitator_id": group.facilitator_id or "",
                "members": SEPARATOR.join(names),
            }
        )
    _write_csv(path, GROUPS, rows)


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


def write_plan(
    target: Path,
    problem: Problem,
    grouping: Grouping,
    summary: dict[str, Any],
    lang: str = "en",
    extra: Callable[[Path], None] | None = None,
    packs: bool = False,
) -> None:
    """The whole output directory, swapped in atomically; `extra` writes more files (a
    repair's diff) into it first. Reasons are written in `lang`, as is the workbook;
    `packs` adds one folder per facilitator (`peergroups.packs`)."""
    grouping = localise(grouping, lang)
    with plan_directory(target) as staging:
        if extra is not None:
            extra(staging)
        write_assignments(staging / "assignments.csv", problem, grouping)
        write_groups(staging / "groups.csv", problem, grouping, lang)
        write_summary(staging / "summary.json", summary)
        write_graphml(problem, staging / "conflicts.graphml")
        write_report(staging / "report.html", problem, grouping, summary, lang=lang)
        write_workbook(staging / "plan.xlsx", problem, grouping, summary, lang)
        if packs:
            write_packs(staging / "packs", problem, grouping, summary, lang)
