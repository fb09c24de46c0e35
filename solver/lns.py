"""Large neighbourhood search: re-solve a small part of the plan exactly, keep improvements.

For problems too large for one CP-SAT model. Each step frees a neighbourhood: some groups
and some unplaced companies, all around one centre company. The freed companies form a small
problem, solved by the lexicographic search on its own leader-slot model from their current
groups as a hint. Every objective term is a sum over groups, so a better part makes a better
plan, which is kept.

Neighbourhoods, chosen adaptively by how often each kind improved the plan:
- `unplaced`: around an unplaced company, the groups of its themes nearest in maturity and
  the other unplaced companies of those themes;
- `theme`: around a placed company, the groups of its group's theme nearest in maturity and
  the groups holding companies that could join that theme;
- `goal`: around a company placed outside its primary goal, the groups of its primary theme
  nearest in maturity and its own group;
- `random`: a few random groups and the unplaced companies of their themes.
The size adapts too: it grows while parts are solved to optimality and shrinks when they are
not. Budgets are CP-SAT deterministic time plus a fixed charge per step, so the sequence of
steps, and the plan, depend only on the input and the seed.
"""

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from peergroups.model import Company, Problem
from solver import cpsat
from solver.interrupt import STOP
from solver.lexicographic import LexicographicSearch
from solver.objective import ChosenGroup, Objective
from solver.scenario import SolverSettings
from solver.space import SearchSpace

KINDS = ("unplaced", "theme", "goal", "random")
START_SIZE, MIN_SIZE, MAX_SIZE = 60, 20, 240
"""Companies freed per step: parts of about 60 settle in a few tenths of a second."""
WORK_PER_STEP = 0.25
CHARGE_PER_STEP = 0.05
"""Work units charged for building a step's model (Python time, not CP-SAT's)."""


@dataclass(frozen=True)
class Improvement:
    seconds: float
    values: dict[str, int]


@dataclass
class NeighbourhoodSearch:
    objective: Objective
    space: SearchSpace
    best: list[ChosenGroup]
    steps: int = 0
    work_spent: float = 0.0
    size: float = START_SIZE
    weights: dict[str, float] = field(default_factory=lambda: dict.fromkeys(KINDS, 1.0))

    @property
    def problem(self) -> Problem:
        return self.space.problem

    @property
    def themes_of(self) -> dict[str, tuple[str, ...]]:
        return self.space.themes_of

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
        while self.work_spent < work:
            if time.perf_counter() >= deadline or STOP.requested:
                return False
            self.steps += 1
            kind = rng.choices(KINDS, weights=[self.weights[k] for k in KINDS])[0]
            freed = self._neighbourhood(kind, rng)
            if not freed:
                self.weights[kind] = max(0.05, self.weights[kind] * 0.5)
                self.work_spent += CHARGE_PER_STEP
                continue
            improved = self._resolve(freed, rng, settings, deadline)
            self.weights[kind] = (
                min(10.0, self.weights[kind] * 1.3)
                if improved
                else max(0.05, self.weights[kind] * 0.97)
            )
            if improved and on_improvement:
                values = self.objective.evaluate(self.best)
                on_improvement(Improvement(time.perf_counter() - started, values))
        return True

    # --- neighbourhoods ---------------------------------------------------------------------

    def _neighbourhood(self, kind: str, rng: random.Random) -> set[str]:
        """Company ids to free (before the rest of their groups is added)."""
        seated = {cid: theme for theme, members in self.best for cid in members}
        waiting = sorted(cid for cid in self.themes_of if cid not in seated)
        if kind == "unplaced":
            if not waiting:
                return set()
            centre = self._company(rng.choice(waiting))
            return self._around(centre, set(self.themes_of[centre.company_id]), waiting)
        if kind == "theme" and seated:
            centre = self._company(rng.choice(sorted(seated)))
            return self._around(centre, {seated[centre.company_id]}, waiting)
        if kind == "goal":
            off_goal = sorted(cid for cid, t in seated.items() if self._company(cid).goals[0] != t)
            if not off_goal:
                return set()
            centre = self._company(rng.choice(off_goal))
            options = self.themes_of[centre.company_id]
            freed = self._around(centre, {options[0]}, waiting)
            return freed | {centre.company_id}
        groups = rng.sample(self.best, min(len(self.best), max(1, int(self.size) // 8)))
        freed = {cid for _, members in groups for cid in members}
        themes = {theme for theme, _ in groups}
        joining = [cid for cid in waiting if themes & set(self.themes_of[cid])]
        # A few of them, or one step of a large plan frees thousands of companies.
        cap = max(1, int(self.size) // 3)
        return freed | set(rng.sample(joining, cap) if len(joining) > cap else joining)

    def _company(self, company_id: str) -> Company:
        return self.problem.by_id[company_id]

    def _around(self, centre: Company, themes: set[str], waiting: list[str]) -> set[str]:
        """The centre, groups of `themes` (or holding companies that could join them) nearest
        to it in maturity, and unplaced companies of those themes, up to the current size."""

        def distance(cid: str) -> float:
            return abs(self._company(cid).maturity - centre.maturity)

        related = sorted(
            (min(distance(cid) for cid in members), theme, members)
            for theme, members in self.best
            if theme in themes or any(themes & set(self.themes_of[cid]) for cid in members)
        )
        freed = {centre.company_id}
        budget = int(self.size)
        nearby = sorted(
            (distance(cid), cid) for cid in waiting if themes & set(self.themes_of[cid])
        )
        for _, cid in nearby[: budget // 3]:
            freed.add(cid)
        for _, _, members in related:
            if len(freed) + len(members) > budget:
                break
            freed.update(members)
        return freed

    # --- re-solving ---------------------------------------------------------------------------

    def _resolve(
        self, freed: set[str], rng: random.Random, settings: SolverSettings, deadline: float
    ) -> bool:
        """Re-solve the freed companies' groups; True when the plan improved."""
        dissolved = [(t, m) for t, m in self.best if freed & set(m)]
        kept = [(t, m) for t, m in self.best if not freed & set(m)]
        freed |= {cid for _, members in dissolved for cid in members}
        part = {cid: self.themes_of[cid] for cid in sorted(freed)}
        ctx = cpsat.build(self.space.rules, cpsat.plan_slots(self.space.narrowed(part)))
        search = LexicographicSearch(ctx, self.objective, len(part), dissolved)
        # One worker: small parts solve faster without interleaving, and stay reproducible.
        step_settings = settings.model_copy(update={"seed": rng.randrange(1 << 30), "workers": 1})
        spent = search.run(WORK_PER_STEP, step_settings, deadline, least=WORK_PER_STEP / 10)
        self.work_spent += spent + CHARGE_PER_STEP
        solved = search.proven == len(self.objective.levels)
        self.size = min(MAX_SIZE, self.size * 1.1) if solved else max(MIN_SIZE, self.size * 0.9)
        before = self.objective.key(self.objective.evaluate(dissolved))
        after = self.objective.key(self.objective.evaluate(search.best))
        if after <= before:
            return False
        self.best = kept + search.best
        return True
