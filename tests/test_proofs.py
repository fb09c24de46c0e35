"""Proofs level by level (issue 15): the fold of placing and goal rank bounds both levels
validly, small instances end with every level proven, and the plan stays reproducible."""

import itertools
import random

from solver import cpsat, solve
from solver.lexicographic import Fold
from solver.objective import Level, Objective
from solver.rules.maturity_spread import MaturitySpread
from solver.scenario import Scenario
from tests.instances import (
    best_by_enumeration,
    company,
    problem,
    random_problem,
    relation,
    solved,
)

PLACED = Level("placed", ("placed",), True, 1)
GOAL_RANK = Level("goal_rank", ("goal_rank",), False, 1)


def test_a_fold_bound_gives_each_level_its_bound_by_hand():
    # weight 10: a plan placing 6 at cost 3 folds to 57. A bound of 57 allows no plan
    # placing 7 (it would fold to at least 70 - 9 = 61), and at 6 placed no cost below 3.
    fold = Fold(PLACED, GOAL_RANK, weight=10)
    assert fold.bounds(57, {"placed": 6, "goal_rank": 3}) == {"placed": 6, "goal_rank": 3}
    # A bound of 61 leaves 7 placed possible: the cost level gets no bound yet.
    assert fold.bounds(61, {"placed": 6, "goal_rank": 3}) == {"placed": 7}
    # A plan at 6 placed, cost 5 (folds to 55) under a bound of 57: costs of 3 or more.
    assert fold.bounds(57, {"placed": 6, "goal_rank": 5}) == {"placed": 6, "goal_rank": 3}


def test_the_fold_weight_outweighs_every_goal_rank_a_plan_can_have():
    # Three companies with three goals each: ranks 0-2 each, so at most 6 in any plan.
    instance = problem(
        *(company(c, 40, goals="erp|cybersecurity|robotics_automation") for c in "ABC")
    )
    fold = Fold.of(Objective(instance, Scenario.default().grouping_rules))
    assert fold is not None and fold.second.name == "goal_rank" and fold.weight == 7


def test_fold_bounds_never_pass_the_optimum_found_by_enumeration():
    # On instances small enough to enumerate every plan: the bounds the fold gives after a
    # short search (stopped early or not) are at or beyond the best plan, never inside it,
    # and a proven fold lands on the optimum of both levels.
    rng = random.Random("fold-bounds")
    checked = proven = 0
    for number in range(12):
        instance = random_problem(rng, rng.randint(5, 8), themes=3)
        chosen = (
            Scenario.default()
            .with_rule("group_size", min_size=2, max_size=rng.randint(2, 4))
            .with_solver(workers=1)
        )
        rules = chosen.grouping_rules
        objective = Objective(instance, rules)
        fold = Fold.of(objective)
        if fold is None or fold.second.name != "goal_rank":
            continue
        best = best_by_enumeration(instance, rules)
        optimum = {"placed": best[0], "goal_rank": -best[1]}
        space = chosen.search_space(instance)
        ctx = cpsat.build(space.rules, cpsat.plan_slots(space))
        fold.optimise(ctx)
        work = (0.001, 5.0)[number % 2]
        outcome = cpsat.run(ctx, work=work, seconds=30, seed=number, workers=1)
        if outcome.bound is None:
            continue
        found = fold.bounds(outcome.bound, outcome.terms)
        checked += 1
        assert found["placed"] >= optimum["placed"]
        if "goal_rank" in found:
            assert found["goal_rank"] <= optimum["goal_rank"]
        if outcome.status == "optimal":
            proven += 1
            assert found == optimum
            assert {name: outcome.terms[name] for name in optimum} == optimum
    assert checked >= 8 and proven >= 4, (checked, proven)


def test_a_small_instance_ends_with_every_level_proven():
    # Seven companies, two goals each, one soft relation: placing, goal rank, spread and
    # soft relations are all levels, and each is proven at its value.
    companies = [
        company(cid, 30 + 3 * i, goals="erp|cybersecurity" if i % 2 else "cybersecurity|erp")
        for i, cid in enumerate("ABCDEFG")
    ]
    instance = problem(
        *companies, relations=(relation("A", "C", "customer_supplier", severity="soft"),)
    )
    result = solved(instance, Scenario.default().with_rule("group_size", min_size=3, max_size=4))
    names = [level.name for level in result.levels]
    assert names == ["placed", "goal_rank", "spread", "soft_relations"]
    assert all(level.proven and level.bound == level.value for level in result.levels)


def test_the_same_input_and_seed_give_the_same_plan():
    rng = random.Random("same-plan")
    instance = random_problem(rng, 12, themes=3)
    chosen = Scenario.default().with_rule("group_size", min_size=2, max_size=4)
    chosen = chosen.with_solver(time_limit=10, workers=2)  # enough work to fold
    first, second = solve(instance, chosen), solve(instance, chosen)
    assert first.grouping == second.grouping
    assert [lv.model_dump() for lv in first.levels] == [lv.model_dump() for lv in second.levels]


GOALS = ("erp", "cybersecurity", "erp|cybersecurity", "cybersecurity|erp")


def test_the_sharpened_spread_bounds_keep_every_valid_group_at_its_spread():
    # The spread level's redundant bounds must cut off no plan: every group the rules accept
    # fits its leader's slot, alone in the model with the bounds on, and its band can be
    # exactly its spread (the least the model then allows).
    rng = random.Random("sharpened-spread")
    checked = 0
    for _ in range(4):
        instance = problem(
            *(
                company(f"C{n}", 20 + 2.5 * rng.randint(0, 12), goals=rng.choice(GOALS))
                for n in range(8)
            )
        )
        chosen = (
            Scenario.default()
            .with_rule("group_size", min_size=3, max_size=4)
            .with_rule("maturity_spread", max_maturity_spread=rng.choice((10, 25)))
        )
        space = chosen.search_space(instance)
        levels = Objective(instance, chosen.grouping_rules).levels
        rules, (spread,) = space.rules, [lv for lv in levels if lv.name == "spread"]
        for theme in sorted({t for themes in space.themes_of.values() for t in themes}):
            joining = [c for c in instance.companies if theme in space.themes_of[c.company_id]]
            for size in (3, 4):
                for members in itertools.combinations(joining, size):
                    if not rules.valid(theme, list(members)):
                        continue
                    leader = min(members, key=cpsat.maturity_order).company_id
                    ctx = cpsat.build(rules, cpsat.plan_slots(space))
                    (slot,) = [s for s in ctx.slots if (s.theme, s.leader) == (theme, leader)]
                    chosen_ids = {c.company_id for c in members}
                    for other in ctx.slots:
                        for cid, var in other.x.items():
                            ctx.model.add(var == int(other is slot and cid in chosen_ids))
                    cpsat.optimise(ctx, spread)
                    outcome = cpsat.run(ctx, work=5, seconds=30, seed=0, workers=1)
                    expected = MaturitySpread.group_cost(None, instance, theme, list(members))
                    assert outcome.status == "optimal", (theme, chosen_ids)
                    assert outcome.terms["spread"] == expected, (theme, chosen_ids)
                    checked += 1
    assert checked >= 20, checked
