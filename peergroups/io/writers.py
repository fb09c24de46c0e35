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
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from peergroups.conflicts import write_graphml
from peergroups.io.cells import spreadsheet_safe
from peergroups.model import Grouping, Problem, common_languages, meeting_mode, members_of
from peergroups.report import write_report

PLAN_FILES = (
    "assignments.csv",
    "groups.csv",
    "summary.json",
    "conflicts.graphml",
    "report.html",
    "diff.csv",
    "review_log.csv",
)


class OutputDirectoryInUse(Exception):
    """The output directory holds files that are not a plan; we never overwrite those."""


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows([[spreadsheet_safe(cell) for cell in row] for row in rows])


def write_assignments(path: Path, problem: Problem, grouping: Grouping) -> None:
    """Every input company exactly once, in input order."""
    reasons = {u.company_id: u.reason for u in grouping.unassigned}
    rows = []
    for company in problem.companies:
        group = grouping.group_of.get(company.company_id)
        if group is None:
            rows.append([company.company_id, "", "", "", reasons[company.company_id]])
            continue
        role = {group.chair: "chair", group.scribe: "scribe"}.get(company.company_id, "member")
        rows.append([company.company_id, group.group_id, group.theme, role, ""])
    _write_csv(path, ["company_id", "group_id", "theme", "role_in_group", "reason"], rows)


def write_groups(path: Path, problem: Problem, grouping: Grouping) -> None:
    """One row per group with the facts a facilitator scans first."""
    rows = []
    for group in grouping.groups:
        members = members_of(problem, group)
        low = min(c.maturity for c in members)
        high = max(c.maturity for c in members)
        regions = Counter(c.region for c in members if c.region)
        region = next(iter(regions)) if len(regions) == 1 else ""
        languages = common_languages(members)
        rows.append(
            [
                group.group_id,
                group.theme,
                len(members),
                f"{low:.1f}",
                f"{high:.1f}",
                f"{high - low:.1f}",
                meeting_mode(members).value,
                region,
                languages[0] if languages else "",
                group.facilitator_id or "",
            ]
        )
    header = [
        "group_id",
        "theme",
        "size",
        "maturity_min",
        "maturity_max",
        "maturity_spread",
        "mode",
        "region",
        "language",
        "facilitator_id",
    ]
    _write_csv(path, header, rows)


def write_diff(path: Path, rows: list[dict[str, Any]]) -> None:
    """A repair's diff: every company, where it was and is, what changed and why."""
    header = ["company_id", "before", "after", "change", "reason"]
    _write_csv(path, header, [[row[name] or "" for name in header] for row in rows])


REVIEW_LOG = ["time", "reviewer", "company_id", "from_group", "to_group", "comment"]


def write_review_log(path: Path, rows: list[dict[str, Any]]) -> None:
    """A review's moves and comments, one row each (`peergroups review`)."""
    _write_csv(path, REVIEW_LOG, [[row.get(name) or "" for name in REVIEW_LOG] for row in rows])


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
    violations: Sequence[str] = (),
) -> None:
    """The whole output directory, swapped in atomically; `extra` writes more files (a
    repair's diff) into it first; `violations` (of an edited plan) go into the report."""
    with plan_directory(target) as staging:
        if extra is not None:
            extra(staging)
        write_assignments(staging / "assignments.csv", problem, grouping)
        write_groups(staging / "groups.csv", problem, grouping)
        write_summary(staging / "summary.json", summary)
        write_graphml(problem, staging / "conflicts.graphml")
        write_report(staging / "report.html", problem, grouping, summary, violations, lang)
