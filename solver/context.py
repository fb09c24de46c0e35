"""The CP-SAT model under construction, as rules see it: theme-labelled group slots.

Every slot is labelled with one theme up front, so the shared-theme rule costs nothing: a
company gets a variable only in the slots of themes it could join (`Slot.x`). Rules add
constraints on these variables and objective terms; `solver.cpsat` turns the terms into one
lexicographic objective.
"""

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from peergroups.model import Company, Problem

MATURITY_SCALE = 10
"""Maturity is modelled in integer tenths of a point (the model keeps one decimal)."""


def tenths(value: float) -> int:
    return round(value * MATURITY_SCALE)


@dataclass
class Slot:
    """A group that may open: its theme, its activity literal and one literal per candidate."""

    index: int
    theme: str
    active: cp_model.IntVar
    x: dict[str, cp_model.IntVar]
    """company_id -> 'sits in this slot'; only for companies that may join this theme."""

    def candidates(self, problem: Problem) -> list[Company]:
        return [problem.by_id[cid] for cid in self.x]


@dataclass(frozen=True)
class ObjectiveTerm:
    """A cost to minimise, in [0, upper]; lower `priority` numbers dominate strictly."""

    name: str
    expr: cp_model.LinearExprT
    upper: int
    priority: int


@dataclass
class ModelContext:
    model: cp_model.CpModel
    problem: Problem
    slots: list[Slot]
    terms: list[ObjectiveTerm] = field(default_factory=list)

    def add_cost(self, name: str, expr: cp_model.LinearExprT, upper: int, priority: int) -> None:
        """Register an objective term (see `solver.cpsat.lexicographic_weights`)."""
        if upper > 0:
            self.terms.append(ObjectiveTerm(name, expr, upper, priority))

    def slots_by_theme(self) -> dict[str, list[Slot]]:
        by_theme: dict[str, list[Slot]] = {}
        for slot in self.slots:
            by_theme.setdefault(slot.theme, []).append(slot)
        return by_theme
