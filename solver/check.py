"""Run every rule's pure-Python check over any plan: the solver's, or one edited by hand."""

from peergroups.model import Group, Grouping, Problem, Unassigned
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


def check_groups(
    problem: Problem, groups: list[tuple[str, list[str]]], rules: list[Rule]
) -> list[Violation]:
    """`check` for bare (theme, member ids) groups, as searches and baselines produce them;
    companies in no group count as unassigned."""
    placed = {cid for _, members in groups for cid in members}
    grouping = Grouping(
        groups=tuple(
            Group(group_id=f"G{number}", theme=theme, members=tuple(members))
            for number, (theme, members) in enumerate(groups, start=1)
        ),
        unassigned=tuple(
            Unassigned(company_id=c.company_id, reason="not in a group")
            for c in problem.companies
            if c.company_id not in placed
        ),
    )
    return check(problem, grouping, rules)
