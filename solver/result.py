"""What a solve returns: the plan plus the evidence of how good it is."""

import platform
from enum import StrEnum
from typing import Any

import ortools
import pandas as pd
from pydantic import BaseModel, ConfigDict, SkipValidation

import peergroups
from peergroups.io.columns import ASSIGNMENTS, GROUPS
from peergroups.io.tables import assignment_rows, group_rows
from peergroups.model import Grouping, Problem
from solver.scenario import Scenario


class Status(StrEnum):
    """How good a returned plan is known to be. (When no plan can keep the pins, `solve`
    raises `Infeasible` instead of returning one.)"""

    OPTIMAL = "optimal"
    """Every level of the objective is proven optimal."""
    FEASIBLE = "feasible"
    """A plan that keeps every rule, not proven optimal within the time limit."""
    INTERRUPTED = "interrupted"
    """Ctrl-C or SIGTERM stopped the search: the best plan found until then."""


class LevelReport(BaseModel):
    """One level of the lexicographic objective: its value in the plan, the best value any
    plan can reach as proven so far, and whether the plan's value is proven best."""

    model_config = ConfigDict(frozen=True)

    name: str
    """'placed' (maximised) or the terms of one priority ('goal_rank', 'spread', ...)."""
    value: int
    bound: float | None
    """No plan does better on this level, given the levels before it at their values
    (None: not bounded, because a level before it is still open)."""
    proven: bool

    @property
    def gap(self) -> float | None:
        """Relative distance of value and bound on this level alone."""
        if self.bound is None:
            return None
        return abs(self.value - self.bound) / max(1.0, abs(self.value))


class Result(BaseModel):
    model_config = ConfigDict(frozen=True)

    status: Status
    objective: float | None
    """Lexicographic score folded into one number, maximised: W·placed - Σ w_p·cost_p
    (`solver.objective`); None when no plan was found."""
    bound: float | None
    """Proven upper bound on that score."""
    runtime_s: float
    problem: SkipValidation[Problem]
    """Validated when it was made: checked again here it would cost seconds for 100,000
    companies (pydantic runs a model's own validator on an instance it is given)."""
    grouping: Grouping
    terms: dict[str, int]
    """Each objective term's value: placed, goal_rank, spread (tenths of a point), ..."""
    scenario: Scenario
    stats: dict[str, int | float]
    strategy: str
    """The search that ran: 'cpsat' (one model) or 'lns' (neighbourhood search)."""
    unstaffed: dict[str, str] = {}
    """Group id -> why no facilitator could be assigned (only when facilitators are given)."""
    programme: dict[str, Any] = {}
    """The programme's own terms (`solver.programme`): eligibility findings, subsidised seats,
    sizes observed by meeting format."""
    blocked_by: dict[str, int] = {}
    """Rule kind -> how many companies no group can hold because of it (the pre-check's
    verdict: the rule that left each too few partners)."""
    levels: tuple[LevelReport, ...] = ()
    """Each objective level's value, bound and proof, in lexicographic order."""

    @property
    def proven_levels(self) -> list[str]:
        return [level.name for level in self.levels if level.proven]

    @property
    def gap(self) -> float | None:
        """Relative distance between plan and bound (0 when proven optimal)."""
        if self.objective is None or self.bound is None:
            return None
        return abs(self.objective - self.bound) / max(1.0, abs(self.objective))

    @property
    def placed(self) -> int:
        return sum(len(g.members) for g in self.grouping.groups)

    def is_optimal(self) -> bool:
        return self.status == Status.OPTIMAL

    def to_frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(assignments, groups): the rows of assignments.csv and groups.csv as DataFrames."""
        return (
            pd.DataFrame(assignment_rows(self.problem, self.grouping), columns=ASSIGNMENTS.header),
            pd.DataFrame(group_rows(self.problem, self.grouping), columns=GROUPS.header),
        )

    def summary(self) -> dict[str, Any]:
        """The summary.json contract (DESIGN.md) plus the terms, statistics and scenario."""
        return {
            "status": self.status.value,
            "objective": self.objective,
            "bound": self.bound,
            "gap": None if self.gap is None else round(self.gap, 6),
            "placed": self.placed,
            "unassigned": len(self.grouping.unassigned),
            "groups": len(self.grouping.groups),
            "runtime_s": round(self.runtime_s, 3),
            "seed": self.scenario.solver.seed,
            "rules": self.scenario.effective_rules(),
            "terms": self.terms,
            "levels": [
                {
                    "name": level.name,
                    "value": level.value,
                    "bound": level.bound,
                    "proven": level.proven,
                    "gap": None if level.gap is None else round(level.gap, 6),
                }
                for level in self.levels
            ],
            "proven_levels": self.proven_levels,
            "blocked_by": dict(sorted(self.blocked_by.items(), key=lambda kv: (-kv[1], kv[0]))),
            "strategy": self.strategy,
            "groups_without_facilitator": [
                {"group_id": gid, "reason": reason}
                for gid, reason in sorted(self.unstaffed.items())
            ],
            "stats": self.stats,
            **({"programme": self.programme} if self.programme else {}),
            "scenario": self.scenario.to_dict(),
            "labels": self.scenario.labels(self.problem),
            "versions": {
                "peergroups": peergroups.__version__,
                "ortools": ortools.__version__,
                "python": platform.python_version(),
            },
        }
