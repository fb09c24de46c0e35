"""The one entry point: problem and scenario in, a checked `Result` out.

Pre-check who can be placed (`feasibility`), split the problem into parts no group can span
and cut very large parts into pieces (`decompose`), build each piece's first plan
(`heuristics`) and search it (`search`: one CP-SAT model level by level, or neighbourhood
search when a piece is large), in worker processes when the problem is large (`parallel`),
search cut parts again across their seams, and re-check the plan with every rule.
"""

import math
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from peergroups.model import Group, Grouping, PinKind, Problem, Unassigned
from solver import decompose, facilitation, feasibility, mixing, parallel, programme
from solver.checks import check, check_staffing, crews_of
from solver.explain import Infeasible, before_solving, explain, pins_hold, pins_of
from solver.groundwork import Groundwork, Key
from solver.interrupt import STOP
from solver.lexicographic import WORK_PER_SECOND, Progress
from solver.lns import NeighbourhoodSearch
from solver.objective import ChosenGroup, Objective
from solver.result import LevelReport, Result
from solver.scenario import Scenario, SolverSettings
from solver.search import Part, Searched
from solver.space import SearchSpace

FIRST_PLAN_SHARE = 0.85
"""Share of the time limit by which the first plan is ready. It binds only when building it
takes long (very large inputs, short limits), and then building places far more companies
in that time than the search would."""
MIXING_SHARE = 0.1
"""Share of the time limit kept for `mixing` when it applies (history, no pins)."""
SEAM_SHARE = 0.2
"""Share of the search kept for the seams when large parts were cut into pieces."""
PARALLEL_PIECES = 2
"""Pieces searched at once, for their work budgets: the default `processes`, fixed so the
budgets (and the plan) are the same with any number of processes; with fewer, the wall
clock ends the search."""


class SolverBug(RuntimeError):
    """The solver returned a plan that breaks a rule: never written, always reported."""


class NoPlanInTime(RuntimeError):
    """With pins, the construction heuristic's plan does not count: CP-SAT must find one."""


class TooLarge(ValueError):
    """More companies than `max_companies`: refused up front rather than run past its time
    limit or memory."""


def refuse_if_too_large(problem: Problem, scenario: Scenario) -> None:
    """Raise TooLarge, in plain words, when the input exceeds the solver's size limit."""
    count, limit = len(problem.companies), scenario.solver.max_companies
    if count > limit:
        raise TooLarge(
            f"{count:,} companies is more than one run handles ({limit:,}, the solver's "
            "max_companies): split the cohort, for example by language or region, and form "
            "each part's groups apart, or raise max_companies in a scenario file"
        )


def _labels(problem: Problem) -> dict[str, tuple[str, ...]]:
    """Group ids to keep: pinned groups and, in a repair, the groups meeting now."""
    return problem.labels | {group.group_id: group.members for group in problem.current}


def _pinned(problem: Problem) -> set[str]:
    """Companies a pin places in a group: they take part even if no group could hold them."""
    return {pin.company_id for pin in problem.pins if pin.kind in (PinKind.GROUP, PinKind.GROUPS)}


def solve(
    problem: Problem,
    scenario: Scenario | None = None,
    on_progress: Callable[[Progress], None] | None = None,
    end: float | None = None,
) -> Result:
    """Form groups: pre-check who can be placed, search each part, re-check the plan. `end`
    (a `time.perf_counter` value) ends the run before its time limit when the caller has
    work of its own around it (reading, writing); budgets still follow the time limit."""
    scenario = scenario or Scenario.default()
    refuse_if_too_large(problem, scenario)
    settings = scenario.solver
    started = time.perf_counter()
    end = min(end or math.inf, started + settings.time_limit)
    # With history, the last MIXING_SHARE of the time is kept for the mixing swaps.
    mixes = mixing.applies(problem)
    deadline = started + (end - started) * (1 - (MIXING_SHARE if mixes else 0))
    space = scenario.search_space(problem)
    eligibility = programme.eligibility(problem, scenario)
    objective = Objective(problem, scenario.grouping_rules, scenario.priorities)
    # A problem larger than one piece is searched piece by piece side by side (whatever
    # `processes` says, for the same plan); a smaller one here, as its parts come. Worker
    # processes start now, while the pre-check runs.
    side_by_side = len(problem.companies) > settings.piece_companies
    # The workers prepare their plans' groups' share of the final check (this process
    # learns it), so that a stopped run ends within moments.
    groundwork = Groundwork(problem, scenario)
    worker = parallel.Worker(space, objective, settings, groundwork)
    processes = settings.processes if side_by_side else 1
    engine = settings.engine if side_by_side else "local"
    pool = parallel.Pool(
        worker, processes, flows=not side_by_side, engine=engine, learn=groundwork.learn
    )
    with pool.running(problem, scenario):
        # A plan must exist in time: the pre-check may use 30 % of the time, and the first
        # plan is ready by FIRST_PLAN_SHARE of it (each stops where it is when its share is
        # spent), counted from when the workers can take tasks (joining a Ray cluster takes
        # seconds).
        ready = time.perf_counter()
        # The workers check the themes side by side, once they have started.
        placeability = feasibility.assess(
            space, ready + 0.3 * (end - ready), pool.shortfalls if pool.elsewhere else None
        )
        # Pins the rules plainly cannot keep are explained now, not after a search.
        clash = before_solving(problem, scenario, placeability.themes) if problem.pins else None
        if clash is not None:
            raise Infeasible(clash)
        # Pinned companies must be placed, even those no group can hold: the model says so.
        candidates = placeability.themes | {
            cid: space.themes_of[cid] for cid in _pinned(problem) if cid not in placeability.themes
        }
        if STOP.requested:  # stopped before a first plan: splitting and building it is moot
            return _stopped_before_a_plan(
                problem, scenario, objective, placeability, candidates, started, eligibility
            )
        parts = decompose.parts(space.narrowed(candidates))
        # Pins and current groups bind across groups, which the construction heuristic and the
        # neighbourhood search do not know: one model only, and no part is cut.
        pinned = problem.pins or problem.current
        strategy = "cpsat" if pinned and settings.strategy == "auto" else settings.strategy
        largest = len(candidates) if pinned else settings.piece_companies
        pieces = [
            (number, piece)
            for number, part in enumerate(parts)
            for piece in decompose.pieces(part, largest)
        ]
        cut = len(pieces) > len(parts)
        for part in parts:  # the floor of its bound now, not in a stopped run's last moments
            _ = part.least_goal_rank
        kept = _still_valid(space.narrowed(placeability.themes))
        # The first plan by its share of the limit, or half of what is left when the
        # pre-check and starting the workers took longer.
        now = time.perf_counter()
        first_plan_by = max(ready + FIRST_PLAN_SHARE * (end - ready), now + (deadline - now) / 2)
        first_plans = pool.first_plans(
            [
                parallel.FirstPlanTask(
                    {cid: t for cid, t in piece.themes_of.items() if cid in placeability.themes},
                    [group for group in kept if group[1][0] in piece.themes_of],
                    first_plan_by,
                )
                for _, piece in pieces
            ]
        )
        first_plan_seconds = time.perf_counter() - started
        tracker = _Tracker(
            groundwork.objective,
            [Part(piece, plan) for (_, piece), plan in zip(pieces, first_plans, strict=True)],
            started,
            on_progress,
        )
        # Each piece has a fixed share of the work, by its size: the plan does not depend on
        # the order or the number of processes that search the pieces. When parts were cut,
        # the last SEAM_SHARE of the time searches across the cuts.
        at_once = min(PARALLEL_PIECES, len(pieces)) if side_by_side else 1
        work = settings.time_limit * WORK_PER_SECOND * at_once * (1 - (SEAM_SHARE if cut else 0))
        now = time.perf_counter()
        window = (deadline - now) * (1 - (SEAM_SHARE if cut else 0))
        total = max(1, sum(len(piece.themes_of) for _, piece in pieces))
        tasks = [
            parallel.SearchTask(
                piece.themes_of,
                plan,
                strategy,
                work * len(piece.themes_of) / total,
                min(window, window * at_once * len(piece.themes_of) / total),
                now + window,
            )
            for (_, piece), plan in zip(pieces, first_plans, strict=True)
        ]
        # The first plan is the first progress line: a search that finds nothing better
        # reports nothing, and pieces searched elsewhere report only here.
        tracker.whole("first plan")

        def finished(number: int, result: Searched) -> None:
            tracker.finish(number, result)
            if pool.elsewhere and not STOP.requested:  # a stopped run prints its plan now
                tracker.whole(f"pieces {number + 1}/{len(pieces)}")

        by_piece = pool.searches(tasks, finished, tracker.reporter, tracker.unsearched)
        seam_work = settings.time_limit * WORK_PER_SECOND * SEAM_SHARE
        cut_sizes = [len(part.themes_of) for n, part in enumerate(parts) if _count(pieces, n) > 1]
        searched = []
        for number, part in enumerate(parts):
            results = [
                result for (n, _), result in zip(pieces, by_piece, strict=True) if n == number
            ]
            if len(results) == 1:
                searched.append(results[0])
                continue
            # Seams first get their share of what is left, in the order of the parts.
            share = len(part.themes_of) / sum(cut_sizes)
            cut_sizes.remove(len(part.themes_of))
            now = time.perf_counter()
            searched.append(
                _across_seams(
                    objective,
                    part,
                    results,
                    seam_work * share,
                    settings,
                    now + (deadline - now) * share,
                )
            )
        first_plan = [group for plan in first_plans for group in plan]
        parts = [Part(part, [g for g in first_plan if g[1][0] in part.themes_of]) for part in parts]

        if any(result.infeasible for result in searched):
            raise Infeasible(explain(problem, scenario, placeability.themes))
        if problem.pins and not all(result.found for result in searched):
            _no_plan_in_time(problem, scenario, placeability.themes)
        best = [group for result in searched for group in result.best]
        if not STOP.requested and not all(r.proven == len(objective.levels) for r in searched):
            best = mixing.improve(problem, objective, scenario.grouping_rules, best, deadline=end)
        placing_proven = all(result.proven > 0 for result in searched)
        underway = staffing_underway(problem, scenario, best, groundwork, pool)
        # The plan's values while the facilitators' flow is solved in a worker process.
        values = groundwork.objective.evaluate(best)
        levels = _levels(objective, values, parts, searched)
        grouping, unstaffed = checked_plan(
            problem,
            scenario,
            best,
            placeability.reasons,
            placing_proven,
            groundwork,
            pool,
            underway,
        )
    score = objective.score(values)
    optimal = all(result.proven == len(objective.levels) for result in searched)
    return Result(
        status="interrupted" if STOP.requested else "optimal" if optimal else "feasible",
        objective=score,
        bound=max(sum(result.bound for result in searched), score),
        runtime_s=time.perf_counter() - started,
        problem=problem,
        grouping=grouping,
        terms=values,
        scenario=scenario,
        stats={
            "companies": len(problem.companies),
            "placeable": len(placeability.themes),
            "parts": len(parts),
            "pieces": len(pieces),
            "heuristic_placed": sum(len(members) for _, members in first_plan),
            "first_plan_s": round(first_plan_seconds, 3),
            "reproducible": int(all(result.complete for result in searched)),
        }
        | _summed_stats(searched),
        strategy="+".join(sorted({result.strategy for result in searched})) or "none",
        unstaffed=unstaffed,
        levels=levels,
        blocked_by=dict(Counter(placeability.blockers.values())),
        programme=programme.summary(problem, scenario, grouping, eligibility),
    )


def _stopped_before_a_plan(
    problem: Problem,
    scenario: Scenario,
    objective: Objective,
    placeability: feasibility.Placeability,
    candidates: dict[str, tuple[str, ...]],
    started: float,
    eligibility: dict[str, Any],
) -> Result:
    """The plan of a run stopped during its pre-check: nobody placed (each company with the
    pre-check's reason, or the stop's), nothing proven, the trivial bounds."""
    grouping, unstaffed = checked_plan(problem, scenario, [], placeability.reasons, False)
    values = objective.evaluate([])
    placed = objective.levels[0]
    return Result(
        status="interrupted",
        objective=objective.score(values),
        bound=objective.score_bound({}, len(candidates)),
        runtime_s=time.perf_counter() - started,
        problem=problem,
        grouping=grouping,
        terms=values,
        scenario=scenario,
        stats={"companies": len(problem.companies), "placeable": len(placeability.themes)},
        strategy="none",
        unstaffed=unstaffed,
        # The first level is open, so no level after it has a bound (as `_levels` says).
        levels=tuple(
            LevelReport(
                name=level.name,
                value=level.value(values),
                bound=float(len(candidates)) if level is placed else None,
                proven=False,
            )
            for level in objective.levels
        ),
        blocked_by=dict(Counter(placeability.blockers.values())),
        programme=programme.summary(problem, scenario, grouping, eligibility),
    )


def _no_plan_in_time(
    problem: Problem, scenario: Scenario, themes_of: dict[str, tuple[str, ...]]
) -> None:
    """The search found no plan keeping the pins: Infeasible when a pin or rule is the
    cause, else NoPlanInTime saying whether the pins can be kept at all."""
    holds = pins_hold(problem, scenario, themes_of)
    if holds is False:
        raise Infeasible(explain(problem, scenario, themes_of))
    known = "the pins can all be kept, but " if holds else ""
    raise NoPlanInTime(
        f"{known}no plan that keeps every pin was found within the time limit; a longer "
        "--time-limit may find one"
    )


def _count(pieces: list[tuple[int, SearchSpace]], number: int) -> int:
    return sum(1 for n, _ in pieces if n == number)


def _across_seams(
    objective: Objective,
    part: SearchSpace,
    results: list[Searched],
    work: float,
    settings: SolverSettings,
    deadline: float,
) -> Searched:
    """A part that was cut: its pieces' plans together, improved by neighbourhood search over
    the whole part, whose neighbourhoods (around a company, by theme and maturity) span the
    cuts where pieces could trade members. Bounds are the trivial ones: the pieces' bounds
    ignore groups across the cuts."""
    merged = [group for result in results for group in result.best]
    neighbourhoods = NeighbourhoodSearch(objective, part, merged)
    complete = neighbourhoods.run(work, settings, deadline)
    placeable = len(part.themes_of)
    stats = _summed_stats(results)
    return Searched(
        strategy="lns",
        best=neighbourhoods.best,
        bound=objective.score_bound({}, placeable, Part(part, []).floors(objective)),
        placed_bound=placeable,
        proven=0,
        complete=complete and all(result.complete for result in results),
        work=neighbourhoods.work_spent + sum(result.work for result in results),
        stats=stats | {"seam_steps": neighbourhoods.steps},
        found=all(result.found for result in results),
        infeasible=any(result.infeasible for result in results),
    )


@dataclass(frozen=True)
class Underway:
    """The chosen groups in the order they are named, with their facilitator offers, and
    the facilitators' flow set off: solved in a worker process, if any, while this one goes
    on (`taken` waits for its answer)."""

    ordered: list[Key]
    offers: list[facilitation.Offer]
    flow: facilitation.Flow | None
    taken: Callable[[], np.ndarray] | None


def staffing_underway(
    problem: Problem,
    scenario: Scenario,
    chosen: list[ChosenGroup],
    groundwork: Groundwork,
    pool: parallel.Pool | None = None,
) -> Underway:
    """The first step of `checked_plan`, taken early by a caller with other work to do
    while the flow is solved."""
    ordered = _in_order(chosen, groundwork)
    offers = [groundwork.of(theme, members).offer for theme, members in ordered]
    flow = (
        facilitation.Flow.of(problem, len(ordered), scenario.facilitation_rules, offers)
        if groundwork.staffing is not None and ordered
        else None
    )
    taken = None if flow is None else pool.flow(flow) if pool is not None else flow.solve
    return Underway(ordered, offers, flow, taken)


def checked_plan(
    problem: Problem,
    scenario: Scenario,
    chosen: list[ChosenGroup],
    reasons: dict[str, str],
    placing_proven: bool,
    groundwork: Groundwork | None = None,
    pool: parallel.Pool | None = None,
    underway: Underway | None = None,
) -> tuple[Grouping, dict[str, str]]:
    """Chosen groups as a plan: named with suggested chairs, staffed, a reason for everyone
    left out, and re-checked with every rule (SolverBug if one breaks). Also the groups
    without a facilitator, with why. `groundwork`: the groups' answers prepared so far;
    `pool`: its worker processes solve the facilitators' flow while this one checks;
    `underway`: that flow, set off already for `chosen`."""
    groundwork = groundwork or Groundwork(problem, scenario)
    underway = underway or staffing_underway(problem, scenario, chosen, groundwork, pool)
    ordered, offers, flow, taken = underway.ordered, underway.offers, underway.flow, underway.taken
    staffing = scenario.facilitation_rules
    named = _named_groups(problem, ordered, _labels(problem), groundwork)
    formed = _grouping(problem, named, reasons, placing_proven, scenario)
    rules = scenario.grouping_rules
    violations = check(problem, formed, rules, groundwork.verdicts(named, rules))
    crews = crews_of(problem, named)  # while the flow is still being solved, if elsewhere
    groups, unstaffed = named, {}
    if flow is not None and taken is not None:
        groups, unstaffed = facilitation.staffed(problem, named, offers, flow, taken())
    grouping = Grouping(groups=groups, unassigned=formed.unassigned)
    violations += check_staffing(problem, grouping, staffing, crews)
    if violations:
        listed = "\n".join(f"  {v}" for v in violations)
        raise SolverBug(f"the solver's plan breaks {len(violations)} rule(s):\n{listed}")
    return grouping, unstaffed


def _still_valid(space: SearchSpace) -> list[ChosenGroup]:
    """The current groups (of a repair) that still keep every rule: the first plan keeps
    them, so a repair starts from moving nobody."""
    problem = space.problem
    kept = []
    for group in problem.current:
        members = [problem.by_id[cid] for cid in group.members if cid in problem.by_id]
        if (
            members
            and all(group.theme in space.themes_of.get(c.company_id, ()) for c in members)
            and space.rules.valid(group.theme, members)
        ):
            kept.append((group.theme, sorted(c.company_id for c in members)))
    return kept


class _Tracker:
    """Turns one part's progress into progress of the whole plan: the other parts count
    with their best plan so far and their bound (the pre-check's until they are searched)."""

    def __init__(
        self,
        objective: Objective,
        parts: list[Part],
        started: float,
        on_progress: Callable[[Progress], None] | None,
    ) -> None:
        self.objective, self.started, self.on_progress = objective, started, on_progress
        self.first_plans = [part.first_plan for part in parts]
        self.plans = list(self.first_plans)
        self._values: dict[int, dict[str, int]] = {}
        self.first_bounds = [
            objective.score_bound({}, len(part.themes_of), part.floors(objective)) for part in parts
        ]
        self.bounds = list(self.first_bounds)
        self.placed_bounds = [len(part.themes_of) for part in parts]
        self.level_bounds: list[dict[str, float]] = [{} for _ in parts]

    def unsearched(self, number: int) -> Searched:
        """A part whose search was lost or never started."""
        return Searched.unsearched(
            self.first_plans[number],
            self.first_bounds[number],
            self.placed_bounds[number],
            bool(self.objective.problem.pins),
        )

    def reporter(self, number: int) -> Callable[[Progress], None] | None:
        if self.on_progress is None:
            return None
        on_progress = self.on_progress

        def report(progress: Progress) -> None:
            others = [i for i in range(len(self.plans)) if i != number]
            on_progress(
                Progress(
                    seconds=time.perf_counter() - self.started,
                    level=progress.level,
                    placed=progress.placed + sum(self.values(i)["placed"] for i in others),
                    placed_bound=progress.placed_bound + sum(self.placed_bounds[i] for i in others),
                    objective=progress.objective
                    + sum(self.objective.score(self.values(i)) for i in others),
                    bound=progress.bound + sum(self.bounds[i] for i in others),
                    **self._level_of_whole(progress, others),
                )
            )

        return report

    def _level_of_whole(self, progress: Progress, others: list[int]) -> dict[str, Any]:
        """The current level's value and bound over the whole plan: the other parts count
        with their best plan and their bound for the level (or the trivial one)."""
        level = next((lv for lv in self.objective.levels if lv.name == progress.level), None)
        if level is None or progress.value is None:
            return {}
        value = progress.value + sum(level.value(self.values(i)) for i in others)
        if progress.value_bound is None:
            return {"value": value}
        trivial = [self.placed_bounds[i] if level.maximise else 0 for i in others]
        bound = progress.value_bound + sum(
            self.level_bounds[i].get(level.name, fallback)
            for i, fallback in zip(others, trivial, strict=True)
        )
        return {"value": value, "value_bound": bound}

    def values(self, number: int) -> dict[str, int]:
        """A part's best plan's values, worked out when a progress line first needs them."""
        if number not in self._values:
            self._values[number] = self.objective.evaluate(self.plans[number])
        return self._values[number]

    def finish(self, number: int, result: Searched) -> None:
        self.plans[number] = result.best
        self._values.pop(number, None)
        self.bounds[number] = result.bound
        self.placed_bounds[number] = result.placed_bound
        self.level_bounds[number] = result.level_bounds

    def whole(self, level: str) -> None:
        """The whole plan as it stands: the first plan, and after each piece searched
        elsewhere, whose own progress does not reach this process."""
        if self.on_progress is None:
            return
        self.on_progress(
            Progress(
                seconds=time.perf_counter() - self.started,
                level=level,
                placed=sum(self.values(i)["placed"] for i in range(len(self.plans))),
                placed_bound=sum(self.placed_bounds),
                objective=sum(self.objective.score(self.values(i)) for i in range(len(self.plans))),
                bound=sum(self.bounds),
            )
        )


def _levels(
    objective: Objective, values: dict[str, int], parts: list[Part], searched: list[Searched]
) -> tuple[LevelReport, ...]:
    """Each level's value, its bound summed over the parts, and whether every part proved
    it. A level's bound holds given the levels before it at their best, so a level after
    the first open one gets none."""
    reports = []
    open_before = False
    for number, level in enumerate(objective.levels):
        proven = all(result.proven > number for result in searched)
        bound: float | None = None
        if not open_before:
            total = 0.0
            for part, result in zip(parts, searched, strict=True):
                if level.name in result.level_bounds:
                    total += result.level_bounds[level.name]
                elif level.maximise:
                    total += len(part.themes_of)
                else:
                    total += part.floors(objective).get(level.name, 0)
            bound = round(total, 6)
        value = level.value(values)
        if level.maximise and bound is not None:
            bound = max(bound, value)
        elif bound is not None:
            bound = min(bound, value)
        reports.append(LevelReport(name=level.name, value=value, bound=bound, proven=proven))
        open_before = open_before or not proven
    return tuple(reports)


def _summed_stats(searched: list[Searched]) -> dict[str, int | float]:
    """The parts' search statistics, added up."""
    total: dict[str, int | float] = {}
    for result in searched:
        for key, value in result.stats.items():
            total[key] = total.get(key, 0) + value
    return total


def _grouping(
    problem: Problem,
    groups: tuple[Group, ...],
    reasons: dict[str, str],
    placing_proven: bool,
    scenario: Scenario,
) -> Grouping:
    """The groups, plus every other company with the reason it is not in one."""
    placed = {cid for group in groups for cid in group.members}
    left_out = (
        "not placed when the search was interrupted"
        if STOP.requested
        else _left_out_reason(placing_proven, scenario.solver.time_limit)
    )
    unassigned = tuple(
        Unassigned(
            company_id=c.company_id,
            reason=reasons.get(c.company_id)
            or _pinned_out_reason(problem, c.company_id, placing_proven)
            or left_out,
        )
        for c in problem.companies
        if c.company_id not in placed
    )
    return Grouping(groups=groups, unassigned=unassigned)


def _in_order(chosen: list[ChosenGroup], groundwork: Groundwork) -> list[Key]:
    """The groups (members sorted) in the order they are named: by theme, then maturity,
    then members."""
    entries = [(theme, tuple(sorted(members))) for theme, members in chosen]
    return sorted(entries, key=lambda entry: (entry[0], groundwork.of(*entry).lowest, entry[1]))


def _named_groups(
    problem: Problem,
    ordered: list[Key],
    labels: dict[str, tuple[str, ...]],
    groundwork: Groundwork,
) -> tuple[Group, ...]:
    """A group holding companies of a label (a pinned group) keeps that label: each label
    goes to the group with most of its companies. Other groups get the next free names
    G01, G02, ... in their order (`_in_order`). Each gets its suggested chair and scribe."""
    overlaps = sorted(
        (-len(set(members) & set(owners)), label, index)
        for index, (_, members) in enumerate(ordered)
        for label, owners in labels.items()
        if set(members) & set(owners)
    )
    names: dict[int, str] = {}
    for _, label, index in overlaps:
        if index not in names and label not in names.values():
            names[index] = label
    width = max(2, len(str(len(ordered))))
    fresh = (f"G{n:0{width}d}" for n in range(1, 10 * len(ordered) + 2))
    free = (name for name in fresh if name not in labels)
    groups = []
    for index, (theme, members) in enumerate(ordered):
        prepared = groundwork.of(theme, members)
        group_id = names[index] if index in names else next(free)
        # Built, not validated: every field is of its type by construction (11,000 groups).
        groups.append(
            Group.model_construct(
                group_id=group_id,
                theme=theme,
                members=members,
                chair=prepared.chair,
                scribe=prepared.scribe,
            )
        )
    return tuple(groups)


def _pinned_out_reason(problem: Problem, company_id: str, placing_proven: bool) -> str | None:
    """A company its pins touch is left out because of them, not of the time limit: say so."""
    if not problem.pins or STOP.requested:
        return None
    pins = pins_of(problem, company_id)
    if not pins:
        return None
    proof = "proven" if placing_proven else "no plan placing it was found; not proven"
    return f"its pins ({'; '.join(pins)}) leave no group it can join in this plan ({proof})"


def _left_out_reason(placing_proven: bool, time_limit: float) -> str:
    if placing_proven:
        return (
            "every group it could join is full or would break a rule, and no plan places "
            "more companies (proven)"
        )
    return (
        f"not placed when the {time_limit:g} s time limit ended (the plan is not proven "
        "optimal; a longer --time-limit may place it)"
    )
