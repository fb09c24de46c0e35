"""The CP-SAT model: theme-labelled slots, every rule's encoding, one lexicographic objective.

`plan_slots` decides which slots exist (per theme, as many as its candidates could fill at the
minimum size); `build` creates the variables, lets each rule encode itself and sets the
objective; `run` solves and reports progress; `chosen_groups` reads the groups back.
"""

import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from peergroups.model import Problem
from solver.context import ModelContext, ObjectiveTerm, Slot
from solver.rules import Rule
from solver.scenario import SolverSettings

PLACEMENT_PRIORITY = 0

STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class SlotPlan:
    """A slot to create: its theme and the companies that may sit in it."""

    theme: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class Progress:
    """A new best plan found during the search."""

    seconds: float
    objective: float
    bound: float
    placed: int


@dataclass
class Run:
    status: str
    objective: float | None
    bound: float | None
    seconds: float
    groups: list[tuple[str, list[str]]]
    terms: dict[str, int]


def plan_slots(themes_of: dict[str, tuple[str, ...]], min_size: int) -> list[SlotPlan]:
    """floor(n_t / min_size) slots for each theme t, each open to all n_t candidates of t."""
    candidates: dict[str, list[str]] = defaultdict(list)
    for company_id, themes in sorted(themes_of.items()):
        for theme in themes:
            candidates[theme].append(company_id)
    return [
        SlotPlan(theme, tuple(ids))
        for theme, ids in sorted(candidates.items())
        for _ in range(len(ids) // max(1, min_size))
    ]


def build(
    problem: Problem, rules: list[Rule], plans: list[SlotPlan], objective: bool = True
) -> ModelContext:
    """The model with its variables, every rule's encoding and (optionally) the objective."""
    model = cp_model.CpModel()
    slots = []
    for index, plan in enumerate(plans):
        active = model.new_bool_var(f"active_{index}")
        x = {cid: model.new_bool_var(f"x_{cid}_{index}") for cid in plan.candidates}
        for var in x.values():
            model.add_implication(var, active)
        slots.append(Slot(index, plan.theme, active, x))
    ctx = ModelContext(model, problem, slots)

    seats: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for slot in slots:
        for cid, var in slot.x.items():
            seats[cid].append(var)
    for variables in seats.values():
        model.add_at_most_one(variables)
    for same_theme in ctx.slots_by_theme().values():
        for earlier, later in itertools.pairwise(same_theme):
            model.add_implication(later.active, earlier.active)

    placed = sum(var for variables in seats.values() for var in variables)
    ctx.add_cost("unplaced", len(seats) - placed, len(seats), PLACEMENT_PRIORITY)
    for rule in rules:
        rule.encode(ctx)
    if objective:
        weights = lexicographic_weights(ctx.terms)
        model.minimize(sum(weights[term.priority] * term.expr for term in ctx.terms))
    return ctx


def lexicographic_weights(terms: list[ObjectiveTerm]) -> dict[int, int]:
    """A weight per priority such that one unit of a more important term outweighs every
    possible value of all less important terms together (lower priority number = more
    important): w_p = 1 + Σ_{q less important} w_q · upper_q."""
    weights: dict[int, int] = {}
    below = 0
    for priority in sorted({t.priority for t in terms}, reverse=True):
        weights[priority] = below + 1
        below += weights[priority] * sum(t.upper for t in terms if t.priority == priority)
    return weights


class _ProgressReporter(cp_model.CpSolverSolutionCallback):
    def __init__(self, ctx: ModelContext, report: Callable[[Progress], None]) -> None:
        super().__init__()
        self._report = report
        self._unplaced = next(t.expr for t in ctx.terms if t.name == "unplaced")
        self._seats = len({cid for slot in ctx.slots for cid in slot.x})

    def on_solution_callback(self) -> None:
        self._report(
            Progress(
                seconds=self.wall_time,
                objective=self.objective_value,
                bound=self.best_objective_bound,
                placed=self._seats - int(self.value(self._unplaced)),
            )
        )


def run(
    ctx: ModelContext,
    settings: SolverSettings,
    on_progress: Callable[[Progress], None] | None = None,
) -> Run:
    """Solve the model; the search is deterministic for a given seed and worker count."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = settings.time_limit
    solver.parameters.random_seed = settings.seed
    solver.parameters.num_workers = settings.workers
    solver.parameters.interleave_search = False
    reporter = _ProgressReporter(ctx, on_progress) if on_progress and ctx.slots else None
    code = solver.solve(ctx.model, reporter)
    status = STATUS.get(code)
    if status is None:
        raise RuntimeError(f"CP-SAT rejected the model: {solver.status_name(code)}")
    solved = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    return Run(
        status=status,
        objective=solver.objective_value if solved else None,
        bound=solver.best_objective_bound if solved else None,
        seconds=solver.wall_time,
        groups=chosen_groups(ctx, solver) if solved else [],
        terms={t.name: int(solver.value(t.expr)) for t in ctx.terms} if solved else {},
    )


def chosen_groups(ctx: ModelContext, solver: cp_model.CpSolver) -> list[tuple[str, list[str]]]:
    """(theme, member ids) of every slot the solution opens."""
    return [
        (slot.theme, sorted(cid for cid, var in slot.x.items() if solver.boolean_value(var)))
        for slot in ctx.slots
        if solver.boolean_value(slot.active)
    ]
