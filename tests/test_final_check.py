"""The final check of a plan before it is written (`solver.pipeline.checked_plan`): a plan
that breaks a rule is never written (SolverBug), stopped run or not, although the rules that
judge each group by its members alone judge it while the facilitators are assigned."""

import pytest

from peergroups.generate import generate
from solver.interrupt import STOP
from solver.pipeline import SolverBug, checked_plan
from solver.scenario import Scenario


@pytest.fixture
def stopped(request):
    """A stop requested (or not) for the test, cleared after it."""
    if request.param:
        STOP.request()
    yield request.param
    STOP.clear()


@pytest.mark.parametrize("stopped", [False, True], indirect=True, ids=["running", "stopped"])
def test_a_group_breaking_a_rule_of_its_members_is_never_written(stopped):
    problem = generate(60, seed=7)
    scenario = Scenario.default()
    pair = [c.company_id for c in problem.companies[:2]]  # two: below any group's least size
    with pytest.raises(SolverBug, match=r"group_size"):
        checked_plan(problem, scenario, [(problem.by_id[pair[0]].goals[0], pair)], {}, False)


@pytest.mark.parametrize("stopped", [False, True], indirect=True, ids=["running", "stopped"])
def test_a_company_in_two_groups_is_never_written(stopped):
    problem = generate(60, seed=7)
    scenario = Scenario.default()
    plan = checked_plan(problem, scenario, [], {}, False)[0]
    assert plan.groups == () and len(plan.unassigned) == 60  # nobody placed: a valid plan
    ids = [c.company_id for c in problem.companies]
    twice = [("erp", ids[:5]), ("erp", ids[4:9])]
    with pytest.raises(SolverBug, match=r"appears 2 times"):
        checked_plan(problem, scenario, twice, {}, False)


def test_the_verdicts_judged_beside_the_staffing_are_those_of_the_plan():
    # A group that breaks a rule of its members, staffed or not, is named in the error.
    problem = generate(300, seed=2)
    scenario = Scenario.default()
    ids = [c.company_id for c in problem.companies]
    apart = next(
        (a, b) for (a, b) in problem.hard_pairs if a in problem.by_id and b in problem.by_id
    )
    company = problem.by_id[apart[0]]
    others = [cid for cid in ids if cid not in apart][:4]
    with pytest.raises(SolverBug, match=r"must not share a group .*\[forbidden_pairs\]"):
        checked_plan(problem, scenario, [(company.goals[0], [*apart, *others])], {}, False)
