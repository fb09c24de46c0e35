"""One change that would place an unassigned company in a group of the plan.

For a company left out, try each single change a coordinator could ask of it: meet hybrid
instead of in person, speak one more language (a language of the group), or send a
representative of another position. When the company breaks a rule of a group of its theme
as it is, but keeps every rule of that group after the change, the reason gains a hint:
"would fit G07 if it met hybrid". The check is the rules' own `group_violations` over the
group with the company added, so a hint never promises more than `check` would accept.
"""

import heapq
from collections.abc import Callable, Iterator
from typing import Any

from peergroups.model import Company, Group, Grouping, Mode, Problem
from peergroups.roles import Role
from solver.rules import Rule
from solver.scenario import Scenario

MAX_CHECKS = 20_000
"""Group checks one plan's hints may take: a deterministic cap (not a clock, so the same run
gives the same files) that keeps a large programme's run short; companies beyond it get no
hint."""


def placement_hints(problem: Problem, scenario: Scenario, grouping: Grouping) -> dict[str, str]:
    """Unassigned company id -> its hint, for the companies that one change would place."""
    rules = scenario.grouping_rules
    groups_of = _groups_by_goals(grouping)
    crews: dict[str, list[Company]] = {}

    def broken(theme: str, members: list[Company], first: Rule | None = None) -> Rule | None:
        """The first rule the group breaks (None: it keeps every rule). The rule that broke
        the group as it was is asked first: it most often breaks it after a change too."""
        ordered = rules if first is None else [first, *(r for r in rules if r is not first)]
        return next((r for r in ordered if r.group_violations(problem, theme, members)), None)

    hints = {}
    checks = 0
    for entry in grouping.unassigned:
        company = problem.by_id.get(entry.company_id)
        if company is None:
            continue
        made: dict[str, Company] = {}
        for group in groups_of(company.goals):
            checks += 1
            if checks > MAX_CHECKS:
                return hints
            if group.group_id not in crews:
                crews[group.group_id] = [
                    problem.by_id[c] for c in group.members if c in problem.by_id
                ]
            members = crews[group.group_id]
            obstacle = broken(group.theme, [*members, company])
            if obstacle is None:
                break  # it fits as it is: its obstacle is elsewhere (the search, a seat)
            hint = next(
                (
                    f"would fit {group.group_id} if {wording}"
                    for wording, changed in _changes(company, members, made)
                    if broken(group.theme, [*members, changed], obstacle) is None
                ),
                None,
            )
            if hint is not None:
                hints[company.company_id] = hint
                break
    return hints


def _groups_by_goals(grouping: Grouping) -> Callable[[tuple[str, ...]], list[Group]]:
    """The plan's groups of any of the given themes, in plan order (kept per goal set: a
    large plan's unassigned companies share a few hundred goal sets)."""
    by_theme: dict[str, list[tuple[int, Group]]] = {}
    for number, group in enumerate(grouping.groups):
        by_theme.setdefault(group.theme, []).append((number, group))
    known: dict[frozenset[str], list[Group]] = {}

    def groups_of(goals: tuple[str, ...]) -> list[Group]:
        key = frozenset(goals)
        if key not in known:
            known[key] = [group for _, group in heapq.merge(*(by_theme.get(t, []) for t in key))]
        return known[key]

    return groups_of


def _changes(
    company: Company, members: list[Company], made: dict[str, Company]
) -> Iterator[tuple[str, Company]]:
    """The single changes to try, the mildest first. `made` keeps the changed companies
    made so far for this company: the same change is tried on group after group."""
    for wording, update in _updates(company, members):
        if wording not in made:
            made[wording] = company.model_copy(update=update)
        yield wording, made[wording]


def _updates(company: Company, members: list[Company]) -> Iterator[tuple[str, dict[str, Any]]]:
    if company.mode == Mode.IN_PERSON:
        yield "it met hybrid", {"mode": Mode.HYBRID}
    spoken = {code for member in members for code in member.languages}
    for code in sorted(spoken - set(company.languages)):
        yield f"it spoke {code}", {"languages": (*company.languages, code)}
    for role in Role:
        if role != company.role:
            yield f"its representative were a {role.value}", {"role": role}


def with_hints(problem: Problem, scenario: Scenario, grouping: Grouping) -> Grouping:
    """The plan with each hint appended to its company's reason ('; would fit ...')."""
    hints = placement_hints(problem, scenario, grouping)
    unassigned = tuple(
        u.model_copy(update={"reason": f"{u.reason}; {hints[u.company_id]}"})
        if u.company_id in hints
        else u
        for u in grouping.unassigned
    )
    return grouping.model_copy(update={"unassigned": unassigned})
