"""The construction heuristic: a valid first plan, fast, primary goals first."""

import pytest

from peergroups.generate import generate
from solver import Scenario
from solver.checks import check_groups
from solver.feasibility import assess
from solver.heuristics import construct


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
