"""A plan's tables as rows (column name -> value): what assignments.csv and groups.csv hold,
for the writers and for `solver.Result.to_frames`, so both always agree."""

from typing import Any

from peergroups.model import GroupFacts, Grouping, Problem


def assignment_rows(
    problem: Problem, grouping: Grouping, subsidised: frozenset[str] | None = None
) -> list[dict[str, Any]]:
    """Every input company exactly once, in input order; `subsidised` (the companies granted
    a subsidised seat, when a budget was set) answers yes or no for those that asked."""
    reasons = {u.company_id: u.reason for u in grouping.unassigned}
    rows = []
    for company in problem.companies:
        asked = subsidised is not None and company.subsidy is not None
        seat = ("yes" if company.company_id in subsidised else "no") if asked else ""
        group = grouping.group_of.get(company.company_id)
        if group is None:
            where = {"group_id": "", "theme": "", "role_in_group": ""}
            reason = reasons[company.company_id]
            rows.append({"company_id": company.company_id, **where, "reason": reason})
        else:
            role = {group.chair: "chair", group.scribe: "scribe"}.get(company.company_id, "member")
            rows.append(
                {
                    "company_id": company.company_id,
                    "group_id": group.group_id,
                    "theme": group.theme,
                    "role_in_group": role,
                    "reason": "",
                }
            )
        rows[-1]["subsidised"] = seat
    return rows


def group_rows(problem: Problem, grouping: Grouping) -> list[dict[str, Any]]:
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
    return rows
