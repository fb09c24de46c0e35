"""Run every rule's pure-Python check over any plan: the solver's, or one edited by hand."""

from peergroups.model import Grouping, Problem
from solver.rules import Rule, Violation


def check(problem: Problem, grouping: Grouping, rules: list[Rule]) -> list[Violation]:
    """Every violation in the plan, including companies missing or placed twice."""
    violations = [
        Violation(rule="accounting", group_id=None, message=message)
        for message in grouping.accounting_errors(problem)
    ]
    for rule in rules:
        violations += rule.check(problem, grouping)
    return violations
