"""Maturity spread: in a group, max - min of members' maturity <= `max_maturity_spread` points.

One band per slot, [lo_s, hi_s] in integer tenths of a point (m_c likewise):

    x_{c,s} ⇒ lo_s ≤ m_c ≤ hi_s,      hi_s - lo_s ≤ max_maturity_spread · active_s

Objective (priority 2), tighter groups first: minimise Σ_s (hi_s - lo_s). At an optimum the
band hugs the members, so the term equals the sum of the groups' spreads.
"""

from ortools.sat.python import cp_model
from pydantic import Field

from peergroups.model import Company, Problem
from solver.context import ModelContext, Slot, tenths
from solver.rules.base import Rule, register

SPREAD_PRIORITY = 2


@register
class MaturitySpread(Rule):
    kind = "maturity_spread"
    summary = "Members' digital maturity (0-100) differs by at most max_maturity_spread points."

    max_maturity_spread: float = Field(default=25.0, ge=0, le=100)

    def compatible(self, problem: Problem, a: Company, b: Company) -> bool:
        return tenths(abs(a.maturity - b.maturity)) <= tenths(self.max_maturity_spread)

    def pair_phrase(self, problem: Problem, company: Company) -> str:
        return f"within {self.max_maturity_spread:g} maturity points"

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        if not members:
            return []
        low = min(members, key=lambda c: c.maturity)
        high = max(members, key=lambda c: c.maturity)
        if tenths(high.maturity) - tenths(low.maturity) <= tenths(self.max_maturity_spread):
            return []
        spread = high.maturity - low.maturity
        return [
            f"maturity spread {spread:.1f} exceeds {self.max_maturity_spread:g} "
            f"({low.company_id} {low.maturity:g}, {high.company_id} {high.maturity:g})"
        ]

    def encode(self, ctx: ModelContext) -> None:
        limit = tenths(self.max_maturity_spread)
        spreads = []
        for slots in ctx.slots_by_theme().values():
            lows = []
            for slot in slots:
                lo, hi = self._band(ctx, slot, limit)
                lows.append(lo)
                spreads.append(hi - lo)
            # Slots of one theme are interchangeable: open them in order of their bands.
            for earlier, later, slot in zip(lows, lows[1:], slots[1:], strict=False):
                ctx.model.add(earlier <= later).only_enforce_if(slot.active)
        ctx.add_cost("spread", sum(spreads), limit * len(ctx.slots), SPREAD_PRIORITY)

    @staticmethod
    def _band(ctx: ModelContext, slot: Slot, limit: int) -> tuple[cp_model.IntVar, cp_model.IntVar]:
        """The band [lo, hi] of one slot, holding every member's maturity."""
        levels = [tenths(c.maturity) for c in slot.candidates(ctx.problem)]
        lo = ctx.model.new_int_var(min(levels), max(levels), f"lo_{slot.index}")
        hi = ctx.model.new_int_var(min(levels), max(levels), f"hi_{slot.index}")
        ctx.model.add(hi - lo <= limit * slot.active)
        ctx.model.add(hi >= lo)
        for cid, var in slot.x.items():
            level = tenths(ctx.problem.by_id[cid].maturity)
            ctx.model.add(lo <= level).only_enforce_if(var)
            ctx.model.add(hi >= level).only_enforce_if(var)
        return lo, hi
