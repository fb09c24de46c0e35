"""Each group's share of the final check, prepared by the workers that form the groups
(`solver.groundwork`): the plan is the same whether its groups were prepared ahead, in part,
elsewhere, or not at all."""

import math
import pickle

import numpy as np
import pytest

from peergroups.generate import generate
from peergroups.model import GroupFacts, group_facts
from peergroups.suggestions import suggest_chair_and_scribe
from solver import facilitation
from solver.groundwork import Groundwork
from solver.heuristics import construct
from solver.objective import Objective
from solver.parallel import SearchTask, Worker
from solver.pipeline import checked_plan
from solver.scenario import Scenario


@pytest.fixture
def windows(monkeypatch):
    """A programme large enough for windows, in miniature: every facilitator offered up to
    5, windows of 3 beyond."""
    monkeypatch.setattr(facilitation, "EVERYONE_UP_TO", 5)
    monkeypatch.setattr(facilitation, "WINDOW", 3)


def _plan(companies: int, seed: int):
    problem = generate(companies, seed=seed)
    scenario = Scenario.default()
    return problem, scenario, construct(scenario.search_space(problem))


@pytest.mark.parametrize("windowed", [False, True], ids=["everyone", "windows"])
def test_groups_prepared_ahead_give_the_plan_worked_out_at_the_end(request, windowed):
    if windowed:
        request.getfixturevalue("windows")
    problem, scenario, chosen = _plan(400, seed=5)
    assert len(problem.facilitators) > 5 and len(chosen) > 20
    plain = checked_plan(problem, scenario, chosen, {}, False)
    groundwork = Groundwork(problem, scenario)
    # Half the plan's groups, members in another order, and groups of an earlier plan that
    # are not in it (a piece searched since).
    earlier = [(theme, members[:-1]) for theme, members in chosen[::3] if len(members) > 5]
    for theme, members in [*earlier, *((t, m[::-1]) for t, m in chosen[::2])]:
        groundwork.of(theme, members)
    assert checked_plan(problem, scenario, chosen, {}, False, groundwork) == plain
    groups = plain[0].groups
    assert all((g.chair, g.scribe) == suggest_chair_and_scribe(problem, g) for g in groups)
    staffed = sum(1 for group in groups if group.facilitator_id)
    assert 0 < staffed < len(chosen) or not windowed  # the windows leave some unstaffed


def test_remembered_costs_are_the_objectives():
    problem, scenario, chosen = _plan(300, seed=2)
    groundwork = Groundwork(problem, scenario)
    groundwork.answers(chosen[: len(chosen) // 2])
    objective = Objective(problem, scenario.grouping_rules, scenario.priorities)
    assert groundwork.objective.evaluate(chosen) == objective.evaluate(chosen)
    assert groundwork.objective.evaluate(chosen[1:]) == objective.evaluate(chosen[1:])


def test_a_groups_offer_depends_on_the_group_alone(windows):
    # Its window is set by its theme and members, not by where it stands in the plan: an
    # offer worked out during the search holds for the final plan.
    problem, scenario, chosen = _plan(300, seed=4)
    staffing = facilitation.Staffing(problem, scenario.facilitation_rules)
    starts = set()
    for theme, members in chosen:
        crew = [problem.by_id[cid] for cid in members]
        offer = staffing.offer(theme, crew)
        again = staffing.offer(theme, crew[::-1])
        assert np.array_equal(offer.candidates, again.candidates)
        assert np.array_equal(offer.gains, again.gains) and offer.refusal == again.refusal
        starts.add(int(facilitation._window(theme, crew, len(problem.facilitators))[0]))
    assert len(starts) > 3  # the windows spread over the facilitators


def test_groups_prepared_in_another_process_give_the_same_plan():
    # A worker prepares its first plan's groups; they travel pickled to the process that
    # checks the plan, whose evaluations and final check then use them.
    problem, scenario, chosen = _plan(400, seed=6)
    plain = checked_plan(problem, scenario, chosen, {}, False)
    answers = Groundwork(problem, scenario).answers(chosen[: len(chosen) // 2])
    here = Groundwork(problem, scenario)
    here.learn(pickle.loads(pickle.dumps(answers)))
    assert set(answers) <= set(here._prepared)
    grouping = checked_plan(problem, scenario, chosen, {}, False, here)[0]
    assert grouping == plain[0]
    objective = Objective(problem, scenario.grouping_rules, scenario.priorities)
    assert here.objective.evaluate(chosen) == objective.evaluate(chosen)
    # groups.csv and the report take the facts the workers worked out.
    facts = group_facts(problem, grouping)
    assert facts == tuple(GroupFacts.of(problem, g) for g in grouping.groups)
    learned = {key: prepared.facts for key, prepared in here._prepared.items() if key in answers}
    pairs = zip(grouping.groups, facts, strict=True)
    assert any(learned.get((group.theme, group.members)) is fact for group, fact in pairs)


def test_a_worker_prepares_the_groups_its_search_formed_anew():
    problem, scenario, chosen = _plan(300, seed=3)
    worker = Worker.of(problem, scenario)
    poor = [group for group in chosen if len(group[1]) > 5][::2]  # half the groups dropped
    task = SearchTask(dict(worker.space.themes_of), poor, "lns", 2.0, 10.0, math.inf)
    answered = worker.answered_search(task)
    known = {(theme, tuple(sorted(members))) for theme, members in poor}
    formed = {(theme, tuple(sorted(members))) for theme, members in answered.value.best}
    assert formed - known and set(answered.prepared) == formed - known
