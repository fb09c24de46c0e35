"""Every sentence the solver and `check` write reaches a Finnish plan in Finnish.

Reasons are covered where they are given (tests/test_roundtrip.py runs the solver); here every
rule's violations, drawn from random groups as the rule-agreement test draws them, and the
plan-wide checks (pins, facilitators, accounting) on small hand-made plans.
"""

import random

import pytest

from peergroups.model import Facilitator, Grouping, Pin, Problem, Unassigned
from peergroups.wording import translate, translate_finding, translate_violation
from solver import Scenario, check
from solver.rules import REGISTRY
from tests.instances import company, group, random_problem
from tests.test_rule_agreement import draw_group, make_rule

GROUP_RULES = sorted(kind for kind, rule in REGISTRY.items() if rule.stage == "grouping")


def finnish(violation: str) -> bool:
    return translate_violation(violation, "fi") != violation


@pytest.mark.parametrize("kind", GROUP_RULES)
def test_every_violation_of_a_group_is_rendered_in_finnish(kind):
    rng = random.Random(kind)
    messages = set()
    for _ in range(40):
        instance = random_problem(rng, rng.randint(6, 12))
        rule = make_rule(kind, rng)
        for _ in range(8):
            drawn = draw_group(rng, instance, rule)
            if drawn is not None:
                messages.update(rule.group_violations(instance, *drawn))
    untranslated = [m for m in messages if not finnish(f"G1: {m} [{kind}]")]
    assert untranslated == []
    assert all(
        translate_violation(f"G1: {m} [{kind}]", "en") == f"G1: {m} [{kind}]" for m in messages
    )


def test_plan_wide_violations_are_rendered_in_finnish():
    # A and B are pinned together but apart; C is pinned to P1 with A; D is in two groups,
    # E is missing, X is no input company; F01 runs two groups with capacity 1 and speaks sv;
    # E, pinned to P1 or P2 (D's), is in neither; P1 is locked; A and D are pinned apart; B
    # may only sit in a cybersecurity group.
    companies = tuple(company(cid, 40) for cid in "ABCDE")
    problem = Problem(
        companies=companies,
        facilitators=(Facilitator(facilitator_id="F01", name="F", languages="sv", capacity=1),),
        pins=(
            Pin(kind="together", company_id="A", partner="B"),
            Pin(kind="group", company_id="A", group_id="P1"),
            Pin(kind="group", company_id="C", group_id="P1"),
            Pin(kind="group", company_id="D", group_id="P2"),
            Pin(kind="groups", company_id="E", groups="P1|P2"),
            Pin(kind="lock", group_id="P1"),
            Pin(kind="apart", company_id="A", partner="D"),
            Pin(kind="themes", company_id="B", themes="cybersecurity"),
        ),
    )
    grouping = Grouping(
        groups=(
            group("G1", "A", "D").model_copy(update={"facilitator_id": "F01"}),
            group("G2", "B", "C", "D", "X").model_copy(update={"facilitator_id": "F01"}),
        ),
        unassigned=(),
    )
    violations = [str(v) for v in check(problem, grouping, Scenario.default().active_rules)]
    rules = {v.rsplit("[", 1)[1] for v in violations}
    assert {"accounting]", "pins]", "facilitator_capacity]", "facilitator_language]"} <= rules
    families = ("pinned apart", "different groups", "locked group", "is not pinned to")
    families += ("is not in any of", "pinned together", "not in one group")
    assert [f for f in families if not any(f in v for v in violations)] == [], violations
    assert [v for v in violations if not finnish(v)] == []


def test_programme_findings_and_refusals_are_rendered_in_finnish():
    findings = [
        "400 employees, 250 or more",
        "turnover 60.0 M€ over 50 M€ and balance sheet 50.0 M€ over 43 M€",
        "NACE 62010 is outside manufacturing (10-33) and the industrial services (71)",
        "founded 2025, fewer than 3 years before 2026",
        "project stage idea, not planning or early",
    ]
    assert [f for f in findings if translate_finding(f, "fi") == f] == []
    assert translate_finding(findings[0], "fi") == "400 työntekijää, 250 tai enemmän"
    reason = "not eligible: " + "; ".join(f"{f} [x]" for f in findings)
    assert translate(reason, "fi").startswith("ei kelpoinen: 400 työntekijää")
    refused = (
        "the budget of 1 seat went to companies of greater need (lower maturity, fewer "
        "employees or first-time participants)"
    )
    assert translate(refused, "fi").startswith("1 tuetun paikan budjetti")
    unplaced = Unassigned(company_id="A", reason="not placed in a group: unassigned")
    assert translate(unplaced.reason, "fi") == "ei ryhmässä: ei sijoitettu"
