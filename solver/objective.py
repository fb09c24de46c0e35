"""The lexicographic objective in plain Python, the order every search optimises.

Place as many companies as possible; then, level by level in the order of the rules'
`priority`, make each level's cost small (goal rank, maturity spread, soft relations). Every
term is a sum over groups, so plans and parts of plans compare by the same key.

For reports the levels fold into one score, W·placed - Σ_p w_p·cost_p, with weights that keep
the order strict: one unit of a level outweighs every possible value of all later levels
together, w_p = 1 + Σ_{q after p} w_q · upper_q, where upper_q is the largest cost level q can
reach in any plan of this problem. The weights depend on the problem and rules only, so
scores of different searches on one problem compare.
"""

import math
from dataclasses import dataclass

from peergroups.model import Company, Problem
from solver.rules import Rule

ChosenGroup = tuple[str, list[str]]
"""A group as the searches handle it: (theme, member ids), cheap to build by the million
where `peergroups.model.Group` validates each field; the plan becomes `Group`s once, at
the end (`solver.pipeline`)."""


@dataclass(frozen=True)
class Level:
    name: str
    terms: tuple[str, ...]
    """The values it sums: ('placed',) or the terms of the rules of one priority."""
    maximise: bool
    weight: int

    def value(self, values: dict[str, int]) -> int:
        return sum(values[name] for name in self.terms)


class Objective:
    def __init__(
        self, problem: Problem, rules: list[Rule], priorities: dict[str, float] | None = None
    ) -> None:
        """`priorities`: a scenario's ranks for rules it moves (`Scenario.priorities`)."""
        self.problem = problem
        self.rules = [r for r in rules if r.term is not None]
        moved = priorities or {}

        def rank(rule: Rule) -> float:
            return moved.get(rule.kind, rule.priority)

        # A term that can only be 0 (no history, no current groups) is no level at all.
        leveled = [r for r in self.rules if r.cost_upper(problem) > 0]
        costs = []
        below = 0
        for priority in sorted({rank(r) for r in leveled}, reverse=True):
            same = [r for r in leveled if rank(r) == priority]
            weight = below + 1
            below += weight * sum(r.cost_upper(problem) for r in same)
            terms = tuple(r.term for r in same)
            costs.append(Level("+".join(terms), terms, maximise=False, weight=weight))
        self.levels = [Level("placed", ("placed",), True, below + 1), *reversed(costs)]

    def evaluate(self, groups: list[ChosenGroup]) -> dict[str, int]:
        """`placed` and every rule's term, summed over the groups (whose members are looked
        up once for all the rules)."""
        values = {"placed": sum(len(members) for _, members in groups)}
        crews: list[list[Company]] = []
        for rule in self.rules:
            whole = rule.plan_cost(self.problem, groups)
            if whole is None and not crews and groups:
                by_id = self.problem.by_id
                crews = [[by_id[c] for c in members] for _, members in groups]
            values[rule.term] = (
                whole
                if whole is not None
                else sum(
                    rule.group_cost(self.problem, theme, crew)
                    for (theme, _), crew in zip(groups, crews, strict=True)
                )
            )
        return values

    def key(self, values: dict[str, int]) -> tuple[int, ...]:
        """Larger is better: placed, then minus each level's cost."""
        return tuple(lv.value(values) if lv.maximise else -lv.value(values) for lv in self.levels)

    def score(self, values: dict[str, int]) -> int:
        return sum(lv.weight * v for lv, v in zip(self.levels, self.key(values), strict=True))

    def score_bound(
        self, bounds: dict[str, float], placeable: int, floors: dict[str, float] | None = None
    ) -> float:
        """Upper bound on the score from bounds known per level.

        A level's bound holds given the optimal values of the levels before it, so pass the
        bounds of the proven levels and of the first unproven one only. `floors` are costs
        every plan placing all `placeable` companies must pay (say, each company's best goal
        rank); they count only while no bound says fewer can be placed, which is safe because
        one more placed company outweighs every cost. Other levels are taken at their best.
        """
        placed = min(placeable, math.floor(bounds.get("placed", placeable) + 1e-6))
        known = (floors or {}) | bounds if placed == placeable else bounds
        total = 0.0
        for level in self.levels:
            if level.maximise:
                total += level.weight * placed
            else:
                total -= level.weight * max(0, math.ceil(known.get(level.name, 0) - 1e-6))
        return total


class RememberingObjective(Objective):
    """`Objective` for plans evaluated again and again with few new groups each time (a
    review's moves; the groups of a run's plans, `solver.groundwork`): each group's cost under
    each rule is remembered, so an evaluation costs only the groups that are new. Same values
    as `Objective.evaluate`."""

    def __init__(
        self, problem: Problem, rules: list[Rule], priorities: dict[str, float] | None = None
    ) -> None:
        super().__init__(problem, rules, priorities)
        self._costs: dict[tuple[str, str, tuple[str, ...]], int] = {}
        self._summed = [r for r in self.rules if type(r).plan_cost is Rule.plan_cost]

    def evaluate(self, groups: list[ChosenGroup]) -> dict[str, int]:
        values = {"placed": sum(len(members) for _, members in groups)}
        keys = [(theme, tuple(sorted(members))) for theme, members in groups]
        for rule in self.rules:
            whole = rule.plan_cost(self.problem, groups)
            if whole is not None:
                values[rule.term] = whole
                continue
            values[rule.term] = sum(self._cost(rule, theme, members) for theme, members in keys)
        return values

    def remember(
        self, theme: str, members: tuple[str, ...], crew: list[Company]
    ) -> tuple[int, ...]:
        """Work out a group's costs now (`members` sorted, `crew` their companies), for the
        evaluations to come: its cost under each rule whose term is a sum over groups."""
        return tuple(self._cost(rule, theme, members, crew) for rule in self._summed)

    def learn(self, theme: str, members: tuple[str, ...], costs: tuple[int, ...]) -> None:
        """A group's costs as `remember` gave them in another process."""
        for rule, cost in zip(self._summed, costs, strict=True):
            self._costs[(rule.kind, theme, members)] = cost

    def _cost(
        self, rule: Rule, theme: str, members: tuple[str, ...], crew: list[Company] | None = None
    ) -> int:
        key = (rule.kind, theme, members)
        if key not in self._costs:
            chosen = crew if crew is not None else [self.problem.by_id[c] for c in members]
            self._costs[key] = rule.group_cost(self.problem, theme, chosen)
        return self._costs[key]
