"""The column-generation bound on the spread level (issue 15): never past the least spread of
any plan that keeps placing and goal rank at their optimum (found by enumerating every plan),
exact where the LP is, and used by the search to prove the level."""

import math
import random

from peergroups.model import Problem
from solver import colgen, cpsat
from solver.objective import Objective
from solver.scenario import Scenario
from tests.instances import (
    best_by_enumeration,
    company,
    problem,
    random_problem,
    relation,
    solved,
)


def _ask(instance: Problem, chosen: Scenario, plan: list[tuple[str, list[str]]]):
    """What the column generation finds for plans that place and rank as `plan` does."""
    space = chosen.search_space(instance)
    objective = Objective(instance, chosen.grouping_rules)
    ctx = cpsat.build(space.rules, cpsat.plan_slots(space))
    values = objective.evaluate(plan)
    ask = colgen.level_bound(space, ctx.slots, objective, chosen.solver)
    assert ask is not None
    return ask(objective.levels[2], values, plan, 1.0, math.inf)


def _bound(instance: Problem, chosen: Scenario, plan: list[tuple[str, list[str]]]):
    found = _ask(instance, chosen, plan)
    return None if found is None else found.bound


def test_the_bounds_never_pass_the_least_spread_found_by_enumeration():
    # Tiny random instances without history (so spread is the third level), given an optimal
    # plan's placed and goal rank: the LP bound is at most the least spread of any plan with
    # those (the enumerated optimum), and the bound over every column that could beat the
    # plan meets it, which proves the level.
    rng = random.Random("colgen")
    checked = exact = 0
    for _ in range(16):
        drawn = random_problem(rng, rng.randint(5, 8), themes=2)
        instance = Problem(companies=drawn.companies, relations=drawn.relations)
        chosen = (
            Scenario.default()
            .with_rule("group_size", min_size=2, max_size=rng.randint(2, 4))
            .with_solver(workers=1, time_limit=10)
        )
        objective = Objective(instance, chosen.grouping_rules)
        if [level.name for level in objective.levels][:3] != ["placed", "goal_rank", "spread"]:
            continue
        best = best_by_enumeration(instance, chosen.grouping_rules)
        result = solved(instance, chosen)
        plan = [(group.theme, list(group.members)) for group in result.grouping.groups]
        if not plan:
            continue
        found = _ask(instance, chosen, plan)
        assert found is not None
        least_spread = -best[2]
        assert found.bound.value <= least_spread + 1e-6, (found.bound.value, best)
        assert math.ceil(found.floor - 1e-6) == least_spread, (found.floor, best)
        checked += 1
        exact += math.ceil(found.bound.value - 1e-6) == least_spread
    assert checked >= 8 and exact >= 8, (checked, exact)


def test_every_column_that_could_beat_a_plan_is_listed():
    # Random instances of a dozen companies: with the bound's duals and the spread of the
    # search's plan as the ceiling, every group of that plan is among the columns listed (a
    # group missing would let a better plan slip past the proof).
    rng = random.Random("columns-within")
    listed = 0
    for _ in range(6):
        drawn = random_problem(rng, 12, themes=2)
        instance = Problem(companies=drawn.companies, relations=drawn.relations)
        chosen = Scenario.default().with_rule("group_size", min_size=3, max_size=5)
        objective = Objective(instance, chosen.grouping_rules)
        if [level.name for level in objective.levels][:3] != ["placed", "goal_rank", "spread"]:
            continue
        result = solved(instance, chosen.with_solver(workers=1, time_limit=10))
        plan = [(group.theme, sorted(group.members)) for group in result.grouping.groups]
        if not plan:
            continue
        space = chosen.search_space(instance)
        ctx = cpsat.build(space.rules, cpsat.plan_slots(space))
        values = objective.evaluate(plan)
        priced = colgen._priced(instance, ctx.slots, space.checks.compatible)
        size = (space.min_size, 5)
        bound = colgen.spread_bound(
            instance, priced, size, values["placed"], values["goal_rank"], plan
        )
        columns = colgen.columns_within(priced, bound, values["spread"] + 30, size)
        assert columns is not None
        held = {(column.theme, column.members) for column in columns}
        assert all((theme, tuple(members)) in held for theme, members in plan)
        listed += 1
    assert listed >= 3, listed


def test_two_tight_bands_are_bounded_exactly():
    # Six companies (erp first, then cybersecurity) in two clusters, groups of three: the
    # best plan has bands of 2.0 points each (40 tenths in all); the LP cannot do better.
    instance = problem(
        *(
            company(cid, m, goals="erp|cybersecurity")
            for cid, m in zip("ABCDEF", (10, 11, 12, 40, 41, 42), strict=True)
        )
    )
    chosen = Scenario.default().with_rule("group_size", min_size=3, max_size=3)
    plan = [("erp", ["A", "B", "C"]), ("erp", ["D", "E", "F"])]
    found = _bound(instance, chosen, plan)
    assert found is not None and found.converged
    assert math.ceil(found.value - 1e-6) == 40


def test_the_search_takes_the_bound_and_proves_the_level_with_it():
    # The same instance solved: the spread level's bound is the LP's, and it is proven.
    instance = problem(
        *(
            company(cid, m, goals="erp|cybersecurity")
            for cid, m in zip("ABCDEF", (10, 11, 12, 40, 41, 42), strict=True)
        )
    )
    chosen = Scenario.default().with_rule("group_size", min_size=3, max_size=3)
    result = solved(instance, chosen.with_solver(workers=1, time_limit=10))
    spread = next(level for level in result.levels if level.name == "spread")
    assert spread.proven and spread.value == 40 and spread.bound == 40
    assert math.ceil(result.stats["spread_lp_bound"] - 1e-6) == 40


def test_a_plan_with_a_group_no_slot_holds_gets_no_bound():
    # A group whose members the rules keep apart (beyond the maturity window) has no slot.
    instance = problem(
        *(
            company(cid, m, goals="erp|cybersecurity")
            for cid, m in zip("ABC", (10, 11, 90), strict=True)
        )
    )
    chosen = Scenario.default().with_rule("group_size", min_size=2, max_size=3)
    assert _bound(instance, chosen, [("erp", ["A", "B", "C"])]) is None


def test_the_integer_master_mends_a_plan_with_crossed_bands():
    # Two clusters a few points apart, groups of three: a plan that crosses them (20.0
    # points of spread in all) gives way to the clusters (4.0 points), found among the
    # columns the LP generated.
    levels = (10, 11, 12, 20, 21, 22)
    instance = problem(
        *(
            company(cid, m, goals="erp|cybersecurity")
            for cid, m in zip("ABCDEF", levels, strict=True)
        )
    )
    chosen = Scenario.default().with_rule("group_size", min_size=3, max_size=3)
    found = _ask(instance, chosen, [("erp", ["A", "B", "D"]), ("erp", ["C", "E", "F"])])
    assert found is not None and found.plan is not None
    assert sorted(sorted(members) for _, members in found.plan) == [
        ["A", "B", "C"],
        ["D", "E", "F"],
    ]
    assert math.ceil(found.bound.value - 1e-6) == 40 and math.ceil(found.floor - 1e-6) == 40


def test_the_level_after_spread_is_bounded_over_the_same_columns():
    # The crossed plan again, with a soft relation between A and B: once the integer master
    # proves the spread (40), only plans of that spread remain, the clusters, which keep
    # A and B together: soft relations are 1 at best, as enumerating every plan says.
    levels = (10, 11, 12, 20, 21, 22)
    instance = problem(
        *(
            company(cid, m, goals="erp|cybersecurity")
            for cid, m in zip("ABCDEF", levels, strict=True)
        ),
        relations=(relation("A", "B", "customer_supplier", severity="soft"),),
    )
    chosen = Scenario.default().with_rule("group_size", min_size=3, max_size=3)
    space = chosen.search_space(instance)
    objective = Objective(instance, chosen.grouping_rules)
    assert [level.name for level in objective.levels][2:] == ["spread", "soft_relations"]
    ctx = cpsat.build(space.rules, cpsat.plan_slots(space))
    ask = colgen.level_bound(space, ctx.slots, objective, chosen.solver)
    assert ask is not None
    crossed = [("erp", ["A", "B", "D"]), ("erp", ["C", "E", "F"])]
    spread = ask(objective.levels[2], objective.evaluate(crossed), crossed, 1.0, math.inf)
    assert spread is not None and spread.plan is not None
    assert math.ceil(spread.floor - 1e-6) == 40
    soft = ask(objective.levels[3], objective.evaluate(spread.plan), spread.plan, 1.0, math.inf)
    best = best_by_enumeration(instance, chosen.grouping_rules)
    assert best[2:] == (-40, -1)
    assert soft is not None and soft.bound is None and soft.floor == 1
