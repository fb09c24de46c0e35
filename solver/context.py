"""The CP-SAT model under construction, as rules see it: labelled group slots.

Every slot is labelled with one theme and one leader up front (see `solver.cpsat`), so the
shared-theme rule costs nothing: a company gets a variable only in the slots of themes it
could join, after leaders compatible with it (`Slot.x`). Rules add constraints on these
variables and objective terms; `solver.cpsat` turns the terms into one lexicographic objective.
"""

from dataclasses import dataclass, field
from typing import Protocol

from ortools.sat.python import cp_model

from peergroups.model import Company, Problem


@dataclass(frozen=True)
class SlotPlan:
    """A slot to create: its theme, its leader and the companies that may sit in it.

    A labelled slot (a pinned or an existing group) has a label instead of a leader, and
    the companies that define it (`owners`)."""

    theme: str
    leader: str | None
    candidates: tuple[str, ...]
    """The leader first, then its followers."""
    label: str | None = None
    owners: tuple[str, ...] = ()


class CostOwner(Protocol):
    """What `ModelContext.add_cost` needs of a rule (its objective term and level)."""

    kind: str
    term: str | None
    priority: float


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
    priority: float
    sharpen: cp_model.IntVar | None = None
    """A literal enforcing redundant constraints that tighten the term's bound; it is set
    only when the term's level is optimised, as they slow the search of the levels before."""


class GuardedModel:
    """A CpModel whose every new constraint is enforced by one literal: how a whole rule is
    switched on and off by an assumption when explaining infeasibility."""

    def __init__(self, model: cp_model.CpModel, literal: cp_model.IntVar) -> None:
        self._model, self._literal = model, literal

    def __getattr__(self, name: str):
        return getattr(self._model, name)

    def add(self, constraint):
        return self._model.add(constraint).only_enforce_if(self._literal)

    def add_bool_or(self, literals):
        return self._model.add_bool_or(literals).only_enforce_if(self._literal)

    def add_implication(self, a, b):
        return self._model.add_bool_or([~a, b]).only_enforce_if(self._literal)

    def add_at_most_one(self, *literals):
        flat = (
            list(literals[0])
            if len(literals) == 1 and not hasattr(literals[0], "index")
            else list(literals)
        )
        return self._model.add(sum(flat) <= 1).only_enforce_if(self._literal)


@dataclass
class ModelContext:
    model: cp_model.CpModel
    problem: Problem
    slots: list[Slot]
    terms: list[ObjectiveTerm] = field(default_factory=list)
    placed: cp_model.LinearExprT = 0
    """Number of companies placed; the objective's first priority (see solver.cpsat)."""
    guards: dict[tuple[str, ...], cp_model.IntVar] | None = None
    """When explaining infeasibility: one literal per rule instance, enforcing it."""
    fewest: int = 1
    """The fewest members every open group has under the rules (1 when explaining, where a
    rule may be switched off); rules use it for redundant constraints."""

    def guard(self, *key: str) -> cp_model.IntVar | None:
        """The literal that switches one rule instance (a rule, a pin) on, when explaining;
        None otherwise. Constraints of the instance are enforced only if it is true."""
        if self.guards is None:
            return None
        if key not in self.guards:
            self.guards[key] = self.model.new_bool_var("guard:" + ":".join(key))
        return self.guards[key]

    def add_cost(
        self,
        rule: CostOwner,
        expr: cp_model.LinearExprT,
        sharpen: cp_model.IntVar | None = None,
    ) -> None:
        """Register the rule's objective term, a cost to minimise (see `solver.objective`),
        and the literal of its redundant constraints, if any (`ObjectiveTerm.sharpen`)."""
        self.terms.append(ObjectiveTerm(rule.term or rule.kind, expr, rule.priority, sharpen))
