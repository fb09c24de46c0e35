"""Repeat cap (soft): a pair that already met `cap` times or more (history.csv) meets again
only if no plan placing as many companies avoids it. It ranks right after placing companies,
above every other term; `repeat_pairs.max_repeats` is the hard variant (such a pair never
meets, even if that leaves a company out). For a capped pair {a, b} and a slot s open to both:

    t_{ab,s} >= x_{a,s} + x_{b,s} - 1,        minimise Σ_{ab capped} Σ_s t_{ab,s}   (priority 0.25)

Not in the default scenario: switch it on in a scenario file with `[[rules]] kind =
"repeat_cap"`.
"""

from itertools import combinations

from pydantic import Field

from peergroups.model import Company, Problem
from solver.context import ModelContext
from solver.rules.base import Rule, register


@register
class RepeatCap(Rule):
    kind = "repeat_cap"
    label = {
        "en": "A pair meets again only where no plan avoids it",
        "fi": "Pari tapaa uudelleen vain, jos mikään suunnitelma ei sitä vältä",
    }
    summary = (
        "Pairs that met `cap` times meet again only if no plan placing as many companies "
        "avoids it (soft cap)."
    )
    term = "capped_repeats"
    priority = 0.25

    cap: int = Field(default=1, ge=1)
    """Pairs that met this many times or more count when they meet again."""

    def _capped(self, problem: Problem, a: str, b: str) -> bool:
        return len(problem.met.get((min(a, b), max(a, b)), [])) >= self.cap

    def group_cost(self, problem: Problem, theme: str, members: list[Company]) -> int:
        ids = sorted(c.company_id for c in members)
        return sum(1 for a, b in combinations(ids, 2) if self._capped(problem, a, b))

    def acts_on(self, problem: Problem) -> bool:
        return bool(problem.history)

    def cost_upper(self, problem: Problem) -> int:
        return sum(1 for a, b in problem.met if self._capped(problem, a, b))

    def encode(self, ctx: ModelContext) -> None:
        capped: dict[str, list[str]] = {}
        for a, b in sorted(ctx.problem.met):
            if self._capped(ctx.problem, a, b):
                capped.setdefault(a, []).append(b)
        costs = []
        for slot in ctx.slots:
            pairs = sorted((c, d) for c in slot.x for d in capped.get(c, []) if d in slot.x)
            for a, b in pairs:
                met = ctx.model.new_bool_var(f"capped_{a}_{b}_{slot.index}")
                ctx.model.add_bool_or([~slot.x[a], ~slot.x[b], met])
                costs.append(met)
        ctx.add_cost(self, sum(costs))
