"""Staff the groups: one facilitator per group where the facilitation rules allow one.

A min-cost flow, exact and fast even for a thousand groups and hundreds of facilitators (in
larger programmes each group is offered a WINDOW of them):

    source -> group g (capacity 1) -> facilitator f (an arc only if every rule allows f for
    g; cost -Σ preferences) -> sink (capacity: the least any rule allows f)

A maximum flow staffs as many groups as possible; among those, the least cost prefers the
rules' preferences (theme expertise). Groups left without a facilitator get a reason.
"""

import numpy as np
from ortools.graph.python import min_cost_flow

from peergroups.model import Company, Facilitator, Group, Problem
from solver.rules import FacilitationRule

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
    members = {g.group_id: [problem.by_id[cid] for cid in g.members] for g in groups}
    facilitators = problem.facilitators
    group_node = {g.group_id: 2 + i for i, g in enumerate(groups)}
    facilitator_node = {f.facilitator_id: 2 + len(groups) + i for i, f in enumerate(facilitators)}
    flow = min_cost_flow.SimpleMinCostFlow()
    for group in groups:
        flow.add_arc_with_capacity_and_unit_cost(SOURCE, group_node[group.group_id], 1, 0)
    for facilitator in facilitators:
        limits = [r.capacity(problem, facilitator) for r in rules]
        capacity = min((limit for limit in limits if limit is not None), default=len(groups))
        flow.add_arc_with_capacity_and_unit_cost(
            facilitator_node[facilitator.facilitator_id], SINK, capacity, 0
        )
    # Only the rules that weigh a pair are asked for its weight (the others give 0); the
    # arcs go to the flow in one call (a large programme has hundreds of thousands).
    weighing = [r for r in rules if type(r).preference is not FacilitationRule.preference]
    pairs: list[tuple[str, str]] = []
    heads: list[int] = []
    costs: list[int] = []
    reasons = {}
    for number, group in enumerate(groups):
        crew = members[group.group_id]
        candidates, reason = _allowed(problem, crew, _window(number, facilitators), rules)
        if not candidates and len(facilitators) > WINDOW:
            candidates, reason = _allowed(problem, crew, list(facilitators), rules)
        if reason:
            reasons[group.group_id] = reason
        gains = [0] * len(candidates)
        for rule in weighing:
            weigh = rule.preference
            gains = [
                gain + weigh(problem, group.theme, crew, f)
                for gain, f in zip(gains, candidates, strict=True)
            ]
        pairs += [(group.group_id, f.facilitator_id) for f in candidates]
        heads += [facilitator_node[f.facilitator_id] for f in candidates]
        costs += [-gain for gain in gains]
    tails = [group_node[gid] for gid, _ in pairs]
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.ones(len(pairs), dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    flow.set_node_supply(SOURCE, len(groups))
    flow.set_node_supply(SINK, -len(groups))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the facilitator assignment failed (min-cost flow status {status})")
    used = flow.flows(arcs)
    chosen = {gid: fid for (gid, fid), taken in zip(pairs, used, strict=True) if taken}
    staffed = tuple(g.model_copy(update={"facilitator_id": chosen.get(g.group_id)}) for g in groups)
    full = "every facilitator who could run it already runs as many groups as they can"
    return staffed, {
        g.group_id: reasons.get(g.group_id, full) for g in groups if g.group_id not in chosen
    }


def _window(number: int, facilitators: tuple[Facilitator, ...]) -> list[Facilitator]:
    """The facilitators a group is offered: all of them, or in a very large programme a
    WINDOW of them starting at a place set by the group's number."""
    count = len(facilitators)
    if count <= WINDOW:
        return list(facilitators)
    start = number * SPREAD % count
    return [facilitators[(start + i) % count] for i in range(WINDOW)]


def _allowed(
    problem: Problem,
    crew: list[Company],
    candidates: list[Facilitator],
    rules: list[FacilitationRule],
) -> tuple[list[Facilitator], str]:
    """The candidates every rule allows for the group, and the refusal of the first rule
    (in scenario order) that leaves nobody."""
    for rule in rules:
        candidates = rule.allowed_among(problem, crew, candidates)
        if not candidates:
            return [], rule.refusal(problem, crew)
    return candidates, ""
