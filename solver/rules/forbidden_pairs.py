"""Forbidden pairs: hard relations never share a group; soft relations cost (priority 3).

Hard (Problem.hard_pairs): competitor unless both accept competitors, same_owner, conflict,
and any relation marked hard. For a pair {a, b} and every slot s open to both:

    x_{a,s} + x_{b,s} <= 1                                   (hard)
    t_{ab,s} >= x_{a,s} + x_{b,s} - 1,   minimise Σ cost_ab · t_{ab,s}     (soft)
"""

from peergroups.model import Company, Problem
from solver.context import ModelContext
from solver.rules.base import Rule, register


@register
class ForbiddenPairs(Rule):
    kind = "forbidden_pairs"
    default_position = 100
    label = {
        "en": "Competitors and conflicting companies kept apart",
        "fi": "Kilpailijat ja ristiriidassa olevat yritykset erillään",
    }
    summary = "Competitors (without mutual consent), same-owner and conflicting companies apart."
    term = "soft_relations"
    priority = 3

    def compatible(self, problem: Problem, a: Company, b: Company) -> bool:
        return _pair(a.company_id, b.company_id) not in problem.hard_pairs

    def pair_phrase(self, problem: Problem, company: Company) -> str:
        return "free of competitor, ownership or conflict ties with it"

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        ids = sorted(c.company_id for c in members)
        return [
            f"{a} and {b} must not share a group ({', '.join(problem.hard_pairs[(a, b)])})"
            for i, a in enumerate(ids)
            for b in ids[i + 1 :]
            if (a, b) in problem.hard_pairs
        ]

    def group_cost(self, problem: Problem, theme: str, members: list[Company]) -> int:
        ids = sorted(c.company_id for c in members)
        return sum(
            problem.soft_pairs.get((a, b), 0) for i, a in enumerate(ids) for b in ids[i + 1 :]
        )

    def encode(self, ctx: ModelContext) -> None:
        soft_terms = []
        for slot in ctx.slots:
            for a, b in self._related_pairs(ctx.problem, slot.x):
                if (a, b) in ctx.problem.hard_pairs:
                    ctx.model.add_at_most_one(slot.x[a], slot.x[b])
                elif (cost := ctx.problem.soft_pairs.get((a, b))) is not None:
                    together = ctx.model.new_bool_var(f"soft_{a}_{b}_{slot.index}")
                    ctx.model.add_bool_or([~slot.x[a], ~slot.x[b], together])
                    soft_terms.append(cost * together)
        ctx.add_cost(self, sum(soft_terms))

    @staticmethod
    def _related_pairs(problem: Problem, seats: dict) -> list[tuple[str, str]]:
        """Pairs (a < b) of a slot's candidates that have a relation: found through each
        candidate's partners, so the cost follows the slot's size, not all relations."""
        return sorted(
            (cid, other)
            for cid in seats
            for other in problem.partners.get(cid, {})
            if cid < other and other in seats
        )

    def cost_upper(self, problem: Problem) -> int:
        return sum(problem.soft_pairs.values())


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)
