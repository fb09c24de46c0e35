"""Solve the lexicographic objective one level at a time on one CP-SAT model.

CP-SAT proves a small integer objective far faster than a weighted sum with huge weights, so
the levels are solved in turn: the number of companies placed, then each priority's cost
(goal rank, spread, soft relations). Each level starts from the best plan so far and is then
held at its value while the next one runs. The plan is reported as one score,
W·placed - Σ_p w_p · cost_p, with a bound valid for the whole objective: a level's bound holds
given the optimal values of the levels before it, so only the bounds of the proven levels and
of the first unproven one count.

The first two levels are solved as one, though: placing companies and the first cost
(goal rank) fold into W·placed - cost with W one more than any plan's cost, so one more
placed company outweighs every cost. On the shipped sample CP-SAT proves the fold in fewer
units of work (8.5) than the two levels one after the other (7.6 + 9.4): the placement
level alone ends on an arbitrary plan that is poor on goal rank, which the next level must
first repair. Both levels' bounds follow from the fold's (`Fold`). With a short budget the
fold is the worse bet, as it spends on goal rank what placing needed, so it is used only from
`FOLD_WORK_PER_COMPANY` on.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from solver import cpsat
from solver.colgen import OutsideBound
from solver.context import ModelContext
from solver.interrupt import STOP
from solver.objective import ChosenGroup, Level, Objective
from solver.scenario import SolverSettings

WORK_PER_SECOND = 0.45
"""CP-SAT deterministic time budgeted per second of the time limit. Budgets in deterministic
time make runs reproducible; on a 2-core machine here one unit took 1.5-3 s, so the
wall-clock cap seldom ends a search first (a run records when it does)."""
FIRST_LEVEL_SHARE = 0.6
"""Placing companies matters most and is the hardest level to prove."""
MIN_LEVEL_WORK = 0.2
FOLD_WORK_PER_COMPANY = 0.1
"""Work per placeable company from which the first two levels are folded. Measured on the
sample (127 placeable) in units of work, no wall clock: the fold proved placed and goal rank
in 8.5 units, the levels in turn needed 7.6 for placing and 9.4 more for goal rank; with the
work of `--time-limit 30` (13.5 units, 0.106 per company) the fold proves both, the levels in
turn placing only. With less work (10 s, 20 s: 0.035, 0.07 per company) the fold placed fewer
companies than the levels in turn, which settle placing first (measured before, with an
earlier first plan). The wall clock still caps each
run: on a loaded machine a fold cut short by it may place fewer than the levels in turn would
have (`stats.clock_stopped` says so)."""
OUTSIDE_SHARE = 1.0
"""Of a level's work, the most the outside search (`solver.colgen`'s integer master) takes."""
FOLD_SHARE = FIRST_LEVEL_SHARE + 0.5 * (1 - FIRST_LEVEL_SHARE)
"""The fold may use what the two levels in turn would have had together: the sample's fold
took 8.5 units of the 13.5 of 30 s, more than the first level's 60 % (8.1)."""


@dataclass(frozen=True)
class Progress:
    """A better plan found while solving, in the terms a coordinator follows."""

    seconds: float
    level: str
    """The level being optimised: 'placed', then the rules' terms ('goal_rank', ...)."""
    placed: int
    placed_bound: int
    """No plan can place more companies than this (as proven so far)."""
    objective: float
    """The plan's score (see `solver.objective`)."""
    bound: float
    """No plan scores more than this (as proven so far)."""
    value: int | None = None
    """The value of the level being optimised (`level`) in this plan."""
    value_bound: float | None = None
    """No plan does better on that level, as proven so far (None: not yet bounded, as a
    level before it is still open)."""

    @property
    def gap(self) -> float:
        return gap(self.objective, self.bound)


@dataclass
class LexicographicSearch:
    ctx: ModelContext
    objective: Objective
    placeable: int
    best: list[ChosenGroup]
    floors: dict[str, float] = field(default_factory=dict)
    """Relaxation bounds on level costs if all placeable companies are placed."""
    values: dict[str, int] = field(init=False)
    bounds: dict[str, float] = field(default_factory=dict)
    """Bounds of the proven levels and of the first unproven one."""
    proven: int = 0
    clock_stopped: bool = False
    """The wall clock ended a level before its work budget (the run may not reproduce)."""
    found: bool = False
    """CP-SAT found a plan (`best` is no longer the construction heuristic's)."""
    infeasible: bool = False
    """The model has no solution at all: pins the rules cannot keep."""
    outside: OutsideBound | None = None
    """A bound on a level from outside CP-SAT, perhaps with a better plan (`solver.colgen`),
    asked once all levels before it are proven."""
    outside_stats: dict[str, float] = field(default_factory=dict)
    """What `outside` found, for the statistics: each level's LP bound (`spread_lp_bound`)
    and its bound over every column that could beat the plan (`spread_column_bound`)."""

    def __post_init__(self) -> None:
        self.values = self.objective.evaluate(self.best)

    @property
    def levels(self) -> list[Level]:
        return self.objective.levels

    def run(
        self,
        work: float,
        settings: SolverSettings,
        deadline: float,
        on_progress: Callable[[Progress], None] | None = None,
        least: float = MIN_LEVEL_WORK,
    ) -> float:
        """Improve `best` level by level within `work` units of CP-SAT deterministic time and
        the wall-clock `deadline`; returns the work spent. The first level may use 60 % of
        the budget, later ones half of what is left, the last all of it, and each at least
        `least`; a proven level stops early and leaves the rest to the next."""
        started = time.perf_counter()
        budget = work
        rich = work >= FOLD_WORK_PER_COMPANY * self.placeable
        fold = Fold.of(self.objective) if rich else None
        for number, level in enumerate(self.levels):
            if number < self.proven:  # settled by the fold
                continue
            seconds = deadline - time.perf_counter()
            if seconds <= 0 or STOP.requested:
                self.clock_stopped = True
                break
            folded = fold if number == 0 else None
            share = budget * (FIRST_LEVEL_SHARE if number == 0 else 0.5)
            share = budget * FOLD_SHARE if folded is not None else share
            share = budget if number == len(self.levels) - 1 else share
            if folded is not None:
                folded.optimise(self.ctx)
            else:
                cpsat.optimise(self.ctx, level)
            self.ctx.model.clear_hints()
            cpsat.add_hint(self.ctx, self.best)
            counts = self.proven == number  # all earlier levels proven: its bound is valid
            if counts and folded is None:
                outside = share * OUTSIDE_SHARE
                spent, settled = self._bound_from_outside(level, outside, deadline)
                budget -= spent
                share -= spent
                if settled:
                    continue

            def report(
                solution: cpsat.Solution, level: Level = level, counts=counts, folded=folded
            ):
                if on_progress:
                    found = (
                        folded.bounds(solution.bound, solution.values)
                        if folded is not None
                        else {level.name: solution.bound}
                    )
                    known = self.bounds | (found if counts else {})
                    # In the fold: the cost level once placing is settled, else placing.
                    shown = level
                    if folded is not None and folded.second.name in found:
                        shown = folded.second
                    on_progress(
                        Progress(
                            seconds=time.perf_counter() - started,
                            level=shown.name,
                            placed=solution.values["placed"],
                            placed_bound=self.placed_bound(known),
                            objective=self.score(solution.values),
                            bound=self.score_bound(known),
                            value=shown.value(solution.values),
                            value_bound=known.get(shown.name) if counts else None,
                        )
                    )

            outcome = cpsat.run(
                self.ctx,
                work=max(least, share),
                seconds=deadline - time.perf_counter(),
                seed=settings.seed,
                workers=settings.workers,
                on_solution=report,
            )
            budget -= outcome.work
            self.clock_stopped |= outcome.clock_stopped
            if outcome.status == "infeasible":
                self.infeasible = True
                break
            if outcome.groups:
                self.best, self.values = outcome.groups, outcome.terms
                self.found = True
            if folded is not None:
                self._settle_fold(folded, outcome)
                continue
            if counts and outcome.bound is not None:
                # After the fold, the cost level may already have a better bound from it.
                known = self.bounds.get(level.name, outcome.bound)
                tighter = min if level.maximise else max
                self.bounds[level.name] = tighter(known, outcome.bound)
            value = level.value(self.values)
            if counts and (outcome.status == "optimal" or self.bounds.get(level.name) == value):
                self.proven += 1
            cpsat.hold(self.ctx, level, value)
        return work - budget

    def _bound_from_outside(self, level: Level, work: float, deadline: float) -> tuple[float, bool]:
        """Take the outside bound of a cost level and its plan if better, and tell CP-SAT both
        (the bound as a cut no plan keeping the levels before loses); returns the work spent
        and whether the level is proven, so CP-SAT need not run."""
        if self.outside is None or level.maximise:
            return 0.0, False
        found = self.outside(level, self.values, self.best, work, deadline)
        if found is None:
            return 0.0, False
        self.clock_stopped |= found.clock_stopped
        if found.plan is not None:
            self.best, self.values = found.plan, self.objective.evaluate(found.plan)
            self.ctx.model.clear_hints()
            cpsat.add_hint(self.ctx, self.best)
        least = math.ceil(found.floor - 1e-6)
        value = level.value(self.values)
        if least > value:  # cannot be, as the plan keeps the levels before: ignore it
            return found.work, False
        if found.bound is not None:
            self.outside_stats[f"{level.name}_lp_bound"] = found.bound.value
        self.outside_stats[f"{level.name}_column_bound"] = found.floor
        self.bounds[level.name] = max(self.bounds.get(level.name, 0), least)
        self.ctx.model.add(cpsat.level_expr(self.ctx, level) >= least)
        if least < value:
            return found.work, False
        self.proven += 1
        cpsat.hold(self.ctx, level, value)
        return found.work, True

    def _settle_fold(self, fold: "Fold", outcome: cpsat.Run) -> None:
        """Bounds and proofs of both folded levels, and hold them where the plan has them."""
        found = {} if outcome.bound is None else fold.bounds(outcome.bound, self.values)
        self.bounds |= found
        for level in (fold.first, fold.second):
            proven = outcome.status == "optimal" or found.get(level.name) == level.value(
                self.values
            )
            if self.proven == self.levels.index(level) and proven:
                self.proven += 1
            cpsat.hold(self.ctx, level, level.value(self.values))

    @property
    def optimal(self) -> bool:
        return self.proven == len(self.levels)

    def score(self, values: dict[str, int]) -> int:
        return self.objective.score(values)

    def score_bound(self, bounds: dict[str, float] | None = None) -> float:
        known = self.bounds if bounds is None else bounds
        return self.objective.score_bound(known, self.placeable, self.floors)

    def placed_bound(self, bounds: dict[str, float] | None = None) -> int:
        known = self.bounds if bounds is None else bounds
        return min(self.placeable, math.floor(known.get("placed", self.placeable) + 1e-6))


@dataclass(frozen=True)
class Fold:
    """Placing (`first`, maximised) and the first cost level (`second`) as one objective,
    weight·placed - cost, with `weight` one more than the most the cost can be in any plan.

    A bound B on the fold bounds both levels: a plan placing p companies folds to at least
    weight·p - (weight - 1), so p <= (B + weight - 1) / weight; and when no plan places more
    than the plan's p, none of those costs less than weight·p - B."""

    first: Level
    second: Level
    weight: int

    @classmethod
    def of(cls, objective: Objective) -> "Fold | None":
        """The fold of the objective's first two levels (None with a single level)."""
        if len(objective.levels) < 2 or not objective.levels[0].maximise:
            return None
        second = objective.levels[1]
        upper = sum(
            rule.cost_upper(objective.problem)
            for rule in objective.rules
            if rule.term in second.terms
        )
        return cls(objective.levels[0], second, upper + 1)

    def optimise(self, ctx: ModelContext) -> None:
        ctx.model.clear_objective()
        placed = cpsat.level_expr(ctx, self.first)
        ctx.model.maximize(self.weight * placed - cpsat.level_expr(ctx, self.second))

    def bounds(self, bound: float, values: dict[str, int]) -> dict[str, float]:
        """The levels' bounds implied by the fold's bound `bound`; the cost level's only when
        placing is proven at the plan's value."""
        placed = math.floor((bound + self.weight - 1) / self.weight + 1e-9)
        found: dict[str, float] = {self.first.name: placed}
        if placed <= self.first.value(values):
            cost = math.ceil(self.weight * self.first.value(values) - bound - 1e-9)
            found[self.second.name] = max(0, cost)
        return found


def gap(objective: float, bound: float) -> float:
    """Relative distance from a plan's score to the bound (0 when proven optimal)."""
    return max(0.0, bound - objective) / max(1.0, abs(objective))
