"""Facilitator expertise: prefer a facilitator whose themes include the group's theme.

A preference, not a constraint: after staffing as many groups as possible, maximise

    Σ_{g,f : theme(g) ∈ themes(f)} y_{g,f}
"""

from solver.rules.base import FacilitationRule, register


@register
class FacilitatorExpertise(FacilitationRule):
    kind = "facilitator_expertise"
    summary = "Prefer facilitators with expertise in the group's theme."

    def encode_facilitation(self, ctx) -> None:
        themes = {f.facilitator_id: set(f.themes) for f in ctx.problem.facilitators}
        theme_of = {g.group_id: g.theme for g in ctx.groups}
        ctx.preferences.extend(
            var for (gid, fid), var in ctx.y.items() if theme_of[gid] in themes[fid]
        )
