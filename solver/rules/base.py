"""What every rule provides, and the registry that lets a scenario name a rule by `kind`.

A rule is a pydantic spec (its parameters) with four views of the same constraint:
- `eligible` / `compatible`: cheap necessary conditions (one company and a theme; two companies)
  used to create variables only where a company could sit and to explain who cannot be placed;
- `group_violations`: the exact rule on one group, in plain Python; `check` applies it to a plan;
- `encode`: the CP-SAT formulation on theme-labelled slots (see `solver.context`).
The registry-wide tests hold these views to agreeing with each other.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict

from peergroups.model import Company, Facilitator, Group, Grouping, Problem
from solver.context import ModelContext, SlotPlan


class Violation(BaseModel):
    """One broken rule in a plan, in words a facilitator can act on."""

    model_config = ConfigDict(frozen=True)

    rule: str
    group_id: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.group_id}: " if self.group_id else ""
        return f"{where}{self.message} [{self.rule}]"


class Relaxation(NamedTuple):
    """The parameter an explanation may move to lift an infeasibility, the values it may
    take, and which way relaxes the rule (+1: raising it, -1: lowering it)."""

    parameter: str
    values: tuple[float, ...]
    direction: Literal[1, -1]

    def steps(self, current: float) -> list[float]:
        """The values that relax the rule from `current`, nearest first."""
        looser = (v for v in self.values if (v - current) * self.direction > 0)
        return sorted(looser, key=lambda v: abs(v - current))

    def wording(self, current: float, value: float) -> str:
        verb = "raise" if self.direction > 0 else "lower"
        return f"{verb} {self.parameter} from {current:g} to {value:g}"


class Rule(BaseModel):
    """Base of every rule spec. `enforce = "off"` leaves the rule out of the model and checks.

    Besides its parameters and views, a rule carries everything the rest of the program knows
    about it, so that a new rule is one module: its place in the programme default, the
    parameter an explanation may relax, its command-line shortcuts and its labels.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", use_attribute_docstrings=True)

    kind: ClassVar[str]
    summary: ClassVar[str]
    stage: ClassVar[str] = "grouping"
    """'grouping' rules shape the groups; 'facilitation' rules (below) staff them."""
    guarded_per_instance: ClassVar[bool] = False
    """When explaining infeasibility, does the rule guard each of its instances (a pin, say)
    with `ctx.guard` itself, rather than all its constraints with one literal?"""
    term: ClassVar[str | None] = None
    """Name of the objective term the rule adds, if any (see `group_cost`)."""
    priority: ClassVar[float] = 0
    """Lexicographic rank of that term: 1 is most important after placing companies."""
    default_position: ClassVar[int | None] = None
    """Where the rule stands in the programme default scenario, which also orders the rules
    that reasons name (lower first); None: a variant that a scenario file switches on."""
    relaxation: ClassVar[Relaxation | None] = None
    """The parameter `solver.explain` may move when the rule is part of an infeasibility."""
    shortcuts: ClassVar[dict[str, str]] = {}
    """Command-line options of `form-groups` that set a parameter: option name -> field."""
    label: ClassVar[dict[str, str]] = {}
    """The rule's name in the report, by language ("en", "fi")."""
    parameter_labels: ClassVar[dict[str, dict[str, str]]] = {}
    """Each parameter's name in the report: field -> language -> words."""
    enforce: Literal["hard", "off"] = "hard"

    def acts_on(self, problem: Problem) -> bool:
        """Does the rule act on this problem at all? (A repair rule needs groups meeting now;
        the report leaves out rules that do not act.)"""
        return True

    def is_preference(self) -> bool:
        """Does the rule only rank plans, never forbid one? By default, when it has a term and
        no check of its own; `enforce = "hard"` then means on."""
        return self.term is not None and type(self).group_violations is Rule.group_violations

    def relaxed(self, value: float) -> dict[str, Any]:
        """The parameters that relax the rule to `value` of its relaxation parameter (a rule
        whose parameter has variants, say per meeting format, relaxes those with it)."""
        assert self.relaxation is not None
        return {self.relaxation.parameter: value}

    def eligible(self, problem: Problem, company: Company, theme: str) -> bool:
        """May the company sit in a group of this theme at all?"""
        return True

    def compatible(self, problem: Problem, a: Company, b: Company) -> bool:
        """Can the two companies share some group? (A necessary condition.)"""
        return True

    def exclusion(self, problem: Problem, company: Company) -> str | None:
        """Why the rule keeps the company out of every group, in words, when it does so
        whatever the others (None: it does not); the reason an unplaced company is given."""
        return None

    def partition_keys(self, company: Company) -> frozenset[str] | None:
        """Keys of which two companies must share one to meet in a group, if the rule splits
        companies that way (lets `solver.decompose` solve independent parts apart)."""
        return None

    def locality(self, company: Company) -> str | None:
        """A key shared by companies that can only meet nearby partners (an in-person
        company's region); `solver.bounds` bounds how many of each such block can be placed."""
        return None

    def labelled_slots(
        self, rules: "RuleSet", themes_of: dict[str, tuple[str, ...]]
    ) -> list[SlotPlan]:
        """Slots the rule adds besides the leader slots: pinned or existing groups, which keep
        their label (see `solver.context.SlotPlan`); joiners must be compatible by `rules`."""
        return []

    def fewest_members(self) -> int:
        """The fewest members the rule lets a group have (1: it does not say)."""
        return 1

    def maturity_window(self) -> float | None:
        """How far apart in maturity two compatible companies can be, if the rule limits it
        (lets sweeps over maturity-sorted companies stop early)."""
        return None

    def pair_phrase(self, problem: Problem, company: Company) -> str:
        """Words for the partners `compatible` leaves a company, used in unassigned reasons."""
        return ""

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        """Messages for every way this group breaks the rule (empty when it holds)."""
        return []

    def group_cost(self, problem: Problem, theme: str, members: list[Company]) -> int:
        """The rule's objective term on one group, as its encoding counts it at an optimum."""
        return 0

    def plan_cost(self, problem: Problem, groups: list[tuple[str, list[str]]]) -> int | None:
        """The term over a whole plan, for terms that are not a sum over groups (None: the
        sum of `group_cost`)."""
        return None

    def cost_upper(self, problem: Problem) -> int:
        """The largest value the term can take in any plan (it sizes the lexicographic
        weights, so it depends on the problem only, never on a model)."""
        return 0

    def admits(self, problem: Problem, theme: str, members: list[Company]) -> bool:
        """Can a group holding these members (and perhaps more) satisfy the rule?

        Rules that adding members can only break (all but the minimum size) use their check.
        """
        return not self.group_violations(problem, theme, members)

    def check(self, problem: Problem, grouping: Grouping) -> list[Violation]:
        """Every violation of the rule in a plan: a solver's or a hand-edited one (a member
        that is no input company is the accounting's violation, not the rule's)."""
        return [
            Violation(rule=self.kind, group_id=group.group_id, message=message)
            for group in grouping.groups
            for message in self.group_violations(
                problem,
                group.theme,
                [problem.by_id[cid] for cid in group.members if cid in problem.by_id],
            )
        ]

    def encode(self, ctx: ModelContext) -> None:
        """Add the rule's constraints and objective terms to the CP-SAT model."""


@dataclass(frozen=True)
class RuleSet:
    """The rules in force bound to one problem: each question a search asks, answered by
    every rule together."""

    problem: Problem
    rules: tuple[Rule, ...]

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    def eligible(self, company: Company, theme: str) -> bool:
        return all(rule.eligible(self.problem, company, theme) for rule in self.rules)

    def compatible(self, a: Company, b: Company) -> bool:
        return all(rule.compatible(self.problem, a, b) for rule in self.rules)

    def admits(self, theme: str, members: list[Company]) -> bool:
        return all(rule.admits(self.problem, theme, members) for rule in self.rules)

    def fewest_members(self) -> int:
        return max((rule.fewest_members() for rule in self.rules), default=1)

    def violations(self, theme: str, members: list[Company]) -> list[str]:
        return [
            message
            for rule in self.rules
            for message in rule.group_violations(self.problem, theme, members)
        ]

    def valid(self, theme: str, members: list[Company]) -> bool:
        return not any(rule.group_violations(self.problem, theme, members) for rule in self.rules)


REGISTRY: dict[str, type[Rule]] = {}


def register(rule: type[Rule]) -> type[Rule]:
    """Class decorator: make a rule available to scenarios under its `kind`."""
    if rule.kind in REGISTRY:
        raise ValueError(f"two rules registered as {rule.kind!r}")
    REGISTRY[rule.kind] = rule
    return rule


class FacilitatorIndex:
    """The programme's facilitators by position, with who holds each value of a field worked
    out once per staffing: a rule's verdict on one group over thousands of facilitators is
    then a few array operations, not a Python test per facilitator."""

    def __init__(self, facilitators: tuple[Facilitator, ...]) -> None:
        self.facilitators = facilitators
        self.position = {f.facilitator_id: i for i, f in enumerate(facilitators)}
        self.everyone = np.ones(len(facilitators), dtype=bool)
        self._holders: dict[str, dict[str, np.ndarray]] = {}
        self._numbers: dict[str, np.ndarray] = {}

    def having(self, field: str, values: Iterable[str]) -> np.ndarray:
        """Facilitators whose `field` (a tuple of codes) holds any of `values`."""
        holders = self._holders.get(field)
        if holders is None:
            found: dict[str, list[int]] = {}
            for i, facilitator in enumerate(self.facilitators):
                for value in getattr(facilitator, field):
                    found.setdefault(value, []).append(i)
            holders = self._holders[field] = {v: np.array(p) for v, p in found.items()}
        mask = np.zeros(len(self.facilitators), dtype=bool)
        for value in values:
            positions = holders.get(value)
            if positions is not None:
                mask[positions] = True
        return mask

    def lacking(self, field: str) -> np.ndarray:
        """Facilitators whose `field` (a tuple of codes) is empty."""
        return self.numbers(field, len) == 0

    def numbers(self, field: str, of: Callable[[Any], int] = int) -> np.ndarray:
        """Each facilitator's `field` as a number (`of` it: its length, say)."""
        key = f"{field} {of.__name__}"
        if key not in self._numbers:
            self._numbers[key] = np.array([of(getattr(f, field)) for f in self.facilitators])
        return self._numbers[key]


class FacilitationRule(Rule):
    """A rule on who facilitates a group, applied after the groups are formed.

    The assignment (`solver.facilitation`) is a min-cost flow, so a rule speaks in its terms:
    `allows` for one group and one facilitator (an arc only where every rule allows it),
    `capacity` for how many groups a facilitator may run, `preference` for how much a pair
    is worth; `refusal` says in words why no facilitator suits a group.
    """

    stage: ClassVar[str] = "facilitation"

    def acts_on(self, problem: Problem) -> bool:
        return bool(problem.facilitators)

    def allows(self, problem: Problem, members: list[Company], facilitator: Facilitator) -> bool:
        return True

    def allowed_among(
        self, problem: Problem, members: list[Company], facilitators: list[Facilitator]
    ) -> list[Facilitator]:
        """The facilitators `allows` accepts for the group; rules override it to work out
        the group's facts once rather than once per facilitator."""
        return [f for f in facilitators if self.allows(problem, members, f)]

    def allowed_mask(
        self, problem: Problem, members: list[Company], index: FacilitatorIndex
    ) -> np.ndarray | None:
        """`allows` for the group and every facilitator of `index` at once (a boolean array
        by position), for a large programme's staffing; None when the rule has no such
        shortcut (then `allowed_among` decides). A rule that overrides neither allows all."""
        plain = type(self).allows is FacilitationRule.allows
        if plain and type(self).allowed_among is FacilitationRule.allowed_among:
            return index.everyone
        return None

    def refusal(self, problem: Problem, members: list[Company]) -> str:
        """Why no facilitator suits a group, when this rule is the one that rules them out."""
        return ""

    def check(self, problem: Problem, grouping: Grouping) -> list[Violation]:
        crews = [
            [problem.by_id[cid] for cid in group.members if cid in problem.by_id]
            for group in grouping.groups
        ]
        return self.staffing_violations(problem, grouping.groups, crews)

    def staffing_violations(
        self, problem: Problem, groups: Sequence[Group], crews: list[list[Company]]
    ) -> list[Violation]:
        """`check` with each group's members (`crews`, the known ones) looked up already."""
        return staffing_violations(problem, groups, crews, [self])[0]

    def capacity(self, problem: Problem, facilitator: Facilitator) -> int | None:
        """The most groups the rule lets the facilitator run (None: no limit)."""
        return None

    def preference(
        self, problem: Problem, theme: str, members: list[Company], facilitator: Facilitator
    ) -> int:
        """How much the rule prefers this facilitator for this group (0: indifferent)."""
        return 0

    def preferences(
        self, problem: Problem, theme: str, members: list[Company], index: FacilitatorIndex
    ) -> np.ndarray | None:
        """`preference` for the group and every facilitator of `index` at once (an integer
        array by position); None when the rule has no such shortcut."""
        return None


def staffing_violations(
    problem: Problem,
    groups: Sequence[Group],
    crews: list[list[Company]],
    rules: Sequence[FacilitationRule],
) -> list[list[Violation]]:
    """Each rule's `staffing_violations` (a group whose facilitator its `allows` refuses), in
    one pass over the groups: each group's facilitator is looked up once, not once a rule."""
    by_id = problem.facilitator_by_id
    found: list[list[Violation]] = [[] for _ in rules]
    judging = [
        (violations, rule)
        for violations, rule in zip(found, rules, strict=True)
        if type(rule).allows is not FacilitationRule.allows  # not one that allows everyone
    ]
    for group, members in zip(groups, crews, strict=True):
        facilitator = by_id.get(group.facilitator_id or "")
        if facilitator is None:
            continue
        for violations, rule in judging:
            if not rule.allows(problem, members, facilitator):
                message = f"{facilitator.facilitator_id} may not facilitate it: {rule.summary}"
                violations.append(
                    Violation(rule=rule.kind, group_id=group.group_id, message=message)
                )
    return found
