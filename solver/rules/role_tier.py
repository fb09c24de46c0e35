"""Role tiers: representatives' seniority tiers differ by at most `max_role_gap` inside a group.

Tiers (DESIGN.md): board_chair, ceo = 2; development_director, management_team_member = 1;
other = 0. With has_{s,k} = "slot s holds a tier-k member":

    x_{c,s} => has_{s,tier(c)},      not has_{s,i} or not has_{s,j}   for |i - j| > max_role_gap
"""

from itertools import combinations

from pydantic import Field

from peergroups.model import Company, Problem
from solver.context import ModelContext
from solver.rules.base import Relaxation, Rule, register


@register
class RoleTier(Rule):
    kind = "role_tier"
    default_position = 70
    relaxation = Relaxation("max_role_gap", (0, 1, 2), +1)
    shortcuts = {"max-role-gap": "max_role_gap"}
    label = {"en": "Seniority of the representatives", "fi": "Edustajien asema organisaatiossa"}
    parameter_labels = {"max_role_gap": {"en": "largest tier difference", "fi": "suurin tasoero"}}
    summary = (
        "Representatives' role tiers (CEO/chair 2, directors 1, other 0) differ by <= max_role_gap."
    )

    max_role_gap: int = Field(default=1, ge=0, le=2)
    """Largest role-tier difference (CEO/chair 2, directors 1, other 0)."""

    def compatible(self, problem: Problem, a: Company, b: Company) -> bool:
        return abs(a.tier - b.tier) <= self.max_role_gap

    def pair_phrase(self, problem: Problem, company: Company) -> str:
        return "in a similar position"

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        if not members:
            return []
        low = min(members, key=lambda c: c.tier)
        high = max(members, key=lambda c: c.tier)
        if high.tier - low.tier <= self.max_role_gap:
            return []
        return [
            f"role tiers differ by {high.tier - low.tier} > {self.max_role_gap} "
            f"({low.company_id} {low.role.value}, {high.company_id} {high.role.value})"
        ]

    def encode(self, ctx: ModelContext) -> None:
        for slot in ctx.slots:
            tiers = {c.tier for c in slot.candidates(ctx.problem)}
            clashing = [
                (i, j) for i, j in combinations(sorted(tiers), 2) if j - i > self.max_role_gap
            ]
            if not clashing:
                continue
            has = {k: ctx.model.new_bool_var(f"tier{k}_{slot.index}") for k in tiers}
            for cid, var in slot.x.items():
                ctx.model.add_implication(var, has[ctx.problem.by_id[cid].tier])
            for i, j in clashing:
                ctx.model.add_bool_or([~has[i], ~has[j]])
