"""Large neighbourhood search: re-solve a small part of the plan exactly, keep improvements.

For instances too large for one CP-SAT model. A neighbourhood is a set of companies around a
centre company: the groups nearest to it in maturity among those of its possible themes (or
holding a company with one of those themes), plus unplaced companies of those themes near
it. Their groups are dissolved and the part is solved by the lexicographic search on its own
leader-slot model, starting from the dissolved groups; every objective term is a sum over
groups, so a better part makes a better plan, which is kept.

Centres are unplaced companies (to place them) or placed ones (to re-theme or tighten),
alternately. Budgets are CP-SAT deterministic time plus a fixed charge per neighbourhood, so
the sequence of neighbourhoods, and the plan, depend only on the input and the seed.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from peergroups.model import Problem
from solver import cpsat
from solver.lexicographic import LexicographicSearch
from solver.objective import ChosenGroup, Objective
from solver.rules import Rule
from solver.scenario import SolverSettings

NEIGHBOURHOOD_SIZE = 120
"""Companies freed at once: small enough for CP-SAT to settle a part in about a second."""
WORK_PER_NEIGHBOURHOOD = 0.6
CHARGE_PER_NEIGHBOURHOOD = 0.05
"""Work units charged for building a neighbourhood's model (Python time, not CP-SAT's)."""


@dataclass(frozen=True)
class Improvement:
    seconds: float
    values: dict[str, int]


@dataclass
class NeighbourhoodSearch:
    objective: Objective
    rules: list[Rule]
    themes_of: dict[str, tuple[str, ...]]
    min_size: int
    window: float | None
    best: list[ChosenGroup]
    neighbourhoods: int = 0
    work_spent: float = 0.0

    @property
    def problem(self) -> Problem:
        return self.objective.problem

    def run(
        self,
        work: float,
        settings: SolverSettings,
        deadline: float,
        on_improvement: Callable[[Improvement], None] | None = None,
    ) -> bool:
        """Improve `best` until `work` is spent; False when the wall clock stopped it first."""
        rng = random.Random(settings.seed)
        started = time.perf_counter()
        values = self.objective.evaluate(self.best)
        key = self.objective.key(values)
        while self.work_spent < work:
            if time.perf_counter() >= deadline:
                return False
            self.neighbourhoods += 1
            freed = self._neighbourhood(rng, unplaced_centre=self.neighbourhoods % 2 == 1)
            candidate, used = self._resolve(freed, rng, settings, deadline)
            self.work_spent += used + CHARGE_PER_NEIGHBOURHOOD
            candidate_values = self.objective.evaluate(candidate)
            candidate_key = self.objective.key(candidate_values)
            if candidate_key > key:
                self.best, values, key = candidate, candidate_values, candidate_key
                if on_improvement:
                    on_improvement(Improvement(time.perf_counter() - started, values))
        return True

    def _neighbourhood(self, rng: random.Random, unplaced_centre: bool) -> set[str]:
        """Company ids to free around a centre company."""
        seated = {cid for _, members in self.best for cid in members}
        waiting = sorted(cid for cid in self.themes_of if cid not in seated)
        pool = waiting if unplaced_centre and waiting else sorted(seated)
        centre = self.problem.by_id[rng.choice(pool)]
        themes = set(self.themes_of[centre.company_id])
        near = centre.maturity

        def distance(members: list[str]) -> float:
            return min(abs(self.problem.by_id[cid].maturity - near) for cid in members)

        related = [
            (distance(members), theme, members)
            for theme, members in self.best
            if theme in themes or any(themes & set(self.themes_of[cid]) for cid in members)
        ]
        freed: set[str] = {centre.company_id}
        for _, _, members in sorted(related, key=lambda entry: (entry[0], entry[1], entry[2])):
            if len(freed) + len(members) > NEIGHBOURHOOD_SIZE * 2 // 3:
                break
            freed.update(members)
        reach = 2 * self.window if self.window is not None else 100.0
        nearby = sorted(
            (abs(self.problem.by_id[cid].maturity - near), cid)
            for cid in waiting
            if themes & set(self.themes_of[cid])
            and abs(self.problem.by_id[cid].maturity - near) <= reach
        )
        for _, cid in nearby[: NEIGHBOURHOOD_SIZE - len(freed)]:
            freed.add(cid)
        return freed

    def _resolve(
        self, freed: set[str], rng: random.Random, settings: SolverSettings, deadline: float
    ) -> tuple[list[ChosenGroup], float]:
        """The plan with the freed companies' groups re-solved, and the work it took."""
        kept = [(t, m) for t, m in self.best if not freed & set(m)]
        dissolved = [(t, m) for t, m in self.best if freed & set(m)]
        freed |= {cid for _, members in dissolved for cid in members}
        part = {cid: self.themes_of[cid] for cid in sorted(freed)}
        plans = cpsat.plan_slots(self.problem, self.rules, part, self.min_size, self.window)
        ctx = cpsat.build(self.problem, self.rules, plans)
        search = LexicographicSearch(ctx, self.objective, len(part), dissolved)
        part_settings = settings.model_copy(update={"seed": rng.randrange(1 << 30)})
        used = search.run(WORK_PER_NEIGHBOURHOOD, part_settings, deadline)
        return kept + search.best, used
