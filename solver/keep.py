"""Re-optimise a plan around groups a reviewer keeps: each kept group becomes pins of kind
`group` for its members and one of kind `lock` (the group holds exactly them), the rest of
the plan is solved again under every rule of the scenario.

A reviewer's "keep these groups, re-optimise the rest" (`peergroups review`). The kept
companies' own pins give way to the lock, which says more; everyone else's pins stay.
"""

from collections.abc import Callable

from peergroups.model import Grouping, Pin, PinKind, Problem
from solver.lexicographic import Progress
from solver.pipeline import solve
from solver.scenario import Scenario


def keeping(problem: Problem, grouping: Grouping, kept: frozenset[str]) -> Problem:
    """The problem with the kept groups of `grouping` locked as they are."""
    held = {cid for g in grouping.groups if g.group_id in kept for cid in g.members}
    pins = [p for p in problem.pins if p.company_id not in held]
    for group in grouping.groups:
        if group.group_id in kept:
            pins += [
                Pin(kind=PinKind.GROUP, company_id=c, group_id=group.group_id)
                for c in group.members
            ]
            pins.append(Pin(kind=PinKind.LOCK, group_id=group.group_id, themes=(group.theme,)))
    fields = {name: getattr(problem, name) for name in Problem.model_fields}
    return Problem(**(fields | {"pins": tuple(pins)}))


def reoptimise_keeping(
    problem: Problem,
    scenario: Scenario,
    grouping: Grouping,
    kept: frozenset[str],
    on_progress: Callable[[Progress], None] | None = None,
) -> Grouping:
    """A new plan: the kept groups exactly as they are, the rest solved again."""
    return solve(keeping(problem, grouping, kept), scenario, on_progress).grouping
