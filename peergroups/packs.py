"""Per-facilitator packs: `packs/F001/` holds the report and the workbook of that
facilitator's groups only.

The groups are confidential: a facilitator receives the companies of the groups they run and
nothing else (no other group, no unassigned company, no relation that involves a company
outside their groups).
"""

import re
from pathlib import Path
from typing import Any

from peergroups.io.workbook import write_workbook
from peergroups.model import Grouping, Problem
from peergroups.report import write_report

_PROGRAMME_WIDE = ("repair", "groups_without_facilitator", "findings")
"""Summary entries that name companies or groups of the whole programme."""


def pack_of(problem: Problem, grouping: Grouping, facilitator_id: str) -> tuple[Problem, Grouping]:
    """The problem and plan restricted to the groups `facilitator_id` runs."""
    groups = tuple(g for g in grouping.groups if g.facilitator_id == facilitator_id)
    members = {cid for g in groups for cid in g.members}
    companies = tuple(c for c in problem.companies if c.company_id in members)
    relations = tuple(
        r for r in problem.relations if r.company_a in members and r.company_b in members
    )
    facilitators = tuple(f for f in problem.facilitators if f.facilitator_id == facilitator_id)
    facilitators = tuple(
        f.model_copy(update={"conflicts": tuple(c for c in f.conflicts if c in members)})
        for f in facilitators
    )
    return (
        Problem(companies=companies, relations=relations, facilitators=facilitators),
        Grouping(groups=groups),
    )


def write_packs(
    folder: Path, problem: Problem, grouping: Grouping, summary: dict[str, Any], lang: str = "en"
) -> list[Path]:
    """One folder per facilitator who runs a group: report.html and plan.xlsx of their
    groups. Returns the folders written."""
    written = []
    staffed = sorted({g.facilitator_id for g in grouping.groups if g.facilitator_id})
    for facilitator_id in staffed:
        pack_problem, pack_grouping = pack_of(problem, grouping, facilitator_id)
        target = Path(folder) / _folder_name(facilitator_id)
        target.mkdir(parents=True, exist_ok=True)
        pack_summary = {k: v for k, v in summary.items() if k not in _PROGRAMME_WIDE} | {
            "placed": sum(len(g.members) for g in pack_grouping.groups),
            "unassigned": 0,
            "groups": len(pack_grouping.groups),
            "pack": facilitator_id,
        }
        write_report(target / "report.html", pack_problem, pack_grouping, pack_summary, lang=lang)
        write_workbook(
            target / "plan.xlsx", pack_problem, pack_grouping, pack_summary, lang, digiagents=False
        )
        written.append(target)
    return written


def _folder_name(facilitator_id: str) -> str:
    """A facilitator id as a safe folder name."""
    return re.sub(r"[^\w.-]", "_", facilitator_id).lstrip(".") or "_"
