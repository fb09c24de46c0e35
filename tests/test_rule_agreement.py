"""Every rule's views agree: its Python check, its CP-SAT encoding, its cost and `admits`.

For each registered rule, on seeded random instances, random candidate groups are judged
twice: by `group_violations` and by the encoding alone (a model built with only that rule, in
which the group sits in the slot of its leader and every other literal is fixed to 0). The
two must agree, and on an accepted group the rule's `group_cost` must equal the optimum of its
objective term. A new rule module is covered as soon as it registers.
"""

import random

import pytest
from ortools.sat.python import cp_model

from peergroups.model import Company, Problem
from solver import Scenario, check, cpsat, solve
from solver.rules import REGISTRY, Rule, RuleSet
from solver.rules.group_size import GroupSize
from solver.space import SearchSpace
from tests.instances import best_by_enumeration, company, plan_key, problem, random_problem

INSTANCES = 30
GROUPS_PER_INSTANCE = 8
KINDS = sorted(
    kind
    for kind, rule in REGISTRY.items()
    if rule.stage == "grouping" and kind != "pins" and rule.plan_cost is Rule.plan_cost
)
"""Rules whose every constraint and cost is on one group. Pins also bind across groups (a
pinned company must be placed), and continuity counts moves over the whole plan: their own
test files and the brute-force test cover them."""
PARAMS = {
    "group_size": [
        {"min_size": 3, "max_size": 5},
        {
            "min_size": 3,
            "max_size": 5,
            "by_mode": {"in_person": {"max_size": 3}, "virtual": {"min_size": 4}},
            "by_theme": {"erp": {"max_size": 4}, "cybersecurity": {"min_size": 2}},
        },
    ],
    "maturity_spread": [{"max_maturity_spread": limit} for limit in (0, 5, 10.3, 25)],
    "role_tier": [{"max_role_gap": gap} for gap in (0, 1, 2)],
    "repeat_pairs": [{"max_repeats": cap} for cap in (None, 1, 2)],
}
"""Parameters drawn per instance; a rule not listed runs with its defaults."""


def make_rule(kind: str, rng: random.Random) -> Rule:
    return REGISTRY[kind](**rng.choice(PARAMS.get(kind, [{}])))


def draw_group(
    rng: random.Random, instance: Problem, rule: Rule
) -> tuple[str, list[Company]] | None:
    """A theme and 2-7 members that have it among their goals.

    Half of the draws are uniform; the others grow a group with `rule.admits`, so accepted
    groups are common too. One draw in ten adds a company without the theme (only the shared
    theme rule can object to it).
    """
    theme = rng.choice(sorted({t for c in instance.companies for t in c.goals}))
    havers = [c for c in instance.companies if theme in c.goals]
    if len(havers) < 2:
        return None
    size = rng.randint(2, min(7, len(havers)))
    if rng.random() < 0.5:
        members = rng.sample(havers, size)
    else:
        members = []
        for c in rng.sample(havers, len(havers)):
            if len(members) < size and rule.admits(instance, theme, [*members, c]):
                members.append(c)
        if len(members) < 2:
            return None
    outsiders = [c for c in instance.companies if theme not in c.goals]
    if outsiders and rng.random() < 0.1:
        members.append(rng.choice(outsiders))
    return theme, members


def encoding_verdict(
    instance: Problem, rule: Rule, theme: str, members: list[Company]
) -> tuple[bool, int | None]:
    """(accepted, optimum of the rule's term or None when it registers none) of the model
    built with only `rule`, the group fixed into its leader's slot."""
    ids = {c.company_id for c in members}
    if not all(rule.eligible(instance, c, theme) for c in members):
        return False, None  # no variable would exist for the company in this theme
    rules = RuleSet(instance, (rule,))
    ctx = cpsat.build(
        rules, cpsat.plan_slots(SearchSpace(rules, {cid: (theme,) for cid in ids}, 1, None))
    )
    leader = min(members, key=cpsat.maturity_order).company_id
    slot = next((s for s in ctx.slots if s.theme == theme and s.leader == leader), None)
    if slot is None or not ids <= set(slot.x):
        return False, None
    for other in ctx.slots:
        for cid, var in other.x.items():
            ctx.model.add(var == int(other is slot and cid in ids))
    term = next((t for t in ctx.terms if t.name == rule.term), None)
    if term is not None:
        ctx.model.minimize(term.expr)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 10
    status = solver.solve(ctx.model)
    assert status in (cp_model.OPTIMAL, cp_model.INFEASIBLE), solver.status_name(status)
    if status == cp_model.INFEASIBLE:
        return False, None
    return True, None if term is None else round(solver.objective_value)


def assert_rule_agrees(kind: str, seed: int) -> None:
    rng = random.Random(f"{kind}-{seed}")
    verdicts = {True: 0, False: 0}
    costs = set()
    for _ in range(INSTANCES):
        instance = random_problem(rng, rng.randint(6, 10), themes=rng.randint(2, 3))
        rule = make_rule(kind, rng)
        for _ in range(GROUPS_PER_INSTANCE):
            drawn = draw_group(rng, instance, rule)
            if drawn is None:
                continue
            theme, members = drawn
            violations = rule.group_violations(instance, theme, members)
            accepted, optimum = encoding_verdict(instance, rule, theme, members)
            where = f"{rule!r} on {theme} {[c.company_id for c in members]}: {violations}"
            assert accepted == (not violations), where
            assert all(isinstance(v, str) and v for v in violations), where
            verdicts[accepted] += 1
            if accepted and rule.term is not None:
                # No registered term (its upper bound is 0) means the cost can only be 0.
                expected = 0 if optimum is None else optimum
                assert rule.group_cost(instance, theme, members) == expected, where
                costs.add(expected)
    # Both verdicts occur (a pure preference rejects nothing, so its costs vary instead):
    # the agreement was tested and not vacuous.
    assert verdicts[True] > 0, verdicts
    if type(rule).group_violations is Rule.group_violations:
        assert len(costs) > 1, costs
    else:
        assert verdicts[False] > 0, verdicts


@pytest.mark.parametrize("kind", KINDS)
def test_group_violations_agree_with_encoding(kind):
    assert_rule_agrees(kind, seed=0)


def test_meeting_mode_in_person_without_region_agrees():
    # A meets in person but has no region; B is hybrid without a region. The encoding (and
    # `compatible`) reject the group; the Python check must reject it too.
    instance = problem(company("A", 10, mode="in_person"), company("B", 11))
    rule = REGISTRY["meeting_mode"]()
    members = list(instance.companies)
    accepted, _ = encoding_verdict(instance, rule, "erp", members)
    assert not accepted
    assert not rule.compatible(instance, *members)
    assert rule.group_violations(instance, "erp", members) != []


@pytest.mark.parametrize("kind", KINDS)
def test_admits_matches_violations_and_is_hereditary(kind):
    # Every rule except group size can only be broken by adding members: `admits` is its
    # check, and a group it admits stays admitted without any one of its members.
    rng = random.Random(f"admits-{kind}")
    seen_min_only = 0
    for _ in range(INSTANCES):
        instance = random_problem(rng, rng.randint(6, 10), themes=rng.randint(2, 3))
        rule = make_rule(kind, rng)
        for _ in range(GROUPS_PER_INSTANCE):
            drawn = draw_group(rng, instance, rule)
            if drawn is None:
                continue
            theme, members = drawn
            admitted = rule.admits(instance, theme, members)
            violations = rule.group_violations(instance, theme, members)
            where = f"{rule!r} on {theme} {[c.company_id for c in members]}"
            if isinstance(rule, GroupSize):
                # Only the maximum size: a group below the minimum may still grow (into a
                # format whose maximum is the largest it can still reach).
                if not rule.by_mode and not rule.by_theme:
                    assert admitted == (len(members) <= rule.max_size), where
                assert admitted or violations, where
                seen_min_only += admitted and bool(violations)
                continue
            assert admitted == (not violations), where
            if admitted:
                for i in range(len(members)):
                    smaller = members[:i] + members[i + 1 :]
                    assert rule.admits(instance, theme, smaller), f"{where} without {i}"
    if kind == "group_size":
        assert seen_min_only > 0  # groups below the minimum were seen and admitted


def test_group_size_admits_bounds_only_the_maximum():
    # min 3 max 5: 2 members break the minimum yet are admitted; 6 break the maximum.
    rule = GroupSize(min_size=3, max_size=5)
    instance = problem(*(company(f"C{i}", 10 + i) for i in range(6)))
    members = list(instance.companies)
    assert rule.group_violations(instance, "erp", members[:2]) != []
    assert rule.admits(instance, "erp", members[:2])
    assert rule.group_violations(instance, "erp", members[:5]) == []
    assert rule.group_violations(instance, "erp", members) != []
    assert not rule.admits(instance, "erp", members)


def test_every_company_is_accounted_for_once():
    # Whole solves: every company in exactly one group or unassigned with a reason, and the
    # plan passes every rule's check (solve() itself raises SolverBug when it does not).
    rng = random.Random("conservation")
    for _ in range(20):
        instance = random_problem(rng, rng.randint(8, 25), themes=rng.randint(2, 3))
        min_size = rng.randint(2, 4)
        scenario = (
            Scenario.default()
            .with_rule("group_size", min_size=min_size, max_size=min_size + rng.randint(0, 4))
            .with_rule("maturity_spread", max_maturity_spread=rng.choice((10, 25)))
            .with_rule("role_tier", max_role_gap=rng.choice((1, 2)))
            .with_solver(time_limit=3, workers=1)
        )
        result = solve(instance, scenario)
        grouping = result.grouping
        assert grouping.accounting_errors(instance) == []
        assert all(u.reason.strip() for u in grouping.unassigned)
        assert check(instance, grouping, scenario.active_rules) == []
        assert result.terms["placed"] == sum(len(g.members) for g in grouping.groups)


def test_optimal_plans_match_brute_force():
    # On instances small enough to enumerate every plan, a plan reported optimal has the best
    # key there is (placed, then goal rank, spread, soft relations), and its terms are the
    # rules' own costs of its groups. In-person companies get a region: without one, the
    # Python check accepts groups the model cannot form (MEETING_MODE_BUG).
    rng = random.Random("brute-force")
    for _ in range(20):
        instance = random_problem(rng, rng.randint(5, 8), themes=2)
        scenario = (
            Scenario.default()
            .with_rule("group_size", min_size=2, max_size=rng.randint(2, 4))
            .with_rule("maturity_spread", max_maturity_spread=rng.choice((10, 25)))
            .with_rule("role_tier", max_role_gap=rng.choice((1, 2)))
            .with_solver(time_limit=3, workers=1)
        )
        rules = scenario.active_rules
        result = solve(instance, scenario)
        plan = [(g.theme, list(g.members)) for g in result.grouping.groups]
        assert result.status == "optimal"
        assert plan_key(instance, rules, plan) == best_by_enumeration(instance, rules)
        for rule in rules:
            if rule.term is not None:
                assert result.terms[rule.term] == sum(
                    rule.group_cost(instance, t, [instance.by_id[c] for c in m]) for t, m in plan
                )
