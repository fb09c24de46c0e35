"""The programme's own terms for one plan, as summary.json and the report record them.

Eligibility findings (with the settings of the scenario's `eligibility` rule, in force or
not), the subsidised seats granted within the `subsidy` rule's budget, and the group sizes
observed by meeting format next to the bounds that apply to them.
"""

from typing import Any

from peergroups.model import GroupFacts, Grouping, Problem
from peergroups.programme import Screening, findings_summary, grant_seats, screen
from solver.rules.eligibility import Eligibility
from solver.rules.group_size import GroupSize
from solver.rules.subsidy import Subsidy
from solver.scenario import Scenario


def screening(scenario: Scenario) -> Screening:
    """The screening settings of the scenario's eligibility rule, even when it is off (the
    findings are reported either way)."""
    rule = next((r for r in scenario.rules if isinstance(r, Eligibility)), None)
    return rule.screening if rule is not None else Screening()


def eligibility(problem: Problem, scenario: Scenario) -> dict[str, Any]:
    """The eligibility findings as `summary` records them: they depend on the companies
    alone, so a run works them out before its search rather than after a stop."""
    settings = screening(scenario)
    return findings_summary(screen(problem, settings), settings)


def summary(
    problem: Problem,
    scenario: Scenario,
    grouping: Grouping,
    found_eligible: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The programme's terms; `found_eligible`: `eligibility`, if worked out already."""
    eligible = found_eligible if found_eligible is not None else eligibility(problem, scenario)
    found: dict[str, Any] = {"eligibility": eligible}
    if any(c.subsidy is not None for c in problem.companies) or scenario.rule("subsidy"):
        budget = scenario.rule("subsidy")
        seats = budget.seats if isinstance(budget, Subsidy) else 0
        found["subsidy"] = grant_seats(problem, grouping, seats).summary() | {
            "budget_eur": budget.budget_eur if isinstance(budget, Subsidy) else None,
            "seat_price_eur": budget.seat_price_eur if isinstance(budget, Subsidy) else None,
        }
    size = scenario.rule("group_size")
    if isinstance(size, GroupSize) and (size.by_mode or size.by_theme):
        found["sizes_by_mode"] = sizes_by_mode(problem, grouping, size)
        found["group_bounds"] = {
            group.group_id: size.bounds(GroupFacts.of(problem, group).mode, group.theme)
            for group in grouping.groups
        }
    if any(c.digiagent for c in problem.companies):
        found["digiagents"] = len({c.digiagent for c in problem.companies if c.digiagent})
    return found


def sizes_by_mode(problem: Problem, grouping: Grouping, rule: GroupSize) -> dict[str, Any]:
    """Per meeting format: how many groups, the sizes observed, and every bound in force."""
    seen: dict[str, list[tuple[str, int]]] = {}
    for group in grouping.groups:
        facts = GroupFacts.of(problem, group)
        if facts.mode is not None:
            seen.setdefault(facts.mode.value, []).append((group.theme, facts.size))
    return {
        mode: {
            "groups": len(entries),
            "smallest": min(size for _, size in entries),
            "largest": max(size for _, size in entries),
            "bounds": sorted({rule.bounds(mode, theme) for theme, _ in entries}),
        }
        for mode, entries in sorted(seen.items())
    }
