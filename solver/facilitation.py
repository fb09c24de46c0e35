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

import numpy as np
from ortools.graph.python import min_cost_flow

from peergroups.model import Company, Group, Problem
from solver.rules import FacilitationRule
from solver.rules.base import FacilitatorIndex

SOURCE, SINK = 0, 1
WINDOW = 500
"""Facilitators offered to one group at most (those outside its window only when none in it
is allowed): with 10,000 groups and 4,000 facilitators (100,000 companies) every pair would
be tens of millions of arcs. Up to this many facilitators (12,500 companies) the flow is
exact."""
SPREAD = 97
"""Step between the windows of consecutive groups, so that they spread over everyone."""


def assign(
    problem: Problem, groups: tuple[Group, ...], rules: list[FacilitationRule]
) -> tuple[tuple[Group, ...], dict[str, str]]:
    """The groups with `facilitator_id` set, and why each group left without one is."""
    if not problem.facilitators or not groups:
        return groups, {}
    facilitators = problem.facilitators
    index = FacilitatorIndex(facilitators)
    first_facilitator = 2 + len(groups)
    flow = min_cost_flow.SimpleMinCostFlow()
    for number in range(len(groups)):
        flow.add_arc_with_capacity_and_unit_cost(SOURCE, 2 + number, 1, 0)
    for position, facilitator in enumerate(facilitators):
        limits = [r.capacity(problem, facilitator) for r in rules]
        capacity = min((limit for limit in limits if limit is not None), default=len(groups))
        flow.add_arc_with_capacity_and_unit_cost(first_facilitator + position, SINK, capacity, 0)
    # Only the rules that weigh a pair are asked for its weight (the others give 0); the
    # arcs go to the flow in one call (a large programme has hundreds of thousands).
    weighing = [r for r in rules if type(r).preference is not FacilitationRule.preference]
    tails: list[np.ndarray] = []
    heads: list[np.ndarray] = []
    costs: list[np.ndarray] = []
    reasons = {}
    for number, group in enumerate(groups):
        crew = [problem.by_id[cid] for cid in group.members]
        candidates, reason = _allowed(
            problem, crew, _window(number, len(facilitators)), rules, index
        )
        if not len(candidates) and len(facilitators) > WINDOW:
            everyone = np.arange(len(facilitators))
            candidates, reason = _allowed(problem, crew, everyone, rules, index)
        if reason:
            reasons[group.group_id] = reason
        gains = np.zeros(len(candidates), dtype=np.int64)
        for rule in weighing:
            row = rule.preferences(problem, group.theme, crew, index)
            if row is None:  # a rule without the shortcut is asked pair by pair
                weigh = rule.preference
                gains += np.array(
                    [weigh(problem, group.theme, crew, facilitators[i]) for i in candidates],
                    dtype=np.int64,
                )
            else:
                gains += row[candidates]
        tails.append(np.full(len(candidates), 2 + number, dtype=np.int32))
        heads.append(candidates)
        costs.append(-gains)
    chosen_of = np.concatenate(heads)
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.concatenate(tails),
        (first_facilitator + chosen_of).astype(np.int32),
        np.ones(len(chosen_of), dtype=np.int64),
        np.concatenate(costs),
    )
    flow.set_node_supply(SOURCE, len(groups))
    flow.set_node_supply(SINK, -len(groups))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the facilitator assignment failed (min-cost flow status {status})")
    taken = np.flatnonzero(flow.flows(arcs))
    group_of_arc = np.concatenate(tails) - 2
    chosen = {
        groups[group_of_arc[arc]].group_id: facilitators[chosen_of[arc]].facilitator_id
        for arc in taken
    }
    staffed = tuple(g.model_copy(update={"facilitator_id": chosen.get(g.group_id)}) for g in groups)
    full = "every facilitator who could run it already runs as many groups as they can"
    return staffed, {
        g.group_id: reasons.get(g.group_id, full) for g in groups if g.group_id not in chosen
    }


def _window(number: int, count: int) -> np.ndarray:
    """The facilitators a group is offered (positions): all of them, or in a very large
    programme a WINDOW of them starting at a place set by the group's number."""
    if count <= WINDOW:
        return np.arange(count)
    return (number * SPREAD % count + np.arange(WINDOW)) % count


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
