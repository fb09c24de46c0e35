"""Bounds and proofs of the maturity-spread level, and of the level after it, by column
generation over whole groups.

CP-SAT's LP relaxation of the slot model spreads each company over many slots, so its bound
on the spread stays far below the plans it finds. Here a column is a whole group: a slot
(a theme and a leader, the member lowest in maturity order) and members among the slot's
candidates. Given the levels before (placed = P, goal rank = G, both proven), the master LP

    min Σ_g spread_g x_g   s.t.  Σ_{g ∋ c} x_g <= 1 (each company),  Σ_g |g| x_g = P,
                                 Σ_g rank_g x_g <= G,                x >= 0

bounds the spread of every plan that keeps those values. Its columns are groups of a slot
whose members are pairwise compatible, of a size the rules allow (rules on a whole group,
such as one common language, are left out: a relaxation). The pricing over them is exact
(`_Priced.cheapest`, a branch and bound per top member), so every iteration gives a valid
bound whatever the master's state, the Lagrangian bound of its duals (π ≤ 0, μ, λ ≤ 0):

    L = Σ_c π_c + μ P + λ G + Σ_leaders m_l,   m_l = min(0, least reduced cost rc of l's groups)

as a leader leads at most one group. While the columns are few, the master's duals swing
wildly (GLOP even gave up on them): the rows of P and G may be missed at a penalty that
grows until they are met (`PENALTIES`).

The LP leaves a gap, which integer masters (`best_over_columns`, CP-SAT) close. A plan costs
at least L + Σ_{g in it} (rc_g - m_leader(g)), each term >= 0, so a plan of spread at most
U holds only groups with rc_g - m_leader(g) <= U - L: `columns_within` lists them all, and
over them the integer master is exact. A quick master over the cheapest generated columns
first lowers U. Once the spread is proven so, every plan of that spread is made of those
columns, and a master minimising the next level's cost over them (soft relations) is exact
too. All is deterministic: GLOP, a cap on the pricing's steps, CP-SAT in units of work; the
wall clock only stops it early, and says so.

Measured on the shipped sample with the work of `--time-limit 30` (placed 126 and goal rank
49, both proven by the fold): the LP bound is 4,226 tenths (48 master solves, 3,706 columns,
about 5 s on the shared machine) where CP-SAT's was 2,826; the quick master finds 4,266 in
0.9 units of work, the 1,950 columns within 4,266 - 4,226 give the proven optimum, 4,255, in
1.3 units, and soft relations are then proven at 5 (the plan had 4,933 and 6; a 150 s CP-SAT
run on the spread level alone found 4,312). Columns that ignore clashes among followers
gave an LP bound of only 2,866: most of the LP's weight sat on groups the rules forbid.
"""

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from peergroups.model import Company, Mode, Problem, tenths
from solver.context import Slot
from solver.objective import ChosenGroup, Level, Objective
from solver.rules import RuleSet
from solver.rules.group_size import GroupSize
from solver.scenario import SolverSettings
from solver.space import SearchSpace

MAX_ITERATIONS = 200
"""Master solves at most; the bound is valid after any of them."""
STEPS_PER_UNIT = 1_000_000
"""Pricing steps allowed per unit of the level's work, counted as Σ (candidates of a
slot)² / 2 per iteration, so that a large part's column generation takes time in proportion
to its budget: the sample's slots count 25,534 a step, its 48 iterations 1.2 million, and
its spread level has 2.5 units (about 5 s of pricing on the shared machine)."""
MAX_NODES = 2000
"""Branch-and-bound nodes per group top in the pricing (see `_best_between`)."""
COLUMNS_PER_SLOT = 3
"""New columns a slot may add per iteration (its cheapest ones, by top member)."""
EPSILON = 1e-7
MAX_ENUMERATED = 200_000
"""Columns `columns_within` lists at most (the sample needs 1,950)."""
KEEP_REDUCED_COST = 100
"""The quick integer master holds the generated columns of reduced cost up to this (tenths):
on the sample, 672 of 3,706, where it found a plan of 4,266 in 0.9 units of work; with all
2,161 valid ones under 707 (the gap to the plan, 4,933) it took 4.7."""
QUICK_SHARE = 0.25
"""Of the work for the integer masters, the quick one's share (CP-SAT may overrun it: the
sample's took 0.9 units of 0.5)."""
PENALTIES = (250, 500, 1000, 2000, 4000, 8000)
Compatible = Callable[[Company, Company], bool]


@dataclass(frozen=True)
class Column:
    slot: int
    theme: str
    members: tuple[str, ...]
    spread: int
    rank: int


@dataclass(frozen=True)
class Bound:
    value: float
    """No plan keeping placed and goal rank at their values has a smaller spread."""
    iterations: int
    columns: tuple[Column, ...]
    """Every column generated (the start plan's first): groups whose members are pairwise
    compatible, unless the pricing gave up on a slot (see `_best_between`)."""
    converged: bool
    """The master reached its LP optimum (the bound is the LP's value)."""
    reduced: tuple[float, ...] = ()
    """Each column's reduced cost at the duals of the bound: how much more than the bound a
    plan holding it costs at least (up to what its leader's other groups could save)."""
    duals: tuple[dict[str, float], float, float] = ({}, 0.0, 0.0)
    """The duals of the bound: π by company, μ, λ."""
    least: dict[str, float] = field(default_factory=dict)
    """By leader, min(0, the least reduced cost of a group it leads) at those duals."""
    clock_stopped: bool = False
    """The wall clock ended it before its step cap: the bound may not reproduce."""


@dataclass(frozen=True)
class Outside:
    """What the column generation gives a level: its bound, perhaps a better plan (from the
    integer master over the columns), and the CP-SAT work spent on that plan."""

    bound: Bound | None
    """The LP's (None for the level after spread, which has none)."""
    floor: float
    """No plan keeping the levels before does better on the level: the LP's bound, or the
    integer master's over every column that could beat the plan (`columns_within`)."""
    plan: list[ChosenGroup] | None
    work: float
    clock_stopped: bool = False
    """The wall clock ended the column generation or the integer master early."""


OutsideBound = Callable[[Level, dict[str, int], list[ChosenGroup], float, float], Outside | None]
"""(level, the plan's values, the plan, work for a better plan, deadline) -> what was found."""


def level_bound(
    space: SearchSpace, slots: list[Slot], objective: Objective, settings: SolverSettings
) -> OutsideBound | None:
    """What `LexicographicSearch` asks before a level, when the objective's first levels are
    placed, goal rank and spread (None otherwise: the column costs and the master's rows
    assume that order)."""
    names = [level.name for level in objective.levels]
    if names[:3] != ["placed", "goal_rank", "spread"]:
        return None
    size = (space.min_size, _most_members(space.rules, len(space.themes_of)))
    proven: dict[int, list[Column]] = {}
    """The optimal spread -> every valid column a plan of that spread may hold."""

    def ask(
        level: Level, values: dict[str, int], plan: list[ChosenGroup], work: float, deadline: float
    ) -> Outside | None:
        if names.index(level.name) == 3 and values["spread"] in proven:
            return _next_level(level, values, plan, work, deadline)
        if level.name != "spread":
            return None
        placed, goal_rank, spread = values["placed"], values["goal_rank"], values["spread"]
        priced = _priced(space.problem, slots, space.checks.compatible)
        if priced is None:
            return None
        steps = work * STEPS_PER_UNIT
        bound = spread_bound(space.problem, priced, size, placed, goal_rank, plan, steps, deadline)
        if bound is None:
            return None
        if math.ceil(bound.value - 1e-6) >= spread:
            return Outside(bound, bound.value, None, 0.0, bound.clock_stopped)

        def valid(column: Column) -> bool:
            members = [space.problem.by_id[cid] for cid in column.members]
            return space.checks.valid(column.theme, members)

        # First a quick plan from the generated columns of least reduced cost, which lowers
        # the ceiling; then every column that could beat it, where the master is exact.
        pairs = zip(bound.columns, bound.reduced, strict=True)
        cheap = [c for c, reduced in pairs if reduced <= KEEP_REDUCED_COST and valid(c)]
        quick = best_over_columns(
            cheap, plan, placed, goal_rank, work * QUICK_SHARE, deadline, settings
        )
        best = quick if quick.value < spread else None
        ceiling = spread if best is None else math.floor(best.value + 1e-6)
        every = columns_within(priced, bound, ceiling, size)
        floor, spent = bound.value, quick.work
        if every is not None:
            start = plan if best is None else best.plan
            exact = best_over_columns(
                [c for c in every if valid(c)],
                start,
                placed,
                goal_rank,
                work - spent,
                deadline,
                settings,
            )
            spent += exact.work
            floor = max(floor, exact.bound)
            best = exact if exact.value < ceiling else best
            final = spread if best is None else round(best.value)
            if math.ceil(floor - 1e-6) >= final:
                proven[final] = [c for c in every if valid(c)]
        stopped = bound.clock_stopped or time.perf_counter() >= deadline
        return Outside(bound, floor, None if best is None else best.plan, spent, stopped)

    def _next_level(
        level: Level, values: dict[str, int], plan: list[ChosenGroup], work: float, deadline: float
    ) -> Outside | None:
        """The level after spread, over every column a plan of the optimal spread may hold:
        the integer master is exact there too, when its terms are sums over groups."""
        rules = [rule for rule in objective.rules if rule.term in level.terms]
        if any(rule.plan_cost(space.problem, plan) is not None for rule in rules):
            return None
        columns = proven[values["spread"]]
        costs = [
            sum(
                rule.group_cost(space.problem, c.theme, [space.problem.by_id[m] for m in c.members])
                for rule in rules
            )
            for c in columns
        ]
        master = best_over_columns(
            columns,
            plan,
            values["placed"],
            values["goal_rank"],
            work,
            deadline,
            settings,
            costs,
            values["spread"],
        )
        better = master.plan if master.value < level.value(values) else None
        floor = max(0.0, master.bound)
        return Outside(None, floor, better, master.work, time.perf_counter() >= deadline)

    return ask


@dataclass(frozen=True)
class IntegerMaster:
    plan: list[ChosenGroup]
    value: float
    """The plan's spread, or cost (infinite when no plan was found)."""
    bound: float
    """No plan made of the columns does better."""
    work: float


def best_over_columns(
    columns: list[Column],
    hint: list[ChosenGroup],
    placed: int,
    goal_rank: int,
    work: float,
    deadline: float,
    settings: SolverSettings,
    costs: list[int] | None = None,
    spread: int | None = None,
) -> IntegerMaster:
    """The plan of least spread made of `columns` that places `placed` at goal rank at most
    `goal_rank`, within `work` units of CP-SAT deterministic time, from the plan `hint`; or,
    given `costs` (one per column) and `spread`, the plan of least cost at most that spread."""
    model = cp_model.CpModel()
    chosen = [model.new_bool_var(f"c{number}") for number in range(len(columns))]
    hinted = {(theme, tuple(sorted(members))) for theme, members in hint}
    seats: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for var, column in zip(chosen, columns, strict=True):
        for cid in column.members:
            seats[cid].append(var)
        model.add_hint(var, (column.theme, column.members) in hinted)
    for taken in seats.values():
        model.add_at_most_one(taken)
    model.add(sum(len(c.members) * v for v, c in zip(chosen, columns, strict=True)) == placed)
    model.add(sum(c.rank * v for v, c in zip(chosen, columns, strict=True)) <= goal_rank)
    spreads = sum(c.spread * v for v, c in zip(chosen, columns, strict=True))
    if costs is None:
        model.minimize(spreads)
    else:
        model.add(spreads <= spread)
        model.minimize(sum(cost * v for v, cost in zip(chosen, costs, strict=True)))
    solver = cp_model.CpSolver()
    solver.parameters.max_deterministic_time = max(0.01, work)
    solver.parameters.max_time_in_seconds = max(0.01, deadline - time.perf_counter())
    solver.parameters.random_seed = settings.seed
    solver.parameters.num_workers = settings.workers
    solver.parameters.interleave_search = settings.workers > 1
    solver.parameters.catch_sigint_signal = False
    status = solver.solve(model)
    spent = solver.response_proto.deterministic_time
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):  # the plan is among them: no bound
        return IntegerMaster([], math.inf, -math.inf, spent)
    plan = [
        (column.theme, list(column.members))
        for var, column in zip(chosen, columns, strict=True)
        if solver.boolean_value(var)
    ]
    return IntegerMaster(plan, solver.objective_value, solver.best_objective_bound, spent)


def columns_within(
    priced: list["_Priced"], bound: Bound, ceiling: int, size: tuple[int, int]
) -> list[Column] | None:
    """Every group of pairwise-compatible members that a plan of spread at most `ceiling`
    may hold (None when more than `MAX_ENUMERATED`). With the bound's duals, a plan costs at
    least the bound plus, for each group g in it, rc_g - least_(leader of g) >= 0; so a
    group with more than ceiling - bound is in no such plan. Over these columns the integer
    master is exact: its optimum is the level's, when it is at most `ceiling`."""
    seat, mu, lam = bound.duals
    fewest, most = size
    found: list[Column] = []
    for slot in priced:
        weights = slot.weights(seat, mu, lam)
        room = ceiling - bound.value + bound.least.get(slot.ids[0], 0.0) + 1e-6
        for top in range(1, len(slot.ids)):
            fixed = slot.levels[top] - slot.levels[0] + weights[0] + weights[top]
            middle = [i for i in range(1, top) if not slot.clashes[top] >> i & 1]
            sizes = (max(0, fewest - 2), most - 2)
            limit = MAX_ENUMERATED - len(found)
            chosen = _all_between(middle, weights, slot.clashes, sizes, room - fixed, limit)
            if chosen is None:
                return None
            ends = (slot.ids[0], slot.ids[top])
            found += [slot.column((*ends, *(slot.ids[i] for i in c))) for c in chosen]
        if fewest <= 1 and weights[0] <= room:
            found.append(slot.column((slot.ids[0],)))
    return found


def _most_members(rules: RuleSet, companies: int) -> int:
    """The most members any group may have, whatever its format and theme."""
    sizes = [
        rule.bounds(mode, theme)[1]
        for rule in rules
        if isinstance(rule, GroupSize)
        for mode in Mode
        for theme in (*rule.by_theme, None)
    ]
    return max(sizes, default=companies)


class _Master:
    """The restricted master LP over the columns found so far."""

    def __init__(self, companies: list[str], placed: int, goal_rank: int) -> None:
        self.lp = pywraplp.Solver.CreateSolver("GLOP")
        self.seats = {cid: self.lp.Add(self.lp.Sum([]) <= 1, f"seat_{cid}") for cid in companies}
        self.placed = self.lp.Add(self.lp.Sum([]) == placed, "placed")
        self.rank = self.lp.Add(self.lp.Sum([]) <= goal_rank, "rank")
        self.lp.Minimize(self.lp.Sum([]))
        self.short = self.lp.NumVar(0, placed, "short")
        self.over = self.lp.NumVar(0, self.lp.infinity(), "over")
        self.placed.SetCoefficient(self.short, 1)
        self.rank.SetCoefficient(self.over, -1)
        self.columns: list[Column] = []

    def penalise(self, penalty: float) -> None:
        """Let the rows of placed and goal rank be missed at `penalty` a unit (boxing μ and λ
        in, which keeps the duals from swinging while the columns are few)."""
        self.lp.Objective().SetCoefficient(self.short, penalty)
        self.lp.Objective().SetCoefficient(self.over, penalty)

    @property
    def missed(self) -> float:
        return self.short.solution_value() + self.over.solution_value()

    def add(self, column: Column) -> None:
        var = self.lp.NumVar(0, 1, f"g{len(self.columns)}")
        for cid in column.members:
            self.seats[cid].SetCoefficient(var, 1)
        self.placed.SetCoefficient(var, len(column.members))
        self.rank.SetCoefficient(var, column.rank)
        self.lp.Objective().SetCoefficient(var, column.spread)
        self.columns.append(column)

    def duals(self) -> tuple[dict[str, float], float, float] | None:
        """(π by company, μ, λ) at the LP optimum, or None when the columns cannot meet P
        and G. π and λ are clamped to their signs: any such values give a valid bound."""
        if self.lp.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        seat = {cid: min(0.0, row.dual_value()) for cid, row in self.seats.items()}
        return seat, self.placed.dual_value(), min(0.0, self.rank.dual_value())


def _priced(problem: Problem, slots: list[Slot], compatible: Compatible) -> list["_Priced"] | None:
    """The slots as the pricing sees them; None when a slot has no leader (a labelled slot's
    band has no fixed lower end)."""
    if any(slot.leader is None for slot in slots):
        return None
    return [_Priced.of(problem, slot, compatible) for slot in slots]


def spread_bound(
    problem: Problem,
    priced: list["_Priced"],
    size: tuple[int, int],
    placed: int,
    goal_rank: int,
    start: list[ChosenGroup],
    steps: float = math.inf,
    deadline: float = math.inf,
) -> Bound | None:
    """The strongest Lagrangian bound met within `MAX_ITERATIONS` master solves and `steps`
    pricing steps (see `STEPS_PER_UNIT`), starting from the groups of `start` (a plan with
    the given placed and goal rank). `size`: the fewest and most members a group may have.
    None when a group of `start` fits no slot."""
    companies = sorted({cid for slot in priced for cid in slot.ids})
    master = _Master(companies, placed, goal_rank)
    by_leader = {(p.theme, p.ids[0]): p for p in priced}
    for theme, members in start:
        chosen = [problem.by_id[cid] for cid in members]
        leader = min(chosen, key=lambda c: (c.maturity, c.company_id)).company_id
        slot = by_leader.get((theme, leader))
        if slot is None or not set(members) <= set(slot.ids):
            return None
        master.add(slot.column(tuple(members)))
    best, at, at_least = -math.inf, ({}, 0.0, 0.0), {}
    per_iteration = sum(len(slot.ids) ** 2 // 2 for slot in priced)
    iterations = int(min(MAX_ITERATIONS, steps // max(1, per_iteration)))

    def ended(iteration: int, converged: bool, clock_stopped: bool = False) -> Bound | None:
        if best == -math.inf:
            return None
        seat, mu, lam = at
        reduced = tuple(
            c.spread - sum(seat[m] for m in c.members) - mu * len(c.members) - lam * c.rank
            for c in master.columns
        )
        columns = tuple(master.columns)
        return Bound(best, iteration, columns, converged, reduced, at, at_least, clock_stopped)

    penalties = iter(PENALTIES)
    master.penalise(next(penalties))
    for iteration in range(1, iterations + 1):
        if time.perf_counter() > deadline:
            return ended(iteration - 1, False, clock_stopped=True)
        duals = master.duals()
        if duals is None:  # GLOP gave up: the bound so far stands
            return ended(iteration, False)
        seat, mu, lam = duals
        least: dict[str, float] = defaultdict(float)
        added = 0
        for slot in priced:
            found = slot.cheapest(seat, mu, lam, size)
            if found:
                least[slot.ids[0]] = min(least[slot.ids[0]], found[0][0])
            for cost, members in found[:COLUMNS_PER_SLOT]:
                if cost < -EPSILON:
                    master.add(slot.column(members))
                    added += 1
        lagrangian = sum(seat.values()) + mu * placed + lam * goal_rank + sum(least.values())
        if lagrangian > best:
            best, at, at_least = lagrangian, duals, dict(least)
        if added:
            continue
        penalty = next(penalties, None)
        if master.missed <= EPSILON or penalty is None:
            # The LP optimum (up to EPSILON per column); without a miss, the true master's.
            return ended(iteration, master.missed <= EPSILON)
        master.penalise(penalty)
    return ended(iterations, False)


@dataclass(frozen=True)
class _Priced:
    """A slot as the pricing sees it: candidates in maturity order (the leader first), their
    maturity in tenths, goal rank in the slot's theme, and the followers each follower
    cannot sit with (every follower can sit with the leader: the slot holds only those)."""

    index: int
    theme: str
    ids: tuple[str, ...]
    levels: tuple[int, ...]
    ranks: tuple[int, ...]
    clashes: tuple[int, ...]
    """Per candidate, a bit mask of the followers it clashes with."""

    @classmethod
    def of(cls, problem: Problem, slot: Slot, compatible: Compatible) -> "_Priced":
        ids = tuple(slot.x)  # the leader first, then followers in maturity order
        companies = [problem.by_id[cid] for cid in ids]
        clashes = [0] * len(ids)
        for i in range(1, len(ids)):
            for j in range(i + 1, len(ids)):
                if not compatible(companies[i], companies[j]):
                    clashes[i] |= 1 << j
                    clashes[j] |= 1 << i
        return cls(
            slot.index,
            slot.theme,
            ids,
            tuple(tenths(c.maturity) for c in companies),
            tuple(c.goal_rank(slot.theme) for c in companies),
            tuple(clashes),
        )

    def column(self, members: tuple[str, ...]) -> Column:
        position = {cid: i for i, cid in enumerate(self.ids)}
        spots = [position[cid] for cid in members]
        spread = max(self.levels[i] for i in spots) - self.levels[0]
        rank = sum(self.ranks[i] for i in spots)
        return Column(self.index, self.theme, tuple(sorted(members)), spread, rank)

    def weights(self, seat: dict[str, float], mu: float, lam: float) -> list[float]:
        """Each candidate's part of a group's reduced cost."""
        pairs = zip(self.ids, self.ranks, strict=True)
        return [-seat[cid] - mu - lam * rank for cid, rank in pairs]

    def cheapest(
        self, seat: dict[str, float], mu: float, lam: float, size: tuple[int, int]
    ) -> list[tuple[float, tuple[str, ...]]]:
        """For each possible top member (the highest in maturity order), the group of least
        reduced cost with the leader and that top, cheapest first: exact over the groups
        whose members are pairwise compatible (`_best_between`)."""
        fewest, most = size
        weights = self.weights(seat, mu, lam)
        found = []
        if fewest <= 1:
            found.append((weights[0], (self.ids[0],)))
        for top in range(1, len(self.ids)):
            middle = [i for i in range(1, top) if not self.clashes[top] >> i & 1]
            best = _best_between(middle, weights, self.clashes, max(0, fewest - 2), most - 2)
            if best is None:
                continue
            cost = self.levels[top] - self.levels[0] + weights[0] + weights[top] + best[0]
            members = (self.ids[0], *(self.ids[i] for i in sorted(best[1])), self.ids[top])
            found.append((cost, members))
        found.sort(key=lambda entry: entry[0])
        return found


def _cheapest_first(middle: list[int], weights: list[float]) -> tuple[list[int], list[float], int]:
    """`middle` cheapest first, the running totals of their weights (for the bounds of the
    branch and bound: the cheapest members left), and how many weigh less than nothing."""
    order = sorted(middle, key=lambda i: (weights[i], i))
    totals = [0.0]
    for i in order:
        totals.append(totals[-1] + weights[i])
    return order, totals, sum(1 for i in order if weights[i] < 0)


def _best_between(
    middle: list[int], weights: list[float], clashes: tuple[int, ...], least: int, most: int
) -> tuple[float, list[int]] | None:
    """The pairwise-compatible subset of `middle` of `least` to `most` members with the least
    total weight, by branch and bound over the members cheapest first (each bound: the
    cheapest members left, clashes ignored). Past `MAX_NODES` the root's bound and its
    members are returned: a lower bound only, which keeps the bound valid, if weaker."""
    if most < least or least > len(middle):
        return None
    order, totals, negative = _cheapest_first(middle, weights)
    count = len(order)

    def bound(start: int, taken: int) -> float | None:
        """Least weight the members from `start` on can add (None: too few are left)."""
        need, room = max(0, least - taken), min(most - taken, count - start)
        if need > room:
            return None
        extra = min(max(negative - start, need), room)
        return totals[start + extra] - totals[start]

    root = bound(0, 0)
    if root is None:
        return None
    best: list = [math.inf, []]
    nodes = 0

    def branch(start: int, mask: int, taken: int, weight: float, members: list[int]) -> bool:
        nonlocal nodes
        nodes += 1
        if nodes > MAX_NODES:
            return False
        if taken >= least and weight < best[0]:
            best[0], best[1] = weight, members
        if start == count or taken == most:
            return True
        more = bound(start, taken)
        if more is None or weight + more >= best[0]:
            return True
        i = order[start]
        if not clashes[i] & mask and not branch(
            start + 1, mask | 1 << i, taken + 1, weight + weights[i], [*members, i]
        ):
            return False
        return branch(start + 1, mask, taken, weight, members)

    if not branch(0, 0, 0, 0.0, []):
        extra = min(max(negative, least), most, count)
        return root, order[:extra]
    return (best[0], best[1]) if best[1] or least == 0 else None


def _all_between(
    middle: list[int],
    weights: list[float],
    clashes: tuple[int, ...],
    sizes: tuple[int, int],
    limit: float,
    most: int,
) -> list[list[int]] | None:
    """Every pairwise-compatible subset of `middle` of a size in `sizes` weighing at most
    `limit`, by the branch and bound of `_best_between`; None when more than `most`."""
    least, largest = sizes
    if largest < least:
        return []
    order, totals, negative = _cheapest_first(middle, weights)
    count = len(order)
    found: list[list[int]] = []

    def branch(start: int, mask: int, taken: int, weight: float, members: list[int]) -> bool:
        """Sets that hold `members` and none of order[:start] left out; False: too many."""
        if taken >= least and weight <= limit:
            found.append(members)
            if len(found) > most:
                return False
        need, room = max(0, least - taken), min(largest - taken, count - start)
        if need > room or room <= 0:
            return True
        # Lightest way to add at least one more member (cheapest first), clashes ignored.
        extra = min(max(negative - start, need, 1), room)
        if weight + totals[start + extra] - totals[start] > limit:
            return True
        for position in range(start, count):
            i = order[position]
            if clashes[i] & mask:
                continue
            if not branch(
                position + 1, mask | 1 << i, taken + 1, weight + weights[i], [*members, i]
            ):
                return False
        return True

    return found if branch(0, 0, 0, 0.0, []) else None
