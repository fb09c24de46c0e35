"""A lower bound on the maturity-spread level by column generation over whole groups.

CP-SAT's LP relaxation of the slot model spreads each company over many slots, so its bound
on the spread stays far below the plans it finds. Here a column is a whole group: a slot
(a theme and a leader, the member lowest in maturity order) and members among the slot's
candidates. Given the levels before (placed = P, goal rank = G, both proven), the master LP

    min Σ_g spread_g x_g   s.t.  Σ_{g ∋ c} x_g <= 1 (each company),  Σ_g |g| x_g = P,
                                 Σ_g rank_g x_g <= G,                x >= 0

bounds the spread of every plan that keeps those values. Its columns are relaxed groups: the
leader and any candidates of its slot (each compatible with the leader), of a size the rules
allow; the pricing over them is exact (`_Priced.cheapest`), so every iteration gives a valid bound
whatever the master's state, the Lagrangian bound of its duals (π ≤ 0, μ, λ ≤ 0):

    Σ_c π_c + μ P + λ G + Σ_leaders min(0, least reduced cost of a group it leads),

as a leader leads at most one group. It is deterministic (GLOP, a fixed cap on the pricing's
steps; the wall clock only stops it early, and says so).

Measured on the shipped sample (placed 126, goal rank 49): the LP bound is 2,866 tenths where
CP-SAT's is 2,826, and the plan has 4,933; a restricted integer master over the 2,291 valid
columns generated also gives 4,933. The gap is the LP's own: fixing the number of groups (2,868
at best) or pricing whole themes exactly (a Dantzig-Wolfe master per theme, 2,647 as it drops
leader compatibility) did not close it; branching or cuts on the master would.
"""

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.linear_solver import pywraplp

from peergroups.model import Mode, Problem, tenths
from solver.context import Slot
from solver.objective import ChosenGroup, Level, Objective
from solver.rules import RuleSet
from solver.rules.group_size import GroupSize
from solver.space import SearchSpace

MAX_ITERATIONS = 200
"""Master solves at most; the bound is valid after any of them."""
MAX_STEPS = 5_000_000
"""Pricing steps (a top member and a follower considered) at most: the sample's bound took
16 iterations of 35,000 steps each."""
COLUMNS_PER_SLOT = 3
"""New columns a slot may add per iteration (its cheapest ones, by top member)."""
EPSILON = 1e-7


@dataclass(frozen=True)
class Column:
    slot: int
    members: tuple[str, ...]
    spread: int
    rank: int


@dataclass(frozen=True)
class Bound:
    value: float
    """No plan keeping placed and goal rank at their values has a smaller spread."""
    iterations: int
    columns: int
    converged: bool
    """The master reached its LP optimum (the bound is the LP's value)."""
    clock_stopped: bool = False
    """The wall clock ended it before its step cap: the bound may not reproduce."""


def level_bound(
    space: SearchSpace, slots: list[Slot], objective: Objective
) -> Callable[[Level, dict[str, int], list[ChosenGroup], float], Bound | None] | None:
    """The bound `LexicographicSearch` asks for before a level, when the objective's first
    levels are placed, goal rank and spread (None otherwise: the column costs and the
    master's rows assume that order)."""
    names = [level.name for level in objective.levels]
    if names[:3] != ["placed", "goal_rank", "spread"]:
        return None
    size = (space.min_size, _most_members(space.rules, len(space.themes_of)))

    def bound(
        level: Level, values: dict[str, int], plan: list[ChosenGroup], deadline: float
    ) -> Bound | None:
        if level.name != "spread":
            return None
        return spread_bound(
            space.problem, slots, size, values["placed"], values["goal_rank"], plan, deadline
        )

    return bound


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
        self.columns: list[Column] = []

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


def spread_bound(
    problem: Problem,
    slots: list[Slot],
    size: tuple[int, int],
    placed: int,
    goal_rank: int,
    start: list[ChosenGroup],
    deadline: float = math.inf,
) -> Bound | None:
    """The strongest Lagrangian bound met within `MAX_ITERATIONS` master solves and
    `MAX_STEPS` pricing steps, starting from the groups of `start` (a plan with the given
    placed and goal rank). `size`: the fewest and most members a group may have. None when
    the slots are not all leader slots (a labelled slot's band has no fixed lower end) or a
    group of `start` fits no slot."""
    if any(slot.leader is None for slot in slots):
        return None
    priced = [_Priced.of(problem, slot) for slot in slots]
    companies = sorted({cid for slot in slots for cid in slot.x})
    master = _Master(companies, placed, goal_rank)
    by_leader = {(p.theme, p.ids[0]): p for p in priced}
    for theme, members in start:
        chosen = [problem.by_id[cid] for cid in members]
        leader = min(chosen, key=lambda c: (c.maturity, c.company_id)).company_id
        slot = by_leader.get((theme, leader))
        if slot is None or not set(members) <= set(slot.ids):
            return None
        master.add(slot.column(tuple(members)))
    best = -math.inf
    steps = sum(len(slot.ids) ** 2 // 2 for slot in priced)
    iterations = min(MAX_ITERATIONS, MAX_STEPS // max(1, steps))
    for iteration in range(1, iterations + 1):
        if time.perf_counter() > deadline:
            stopped = Bound(best, iteration - 1, len(master.columns), False, clock_stopped=True)
            return stopped if iteration > 1 else None
        duals = master.duals()
        if duals is None:
            return None
        seat, mu, nu = duals
        least: dict[str, float] = defaultdict(float)
        added = 0
        for slot in priced:
            found = slot.cheapest(seat, mu, nu, size)
            if found:
                least[slot.ids[0]] = min(least[slot.ids[0]], found[0][0])
            for cost, members in found[:COLUMNS_PER_SLOT]:
                if cost < -EPSILON:
                    master.add(slot.column(members))
                    added += 1
        lagrangian = sum(seat.values()) + mu * placed + nu * goal_rank + sum(least.values())
        best = max(best, lagrangian)
        if added == 0:  # the LP optimum, up to EPSILON per column: `best` is exact
            return Bound(best, iteration, len(master.columns), True)
    return Bound(best, iterations, len(master.columns), False) if iterations else None


@dataclass(frozen=True)
class _Priced:
    """A slot as the pricing sees it: candidates in maturity order (the leader first), their
    maturity in tenths and goal rank in the slot's theme."""

    index: int
    theme: str
    ids: tuple[str, ...]
    levels: tuple[int, ...]
    ranks: tuple[int, ...]

    @classmethod
    def of(cls, problem: Problem, slot: Slot) -> "_Priced":
        ids = tuple(slot.x)  # the leader first, then followers in maturity order
        companies = [problem.by_id[cid] for cid in ids]
        return cls(
            slot.index,
            slot.theme,
            ids,
            tuple(tenths(c.maturity) for c in companies),
            tuple(c.goal_rank(slot.theme) for c in companies),
        )

    def column(self, members: tuple[str, ...]) -> Column:
        position = {cid: i for i, cid in enumerate(self.ids)}
        spots = [position[cid] for cid in members]
        spread = max(self.levels[i] for i in spots) - self.levels[0]
        return Column(self.index, tuple(sorted(members)), spread, sum(self.ranks[i] for i in spots))

    def cheapest(
        self, seat: dict[str, float], mu: float, nu: float, size: tuple[int, int]
    ) -> list[tuple[float, tuple[str, ...]]]:
        """For each possible top member (the highest in maturity order), the group of least
        reduced cost with the leader and that top, cheapest first."""
        fewest, most = size
        pairs = zip(self.ids, self.ranks, strict=True)
        weights = [-seat[cid] - mu - nu * rank for cid, rank in pairs]
        low = self.levels[0]
        found = []
        if fewest <= 1:
            found.append((weights[0], (self.ids[0],)))
        for top in range(1, len(self.ids)):
            middle = sorted(range(1, top), key=lambda i: (weights[i], i))
            least = max(0, fewest - 2)
            if least > len(middle) or most < 2:
                continue
            chosen = middle[:least]
            for i in middle[least : most - 2]:
                if weights[i] >= 0:
                    break
                chosen.append(i)
            cost = self.levels[top] - low + weights[0] + weights[top]
            cost += sum(weights[i] for i in chosen)
            members = (self.ids[0], *(self.ids[i] for i in sorted(chosen)), self.ids[top])
            found.append((cost, members))
        found.sort(key=lambda entry: entry[0])
        return found
