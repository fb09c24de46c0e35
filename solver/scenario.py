"""A scenario: the rules in force with their parameters, and the solver settings.

The programme default is every rule that has a `default_position`, at its defaults, in that
order (`DEFAULT_ORDER`). A scenario file (TOML) changes parameters of those rules, switches
some off (`enforce = "off"`), or adds registered variants; a rule it does not list keeps its
defaults, so a typo never switches a rule off silently. Command-line flags override the file.

    [solver]
    time_limit = 60

    [[rules]]
    kind = "group_size"
    min_size = 8
    max_size = 12
"""

import json
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    SerializeAsAny,
    ValidationError,
    model_validator,
)
from pydantic.fields import FieldInfo

from peergroups.model import Problem
from solver.rules import REGISTRY, Rule, RuleSet
from solver.rules.group_size import GroupSize
from solver.space import SearchSpace

DEFAULT_ORDER = tuple(
    sorted(
        (kind for kind, rule in REGISTRY.items() if rule.default_position is not None),
        key=lambda kind: REGISTRY[kind].default_position or 0,
    )
)
"""Also the order in which reasons name the rules that ruled a company (or a facilitator) out."""


class Shortcut(NamedTuple):
    """A command-line option that sets one rule parameter (a rule's `shortcuts`)."""

    option: str
    kind: str
    parameter: str
    field: FieldInfo


def shortcuts() -> list[Shortcut]:
    """Every rule's command-line shortcuts: default rules in their order, then variants."""
    kinds = [*DEFAULT_ORDER, *sorted(set(REGISTRY) - set(DEFAULT_ORDER))]
    return [
        Shortcut(option, kind, parameter, REGISTRY[kind].model_fields[parameter])
        for kind in kinds
        for option, parameter in REGISTRY[kind].shortcuts.items()
    ]


def _rule(value: Any) -> Any:
    """A dict with a `kind` becomes that registered rule's spec."""
    if isinstance(value, dict):
        params = dict(value)
        kind = params.pop("kind", None)
        if kind not in REGISTRY:
            known = ", ".join(sorted(REGISTRY))
            raise ValueError(f"unknown rule kind {kind!r} (known: {known})")
        return REGISTRY[kind].model_validate(params)
    return value


DEFAULT_WORKERS = 2
"""What the default was on the 2-core machines the project's plans were made on."""
MAX_WORKERS = 64
"""More threads than this CP-SAT refuses (MODEL_INVALID) or cannot use."""


class SolverSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    time_limit: float = Field(default=60.0, gt=0)
    seed: int = Field(default=0, ge=0)
    workers: int = Field(default=DEFAULT_WORKERS, ge=1, le=MAX_WORKERS)
    """CP-SAT's threads. Part of the plan's recipe: CP-SAT's deterministic search depends on
    the count, so another value can give another plan; the default is fixed, not the
    machine's, so one command and seed give one plan on every machine."""
    strategy: Literal["auto", "cpsat", "lns"] = "auto"
    """cpsat: one model of the whole problem; lns: neighbourhood search; auto: by size."""
    max_companies: int = Field(default=100_000, ge=1)
    """Larger inputs are refused before any work: the largest size measured to end within
    its time limit and memory (the `huge` bench suite, docs/benchmarking.md)."""
    processes: int = Field(default=2, ge=1, le=MAX_WORKERS)
    """Worker processes that search pieces of a large problem side by side. Not part of the
    plan's recipe: each piece has its own work budget, so any count gives the same plan."""
    engine: Literal["local", "ray"] = "local"
    """Where the pieces of a large problem are searched: local worker processes, or the Ray
    cluster `ray.init()` joins (RAY_ADDRESS; the `ray` extra). Not part of the plan's recipe:
    the cluster gives the plan the local processes give."""
    piece_companies: int = Field(default=20_000, ge=2)
    """Parts with more placeable companies are cut into pieces of at most this many
    (`solver.decompose.pieces`), searched apart and then across their seams. Cutting costs
    places: at 10,000 companies on 2 cores (60 s), pieces of 2,500 placed 9,947 where one
    search placed 9,992 in the same time (docs/benchmarking.md), so only larger parts are cut."""


class Scenario(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: tuple[Annotated[SerializeAsAny[Rule], BeforeValidator(_rule)], ...]
    solver: SolverSettings = SolverSettings()
    priorities: dict[str, float] = {}
    """A rule's lexicographic rank when the scenario moves it (`priority = 1.2` in its
    [[rules]] entry): lower ranks first, placing companies always before every rule."""

    @model_validator(mode="after")
    def _valid_priorities(self) -> "Scenario":
        for kind, rank in self.priorities.items():
            rule = next((r for r in self.rules if r.kind == kind), None)
            if rule is None or rule.term is None:
                raise ValueError(f"rules[{kind}].priority: {kind} adds no objective term to rank")
            if not rank > 0:
                raise ValueError(f"rules[{kind}].priority: must be above 0, not {rank:g}")
        return self

    def priority(self, rule: Rule) -> float:
        """The rule's lexicographic rank in this scenario."""
        return self.priorities.get(rule.kind, rule.priority)

    @classmethod
    def default(cls) -> "Scenario":
        return cls(rules=tuple(REGISTRY[kind]() for kind in DEFAULT_ORDER))

    @property
    def active_rules(self) -> list[Rule]:
        return [rule for rule in self.rules if rule.enforce != "off"]

    @property
    def grouping_rules(self) -> list[Rule]:
        """The active rules that shape groups (the others staff them)."""
        return [rule for rule in self.active_rules if rule.stage == "grouping"]

    @property
    def facilitation_rules(self) -> list[Rule]:
        return [rule for rule in self.active_rules if rule.stage == "facilitation"]

    def rule(self, kind: str) -> Rule | None:
        """The active rule of this kind, if any."""
        return next((r for r in self.active_rules if r.kind == kind), None)

    def with_rule(self, kind: str, **params: Any) -> "Scenario":
        """A copy with parameters of one rule changed, or the rule added with them when the
        scenario lacks it (validated like a scenario file; ValueError in plain words)."""
        try:
            if not any(r.kind == kind for r in self.rules):
                added = _rule({"kind": kind, **params})
                return self.model_copy(update={"rules": (*self.rules, added)})
            rules = tuple(
                _rule({"kind": r.kind, **r.model_dump(), **params}) if r.kind == kind else r
                for r in self.rules
            )
        except ValidationError as error:
            raise ValueError(_plain(error)) from None
        return self.model_copy(update={"rules": rules})

    def with_solver(self, **settings: Any) -> "Scenario":
        """A copy with solver settings changed (ValueError in plain words)."""
        try:
            merged = SolverSettings.model_validate(self.solver.model_dump() | settings)
        except ValidationError as error:
            raise ValueError(_plain(error)) from None
        return self.model_copy(update={"solver": merged})

    @property
    def min_size(self) -> int:
        size = self.rule("group_size")
        return size.smallest if isinstance(size, GroupSize) else 1

    @property
    def maturity_window(self) -> float | None:
        """The narrowest maturity window any active rule imposes (None: unlimited)."""
        windows = [r.maturity_window() for r in self.active_rules]
        return min((window for window in windows if window is not None), default=None)

    def search_space(self, problem: Problem) -> SearchSpace:
        """Where groups may form under the scenario: each company in the themes of its goals
        that every rule lets it join, before any check of who can actually be placed."""
        rules = RuleSet(problem, tuple(self.grouping_rules))
        themes_of = {
            c.company_id: tuple(t for t in c.goals if rules.eligible(c, t))
            for c in problem.companies
        }
        return SearchSpace(rules, themes_of, self.min_size, self.maturity_window)

    def _entry(self, rule: Rule) -> dict[str, Any]:
        moved = {"priority": self.priorities[rule.kind]} if rule.kind in self.priorities else {}
        return {"kind": rule.kind, **rule.model_dump(), **moved}

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": [self._entry(r) for r in self.rules],
            "solver": self.solver.model_dump(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Scenario":
        """From a scenario's dict (its `to_dict`, or a parsed TOML file): listed rules
        replace the defaults of their kind, unlisted default rules stay in force."""
        rules = [dict(entry) for entry in _merged_rules(data)]
        priorities = dict(data.get("priorities", {}))
        for entry in rules:
            if "priority" in entry:
                priorities[entry.get("kind")] = entry.pop("priority")
        return cls.model_validate({**data, "rules": rules, "priorities": priorities})

    @classmethod
    def load(cls, path: Path) -> "Scenario":
        """A scenario file; ValueError naming the file and the offending setting."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            raise ValueError(f"{path}: {error}") from None
        try:
            return cls.from_dict(data)
        except ValidationError as error:
            kinds = [entry.get("kind") for entry in _merged_rules(data)]
            raise ValueError(f"{path}: {_plain(error, kinds)}") from None

    def to_toml(self) -> str:
        """The scenario as a TOML file that `load` reads back to an equal scenario."""
        lines = ["[solver]", *_toml_pairs(self.solver.model_dump())]
        for rule in self.rules:
            lines += ["", "[[rules]]", *_toml_pairs(self._entry(rule))]
        return "\n".join(lines) + "\n"

    def labels(self, problem: Problem | None = None) -> dict[str, Any]:
        """What the report shows of the scenario's rules: their names and their parameters'
        by language (each parameter with its rule), whether each is a preference and, given
        the problem, whether it acts on it at all. summary.json carries this, so a plan is
        reported without the solver."""
        return {
            "rules": {
                rule.kind: dict(rule.label)
                | {"preference": rule.is_preference()}
                | ({} if problem is None else {"acts": rule.acts_on(problem)})
                for rule in self.rules
            },
            "parameters": {
                name: {"rule": rule.kind, **words}
                for rule in self.rules
                for name, words in rule.parameter_labels.items()
            },
        }

    def effective_rules(self) -> dict[str, Any]:
        """Every active rule's parameters in one mapping, as summary.json reports them."""
        params: dict[str, Any] = {"in_force": [r.kind for r in self.active_rules]}
        for rule in self.active_rules:
            params |= rule.model_dump(exclude={"enforce"})
        return params


def _toml_pairs(values: dict[str, Any]) -> list[str]:
    """`key = value` lines (JSON's quoting is valid TOML for these strings)."""
    return [f"{key} = {_toml_value(value)}" for key, value in values.items() if value is not None]


def _toml_value(value: Any) -> str:
    """A scalar, a list, or an inline table (group size by_mode) in TOML."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict):
        pairs = ", ".join(
            f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items() if v is not None
        )
        return "{ " + pairs + " }" if pairs else "{}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value)


def _merged_rules(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The default rules with the listed ones in their place, then listed extra kinds."""
    listed = {entry.get("kind"): entry for entry in data.get("rules", [])}
    return [listed.pop(kind, {"kind": kind}) for kind in DEFAULT_ORDER] + list(listed.values())


def _plain(error: ValidationError, kinds: list[str | None] = ()) -> str:
    """Validation errors as 'rules[kind].field: message' (or the message alone where no
    field is to blame), without pydantic's jargon."""
    messages = []
    for problem in error.errors():
        where = [str(part) for part in problem["loc"]]
        if where[:1] == ["rules"] and len(where) > 1 and where[1].isdigit():
            where = [f"rules[{kinds[int(where[1])]}]", *where[2:]]
        message = problem["msg"].removeprefix("Value error, ")
        messages.append(f"{'.'.join(where)}: {message}" if where else message)
    return "; ".join(messages)
