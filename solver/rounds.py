"""Several rounds of one cohort at once: groups that really mix across the rounds.

Each round is a complete plan under the same rules. A round-by-round plan (round r formed
with rounds 1..r-1 as history) is the seed; it can walk into a dead end, as in the Social
Golfer Problem, where the third round chosen alone leaves no fourth without repeats. Then:

1. *Joint model* (cohorts of up to `JOINT_COMPANIES` companies): the rounds' slot
   models (`cpsat.build`) in one CP-SAT model. Every round places exactly the companies its
   seed round placed and keeps the levels that rank above meeting new peers (goal rank) at
   least as good; round 1 is fixed to the seed's (rounds are interchangeable, so this
   breaks their symmetry; groups inside a round have leaders, which breaks theirs). With
   m_{ab,r} >= x_{a,s} + x_{b,s} - 1 for every slot s of round r and h_ab = 1 when a and b
   met in the history:

       Σ_r m_{ab,r} + h_ab <= 1                      (first: no pair meets again, hard)
       minimise Σ_ab e_ab,  e_ab >= Σ_r m_{ab,r} + h_ab - 1,  e_ab >= 0      (otherwise)

   The hard form propagates far better: on 25 companies in groups of 5 it finds six rounds
   without a repeated pair (the affine plane of order 5) in seconds, where the soft form
   stalls at dozens of repeats.
2. *Swaps* (larger cohorts, or when the joint model finds nothing better): each round in
   turn, with the other rounds as its history, goes through `mixing.improve`; a change is
   kept when the count of repeated meetings falls.

A plan is only ever replaced by one with fewer repeated meetings, so the rounds are never
worse than round by round. Repeated meetings count Σ_ab max(0, k_ab - 1 + h_ab) with k_ab the
planned rounds in which a and b meet.
"""

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from ortools.sat.python import cp_model

from peergroups.model import Grouping, Meeting, Problem
from solver import cpsat, mixing
from solver.interrupt import STOP
from solver.lexicographic import WORK_PER_SECOND, Progress
from solver.objective import ChosenGroup, Objective
from solver.pipeline import checked_plan, solve
from solver.result import LevelReport, Result, Status
from solver.scenario import Scenario
from solver.space import SearchSpace

JOINT_COMPANIES = 150
"""Most companies placed in a round for the joint model (its pair literals grow with the
square of a slot's candidates)."""
SEED_SHARE = 0.3
"""Share of the time limit for the round-by-round seed when the joint model may follow (up
to `JOINT_COMPANIES` companies); the joint model gets the rest."""
LARGE_SEED_SHARE = 0.9
"""The same for larger cohorts: round by round is most of the work, the swaps the rest (on
500 companies, seeds given 30 % repeated 1,481 meetings over 3 rounds, where rounds of a
full share each, chained by hand, repeated 1,208)."""
SWAP_PASSES = 3
Plan = list[ChosenGroup]


@dataclass(frozen=True)
class Rounds:
    """W rounds of one cohort, each a checked plan, and how much they mix."""

    results: tuple[Result, ...]
    repeats: int
    """Meetings in these rounds that repeat an earlier one (history or an earlier round)."""
    seed_repeats: int
    """The same count for the round-by-round plan."""
    method: str
    """'round by round', 'joint model' or 'swaps': what produced the rounds."""
    proven: bool
    """No plan of these rounds repeats fewer meetings (zero repeats, or a proven optimum)."""

    @property
    def status(self) -> Status:
        """The weakest round's: interrupted, then feasible, else optimal."""
        statuses = [r.status for r in self.results]
        weakest = (Status.INTERRUPTED, Status.FEASIBLE)
        return next((s for s in weakest if s in statuses), statuses[0])

    def plan_summary(self) -> dict[str, Any]:
        """summary.json of the rounds: round 1's keys with the status, placed and
        unassigned of the weakest round, `rounds` (how they mix) and `rounds_detail` (each
        round's own summary)."""
        first = self.results[0].summary()
        return first | {
            "status": self.status,
            "placed": min(r.placed for r in self.results),
            "unassigned": max(len(r.grouping.unassigned) for r in self.results),
            "rounds": self.summary(),
            "rounds_detail": [
                {k: v for k, v in r.summary().items() if k not in ("scenario", "versions")}
                for r in self.results
            ],
        }

    def meetings_again(self) -> dict[tuple[str, str], list[int]]:
        """Pairs that meet again in these rounds -> the rounds (see `meetings_again`)."""
        return meetings_again(self.results[0].problem, [r.grouping for r in self.results])

    def summary(self) -> dict[str, Any]:
        return {
            "rounds": len(self.results),
            "repeated_meetings": self.repeats,
            "round_by_round_repeated_meetings": self.seed_repeats,
            "method": self.method,
            "repeats_proven_minimal": self.proven,
        }


def repeated_meetings(problem: Problem, plans: list[Plan]) -> int:
    """Σ_ab max(0, k_ab - 1 + h_ab): meetings that repeat one in the history or in an
    earlier planned round."""
    meetings: dict[tuple[str, str], int] = {}
    for plan in plans:
        for _, members in plan:
            for pair in combinations(sorted(members), 2):
                meetings[pair] = meetings.get(pair, 0) + 1
    return sum(
        max(0, count - 1 + (1 if pair in problem.met else 0)) for pair, count in meetings.items()
    )


def meetings_again(
    problem: Problem, groupings: Sequence[Grouping]
) -> dict[tuple[str, str], list[int]]:
    """Pairs (a < b) that meet in a round after meeting before, in the history or an
    earlier round -> those rounds (from 1); their lengths add up to `repeated_meetings`."""
    seen = {pair for pair in problem.met}
    again: dict[tuple[str, str], list[int]] = {}
    for number, grouping in enumerate(groupings, start=1):
        pairs = {
            pair for group in grouping.groups for pair in combinations(sorted(group.members), 2)
        }
        for pair in sorted(pairs & seen):
            again.setdefault(pair, []).append(number)
        seen |= pairs
    return again


def with_rounds(problem: Problem, plans: list[Plan], first: int) -> Problem:
    """The problem with planned rounds added to its history, numbered from `first`."""
    seats = tuple(
        Meeting(round=first + number, group_id=f"R{first + number}-{index}", company_id=cid)
        for number, plan in enumerate(plans)
        for index, (_, members) in enumerate(plan)
        for cid in members
    )
    if not seats:
        return problem
    fields = {name: getattr(problem, name) for name in type(problem).model_fields}
    return Problem(**fields | {"history": problem.history + seats})


def plan_rounds(
    problem: Problem,
    scenario: Scenario,
    count: int,
    on_progress: Callable[[int, Progress], None] | None = None,
) -> Rounds:
    """`count` rounds of the cohort: round by round first, then the joint model or swaps,
    all within the scenario's time limit."""
    settings = scenario.solver
    started = time.perf_counter()
    deadline = started + settings.time_limit
    first = max((seat.round for seat in problem.history), default=0) + 1
    small = len(problem.companies) <= JOINT_COMPANIES
    seed_share = SEED_SHARE if small else LARGE_SEED_SHARE
    share = scenario.with_solver(time_limit=settings.time_limit * seed_share / count)
    seeds: list[Result] = []
    for number in range(count):
        earlier = with_rounds(problem, [_plan(r.grouping) for r in seeds], first)
        report = (lambda p, n=number: on_progress(n + 1, p)) if on_progress else None
        seeds.append(solve(earlier, share, report))
    plans = [_plan(result.grouping) for result in seeds]
    seed_repeats = repeated_meetings(problem, plans)
    best, method, proven = plans, "round by round", seed_repeats == 0
    if seed_repeats and count > 1 and not STOP.requested:
        if small and not problem.current:
            work = settings.time_limit * (1 - seed_share) * WORK_PER_SECOND
            seconds = max(0.5, deadline - time.perf_counter())
            joint, zero = _joint(problem, scenario, plans, work, seconds)
            if joint is not None and repeated_meetings(problem, joint) < seed_repeats:
                best, method, proven = joint, "joint model", zero
        if not proven and not STOP.requested:
            swapped = _swaps(problem, scenario, best, first, deadline)
            if repeated_meetings(problem, swapped) < repeated_meetings(problem, best):
                best, method = swapped, "swaps" if method == "round by round" else method + "+swaps"
    results = []
    for number in range(count):
        if all(sorted(best[i]) == sorted(plans[i]) for i in range(number + 1)):
            # this round and the rounds before it as round by round planned them
            results.append(seeds[number])
            continue
        seen = with_rounds(problem, best[:number], first)
        results.append(_result(seen, scenario, seeds[number], best[number]))
    return Rounds(tuple(results), repeated_meetings(problem, best), seed_repeats, method, proven)


def _plan(grouping: Grouping) -> Plan:
    return [(g.theme, sorted(g.members)) for g in grouping.groups]


def _held_levels(objective: Objective, scenario: Scenario) -> list:
    """The levels that rank above meeting new peers: placing, then (by default) goal rank."""
    rule = scenario.rule("repeat_pairs")
    repeat_rank = scenario.priority(rule) if rule else 1.5
    ranks = {r.term: scenario.priority(r) for r in objective.rules}
    return [
        level
        for level in objective.levels
        if not level.maximise and min(ranks[t] for t in level.terms) < repeat_rank
    ]


def _joint(
    problem: Problem,
    scenario: Scenario,
    plans: list[Plan],
    work: float,
    seconds: float,
) -> tuple[list[Plan] | None, bool]:
    """The rounds from one CP-SAT model: first without any repeat (hard), then, if that
    finds nothing, with as few as it finds, each within half of `work` (deterministic time,
    so the outcome does not depend on the machine) and the wall-clock `seconds`. Returns
    the plans and whether they repeat none."""
    started = time.perf_counter()
    for hard in (True, False):
        left = seconds - (time.perf_counter() - started)
        if left <= 0.05 or STOP.requested:
            break
        model, contexts = _joint_model(problem, scenario, plans, hard)
        solver = cp_model.CpSolver()
        solver.parameters.max_deterministic_time = max(0.01, work / 2)
        solver.parameters.max_time_in_seconds = left
        solver.parameters.random_seed = scenario.solver.seed
        # The search for no repeat at all propagates best on one worker (0.2-0.6 units of
        # deterministic time for 25 companies in six rounds of groups of 5, against 2-2.6
        # interleaved on two); one worker is also reproducible on any machine.
        workers = 1 if hard else scenario.solver.workers
        solver.parameters.num_workers = workers
        solver.parameters.interleave_search = workers > 1
        solver.parameters.catch_sigint_signal = False
        code = STOP.solve(solver, lambda m=model, s=solver: s.solve(m))
        if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = [cpsat.chosen_groups(ctx, solver) for ctx in contexts]
            return found, repeated_meetings(problem, found) == 0
    return None, False


def _joint_model(problem: Problem, scenario: Scenario, plans: list[Plan], hard: bool):
    """The rounds' slot models in one CP-SAT model, with a literal per pair and round that
    meets; `hard`: no pair meets again, else minimise the repeated meetings."""
    space = scenario.search_space(problem)
    objective = Objective(problem, scenario.grouping_rules, scenario.priorities)
    held = _held_levels(objective, scenario)
    model = cp_model.CpModel()
    contexts = []
    meets: dict[tuple[str, str], list] = {}
    fix_first = not problem.pins
    for number, plan in enumerate(plans):
        placed = sorted(cid for _, members in plan for cid in members)
        # Every company of the round in the themes it may join; no maturity window, so the
        # slots do not depend on the round's own first plan.
        themes_of = {cid: space.themes_of[cid] for cid in placed}
        round_space = SearchSpace(space.rules, themes_of, scenario.min_size, None)
        ctx = cpsat.build(space.rules, cpsat.plan_slots(round_space), model=model)
        contexts.append(ctx)
        seats: dict[str, list] = {}
        for slot in ctx.slots:
            for cid, var in slot.x.items():
                seats.setdefault(cid, []).append(var)
        for cid in placed:
            model.add_exactly_one(seats.get(cid, []))
        values = objective.evaluate(plan)
        for level in held:
            model.add(cpsat.level_expr(ctx, level) <= level.value(values))
        if number == 0 and fix_first:
            _fix(ctx, plan)
        elif not hard:  # the seed's rounds repeat pairs: no guide to a plan that repeats none
            cpsat.add_hint(ctx, plan)
        for slot in ctx.slots:
            members = sorted(slot.x)
            for a, b in combinations(members, 2):
                pair = meets.setdefault((a, b), [])
                if len(pair) <= number:
                    pair.append(model.new_bool_var(f"meet_{a}_{b}_{number}"))
                model.add_bool_or([~slot.x[a], ~slot.x[b], pair[number]])
    rule = scenario.rule("repeat_pairs")
    cap = getattr(rule, "max_repeats", None)
    excess = []
    for pair, together in sorted(meets.items()):
        before = len(problem.met.get(pair, []))
        if hard:
            model.add(sum(together) + min(before, 1) <= 1)
            continue
        if cap is not None:
            model.add(sum(together) + before <= max(cap, before))
        extra = model.new_int_var(0, len(together), f"excess_{pair[0]}_{pair[1]}")
        model.add(extra >= sum(together) + min(before, 1) - 1)
        excess.append(extra)
    if not hard:
        model.minimize(sum(excess))
    return model, contexts


def _fix(ctx, plan: Plan) -> None:
    """Hold the slots at the plan: each group sits in the slot of its theme and leader."""
    leaders = {
        (theme, min(members, key=lambda c: cpsat.maturity_order(ctx.problem.by_id[c]))): set(
            members
        )
        for theme, members in plan
    }
    for slot in ctx.slots:
        members = leaders.get((slot.theme, slot.leader), set()) if slot.leader else set()
        for cid, var in slot.x.items():
            ctx.model.add(var == (1 if cid in members else 0))
        if slot.leader is None:
            ctx.model.add(slot.active == 0)


def _swaps(
    problem: Problem, scenario: Scenario, plans: list[Plan], first: int, deadline: float
) -> list[Plan]:
    """Each round in turn re-mixed with the others as its history, while repeats fall, in
    a counted number of steps (the `deadline` only guards a slow machine)."""
    rules = scenario.grouping_rules
    current = [list(plan) for plan in plans]
    for _ in range(SWAP_PASSES):
        improved = False
        for number in range(len(current)):
            if STOP.requested:
                return current
            others = [plan for index, plan in enumerate(current) if index != number]
            seen = with_rounds(problem, others, first)
            objective = Objective(seen, rules, scenario.priorities)
            trial = [*current]
            trial[number] = mixing.improve(
                seen, objective, rules, current[number], mixing.MAX_STEPS, deadline
            )
            if repeated_meetings(problem, trial) < repeated_meetings(problem, current):
                current, improved = trial, True
        if not improved:
            break
    return current


def _result(problem: Problem, scenario: Scenario, seed: Result, plan: Plan) -> Result:
    """The round as a checked Result: the new groups with the seed's reasons for those left
    out (the same companies), and the seed's levels where they still hold."""
    reasons = {u.company_id: u.reason for u in seed.grouping.unassigned}
    placing = next((lv.proven for lv in seed.levels if lv.name == "placed"), False)
    grouping, unstaffed = checked_plan(problem, scenario, plan, reasons, placing)
    objective = Objective(problem, scenario.grouping_rules, scenario.priorities)
    values = objective.evaluate(plan)
    held = {lv.name for lv in _held_levels(objective, scenario)} | {"placed"}
    levels = []
    for level in objective.levels:
        before = next((lv for lv in seed.levels if lv.name == level.name), None)
        value = level.value(values)
        if level.name in held and before is not None and before.value == value:
            levels.append(before)
        else:
            levels.append(LevelReport(name=level.name, value=value, bound=None, proven=False))
    return seed.model_copy(
        update={
            "status": Status.FEASIBLE if seed.status == Status.OPTIMAL else seed.status,
            "objective": objective.score(values),
            "grouping": grouping,
            "terms": values,
            "unstaffed": unstaffed,
            "levels": tuple(levels),
        }
    )
