"""Staff the groups: one facilitator per group where the facilitation rules allow one.

A small CP-SAT model after the groups are formed: a literal y[g, f] for every group and every
facilitator all rules allow for it, at most one facilitator per group, the rules' own
constraints (capacities) and preferences (expertise). It staffs as many groups as possible,
then maximises the preferences. Groups left without a facilitator get a reason.
"""

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from peergroups.model import Group, Problem
from solver.rules import FacilitationRule

SECONDS = 10.0
"""Enough to prove these small models optimal; the search is single-threaded and reproducible."""


@dataclass
class FacilitationContext:
    model: cp_model.CpModel
    problem: Problem
    groups: list[Group]
    y: dict[tuple[str, str], cp_model.IntVar]
    """(group_id, facilitator_id) -> 'the facilitator runs the group', for allowed pairs."""
    preferences: list[cp_model.LinearExprT] = field(default_factory=list)


def assign(
    problem: Problem, groups: tuple[Group, ...], rules: list[FacilitationRule]
) -> tuple[tuple[Group, ...], dict[str, str]]:
    """The groups with `facilitator_id` set, and why each group left without one is."""
    if not problem.facilitators or not groups:
        return groups, {}
    members = {g.group_id: [problem.by_id[cid] for cid in g.members] for g in groups}
    model = cp_model.CpModel()
    y = {
        (g.group_id, f.facilitator_id): model.new_bool_var(f"y_{g.group_id}_{f.facilitator_id}")
        for g in groups
        for f in problem.facilitators
        if all(rule.allows(problem, members[g.group_id], f) for rule in rules)
    }
    ctx = FacilitationContext(model, problem, list(groups), y)
    for group in groups:
        model.add_at_most_one(var for (gid, _), var in y.items() if gid == group.group_id)
    for rule in rules:
        rule.encode_facilitation(ctx)
    model.maximize((len(groups) + 1) * sum(y.values()) + sum(ctx.preferences))

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = SECONDS
    solver.parameters.num_workers = 1
    solver.solve(model)
    chosen = {gid: fid for (gid, fid), var in y.items() if solver.boolean_value(var)}
    staffed = tuple(g.model_copy(update={"facilitator_id": chosen.get(g.group_id)}) for g in groups)
    reasons = {
        g.group_id: _reason(problem, members[g.group_id], rules, any(k[0] == g.group_id for k in y))
        for g in groups
        if g.group_id not in chosen
    }
    return staffed, reasons


def _reason(
    problem: Problem, members: list, rules: list[FacilitationRule], had_candidates: bool
) -> str:
    """The first rule, in scenario order, that leaves the group no facilitator at all."""
    if had_candidates:
        return "every facilitator who could run it already runs as many groups as they can"
    candidates = list(problem.facilitators)
    for rule in rules:
        candidates = [f for f in candidates if rule.allows(problem, members, f)]
        if not candidates:
            return rule.refusal(problem, members)
    return "no facilitator could be assigned"
