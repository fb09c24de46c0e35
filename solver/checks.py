"""Run every rule's pure-Python check over any plan: the solver's, or one edited by hand, and
say how an edit moves each objective term."""

from collections.abc import Callable, Sequence
from typing import NamedTuple

from peergroups.model import Company, Group, Grouping, Problem, Unassigned
from solver.objective import Objective
from solver.rules import Rule, Violation
from solver.rules.base import FacilitationRule, staffing_violations
from solver.scenario import Scenario


def check(
    problem: Problem,
    grouping: Grouping,
    rules: list[Rule],
    verdicts: dict[int, list[Violation]] | None = None,
) -> list[Violation]:
    """Every violation in the plan, including companies missing or placed twice. The rules
    that judge each group alone, and the facilitation rules, get each group's members looked
    up once, not once a rule (the same verdicts, in the same order, as each rule's own
    `check`). `verdicts`: those of the rules that judge each group by its members alone,
    from `member_verdicts` on these very groups (their facilitators aside)."""
    violations = [
        Violation(rule="accounting", group_id=None, message=message)
        for message in grouping.accounting_errors(problem)
    ]
    crews: list[list[Company]] = []  # looked up when a rule needs them

    def members() -> list[list[Company]]:
        if not crews and grouping.groups:
            crews.extend(crews_of(problem, grouping.groups))
        return crews

    if verdicts is None:
        verdicts = member_verdicts(problem, grouping.groups, rules, members())
    staffing = _staffing_verdicts(problem, grouping.groups, rules, members)
    for number, rule in enumerate(rules):
        if number in verdicts:
            violations += verdicts[number]
        elif number in staffing:
            violations += staffing[number]
        else:
            violations += rule.check(problem, grouping)
    return violations


def check_staffing(
    problem: Problem,
    grouping: Grouping,
    rules: list[Rule],
    crews: list[list[Company]] | None = None,
) -> list[Violation]:
    """The facilitation rules' part of `check`, for a plan whose other rules were checked
    before its facilitators were known. `crews`: `crews_of` its groups, if looked up already
    (while the facilitators were sought)."""

    def members() -> list[list[Company]]:
        return crews if crews is not None else crews_of(problem, grouping.groups)

    staffing = _staffing_verdicts(problem, grouping.groups, rules, members)
    return [
        violation
        for number, rule in enumerate(rules)
        for violation in (staffing[number] if number in staffing else rule.check(problem, grouping))
    ]


def _staffing_verdicts(
    problem: Problem,
    groups: Sequence[Group],
    rules: list[Rule],
    crews: Callable[[], list[list[Company]]],
) -> dict[int, list[Violation]]:
    """The violations of each facilitation rule (by its place in `rules`) that judges each
    group's facilitator by `allows`, all in one pass over the groups; `crews` looks the
    groups' members up, only if such a rule is in force."""
    judging = [
        (number, rule)
        for number, rule in enumerate(rules)
        if isinstance(rule, FacilitationRule) and type(rule).check is FacilitationRule.check
    ]
    if not judging:
        return {}
    found = staffing_violations(problem, groups, crews(), [rule for _, rule in judging])
    return {number: violations for (number, _), violations in zip(judging, found, strict=True)}


def member_verdicts(
    problem: Problem,
    groups: Sequence[Group],
    rules: list[Rule],
    crews: list[list[Company]] | None = None,
) -> dict[int, list[Violation]]:
    """The violations of each rule (by its place in `rules`) that judges each group by its
    theme and members alone, whoever facilitates it: they hold for the groups once staffed."""
    crews = crews if crews is not None else crews_of(problem, groups)
    return {
        number: [
            Violation(rule=rule.kind, group_id=group.group_id, message=message)
            for group, crew in zip(groups, crews, strict=True)
            for message in rule.group_violations(problem, group.theme, crew)
        ]
        for number, rule in enumerate(rules)
        if type(rule).check is Rule.check
    }


def crews_of(problem: Problem, groups: Sequence[Group]) -> list[list[Company]]:
    """Each group's members known to the problem."""
    return [
        [problem.by_id[cid] for cid in group.members if cid in problem.by_id] for group in groups
    ]


def judges_each_group_alone(rule: Rule) -> bool:
    """Is the rule's check a verdict on each group by itself (the base classes' per-group
    loop), so that a group that did not change keeps its verdict?"""
    return type(rule).check in (Rule.check, FacilitationRule.check)


def check_changed(
    problem: Problem, grouping: Grouping, rules: list[Rule], changed: set[str]
) -> tuple[list[Violation], list[Violation]]:
    """`check` after a change to a few groups: (the violations of the rules that judge each
    group alone, in the `changed` groups only; the violations of every other rule and of the
    accounting, in the whole plan). With the first part of an earlier full check for the
    other groups, the two make up `check` of the plan (for a review's verdict on each move)."""
    some = Grouping(
        groups=tuple(g for g in grouping.groups if g.group_id in changed),
        unassigned=grouping.unassigned,
    )
    local: list[Violation] = []
    whole = [
        Violation(rule="accounting", group_id=None, message=message)
        for message in grouping.accounting_errors(problem)
    ]
    for rule in rules:
        if judges_each_group_alone(rule):
            local += rule.check(problem, some)
        else:
            whole += rule.check(problem, grouping)
    return local, whole


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


class TermChange(NamedTuple):
    """One objective term before and after an edit ('placed': more is better; the rules'
    terms: less is better)."""

    term: str
    before: int
    after: int

    @property
    def more_is_better(self) -> bool:
        return self.term == "placed"


class ObjectiveChange(NamedTuple):
    terms: list[TermChange]
    score: int
    """The change of the folded lexicographic score (higher is better)."""


def objective_change(
    problem: Problem, scenario: Scenario, before: Grouping, after: Grouping
) -> ObjectiveChange:
    """How an edit of a plan moves each objective term and the score."""
    objective = Objective(problem, scenario.grouping_rules, scenario.priorities)
    old, new = (
        objective.evaluate([(g.theme, list(g.members)) for g in grouping.groups])
        for grouping in (before, after)
    )
    terms = [TermChange(name, old[name], new[name]) for name in old]
    return ObjectiveChange(terms, objective.score(new) - objective.score(old))
