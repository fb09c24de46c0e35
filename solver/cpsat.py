"""The CP-SAT model: labelled group slots, every rule's encoding, one lexicographic objective.

A slot is labelled with its theme and its leader, the member that comes first in maturity
order (maturity, then company id). Every group has exactly one leader, so slots are never
interchangeable (no symmetry to break), the lower end of each maturity band is a constant, and
a slot admits only companies after its leader that every rule finds compatible with the
leader: variables exist only where a company could sit.

`plan_slots` decides which slots exist; `build` creates the variables and lets each rule encode
itself; `optimise` and `hold` take the lexicographic objective one level at a time;
`run` solves and reports progress; `chosen_groups` reads the groups back; `add_hint` starts
the search from a known plan.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from peergroups.model import Company, tenths
from solver.context import GuardedModel, ModelContext, Slot, SlotPlan
from solver.interrupt import STOP
from solver.objective import Level
from solver.rules import RuleSet
from solver.space import SearchSpace

STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class Solution:
    """A new best solution of the model being solved: the bound of its current objective
    and the value of every term (placed and each rule's cost)."""

    bound: float
    values: dict[str, int]


@dataclass
class Run:
    status: str
    objective: float | None
    bound: float | None
    seconds: float
    work: float
    """CP-SAT's deterministic time spent: the same for the same model, seed and workers."""
    clock_stopped: bool
    """The wall-clock cap ended the search before its work budget: may not be reproducible."""
    groups: list[tuple[str, list[str]]]
    terms: dict[str, int]


def maturity_order(company: Company) -> tuple[float, str]:
    """The order that picks a group's leader: lowest maturity, then lowest id."""
    return (company.maturity, company.company_id)


def plan_slots(space: SearchSpace, prune: bool = True) -> list[SlotPlan]:
    """One slot per (theme, leader) whose compatible followers could fill a group, then the
    rules' labelled slots (pinned or existing groups).

    The maturity window only stops the scan for followers early; `prune=False` keeps
    followers incompatible with the leader (for explanations, where the rule that forbids a
    pair must appear as a constraint, not as a missing variable).
    """
    problem, rules, themes_of = space.problem, space.rules, space.themes_of
    min_size = space.min_size
    reach = None if space.maturity_window is None else tenths(space.maturity_window)
    by_theme: dict[str, list[Company]] = defaultdict(list)
    for company_id in sorted(themes_of):
        for theme in themes_of[company_id]:
            by_theme[theme].append(problem.by_id[company_id])
    plans = []
    for theme, members in sorted(by_theme.items()):
        ordered = sorted(members, key=maturity_order)
        for position, leader in enumerate(ordered):
            followers = []
            for other in ordered[position + 1 :]:
                if reach is not None and tenths(other.maturity) - tenths(leader.maturity) > reach:
                    break
                if not prune or rules.compatible(leader, other):
                    followers.append(other.company_id)
            if len(followers) >= min_size - 1:
                plans.append(SlotPlan(theme, leader.company_id, (leader.company_id, *followers)))
    joining = rules if prune else RuleSet(problem, ())
    for rule in rules:
        plans += rule.labelled_slots(joining, themes_of)
    return plans


def build(
    rules: RuleSet,
    plans: list[SlotPlan],
    guarded: bool = False,
    model: cp_model.CpModel | None = None,
) -> ModelContext:
    """The model with its variables and every rule's encoding; no objective yet.

    `guarded`: every rule's constraints are enforced by a literal of its own (`ctx.guards`),
    for `solver.explain` to switch rules on and off by assumptions. `model`: add to this
    model instead of a new one (several rounds of one cohort in one model, `solver.rounds`)."""
    model = model if model is not None else cp_model.CpModel()
    slots = []
    for index, plan in enumerate(plans):
        x = {cid: model.new_bool_var(f"x_{cid}_{index}") for cid in plan.candidates}
        # A leader slot is open exactly when its leader sits in it.
        active = x[plan.leader] if plan.leader else model.new_bool_var(f"active_{index}")
        for var in x.values():
            model.add_implication(var, active)
        slots.append(Slot(index, plan.theme, plan.leader, active, x, plan.label, plan.owners))
    ctx = ModelContext(model, rules.problem, slots, fewest=1 if guarded else rules.fewest_members())

    seats: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for slot in slots:
        for cid, var in slot.x.items():
            seats[cid].append(var)
    for variables in seats.values():
        model.add_at_most_one(variables)

    ctx.placed = sum(var for variables in seats.values() for var in variables)
    if guarded:
        ctx.guards = {}
    for rule in rules:
        literal = (
            ctx.guard("rule", rule.kind) if guarded and not rule.guarded_per_instance else None
        )
        if literal is None:
            rule.encode(ctx)
            continue
        ctx.model = GuardedModel(model, literal)
        try:
            rule.encode(ctx)
        finally:
            ctx.model = model
    return ctx


def level_expr(ctx: ModelContext, level: Level) -> cp_model.LinearExprT:
    """The model's expression for one level of the objective."""
    if level.maximise:
        return ctx.placed
    return sum(term.expr for term in ctx.terms if term.name in level.terms)


def optimise(ctx: ModelContext, level: Level) -> None:
    """Make `level` the model's objective, with its terms' redundant constraints on."""
    ctx.model.clear_objective()
    for term in ctx.terms:
        if term.name in level.terms and term.sharpen is not None:
            ctx.model.add(term.sharpen == 1)
    if level.maximise:
        ctx.model.maximize(level_expr(ctx, level))
    else:
        ctx.model.minimize(level_expr(ctx, level))


def hold(ctx: ModelContext, level: Level, value: int) -> None:
    """Keep a finished level at least as good as `value` while later levels run."""
    expr = level_expr(ctx, level)
    ctx.model.add(expr >= value if level.maximise else expr <= value)


class _ProgressReporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, ctx: ModelContext, report: Callable[[Solution], None]) -> None:
        super().__init__()
        self._report = report
        self._ctx = ctx

    def on_solution_callback(self) -> None:
        self._report(Solution(self.best_objective_bound, term_values(self._ctx, self)))


def run(
    ctx: ModelContext,
    *,
    work: float,
    seconds: float,
    seed: int,
    workers: int,
    on_solution: Callable[[Solution], None] | None = None,
) -> Run:
    """Solve the model with its current objective.

    The search is deterministic: interleaved workers and a budget of deterministic time
    (`work`); `seconds` only caps the wall clock, for machines slower than expected.
    """
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = max(0.01, work)
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    solver.parameters.random_seed = seed
    solver.parameters.num_workers = workers
    solver.parameters.interleave_search = workers > 1
    solver.parameters.catch_sigint_signal = False  # Ctrl-C goes to solver.interrupt instead
    reporter = _ProgressReporter(ctx, on_solution) if on_solution and ctx.slots else None
    if STOP.requested:
        return Run("unknown", None, None, 0.0, 0.0, True, [], {})
    code = STOP.solve(solver, lambda: solver.solve(ctx.model, reporter))
    status = STATUS.get(code)
    if status is None:
        raise RuntimeError(f"CP-SAT rejected the model: {solver.status_name(code)}")
    solved = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return Run(
        status=status,
        objective=solver.objective_value if solved else None,
        bound=solver.best_objective_bound if solved else None,
        seconds=solver.wall_time,
        work=solver.response_proto.deterministic_time,
        clock_stopped=STOP.requested
        or (code == cp_model.FEASIBLE and solver.wall_time >= seconds * 0.99),
        groups=chosen_groups(ctx, solver) if solved else [],
        terms=term_values(ctx, solver) if solved else {},
    )


def term_values(
    ctx: ModelContext, solution: cp_model.CpSolver | cp_model.CpSolverSolutionCallback
) -> dict[str, int]:
    values = {"placed": int(solution.value(ctx.placed))}
    return values | {t.name: int(solution.value(t.expr)) for t in ctx.terms}


def chosen_groups(ctx: ModelContext, solver: cp_model.CpSolver) -> list[tuple[str, list[str]]]:
    """(theme, member ids) of every slot the solution opens."""
    return [
        (slot.theme, sorted(cid for cid, var in slot.x.items() if solver.boolean_value(var)))
        for slot in ctx.slots
        if solver.boolean_value(slot.active)
    ]


def add_hint(ctx: ModelContext, groups: list[tuple[str, list[str]]]) -> None:
    """Start the search from a known plan: a group holding owners of a labelled slot of its
    theme sits there, any other group in the slot of its leader."""
    remaining = [(theme, set(members)) for theme, members in groups]
    chosen: dict[int, set[str]] = {}
    for slot in ctx.slots:
        if slot.label is None:
            continue
        for entry in remaining:
            theme, members = entry
            if theme == slot.theme and members & set(slot.owners) and members <= set(slot.x):
                chosen[slot.index] = members
                remaining.remove(entry)
                break
    by_leader = {
        (theme, min(members, key=lambda cid: maturity_order(ctx.problem.by_id[cid]))): members
        for theme, members in remaining
    }
    for slot in ctx.slots:
        members = chosen.get(slot.index) or (
            by_leader.get((slot.theme, slot.leader), set()) if slot.leader else set()
        )
        if slot.leader is None:
            ctx.model.add_hint(slot.active, bool(members))
        for cid, var in slot.x.items():
            ctx.model.add_hint(var, cid in members)
