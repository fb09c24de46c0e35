"""Repair a plan after changes (companies leave or join, new relations, new maturity scores).

The current groups, without the companies that left, become `Problem.current`: the
continuity rule keeps them as labelled slots, so the new plan places as many companies as
possible, then moves as few as the rules allow, then fills open seats before opening new
groups (see `solver.rules.continuity`). The diff says, for every company, what happened
and why.
"""

from dataclasses import dataclass

from peergroups.model import Change, ChangeKind, Grouping, Problem, Relation
from solver.pipeline import solve
from solver.result import Result
from solver.scenario import Scenario


@dataclass(frozen=True)
class Move:
    """What happened to one company between the old plan and the repaired one."""

    company_id: str
    before: str | None
    after: str | None
    change: str
    """stays, moves, joins, leaves, left out (was placed), stays out, placed (was out)."""
    reason: str


def apply_changes(problem: Problem, plan: Grouping, changes: list[Change]) -> Problem:
    """The problem after the changes, with the plan's groups (minus leavers) as current.

    `problem` already holds any joining company (from the updated companies file)."""
    unknown = sorted({c.company_id for c in changes} - set(problem.by_id) - _leavers(changes))
    if unknown:
        raise ValueError(f"changes name companies not in the companies file: {', '.join(unknown)}")
    leaving = _leavers(changes)
    maturity = {c.company_id: c.maturity for c in changes if c.change == ChangeKind.MATURITY}
    companies = tuple(
        company.model_copy(update={"maturity": maturity[company.company_id], "dma": None})
        if company.company_id in maturity
        else company
        for company in problem.companies
        if company.company_id not in leaving
    )  # a new overall score replaces the six DMA dimensions it was the mean of
    kept = {c.company_id for c in companies}
    relations = tuple(r for r in problem.relations if {r.company_a, r.company_b} <= kept) + tuple(
        Relation(company_a=c.company_id, company_b=c.partner, kind=c.relation, severity=c.severity)
        for c in changes
        if c.change == ChangeKind.RELATION
    )
    current = tuple(
        group.model_copy(update={"members": tuple(m for m in group.members if m in kept)})
        for group in plan.groups
        if any(m in kept for m in group.members)
    )
    return Problem(
        companies=companies,
        relations=relations,
        facilitators=problem.facilitators,
        pins=tuple(p for p in problem.pins if {p.company_id, p.partner} - {None} <= kept),
        history=problem.history,
        current=current,
    )


def repair(
    problem: Problem,
    plan: Grouping,
    changes: list[Change],
    scenario: Scenario,
    on_progress=None,
) -> tuple[Problem, Result, list[Move]]:
    """The repaired plan of the changed problem, and what happened to every company."""
    changed = apply_changes(problem, plan, changes)
    result = solve(changed, scenario, on_progress)
    return changed, result, repair_diff(changed, plan, result.grouping, changes, scenario)


def repair_diff(
    changed: Problem, before: Grouping, after: Grouping, changes: list[Change], scenario: Scenario
) -> list[Move]:
    """Every company of the old plan or the new one, and what happened to it."""
    old = {cid: g.group_id for g in before.groups for cid in g.members}
    new = {cid: g.group_id for g in after.groups for cid in g.members}
    reasons = {u.company_id: u.reason for u in after.unassigned}
    joining = {c.company_id for c in changes if c.change == ChangeKind.JOIN}
    broken = _broken_groups(changed, scenario)
    moves = []
    known = set(old) | {u.company_id for u in before.unassigned}
    for cid in sorted(known | set(changed.by_id)):
        was, now = old.get(cid), new.get(cid)
        if cid not in changed.by_id:
            moves.append(Move(cid, was, None, "leaves", "left the programme"))
        elif cid in joining or cid not in known:
            # A company new in the companies file joins too, said so when changes.csv did not.
            listed = "" if cid in joining else "new in the companies file"
            placed = f"joins {now}, where it keeps every rule"
            why = reasons.get(cid, "") if now is None else (listed or placed)
            moves.append(Move(cid, None, now, "joins", why))
        elif was == now:
            moves.append(Move(cid, was, now, "stays" if now else "stays out", reasons.get(cid, "")))
        elif now is None:
            moves.append(Move(cid, was, None, "left out", reasons.get(cid, "")))
        elif was is None:
            moves.append(Move(cid, None, now, "placed", "a group can now hold it"))
        else:
            why = broken.get(was) or "so that more companies can be placed"
            moves.append(Move(cid, was, now, "moves", why))
    return moves


def _broken_groups(changed: Problem, scenario: Scenario) -> dict[str, str]:
    """Current groups that break a rule after the changes, with what they break."""
    found = {}
    for group in changed.current:
        members = [changed.by_id[c] for c in group.members]
        problems = [
            message
            for rule in scenario.grouping_rules
            for message in rule.group_violations(changed, group.theme, members)
        ]
        if problems:
            found[group.group_id] = "its group no longer keeps the rules: " + "; ".join(problems)
    return found


def _leavers(changes: list[Change]) -> set[str]:
    return {c.company_id for c in changes if c.change == ChangeKind.LEAVE}
