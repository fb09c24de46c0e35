"""Repeat pairs: companies that already met in an earlier round (history.csv) should meet new
peers. Each pair that meets again costs more the more often and the more recently it met:

    cost_ab = Σ_{rounds r in which a and b met} (1 + max(0, recency - (latest - r)))

with `latest` the most recent round in the history. With `max_repeats` set, a pair that met
that many times or more never shares a group again (hard; `repeat_cap` is the soft variant).
For a pair {a, b} and a slot s open to both (priority 1.5: after goal rank, before the
maturity spread, so that history changes the plan; see docs/solver.md):

    t_{ab,s} >= x_{a,s} + x_{b,s} - 1,      minimise Σ cost_ab · t_{ab,s}
    x_{a,s} + x_{b,s} <= 1                                  (met >= max_repeats times)
"""

from itertools import combinations

from pydantic import Field

from peergroups.model import Company, Problem
from solver.context import ModelContext
from solver.rules.base import Rule, register


@register
class RepeatPairs(Rule):
    kind = "repeat_pairs"
    default_position = 110
    label = {
        "en": "Companies that met in earlier rounds meet new peers",
        "fi": "Aiemmilla kierroksilla tavanneet saavat uusia vertaisia",
    }
    summary = "Companies that met in earlier rounds meet new peers (cost, or a hard cap)."
    term = "repeat_pairs"
    priority = 1.5

    recency: int = Field(default=2, ge=0)
    """How many extra cost points a meeting in the latest round carries (fading by round)."""
    max_repeats: int | None = Field(default=None, ge=1)
    """Pairs that met this many times or more may not meet again (None: no cap)."""

    def pair_cost(self, problem: Problem, a: str, b: str) -> int:
        rounds = problem.met.get((min(a, b), max(a, b)), [])
        latest = max((seat.round for seat in problem.history), default=0)
        return sum(1 + max(0, self.recency - (latest - r)) for r in rounds)

    def _capped(self, problem: Problem, a: str, b: str) -> bool:
        met = len(problem.met.get((min(a, b), max(a, b)), []))
        return self.max_repeats is not None and met >= self.max_repeats

    def compatible(self, problem: Problem, a: Company, b: Company) -> bool:
        return not self._capped(problem, a.company_id, b.company_id)

    def pair_phrase(self, problem: Problem, company: Company) -> str:
        return "it has not met too often before"

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        if self.max_repeats is None or not problem.met:  # no pair can break the cap
            return []
        ids = sorted(c.company_id for c in members)
        return [
            f"{a} and {b} already met {len(problem.met[(a, b)])} times (at most "
            f"{self.max_repeats - 1} allowed)"
            for a, b in combinations(ids, 2)
            if self._capped(problem, a, b)
        ]

    def group_cost(self, problem: Problem, theme: str, members: list[Company]) -> int:
        if not problem.met:
            return 0
        ids = sorted(c.company_id for c in members)
        return sum(
            self.pair_cost(problem, a, b) for a, b in combinations(ids, 2) if (a, b) in problem.met
        )

    def acts_on(self, problem: Problem) -> bool:
        return bool(problem.history)

    def is_preference(self) -> bool:
        return self.max_repeats is None

    def cost_upper(self, problem: Problem) -> int:
        return sum(self.pair_cost(problem, a, b) for a, b in problem.met)

    def encode(self, ctx: ModelContext) -> None:
        costs = []
        met_with: dict[str, list[str]] = {}
        for a, b in sorted(ctx.problem.met):
            met_with.setdefault(a, []).append(b)
        for slot in ctx.slots:
            pairs = [(a, b) for a in slot.x for b in met_with.get(a, []) if b in slot.x]
            for a, b in sorted(pairs):
                if self._capped(ctx.problem, a, b):
                    ctx.model.add_at_most_one(slot.x[a], slot.x[b])
                    continue
                together = ctx.model.new_bool_var(f"met_{a}_{b}_{slot.index}")
                ctx.model.add_bool_or([~slot.x[a], ~slot.x[b], together])
                costs.append(self.pair_cost(ctx.problem, a, b) * together)
        ctx.add_cost(self, sum(costs))
