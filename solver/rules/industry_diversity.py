"""Industry diversity: prefer groups that mix industries (NACE divisions), a preference.

With has_{s,d} = "slot s holds a company of division d" (only divisions among its
candidates), the cost counts members beyond the first of each division:

    has_{s,d} <= Σ_{c in d} x_{c,s},      cost = weight · Σ_s (Σ_c x_{c,s} - Σ_d has_{s,d})

No pairs: one literal per slot and division (priority 2.5). Companies without a NACE code
count as a division of their own.
"""

from pydantic import Field

from peergroups.model import Company, Problem
from solver.context import ModelContext
from solver.rules.base import Rule, register


def _division(company: Company) -> str:
    return company.nace_code[:2] if company.nace_code else f"?{company.company_id}"


@register
class IndustryDiversity(Rule):
    kind = "industry_diversity"
    label = {"en": "Groups that mix industries", "fi": "Ryhmissä eri toimialojen yrityksiä"}
    summary = "Prefer groups that mix industries (NACE divisions)."
    term = "industry_repeats"
    priority = 2.5

    weight: int = Field(default=1, ge=1)

    def group_cost(self, problem: Problem, theme: str, members: list[Company]) -> int:
        return self.weight * (len(members) - len({_division(c) for c in members}))

    def cost_upper(self, problem: Problem) -> int:
        return self.weight * len(problem.companies)

    def encode(self, ctx: ModelContext) -> None:
        repeats = []
        for slot in ctx.slots:
            by_division: dict[str, list] = {}
            for cid, var in slot.x.items():
                by_division.setdefault(_division(ctx.problem.by_id[cid]), []).append(var)
            present = []
            for division, members in sorted(by_division.items()):
                has = ctx.model.new_bool_var(f"division_{division}_{slot.index}")
                ctx.model.add(has <= sum(members))
                present.append(has)
            repeats.append(sum(slot.x.values()) - sum(present))
        ctx.add_cost(self, self.weight * sum(repeats))
