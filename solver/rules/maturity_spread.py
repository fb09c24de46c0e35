"""Maturity spread: in a group, max - min of members' maturity <= `max_maturity_spread` points.

One band per slot, in integer tenths of a point (m_c likewise). Its lower end is the maturity
of the slot's leader, who comes first in maturity order; its upper end is a variable:

    m_leader(s) <= high_s <= m_leader(s) + max_maturity_spread,     x_{c,s} => m_c <= high_s

Objective (priority 2), tighter groups first: minimise Σ_s (high_s - m_leader(s)). An idle
slot's band is empty (high_s = m_leader(s)); at an optimum every band hugs its members.

Redundant bounds, switched on only while this level is optimised (on from the start, they
kept the sample's fold of placing and goal rank from its proof within the 10.8 units of work
it has at 30 s; it needs 8.5 without them), make the LP bound of the level grow: with
candidates sorted by maturity and at least k members in an open group (k = the fewest the
rules allow),

    high_s - m_leader(s) >= (m_(k-1)-th follower - m_leader(s)) · active_s,
    high_s - m_leader(s) <= Σ_c (m_c - m_leader(s)) · x_{c,s}.
"""

from ortools.sat.python import cp_model
from pydantic import Field

from peergroups.model import Company, Problem, tenths
from solver.context import ModelContext, Slot
from solver.rules.base import Relaxation, Rule, register


@register
class MaturitySpread(Rule):
    kind = "maturity_spread"
    default_position = 60
    relaxation = Relaxation("max_maturity_spread", tuple(x / 2 for x in range(201)), +1)
    shortcuts = {"max-spread": "max_maturity_spread"}
    label = {"en": "Maturity spread within a group", "fi": "Digikypsyyden hajonta ryhmässä"}
    parameter_labels = {
        "max_maturity_spread": {"en": "largest spread (points)", "fi": "suurin hajonta (pistettä)"}
    }
    summary = "Members' digital maturity (0-100) differs by at most max_maturity_spread points."

    term = "spread"
    priority = 2
    max_maturity_spread: float = Field(default=25.0, ge=0, le=100)
    """Largest maturity difference inside a group, in points."""

    def compatible(self, problem: Problem, a: Company, b: Company) -> bool:
        return tenths(abs(a.maturity - b.maturity)) <= tenths(self.max_maturity_spread)

    def maturity_window(self) -> float | None:
        return self.max_maturity_spread

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

    def group_cost(self, problem: Problem, theme: str, members: list[Company]) -> int:
        levels = [tenths(c.maturity) for c in members]
        return max(levels) - min(levels) if levels else 0

    def encode(self, ctx: ModelContext) -> None:
        limit = tenths(self.max_maturity_spread)
        spreads = []
        sharpen = ctx.model.new_bool_var("sharpen_spread")
        for slot in ctx.slots:
            levels = {cid: tenths(ctx.problem.by_id[cid].maturity) for cid in slot.x}
            if slot.leader is not None:
                low = levels[slot.leader]
                high = ctx.model.new_int_var(low, low + limit, f"high_{slot.index}")
                self._sharpen(ctx, slot, levels, high, sharpen)
            else:  # a labelled slot has no leader: its band has two ends to find
                low = ctx.model.new_int_var(
                    min(levels.values()), max(levels.values()), f"low_{slot.index}"
                )
                high = ctx.model.new_int_var(
                    min(levels.values()), max(levels.values()), f"high_{slot.index}"
                )
                ctx.model.add(high - low <= limit * slot.active)
                ctx.model.add(high >= low)
            for cid, var in slot.x.items():
                ctx.model.add(high >= levels[cid]).only_enforce_if(var)
                if slot.leader is None:
                    ctx.model.add(low <= levels[cid]).only_enforce_if(var)
            spreads.append(high - low)
        ctx.add_cost(self, sum(spreads), sharpen)

    @staticmethod
    def _sharpen(
        ctx: ModelContext,
        slot: Slot,
        levels: dict[str, int],
        high: cp_model.IntVar,
        sharpen: cp_model.IntVar,
    ) -> None:
        """Redundant bounds on a leader slot's band, under `sharpen`: no wider than its
        members' distances from the leader added up (an idle band is empty), and, as an open
        group holds at least `ctx.fewest` candidates, the leader the lowest, at least as wide
        as the distance to the (fewest - 1)-th nearest follower."""
        low = levels[slot.leader]
        reach = sum((levels[cid] - low) * var for cid, var in slot.x.items())
        ctx.model.add(high - low <= reach).only_enforce_if(sharpen)
        followers = sorted(level for cid, level in levels.items() if cid != slot.leader)
        if 2 <= ctx.fewest <= len(followers) + 1:
            least = followers[ctx.fewest - 2] - low
            ctx.model.add(high - low >= least * slot.active).only_enforce_if(sharpen)

    def cost_upper(self, problem: Problem) -> int:
        """At most one group per two companies, each spanning at most the limit."""
        return tenths(self.max_maturity_spread) * (len(problem.companies) // 2)
