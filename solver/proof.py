"""What a plan's score and bound say, level by level, in a coordinator's terms.

The score folds the lexicographic levels into one number (`solver.objective`), so a single
gap hides which levels are settled. A level and every level before it are proven when no plan
can do better on them: a plan better on that prefix scores at least the prefix's value + 1
(one unit of a level outweighs every later level), so a bound below that proves the prefix.
Scores unfold back into levels the same way: placed = ceil(score / W), then each cost in
turn from what remains.
"""

import math
from dataclasses import dataclass

from peergroups.model import Problem
from solver.objective import Objective
from solver.scenario import Scenario


@dataclass(frozen=True)
class Proof:
    proven: tuple[str, ...]
    """The levels proven optimal, in order ('placed', 'goal_rank', ...)."""
    open: tuple[str, ...]
    """The levels not proven."""
    placed_at_most: int | None
    """No plan places more companies than this (None without a bound)."""


class ScoreReader:
    """Reads scores and bounds of one problem under one scenario."""

    def __init__(self, problem: Problem, scenario: Scenario) -> None:
        self.problem, self.scenario = problem, scenario
        self.objective = Objective(problem, scenario.grouping_rules, scenario.priorities)
        self.levels = self.objective.levels

    @classmethod
    def of(cls, problem: Problem, scenario: Scenario) -> "ScoreReader":
        """The reader of this problem and scenario, made once: a run's progress lines and its
        printed summary read the same scores, and the levels look at every company (a tenth
        of a second of a stopped run's last moments at 100,000)."""
        for reader in _last_reader:
            if reader.problem is problem and reader.scenario is scenario:
                return reader
        _last_reader[:] = [cls(problem, scenario)]
        return _last_reader[0]

    def levels_of(self, score: float) -> dict[str, int]:
        """The level values a score folds: {'placed': 121, 'goal_rank': 52, ...}."""
        first, *costs = self.levels
        placed = max(0, math.ceil(score / first.weight - 1e-9))
        rest = round(placed * first.weight - score)
        values = {first.name: placed}
        for level in costs:
            values[level.name], rest = divmod(rest, level.weight)
        return values

    def placed_at_most(self, bound: float | None) -> int | None:
        """A plan placing k scores at least k·W - (W - 1) (the costs of every later level
        together stay below W), so it exists only if that is within the bound."""
        if bound is None:
            return None
        weight = self.levels[0].weight
        return math.floor((bound + weight - 1) / weight + 1e-9)

    def proof(self, terms: dict[str, int], bound: float | None, optimal: bool) -> Proof:
        names = [level.name for level in self.levels]
        if optimal:
            return Proof(tuple(names), (), self.placed_at_most(bound))
        proven: list[str] = []
        prefix = 0
        for level, value in zip(self.levels, self.objective.key(terms), strict=True):
            prefix += level.weight * value
            if bound is None or bound >= prefix + 1 - 1e-6:
                break
            proven.append(level.name)
        return Proof(tuple(proven), tuple(names[len(proven) :]), self.placed_at_most(bound))


_last_reader: list[ScoreReader] = []
"""The reader made last (`ScoreReader.of`)."""
