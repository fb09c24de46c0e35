"""Staff the groups: one facilitator per group where the facilitation rules allow one.

A min-cost flow, exact and fast even for a thousand groups and hundreds of facilitators:

    source -> group g (capacity 1) -> facilitator f (an arc only if every rule allows f for
    g; cost -Σ preferences) -> sink (capacity: the least any rule allows f)

A maximum flow staffs as many groups as possible; among those, the least cost prefers the
rules' preferences (theme expertise). Groups left without a facilitator get a reason.
"""

from ortools.graph.python import min_cost_flow

from peergroups.model import Group, Problem
from solver.rules import FacilitationRule

SOURCE, SINK = 0, 1


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
    arcs = {}
    reasons = {}
    for group in groups:
        crew = members[group.group_id]
        candidates = list(facilitators)
        for rule in rules:  # in scenario order: the first rule to leave nobody is the reason
            candidates = rule.allowed_among(problem, crew, candidates)
            if not candidates:
                reasons[group.group_id] = rule.refusal(problem, crew)
                break
        for f in candidates:
            gain = sum(rule.preference(problem, group.theme, crew, f) for rule in rules)
            arc = flow.add_arc_with_capacity_and_unit_cost(
                group_node[group.group_id], facilitator_node[f.facilitator_id], 1, -gain
            )
            arcs[arc] = (group.group_id, f.facilitator_id)
    flow.set_node_supply(SOURCE, len(groups))
    flow.set_node_supply(SINK, -len(groups))
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"the facilitator assignment failed (min-cost flow status {status})")
    chosen = {gid: fid for arc, (gid, fid) in arcs.items() if flow.flow(arc)}
    staffed = tuple(g.model_copy(update={"facilitator_id": chosen.get(g.group_id)}) for g in groups)
    full = "every facilitator who could run it already runs as many groups as they can"
    return staffed, {
        g.group_id: reasons.get(g.group_id, full) for g in groups if g.group_id not in chosen
    }
