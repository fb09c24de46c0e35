"""A plan's tables as rows (column name -> value): what assignments.csv and groups.csv hold,
for the writers and for `solver.Result.to_frames`, so both always agree."""

from typing import Any

from peergroups.io.columns import SEPARATOR
from peergroups.model import GroupFacts, Grouping, Problem
from peergroups.places import meeting_place, region_label, theme_label


def assignment_rows(
    problem: Problem, grouping: Grouping, subsidised: frozenset[str] | None = None
) -> list[dict[str, Any]]:
    """Every input company exactly once, in input order; `subsidised` (the companies granted
    a subsidised seat, when a budget was set) answers yes or no for those that asked. Each
    row has what a reader needs to reach the company (name, Y-tunnus, contact, e-mail)."""
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
        asked = subsidised is not None and company.subsidy is not None
        seat = ("yes" if company.company_id in subsidised else "no") if asked else ""
        group = grouping.group_of.get(company.company_id)
        if group is None:
            where = {"group_id": "", "theme": "", "role_in_group": ""}
            reason = reasons[company.company_id]
            rows.append(known | where | {"reason": reason})
        else:
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
        rows[-1]["subsidised"] = seat
    return rows


def group_rows(problem: Problem, grouping: Grouping, lang: str = "en") -> list[dict[str, Any]]:
    """One row per group with the facts a facilitator scans first; theme and region names
    in the plan's language, members by name."""
    rows = []
    for group in grouping.groups:
        facts = GroupFacts.of(problem, group)
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
                "meeting_place": region_label(meeting_place(problem, group), lang),
                "language": facts.language or "",
                "facilitator_id": group.facilitator_id or "",
                "members": SEPARATOR.join(names),
            }
        )
    return rows
