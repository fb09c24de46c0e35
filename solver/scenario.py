"""A scenario: the rules in force with their parameters, and the solver settings.

The programme default is every registered rule at its defaults. Command-line flags and
scenario files (TOML) only change parameters of this list.
"""

import os
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SerializeAsAny

from solver.rules import REGISTRY, Rule
from solver.rules.group_size import GroupSize

DEFAULT_ORDER = (
    "shared_theme",
    "group_size",
    "maturity_spread",
    "role_tier",
    "common_language",
    "meeting_mode",
    "forbidden_pairs",
    "facilitator_capacity",
    "facilitator_language",
    "facilitator_region",
    "facilitator_impartiality",
    "facilitator_expertise",
)
"""Also the order in which reasons name the rules that ruled a company (or a facilitator) out."""


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


class SolverSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    time_limit: float = Field(default=60.0, gt=0)
    seed: int = Field(default=0, ge=0)
    workers: int = Field(default_factory=lambda: min(8, os.cpu_count() or 1), ge=1)
    strategy: Literal["auto", "cpsat", "lns"] = "auto"
    """cpsat: one model of the whole problem; lns: neighbourhood search; auto: by size."""


class Scenario(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rules: tuple[Annotated[SerializeAsAny[Rule], BeforeValidator(_rule)], ...]
    solver: SolverSettings = SolverSettings()

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
        """A copy with parameters of one rule changed (validated like a scenario file)."""
        rules = tuple(
            _rule({"kind": r.kind, **r.model_dump(), **params}) if r.kind == kind else r
            for r in self.rules
        )
        if not any(r.kind == kind for r in rules):
            raise ValueError(f"the scenario has no rule {kind!r}")
        return self.model_copy(update={"rules": rules})

    def with_solver(self, **settings: Any) -> "Scenario":
        merged = SolverSettings.model_validate(self.solver.model_dump() | settings)
        return self.model_copy(update={"solver": merged})

    @property
    def min_size(self) -> int:
        size = self.rule("group_size")
        return size.min_size if isinstance(size, GroupSize) else 1

    @property
    def maturity_window(self) -> float | None:
        """The smallest maturity reach any active rule imposes (None: unlimited)."""
        reaches = [r.maturity_reach() for r in self.active_rules]
        return min((reach for reach in reaches if reach is not None), default=None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rules": [{"kind": r.kind, **r.model_dump()} for r in self.rules],
            "solver": self.solver.model_dump(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Scenario":
        return cls.model_validate(data)

    def effective_rules(self) -> dict[str, Any]:
        """Every active rule's parameters in one mapping, as summary.json reports them."""
        params: dict[str, Any] = {"in_force": [r.kind for r in self.active_rules]}
        for rule in self.active_rules:
            params |= rule.model_dump(exclude={"enforce"})
        return params
