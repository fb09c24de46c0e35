"""The search space: where groups may form, as every search of a problem sees it.

The pre-check, the construction heuristic, the bounds, the CP-SAT model and the
neighbourhood search all ask the same questions of the same things: the rules in force
bound to the problem (`RuleSet`), the themes each placeable company may join, the smallest
group, and the maturity window that bounds every scan over maturity-sorted companies.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property

from peergroups.model import Company, Problem
from solver.rules import Rule, RuleSet


@dataclass(frozen=True)
class SearchSpace:
    rules: RuleSet
    themes_of: dict[str, tuple[str, ...]]
    """Company id -> the themes it may join (only companies that may be placed)."""
    min_size: int
    maturity_window: float | None
    """No two members of a group lie further apart in maturity (None: no limit)."""

    @property
    def problem(self) -> Problem:
        return self.rules.problem

    @cached_property
    def checks(self) -> "Checks":
        """The rules' checks as the construction and the pre-check ask them, by the million."""
        return Checks.of(self.rules)

    @cached_property
    def least_goal_rank(self) -> int:
        """The goal ranks summed if every company is placed, each in its best theme (a
        bound, asked again when a stopped run reports its bounds: worked out once)."""
        by_id = self.problem.by_id
        return sum(by_id[cid].goals.index(themes[0]) for cid, themes in self.themes_of.items())

    def narrowed(self, themes_of: dict[str, tuple[str, ...]]) -> "SearchSpace":
        """The same space over other companies or themes (a part, the placeable ones)."""
        return replace(self, themes_of=themes_of)


class Checks:
    """`RuleSet.compatible`, `admits` and `valid` without the rules whose answer cannot be
    no: those that do not act on the problem (say, earlier rounds' rules without history)
    and those that keep the base class's always-true test. The tests that refuse most often
    are asked first (the answer is the same in any order). Same answers, a fraction of the
    calls."""

    REORDER_EVERY = 1024
    """Refusals between two reorderings of the tests."""

    def __init__(
        self,
        problem: Problem,
        pair: list[Callable[[Problem, Company, Company], bool]],
        admit: list[Callable[[Problem, str, list[Company]], bool]],
        violations: list[Callable[[Problem, str, list[Company]], list[str]]],
    ) -> None:
        self.problem, self.pair, self.admit, self.violations = problem, pair, admit, violations
        self._refused: dict[Callable, int] = dict.fromkeys([*pair, *admit], 0)
        self._until_reorder = self.REORDER_EVERY

    @classmethod
    def of(cls, rules: RuleSet) -> "Checks":
        problem = rules.problem
        acting = [rule for rule in rules if rule.acts_on(problem)]

        def overrides(rule: Rule, *names: str) -> bool:
            return any(getattr(type(rule), name) is not getattr(Rule, name) for name in names)

        return cls(
            problem,
            [rule.compatible for rule in acting if overrides(rule, "compatible")],
            [rule.admits for rule in acting if overrides(rule, "admits", "group_violations")],
            [rule.group_violations for rule in acting if overrides(rule, "group_violations")],
        )

    # Plain loops: faster than all() over a generator, and these run by the million.
    def compatible(self, a: Company, b: Company) -> bool:
        problem = self.problem
        for test in self.pair:
            if not test(problem, a, b):
                self._refusal(test)
                return False
        return True

    def admits(self, theme: str, members: list[Company]) -> bool:
        problem = self.problem
        for test in self.admit:
            if not test(problem, theme, members):
                self._refusal(test)
                return False
        return True

    def valid(self, theme: str, members: list[Company]) -> bool:
        problem = self.problem
        for test in self.violations:  # noqa: SIM110
            if test(problem, theme, members):
                return False
        return True

    def _refusal(self, test: Callable) -> None:
        self._refused[test] += 1
        self._until_reorder -= 1
        if self._until_reorder == 0:
            self._until_reorder = self.REORDER_EVERY
            refused = self._refused.__getitem__
            self.pair.sort(key=refused, reverse=True)
            self.admit.sort(key=refused, reverse=True)
