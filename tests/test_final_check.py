"""The final check of a plan before it is written (`solver.pipeline.checked_plan`): a plan
that breaks a rule is never written (SolverBug), stopped run or not, although the rules that
judge each group by its members alone judge it while the facilitators are assigned."""

import pytest

from peergroups.generate import generate
from peergroups.model import Group, Grouping, Problem
from solver.checks import check, check_staffing
from solver.interrupt import STOP
from solver.pipeline import SolverBug, checked_plan
from solver.scenario import Scenario
from tests.instances import facilitator, member


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


def test_each_facilitation_rule_names_a_facilitator_it_refuses():
    # Hand-staffed: G1's facilitator speaks no language of its members, works in another
    # region than the in-person group and consults one of its members; G2's is fine.
    companies = [
        member(cid, languages="sv", mode="in_person", region="FI-19")
        for cid in ("A1", "A2", "A3", "A4", "A5")
    ] + [member(cid) for cid in ("B1", "B2", "B3", "B4", "B5")]
    facilitators = [
        facilitator("BAD", languages="fi", regions="FI-18", conflicts="A3", capacity=1),
        facilitator("GOOD", capacity=1),
    ]
    problem = Problem(companies=tuple(companies), facilitators=tuple(facilitators))
    grouping = Grouping(
        groups=(
            Group(
                group_id="G1",
                theme="erp",
                members=("A1", "A2", "A3", "A4", "A5"),
                facilitator_id="BAD",
            ),
            Group(
                group_id="G2",
                theme="erp",
                members=("B1", "B2", "B3", "B4", "B5"),
                facilitator_id="GOOD",
            ),
        )
    )
    rules = Scenario.default().facilitation_rules
    expected = ["facilitator_language", "facilitator_region", "facilitator_impartiality"]
    in_rule_order = [r.kind for r in rules if r.kind in expected]

    for violations in (check(problem, grouping, rules), check_staffing(problem, grouping, rules)):
        assert [(v.rule, v.group_id) for v in violations] == [(k, "G1") for k in in_rule_order]
        assert all(v.message.startswith("BAD may not facilitate it") for v in violations)
    for rule in rules:  # each rule's own check says the same
        assert [v.rule for v in rule.check(problem, grouping)] == (
            [rule.kind] if rule.kind in expected else []
        )
