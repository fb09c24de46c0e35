"""One change that would place an unassigned company in a group of the plan.

For a company left out, try each single change a coordinator could ask of it: meet hybrid
instead of in person, speak one more language (a language of the group), or send a
representative of another position. When the company breaks a rule of a group of its theme
as it is, but keeps every rule of that group after the change, the reason gains a hint:
"would fit G07 if it met hybrid". The check is the rules' own `group_violations` over the
group with the company added, so a hint never promises more than `check` would accept.
"""

from collections.abc import Iterator

from peergroups.model import Company, Grouping, Mode, Problem
from peergroups.roles import Role
from solver.scenario import Scenario

MAX_CHECKS = 20_000
"""Group checks one plan's hints may take: a deterministic cap (not a clock, so the same run
gives the same files) that keeps a large programme's run short; companies beyond it get no
hint."""


def placement_hints(problem: Problem, scenario: Scenario, grouping: Grouping) -> dict[str, str]:
    """Unassigned company id -> its hint, for the companies that one change would place."""
    rules = scenario.grouping_rules

    def fits(theme: str, members: list[Company]) -> bool:
        return not any(rule.group_violations(problem, theme, members) for rule in rules)

    hints = {}
    checks = 0
    for entry in grouping.unassigned:
        company = problem.by_id.get(entry.company_id)
        if company is None:
            continue
        for group in grouping.groups:
            if group.theme not in company.goals:
                continue
            checks += 1
            if checks > MAX_CHECKS:
                return hints
            members = [problem.by_id[c] for c in group.members if c in problem.by_id]
            if fits(group.theme, [*members, company]):
                break  # it fits as it is: its obstacle is elsewhere (the search, a seat)
            hint = next(
                (
                    f"would fit {group.group_id} if {wording}"
                    for wording, changed in _changes(company, members)
                    if fits(group.theme, [*members, changed])
                ),
                None,
            )
            if hint is not None:
                hints[company.company_id] = hint
                break
    return hints


def _changes(company: Company, members: list[Company]) -> Iterator[tuple[str, Company]]:
    """The single changes to try, the mildest first."""
    if company.mode == Mode.IN_PERSON:
        yield "it met hybrid", company.model_copy(update={"mode": Mode.HYBRID})
    spoken = {code for member in members for code in member.languages}
    for code in sorted(spoken - set(company.languages)):
        yield (
            f"it spoke {code}",
            company.model_copy(update={"languages": (*company.languages, code)}),
        )
    for role in Role:
        if role != company.role:
            yield (
                f"its representative were a {role.value}",
                company.model_copy(update={"role": role}),
            )


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
