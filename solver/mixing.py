"""Mixing: swap and move companies between groups of one theme while the plan gets better.

A search that stops at its time limit may leave a lower level of the objective untouched,
typically pairs that met in an earlier round (`repeat_pairs`) while it was still proving
how many companies can be placed. Exchanging two members of groups with the same theme, or
moving one member to another group of its theme, keeps every company placed and every goal
rank; such a step is taken when both groups keep every rule and the plan's lexicographic key
(`Objective.key`) improves. Only steps that part more met pairs than they join are checked
in full. Steps are tried in a fixed order and counted, so the same plan and problem give the
same result on any machine; a wall-clock deadline only guards a machine far slower than
expected.
"""

import math
import time

from peergroups.model import Problem
from solver.interrupt import STOP
from solver.objective import ChosenGroup, Objective
from solver.rules import Rule

MAX_STEPS = 5_000
"""Steps fully checked at most (each runs every rule's check on two groups): on the
generated 500-company cohort a few seconds, on a busy two-core machine."""


def applies(problem: Problem) -> bool:
    """Mixing works on plans with history and no pins or current groups (those bind across
    groups, which a swap between two groups does not see)."""
    return bool(problem.met) and not problem.pins and not problem.current


def improve(
    problem: Problem,
    objective: Objective,
    rules: list[Rule],
    groups: list[ChosenGroup],
    max_steps: int = MAX_STEPS,
    deadline: float = math.inf,
) -> list[ChosenGroup]:
    """The plan after first-improvement swaps and moves among companies in a met pair."""
    if not applies(problem):
        return groups
    plan = [(theme, sorted(members)) for theme, members in groups]
    met: dict[str, set[str]] = {}
    for a, b in problem.met:
        met.setdefault(a, set()).add(b)
        met.setdefault(b, set()).add(a)
    terms = objective.rules
    cost = [_group_terms(problem, terms, theme, members) for theme, members in plan]
    values = objective.evaluate(plan)
    steps = 0
    improved = True
    while improved:
        improved = False
        for i in range(len(plan)):
            for j in range(len(plan)):
                theme, members = plan[i]
                other_theme, others = plan[j]
                movers = [c for c in members if met.get(c, set()) & set(members)]
                if j == i or other_theme != theme or not movers:
                    continue
                for leaving, joining in _changes(movers, others):
                    new_i = sorted((set(members) - set(leaving)) | set(joining))
                    new_j = sorted((set(others) - set(joining)) | set(leaving))
                    # Placing and goal ranks stay; a step must first of all part met pairs.
                    if _met_pairs(met, new_i) + _met_pairs(met, new_j) >= _met_pairs(
                        met, members
                    ) + _met_pairs(met, others):
                        continue
                    steps += 1
                    if steps > max_steps or time.perf_counter() > deadline or STOP.requested:
                        return plan
                    if not new_j or not _valid(problem, rules, theme, new_i):
                        continue
                    if not _valid(problem, rules, theme, new_j):
                        continue
                    cost_i = _group_terms(problem, terms, theme, new_i)
                    cost_j = _group_terms(problem, terms, theme, new_j)
                    candidate = {
                        name: values[name]
                        - cost[i][name]
                        - cost[j][name]
                        + cost_i[name]
                        + cost_j[name]
                        for name in values
                    }
                    trial = [*plan]
                    trial[i], trial[j] = (theme, new_i), (theme, new_j)
                    for rule in terms:
                        whole = rule.plan_cost(problem, trial)
                        if whole is not None:
                            candidate[rule.term] = whole
                    if objective.key(candidate) > objective.key(values):
                        plan, values = trial, candidate
                        cost[i], cost[j] = cost_i, cost_j
                        improved = True
                        break
    return plan


def _met_pairs(met: dict[str, set[str]], members: list[str]) -> int:
    """How many pairs of the group met before (each counted once)."""
    inside = set(members)
    return sum(len(met.get(c, set()) & inside) for c in members) // 2


def _changes(movers: list[str], others: list[str]):
    """(leaving i, leaving j): a mover swapped with each member of j, or moved alone."""
    for a in movers:
        for b in others:
            yield (a,), (b,)
        yield (a,), ()


def _group_terms(problem: Problem, rules: list[Rule], theme: str, members: list[str]):
    companies = [problem.by_id[c] for c in members]
    values = {"placed": len(members)}
    for rule in rules:
        values[rule.term] = rule.group_cost(problem, theme, companies)
    return values


def _valid(problem: Problem, rules: list[Rule], theme: str, members: list[str]) -> bool:
    companies = [problem.by_id[c] for c in members]
    return bool(companies) and not any(
        rule.group_violations(problem, theme, companies) for rule in rules
    )
