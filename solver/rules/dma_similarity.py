"""DMA similarity: groups of alike companies on the six DMA dimensions (a preference).

For each dimension k (strategy, readiness, human, data, automation & AI, green), a band
[lo_{s,k}, hi_{s,k}] per slot holds its members' scores (integer tenths), and the cost is
the bands' widths, weighted:

    x_{c,s} => lo_{s,k} <= v_{c,k} <= hi_{s,k},      cost = weight · Σ_s Σ_k (hi_{s,k} - lo_{s,k})

Bands, not pairwise distances: the same preference for alike groups with 12 integer
variables per slot instead of one per pair of members (priority 2.5: after the maturity
spread, before soft relations). Companies without DMA dimensions count at their maturity.
"""

from pydantic import Field

from peergroups.model import Company, Problem, tenths
from solver.context import ModelContext
from solver.rules.base import Rule, register

DIMENSIONS = 6


def _scores(company: Company) -> list[int]:
    values = company.dma if company.dma is not None else (company.maturity,) * DIMENSIONS
    return [tenths(v) for v in values]


@register
class DmaSimilarity(Rule):
    kind = "dma_similarity"
    label = {
        "en": "Members alike on the six DMA dimensions",
        "fi": "Jäsenet samankaltaisia DMA:n kuudella ulottuvuudella",
    }
    summary = "Prefer groups whose members are alike on all six DMA dimensions."
    term = "dma_width"
    priority = 2.5

    weight: int = Field(default=1, ge=1)

    def group_cost(self, problem: Problem, theme: str, members: list[Company]) -> int:
        if not members:
            return 0
        scores = [_scores(c) for c in members]
        return self.weight * sum(
            max(s[k] for s in scores) - min(s[k] for s in scores) for k in range(DIMENSIONS)
        )

    def cost_upper(self, problem: Problem) -> int:
        return self.weight * DIMENSIONS * 1000 * (len(problem.companies) // 2)

    def encode(self, ctx: ModelContext) -> None:
        widths = []
        for slot in ctx.slots:
            scores = {cid: _scores(ctx.problem.by_id[cid]) for cid in slot.x}
            for k in range(DIMENSIONS):
                values = [s[k] for s in scores.values()]
                lo = ctx.model.new_int_var(min(values), max(values), f"dma_lo_{slot.index}_{k}")
                hi = ctx.model.new_int_var(min(values), max(values), f"dma_hi_{slot.index}_{k}")
                ctx.model.add(hi >= lo)
                ctx.model.add(hi == lo).only_enforce_if(~slot.active)
                for cid, var in slot.x.items():
                    ctx.model.add(lo <= scores[cid][k]).only_enforce_if(var)
                    ctx.model.add(hi >= scores[cid][k]).only_enforce_if(var)
                widths.append(hi - lo)
        ctx.add_cost(self, self.weight * sum(widths))
