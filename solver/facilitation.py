"""Staff the groups: one facilitator per group where the facilitation rules allow one.

A min-cost flow, exact and fast even for a thousand groups and hundreds of facilitators (in
larger programmes each group is offered a WINDOW of them, and of those the experts and a
few others):

    source -> group g (capacity 1) -> facilitator f (an arc only if every rule allows f for
    g; cost -Σ preferences) -> sink (capacity: the least any rule allows f)

A maximum flow staffs as many groups as possible; among those, the least cost prefers the
rules' preferences (theme expertise). Groups left without a facilitator get a reason.
Each rule judges a group over every facilitator at once where it can (`allowed_mask`,
`preferences` on a `FacilitatorIndex`): 10,000 groups by 500 facilitators are millions of
pairs.
"""

import zlib
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from peergroups.model import Company, Group, Problem
from solver.rules import FacilitationRule
from solver.rules.base import FacilitatorIndex

SOURCE, SINK = 0, 1
EVERYONE_UP_TO = 500
"""Up to this many facilitators (12,500 companies) every group is offered all of them, and
the flow is exact."""
WINDOW = 200
"""Facilitators offered to one group in a larger programme (those outside its window only
when none in it is allowed): with 11,000 groups and 4,000 facilitators (100,000 companies)
every pair would be tens of millions of arcs. Windows of 200 staff as many groups as windows
of 500 there, with one expert fewer, and the flow takes 0.6 s rather than 1.1 s."""
PLAIN_OFFERED = 20
"""Of those, the facilitators no rule prefers for the group that it is offered: the first
this many (every one a rule prefers stays). Measured on the flows of stopped runs of 30,000
and 100,000 companies, and on the same with every capacity 1 or tripled or without
expertise: as many groups staffed, with as many experts, as with every allowed facilitator
of the window, and at 100,000 the flow takes 0.45 s rather than 0.85 s (it is on the path
of a stopped run)."""


@dataclass(frozen=True)
class Offer:
    """The facilitators a group may have (positions) with each one's gain (the rules'
    preferences), or the first refusing rule's reason when there are none. It depends on the
    group's theme and members alone, so it can be worked out before the plan is final
    (`solver.groundwork`)."""

    candidates: np.ndarray
    gains: np.ndarray
    refusal: str


class Staffing:
    """Offers for the groups of one problem and its facilitation rules."""

    def __init__(self, problem: Problem, rules: list[FacilitationRule]) -> None:
        self.problem, self.rules = problem, rules
        self.index = FacilitatorIndex(problem.facilitators)
        # Only the rules that weigh a pair are asked for its weight (the others give 0).
        self.weighing = [r for r in rules if type(r).preference is not FacilitationRule.preference]

    def offer(self, theme: str, crew: list[Company]) -> Offer:
        """The group's offer: its window of facilitators, or everyone when nobody in its
        window may run it."""
        problem, rules, index = self.problem, self.rules, self.index
        count = len(problem.facilitators)
        candidates, reason = _allowed(problem, crew, _window(theme, crew, count), rules, index)
        if not len(candidates) and count > EVERYONE_UP_TO:
            candidates, reason = _allowed(problem, crew, np.arange(count), rules, index)
        gains = np.zeros(len(candidates), dtype=np.int64)
        for rule in self.weighing:
            row = rule.preferences(problem, theme, crew, index)
            if row is None:  # a rule without the shortcut is asked pair by pair
                weigh, facilitators = rule.preference, problem.facilitators
                gains += np.array(
                    [weigh(problem, theme, crew, facilitators[i]) for i in candidates],
                    dtype=np.int64,
                )
            else:
                gains += row[candidates]
        if count > EVERYONE_UP_TO:
            candidates, gains = _fewer_plain(candidates, gains)
        return Offer(candidates, gains, reason)


@dataclass(frozen=True)
class Flow:
    """The staffing as a min-cost flow, in plain arrays: it can be solved in another process
    (OR-Tools holds the GIL while it solves, a second for 11,000 groups), while this one
    checks the plan."""

    groups: int
    capacities: np.ndarray
    """How many groups each facilitator may run (by position)."""
    group_of_arc: np.ndarray
    facilitator_of_arc: np.ndarray
    gains: np.ndarray

    @classmethod
    def of(
        cls, problem: Problem, count: int, rules: list[FacilitationRule], offers: list[Offer]
    ) -> "Flow":
        """The flow of `count` groups with these offers."""
        capacities = [
            min(
                (limit for r in rules if (limit := r.capacity(problem, f)) is not None),
                default=count,
            )
            for f in problem.facilitators
        ]
        return cls(
            groups=count,
            capacities=np.array(capacities, dtype=np.int64),
            group_of_arc=np.repeat(
                np.arange(count, dtype=np.int32), [len(o.candidates) for o in offers]
            ),
            facilitator_of_arc=np.concatenate(
                [o.candidates for o in offers] or [np.zeros(0)]
            ).astype(np.int32),
            gains=np.concatenate([o.gains for o in offers] or [np.zeros(0)]).astype(np.int64),
        )

    def solve(self) -> np.ndarray:
        """The arcs taken (indices): as many groups staffed as can be, and among those ways
        the most preferred."""
        groups, facilitators = self.groups, len(self.capacities)
        first_facilitator = 2 + groups
        flow = min_cost_flow.SimpleMinCostFlow()
        flow.add_arcs_with_capacity_and_unit_cost(
            np.full(groups, SOURCE, dtype=np.int32),
            2 + np.arange(groups, dtype=np.int32),
            np.ones(groups, dtype=np.int64),
            np.zeros(groups, dtype=np.int64),
        )
        flow.add_arcs_with_capacity_and_unit_cost(
            first_facilitator + np.arange(facilitators, dtype=np.int32),
            np.full(facilitators, SINK, dtype=np.int32),
            self.capacities,
            np.zeros(facilitators, dtype=np.int64),
        )
        arcs = flow.add_arcs_with_capacity_and_unit_cost(
            2 + self.group_of_arc,
            first_facilitator + self.facilitator_of_arc,
            np.ones(len(self.gains), dtype=np.int64),
            -self.gains,
        )
        flow.set_node_supply(SOURCE, groups)
        flow.set_node_supply(SINK, -groups)
        status = flow.solve_max_flow_with_min_cost()
        if status != flow.OPTIMAL:
            raise RuntimeError(f"the facilitator assignment failed (min-cost flow status {status})")
        return np.flatnonzero(flow.flows(arcs))


def staffed(
    problem: Problem,
    groups: tuple[Group, ...],
    offers: list[Offer],
    flow: Flow,
    taken: np.ndarray,
) -> tuple[tuple[Group, ...], dict[str, str]]:
    """The groups with `facilitator_id` set from the arcs their flow took, and why each group
    left without one is."""
    facilitators = problem.facilitators
    chosen = {
        groups[flow.group_of_arc[arc]].group_id: facilitators[
            flow.facilitator_of_arc[arc]
        ].facilitator_id
        for arc in taken
    }
    staffed = tuple(g.model_copy(update={"facilitator_id": chosen.get(g.group_id)}) for g in groups)
    full = "every facilitator who could run it already runs as many groups as they can"
    return staffed, {
        g.group_id: offer.refusal or full
        for g, offer in zip(groups, offers, strict=True)
        if g.group_id not in chosen
    }


def _window(theme: str, crew: list[Company], count: int) -> np.ndarray:
    """The facilitators a group is offered (positions): all of them, or in a very large
    programme a WINDOW of them starting at a place set by the group's theme and members
    (a checksum, the same on every machine), so that windows spread over everyone."""
    if count <= EVERYONE_UP_TO:
        return np.arange(count)
    members = ",".join(sorted(c.company_id for c in crew))
    start = zlib.crc32(f"{theme}:{members}".encode()) % count
    return (start + np.arange(WINDOW)) % count


def _fewer_plain(candidates: np.ndarray, gains: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The candidates any rule prefers (or minds), and the first PLAIN_OFFERED of the others,
    in their order."""
    plain = gains == 0
    kept = ~plain | (np.cumsum(plain) <= PLAIN_OFFERED)
    return candidates[kept], gains[kept]


def _allowed(
    problem: Problem,
    crew: list[Company],
    candidates: np.ndarray,
    rules: list[FacilitationRule],
    index: FacilitatorIndex,
) -> tuple[np.ndarray, str]:
    """The candidates (positions, in their order) every rule allows for the group, and the
    refusal of the first rule (in scenario order) that leaves nobody."""
    for rule in rules:
        mask = rule.allowed_mask(problem, crew, index)
        if mask is not None:
            candidates = candidates[mask[candidates]]
        else:
            listed = [index.facilitators[i] for i in candidates]
            allowed = rule.allowed_among(problem, crew, listed)
            candidates = np.array([index.position[f.facilitator_id] for f in allowed], dtype=int)
        if not len(candidates):
            return candidates, rule.refusal(problem, crew)
    return candidates, ""
