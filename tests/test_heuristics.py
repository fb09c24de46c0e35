"""The construction heuristic: a valid first plan, fast, primary goals first."""

import random
import time
from itertools import combinations

import pytest

from peergroups.generate import generate
from solver import Scenario
from solver.checks import check_groups
from solver.feasibility import assess
from solver.heuristics import construct
from solver.interrupt import STOP
from solver.objective import Objective
from solver.space import Checks
from tests.instances import stop_after


def first_plan(problem, scenario):
    space = scenario.search_space(problem)
    themes_of = assess(space).themes
    return themes_of, construct(space.narrowed(themes_of))


@pytest.mark.parametrize(
    ("n", "seed", "scenario"),
    [
        (150, 2026, Scenario.default()),
        (300, 5, Scenario.default().with_rule("maturity_spread", max_maturity_spread=12)),
        (200, 9, Scenario.default().with_rule("group_size", min_size=3, max_size=6)),
        (200, 11, Scenario.default().with_rule("role_tier", max_role_gap=0)),
    ],
)
def test_every_group_of_the_first_plan_keeps_every_rule(n, seed, scenario):
    problem = generate(n, seed)
    themes_of, groups = first_plan(problem, scenario)
    placed = {cid for _, members in groups for cid in members}

    assert check_groups(problem, groups, scenario.active_rules) == []
    assert placed <= set(themes_of)
    assert all(theme in themes_of[cid] for theme, members in groups for cid in members)


def test_primary_goals_come_first():
    problem = generate(500, 1)
    themes_of, groups = first_plan(problem, Scenario.default())
    placed = [(theme, problem.by_id[cid]) for theme, members in groups for cid in members]
    primary = sum(company.goals[0] == theme for theme, company in placed)

    # A sweep that ignores goal rank gives about half of them their primary goal.
    assert primary / len(placed) > 0.8
    assert len(placed) / len(themes_of) > 0.85


def test_the_first_plan_is_deterministic():
    problem = generate(200, 4)

    assert first_plan(problem, Scenario.default()) == first_plan(problem, Scenario.default())


def test_the_first_plan_is_the_one_asking_every_rule_gave():
    # The rule checks without the rules that cannot refuse, the groups indexed by theme and
    # the maturity reach only make it faster: these are the figures of the version that
    # asked every rule about every group (pinned when it was replaced).
    problem = generate(400, 3)
    scenario = Scenario.default()
    themes_of, groups = first_plan(problem, scenario)
    values = Objective(problem, scenario.grouping_rules, scenario.priorities).evaluate(groups)

    assert (len(themes_of), len(groups)) == (357, 56)
    assert (values["placed"], values["goal_rank"], values["spread"]) == (354, 115, 10490)


def test_the_checks_answer_as_every_rule_does():
    problem = generate(150, 7)
    scenario = Scenario.default().with_rule("repeat_pairs", max_repeats=1)
    space = scenario.search_space(problem)
    checks = Checks.of(space.rules)
    pairs = list(combinations(problem.companies, 2))
    refused = sum(not space.rules.compatible(a, b) for a, b in pairs)

    # Enough refusals that the tests are reordered on the way.
    assert refused > 2 * Checks.REORDER_EVERY
    assert all(checks.compatible(a, b) == space.rules.compatible(a, b) for a, b in pairs)
    draw = random.Random(0)
    for _ in range(600):
        members = draw.sample(problem.companies, draw.randint(1, 9))
        theme = draw.choice(members[0].goals)
        assert checks.admits(theme, members) == space.rules.admits(theme, members)
        assert checks.valid(theme, members) == space.rules.valid(theme, members)
    # Without earlier rounds, the cap on repeat meetings cannot refuse anyone: not asked.
    assert "repeat_pairs" not in {test.__self__.kind for test in checks.pair}


def test_a_stop_request_ends_the_first_plan_where_it_is(monkeypatch):
    problem = generate(600, 8)
    scenario = Scenario.default()
    space = scenario.search_space(problem)
    whole = space.narrowed(assess(space).themes)
    complete = construct(whole)
    asked = stop_after(monkeypatch, whole.checks, 3000)
    try:
        groups = construct(whole)
    finally:
        STOP.clear()

    # It ends within the scan it was in, with the valid groups it had.
    assert len(asked) < 3000 + len(problem.companies)
    assert check_groups(problem, groups, scenario.active_rules) == []
    assert 0 < sum(map(len, (m for _, m in groups))) < sum(len(m) for _, m in complete)


def test_a_piece_started_after_its_deadline_still_gets_a_theme_swept():
    problem = generate(300, 2)
    space = Scenario.default().search_space(problem)
    themes_of = assess(space).themes
    groups = construct(space.narrowed(themes_of), deadline=time.perf_counter())

    assert groups
    assert len({theme for theme, _ in groups}) == 1
