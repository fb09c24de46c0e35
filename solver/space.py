"""The search space: where groups may form, as every search of a problem sees it.

The pre-check, the construction heuristic, the bounds, the CP-SAT model and the
neighbourhood search all ask the same questions of the same things: the rules in force
bound to the problem (`RuleSet`), the themes each placeable company may join, the smallest
group, and the maturity window that bounds every scan over maturity-sorted companies.
"""

from dataclasses import dataclass, replace

from peergroups.model import Problem
from solver.rules import RuleSet


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

    def narrowed(self, themes_of: dict[str, tuple[str, ...]]) -> "SearchSpace":
        """The same space over other companies or themes (a part, the placeable ones)."""
        return replace(self, themes_of=themes_of)
