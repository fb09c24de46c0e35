"""A plan's tables as rows, each a tuple of values in its table's column order
(`ASSIGNMENTS.header`, `GROUPS.header`): what assignments.csv and groups.csv hold, for the
writers and for `solver.Result.to_frames`, so both always agree. Tuples, not dicts: a plan of
100,000 companies is written within the moments a stopped run has."""

from typing import Any

from peergroups.io.columns import SEPARATOR
from peergroups.model import Grouping, Problem, group_facts
from peergroups.places import region_label, theme_label

Row = tuple[Any, ...]


def assignment_rows(
    problem: Problem, grouping: Grouping, subsidised: frozenset[str] | None = None
) -> list[Row]:
    """Every input company exactly once, in input order; `subsidised` (the companies granted
    a subsidised seat, when a budget was set) answers yes or no for those that asked. Each
    row has what a reader needs to reach the company (name, Y-tunnus, contact, e-mail)."""
    reasons = {u.company_id: u.reason for u in grouping.unassigned}
    where: dict[str, tuple[str, str, str, str]] = {}  # group_id, theme, role_in_group, reason
    for group in grouping.groups:
        roles = {group.chair: "chair", group.scribe: "scribe"}
        for cid in group.members:
            where[cid] = (group.group_id, group.theme, roles.get(cid, "member"), "")
    rows = []
    for company in problem.companies:
        cid = company.company_id
        asked = subsidised is not None and company.subsidy is not None
        seat = ("yes" if cid in subsidised else "no") if asked else ""
        rows.append(
            (
                cid,
                company.name,
                company.business_id or "",
                *(where.get(cid) or ("", "", "", reasons[cid])),
                company.contact or "",
                company.email or "",
                seat,
            )
        )
    return rows


def group_rows(problem: Problem, grouping: Grouping, lang: str = "en") -> list[Row]:
    """One row per group with the facts a facilitator scans first; theme and region names
    in the plan's language, members by name."""
    rows = []
    for group, facts in zip(grouping.groups, group_facts(problem, grouping), strict=True):
        rows.append(
            (
                group.group_id,
                group.theme,
                theme_label(group.theme, lang),
                facts.size,
                f"{facts.maturity_min:.1f}",
                f"{facts.maturity_max:.1f}",
                f"{facts.maturity_spread:.1f}",
                facts.mode.value,
                facts.region or "",
                region_label(facts.region, lang),
                region_label(facts.meeting_place, lang),
                facts.language or "",
                group.facilitator_id or "",
                SEPARATOR.join(facts.names),
            )
        )
    return rows
