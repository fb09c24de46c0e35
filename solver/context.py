"""The CP-SAT model under construction, as rules see it: labelled group slots.

Every slot is labelled with one theme and one leader up front (see `solver.cpsat`), so the
shared-theme rule costs nothing: a company gets a variable only in the slots of themes it
could join, after leaders compatible with it (`Slot.x`). Rules add constraints on these
variables and objective terms; `solver.cpsat` turns the terms into one lexicographic objective.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from peergroups.model import Company, Problem

if TYPE_CHECKING:
    from solver.rules.base import Rule


@dataclass
class Slot:
    """A group that may open: its theme, its leader (first member in maturity order) and one
    literal per candidate; `active` is the leader's literal."""

    index: int
    theme: str
    leader: str | None
    """None for a labelled slot (a pinned or an existing group), which has no leader."""
    active: cp_model.IntVar
    x: dict[str, cp_model.IntVar]
    """company_id -> 'sits in this slot'; only for companies that may join this theme."""
    label: str | None = None
    owners: tuple[str, ...] = ()
    """The companies that define a labelled slot (its pinned or earlier members)."""

    def candidates(self, problem: Problem) -> list[Company]:
        return [problem.by_id[cid] for cid in self.x]


@dataclass(frozen=True)
class ObjectiveTerm:
    """A cost; lower `priority` numbers dominate strictly, and all come after placing as many
    companies as possible."""

    name: str
    expr: cp_model.LinearExprT
    priority: int


@dataclass
class ModelContext:
    model: cp_model.CpModel
    problem: Problem
    slots: list[Slot]
    terms: list[ObjectiveTerm] = field(default_factory=list)
    placed: cp_model.LinearExprT = 0
    """Number of companies placed; the objective's first priority (see solver.cpsat)."""

    def add_cost(self, rule: "Rule", expr: cp_model.LinearExprT) -> None:
        """Register the rule's objective term, a cost to minimise (see `solver.objective`)."""
        self.terms.append(ObjectiveTerm(rule.term or rule.kind, expr, rule.priority))

    def slots_by_theme(self) -> dict[str, list[Slot]]:
        by_theme: dict[str, list[Slot]] = {}
        for slot in self.slots:
            by_theme.setdefault(slot.theme, []).append(slot)
        return by_theme
