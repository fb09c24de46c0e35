"""Value-chain synergy: prefer customer and supplier in one group, a preference.

Only pairs with a `customer_supplier` relation count (a sparse set), and only in slots open
to both. A missed pair costs its weight:

    t_{ab,s} <= x_{a,s},  t_{ab,s} <= x_{b,s},      cost = weight · (P - Σ_{ab,s} t_{ab,s})

with P the number of such pairs (priority 2.5). Keep the relation's own severity in mind:
by default a customer_supplier relation is soft, a small cost at priority 3 in
`forbidden_pairs`, so switching this rule on makes synergy win over that cost.
"""

from pydantic import Field

from peergroups.model import Problem, RelationKind
from solver.context import ModelContext
from solver.rules.base import Rule, register


def _pairs(problem: Problem) -> set[tuple[str, str]]:
    return {r.pair for r in problem.relations if r.kind == RelationKind.CUSTOMER_SUPPLIER}


@register
class ValueChain(Rule):
    kind = "value_chain"
    label = {
        "en": "Customer-supplier pairs in one group",
        "fi": "Asiakas- ja toimittajayritykset samassa ryhmässä",
    }
    summary = "Prefer customer-supplier pairs in one group (value-chain synergy)."
    term = "value_chain_missed"
    priority = 2.5

    weight: int = Field(default=1, ge=1)

    def plan_cost(self, problem: Problem, groups: list[tuple[str, list[str]]]) -> int:
        together = sum(1 for a, b in _pairs(problem) for _, m in groups if a in m and b in m)
        return self.weight * (len(_pairs(problem)) - together)

    def cost_upper(self, problem: Problem) -> int:
        return self.weight * len(_pairs(problem))

    def encode(self, ctx: ModelContext) -> None:
        met = []
        for slot in ctx.slots:
            for a, b in sorted(_pairs(ctx.problem)):
                if a in slot.x and b in slot.x:
                    together = ctx.model.new_bool_var(f"chain_{a}_{b}_{slot.index}")
                    ctx.model.add_implication(together, slot.x[a])
                    ctx.model.add_implication(together, slot.x[b])
                    met.append(together)
        ctx.add_cost(self, self.weight * (len(_pairs(ctx.problem)) - sum(met)))
