"""The objective in plain Python: the same lexicographic order the CP-SAT model optimises.

Place as many companies as possible; then, in order of the rules' `priority`, make each
rule's cost small (goal rank, maturity spread, soft relations). Every term is a sum over
groups, so plans and parts of plans compare by the same key.
"""

from peergroups.model import Problem
from solver.context import ObjectiveTerm
from solver.rules import Rule

ChosenGroup = tuple[str, list[str]]


def evaluate(problem: Problem, rules: list[Rule], groups: list[ChosenGroup]) -> dict[str, int]:
    """`placed` and every rule's term, summed over the groups."""
    values = {"placed": sum(len(members) for _, members in groups)}
    for rule in rules:
        if rule.term is not None:
            values[rule.term] = sum(
                rule.group_cost(problem, theme, [problem.by_id[cid] for cid in members])
                for theme, members in groups
            )
    return values


def lexicographic_key(values: dict[str, int], rules: list[Rule]) -> tuple[int, ...]:
    """Larger is better: placed first, then minus each priority's total cost."""
    priorities = sorted({r.priority for r in rules if r.term is not None})
    costs = [
        sum(values[r.term] for r in rules if r.term is not None and r.priority == p)
        for p in priorities
    ]
    return (values["placed"], *(-cost for cost in costs))


def lexicographic_weights(terms: list[ObjectiveTerm]) -> dict[int, int]:
    """A weight per priority such that one unit of a more important term outweighs every
    possible value of all less important terms together (lower priority number = more
    important): w_p = 1 + Σ_{q less important} w_q · upper_q."""
    weights: dict[int, int] = {}
    below = 0
    for priority in sorted({t.priority for t in terms}, reverse=True):
        weights[priority] = below + 1
        below += weights[priority] * sum(t.upper for t in terms if t.priority == priority)
    return weights


def placement_weight(terms: list[ObjectiveTerm]) -> int:
    """Weight of one placed company: more than all costs can ever add up to."""
    weights = lexicographic_weights(terms)
    return 1 + sum(weights[t.priority] * t.upper for t in terms)
