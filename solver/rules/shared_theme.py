"""Shared theme: every member has the group's theme among its goals; primary goals preferred.

Slots carry their theme, so the rule holds by construction: x_{c,s} exists only when
theme(s) ∈ goals(c). Objective (priority 1), with rank_c(t) = 0 for the primary goal:

    minimise  Σ_{c,s} rank_c(theme(s)) · x_{c,s}
"""

from typing import Literal

from peergroups.model import Company, Problem
from solver.context import ModelContext
from solver.rules.base import Rule, register


@register
class SharedTheme(Rule):
    kind = "shared_theme"
    default_position = 10
    label = {
        "en": "Every member has the group's theme among its goals",
        "fi": "Ryhmän teema on jokaisen jäsenen tavoitteissa",
    }
    summary = "Every member has the group's theme among its goals; primary goals preferred."

    term = "goal_rank"
    priority = 1
    enforce: Literal["hard"] = "hard"
    """Groups form around a theme by definition; this rule cannot be switched off."""

    def eligible(self, problem: Problem, company: Company, theme: str) -> bool:
        return theme in company.goals

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        return [
            f"{c.company_id} does not have {theme} among its goals"
            for c in members
            if theme not in c.goals
        ]

    def group_cost(self, problem: Problem, theme: str, members: list[Company]) -> int:
        # A hand-edited plan may seat a company outside its goals: it counts as past the last.
        return sum(c.goal_rank(theme) if theme in c.goals else len(c.goals) for c in members)

    def encode(self, ctx: ModelContext) -> None:
        ranks = [
            (ctx.problem.by_id[cid].goal_rank(slot.theme), var)
            for slot in ctx.slots
            for cid, var in slot.x.items()
        ]
        ctx.add_cost(self, sum(rank * var for rank, var in ranks if rank))

    def cost_upper(self, problem: Problem) -> int:
        return sum(len(c.goals) - 1 for c in problem.companies)
