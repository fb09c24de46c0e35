"""Search one independent part of a problem with the strategy that suits its size.

`cpsat`: one leader-slot model of the part, solved level by level (`lexicographic`), with
proofs and bounds; `lns`: neighbourhood search (`lns`) when one model of the part would be too
large to help. Both start from the construction heuristic's groups of the part and return
the same `Searched`, with a bound on the part's score.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from solver import bounds, colgen, cpsat
from solver.interrupt import STOP
from solver.lexicographic import LexicographicSearch, Progress
from solver.lns import Improvement, NeighbourhoodSearch
from solver.objective import ChosenGroup, Objective
from solver.scenario import SolverSettings
from solver.space import SearchSpace

BOUND_SHARE = 0.15
"""Share of a large part's work and time spent bounding how many companies can be placed."""
FULL_MODEL_COMPANIES = 300
"""Parts with more placeable companies go to the neighbourhood search: on the generated
1,000-company instance one model did not improve the first plan within 60 s."""


@dataclass
class Searched:
    """What a search hands back for one part."""

    strategy: str
    best: list[ChosenGroup]
    bound: float
    """No plan of the part scores more (in the whole problem's score units)."""
    placed_bound: int
    """No plan of the part places more companies."""
    proven: int
    """Objective levels proven optimal, in order (all of them: the part is optimal)."""
    complete: bool
    """It spent its whole work budget: the same input and seed give the same plan."""
    work: float
    """CP-SAT deterministic time spent (plus the neighbourhood search's charges)."""
    stats: dict[str, int | float] = field(default_factory=dict)
    found: bool = True
    """`best` keeps every rule of the model (pins included), not only the Python checks."""
    infeasible: bool = False
    level_bounds: dict[str, float] = field(default_factory=dict)
    """Bounds of the proven levels and of the first unproven one, by level name."""

    @classmethod
    def unsearched(
        cls, first_plan: list[ChosenGroup], bound: float, placeable: int, pinned: bool
    ) -> "Searched":
        """A part that was not searched (a stop came first, or its worker was lost): its
        first plan, with the trivial bounds. The first plan does not know pins: with pins,
        it is not `found`."""
        return cls(
            "none",
            first_plan,
            bound,
            placeable,
            proven=0,
            complete=False,
            work=0.0,
            found=not pinned,
        )


@dataclass(frozen=True)
class Part:
    """An independent part: its search space (placeable companies with their themes) and
    its first plan."""

    space: SearchSpace
    first_plan: list[ChosenGroup]

    @property
    def themes_of(self) -> dict[str, tuple[str, ...]]:
        return self.space.themes_of

    def floors(self, objective: Objective) -> dict[str, float]:
        """Least goal rank if every company of the part is placed: each in its best theme."""
        least = self.space.least_goal_rank
        return {level.name: least for level in objective.levels if "goal_rank" in level.terms}


def search(
    part: Part,
    objective: Objective,
    strategy: str,
    work: float,
    settings: SolverSettings,
    deadline: float,
    on_progress: Callable[[Progress], None] | None = None,
) -> Searched:
    """The best plan for the part found within `work` units of CP-SAT deterministic time."""
    placeable = len(part.themes_of)
    floors = part.floors(objective)
    if STOP.requested:  # a piece that starts after a stop: nothing to build a search for
        bound = objective.score_bound({}, placeable, floors)
        return Searched.unsearched(part.first_plan, bound, placeable, bool(objective.problem.pins))
    if strategy == "auto":
        strategy = "cpsat" if placeable <= FULL_MODEL_COMPANIES else "lns"
    if strategy == "cpsat":
        ctx = cpsat.build(part.space.rules, cpsat.plan_slots(part.space))
        lexicographic = LexicographicSearch(ctx, objective, placeable, part.first_plan, floors)
        lexicographic.outside = colgen.level_bound(part.space, ctx.slots, objective, settings)
        spent = lexicographic.run(work, settings, deadline, on_progress)
        return Searched(
            strategy="cpsat",
            best=lexicographic.best,
            bound=lexicographic.score_bound(),
            placed_bound=lexicographic.placed_bound(),
            proven=lexicographic.proven,
            complete=not lexicographic.clock_stopped,
            work=spent,
            stats={"variables": len(ctx.model.proto.variables)} | lexicographic.outside_stats,
            found=lexicographic.found,
            infeasible=lexicographic.infeasible,
            level_bounds=dict(lexicographic.bounds),
        )
    bound_work = work * BOUND_SHARE
    bound_deadline = time.perf_counter() + (deadline - time.perf_counter()) * BOUND_SHARE
    placed = bounds.placed_bound(part.space, bound_work, bound_deadline)
    bound = objective.score_bound({"placed": placed}, placeable, floors)
    neighbourhoods = NeighbourhoodSearch(objective, part.space, part.first_plan)

    def report(improvement: Improvement) -> None:
        if on_progress:
            on_progress(
                Progress(
                    seconds=improvement.seconds,
                    level="neighbourhoods",
                    placed=improvement.values["placed"],
                    placed_bound=placed,
                    objective=objective.score(improvement.values),
                    bound=bound,
                )
            )

    complete = neighbourhoods.run(work - bound_work, settings, deadline, report)
    return Searched(
        strategy="lns",
        best=neighbourhoods.best,
        bound=bound,
        placed_bound=placed,
        proven=0,
        complete=complete,
        work=neighbourhoods.work_spent,
        stats={"neighbourhood_steps": neighbourhoods.steps},
        level_bounds={"placed": placed},
    )
