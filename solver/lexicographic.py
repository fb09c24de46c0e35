"""Solve the lexicographic objective one level at a time on one CP-SAT model.

CP-SAT proves a small integer objective far faster than a weighted sum with huge weights, so
the levels are solved in turn: the number of companies placed, then each priority's cost
(goal rank, spread, soft relations). Each level starts from the best plan so far and is then
held at its value while the next one runs. The plan is reported as one score,
W·placed - Σ_p w_p · cost_p, with a bound valid for the whole objective: a level's bound holds
given the optimal values of the levels before it, so only the bounds of the proven levels and
of the first unproven one count.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from solver import cpsat
from solver.context import ModelContext
from solver.objective import ChosenGroup
from solver.scenario import SolverSettings

MIN_LEVEL_SECONDS = 0.5
"""Every level but the last may use half the remaining time; a proven level stops early."""


@dataclass(frozen=True)
class Progress:
    """A better plan found while solving, in the terms a coordinator follows."""

    seconds: float
    level: str
    """The level being optimised: 'placed', then the rules' terms ('goal_rank', ...)."""
    placed: int
    placed_bound: int
    """No plan can place more companies than this (as proven so far)."""
    gap: float
    """Relative gap of the whole objective (its single score)."""


@dataclass
class LexicographicSearch:
    ctx: ModelContext
    placeable: int
    best: list[ChosenGroup]
    values: dict[str, int]
    levels: list[cpsat.Level] = field(init=False)
    bounds: dict[str, float] = field(default_factory=dict)
    """Bounds of the proven levels and of the first unproven one."""
    proven: int = 0

    def __post_init__(self) -> None:
        self.levels = cpsat.levels(self.ctx)

    def run(
        self,
        settings: SolverSettings,
        deadline: float,
        on_progress: Callable[[Progress], None] | None = None,
    ) -> None:
        """Improve `best` level by level until every level is solved or time runs out."""
        started = time.perf_counter()
        for number, level in enumerate(self.levels):
            remaining = deadline - time.perf_counter()
            share = remaining if number == len(self.levels) - 1 else remaining / 2
            cpsat.optimise(self.ctx, level)
            self.ctx.model.clear_hints()
            cpsat.add_hint(self.ctx, self.best)
            counts = self.proven == number  # all earlier levels proven: its bound is valid

            def report(solution: cpsat.Solution, level: cpsat.Level = level, counts=counts):
                if on_progress:
                    known = self.bounds | ({level.name: solution.bound} if counts else {})
                    on_progress(
                        Progress(
                            seconds=time.perf_counter() - started,
                            level=level.name,
                            placed=solution.values["placed"],
                            placed_bound=self.placed_bound(known),
                            gap=gap(self.score(solution.values), self.score_bound(known)),
                        )
                    )

            limit = settings.model_copy(update={"time_limit": max(MIN_LEVEL_SECONDS, share)})
            outcome = cpsat.run(self.ctx, limit, report)
            if outcome.groups:
                self.best, self.values = outcome.groups, outcome.terms
            if counts and outcome.bound is not None:
                self.bounds[level.name] = outcome.bound
            if counts and outcome.status == "optimal":
                self.proven += 1
            cpsat.hold(self.ctx, level, level.value(self.values))

    @property
    def optimal(self) -> bool:
        return self.proven == len(self.levels)

    def score(self, values: dict[str, int]) -> int:
        return cpsat.score(self.levels, values)

    def score_bound(self, bounds: dict[str, float] | None = None) -> float:
        known = self.bounds if bounds is None else bounds
        return cpsat.score_bound(self.levels, known, self.placeable)

    def placed_bound(self, bounds: dict[str, float] | None = None) -> int:
        known = self.bounds if bounds is None else bounds
        return min(self.placeable, math.floor(known.get("placed", self.placeable) + 1e-6))


def gap(objective: float, bound: float) -> float:
    """Relative distance from a plan's score to the bound (0 when proven optimal)."""
    return max(0.0, bound - objective) / max(1.0, abs(objective))
