"""Staff the groups: one facilitator per group where the facilitation rules allow one.

A min-cost flow, exact and fast even for a thousand groups and hundreds of facilitators (in
larger programmes each group is offered a WINDOW of them):

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
        return Offer(candidates, gains, reason)


def assign(
    problem: Problem,
    groups: tuple[Group, ...],
    rules: list[FacilitationRule],
    offers: list[Offer] | None = None,
) -> tuple[tuple[Group, ...], dict[str, str]]:
    """The groups with `facilitator_id` set, and why each group left without one is.
    `offers`: each group's, when worked out already."""
    if not problem.facilitators or not groups:
        return groups, {}
    if offers is None:
        staffing = Staffing(problem, rules)
        crews = ([problem.by_id[cid] for cid in group.members] for group in groups)
        offers = [staffing.offer(g.theme, crew) for g, crew in zip(groups, crews, strict=True)]
    facilitators = problem.facilitators
    first_facilitator = 2 + len(groups)
    flow = min_cost_flow.SimpleMinCostFlow()
    for number in range(len(groups)):
        flow.add_arc_with_capacity_and_unit_cost(SOURCE, 2 + number, 1, 0)
    for position, facilitator in enumerate(facilitators):
        limits = [r.capacity(problem, facilitator) for r in rules]
        capacity = min((limit for limit in limits if limit is not None), default=len(groups))
        flow.add_arc_with_capacity_and_unit_cost(first_facilitator + position, SINK, capacity, 0)
    # The arcs go to the flow in one call (a large programme has hundreds of thousands).
    group_of_arc = np.repeat(
        np.arange(len(groups), dtype=np.int32), [len(o.candidates) for o in offers]
    )
    chosen_of = np.concatenate([o.candidates for o in offers]).astype(np.int32)
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        group_of_arc + 2,
        first_facilitator + chosen_of,
        np.ones(len(chosen_of), dtype=np.int64),
        -np.concatenate([o.gains for o in offers]),
    )
    flow.set_node_supply(SOURCE, len(groups))
    flow.set_node_supply(SINK, -len(groups))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the facilitator assignment failed (min-cost flow status {status})")
    taken = np.flatnonzero(flow.flows(arcs))
    chosen = {
        groups[group_of_arc[arc]].group_id: facilitators[chosen_of[arc]].facilitator_id
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
