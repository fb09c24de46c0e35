"""Group size: every group holds between `min_size` and `max_size` companies.

min_size · active_s  ≤  Σ_c x_{c,s}  ≤  max_size · active_s        for every slot s
"""

from pydantic import Field, model_validator

from peergroups.model import Company, Problem
from solver.context import ModelContext
from solver.rules.base import Relaxation, Rule, register


@register
class GroupSize(Rule):
    kind = "group_size"
    default_position = 50
    relaxation = Relaxation("min_size", tuple(range(2, 16)), -1)
    shortcuts = {"min-size": "min_size", "max-size": "max_size"}
    label = {"en": "Group size", "fi": "Ryhmän koko"}
    parameter_labels = {
        "min_size": {"en": "smallest group", "fi": "pienin ryhmä"},
        "max_size": {"en": "largest group", "fi": "suurin ryhmä"},
    }
    summary = "Each group has between min_size and max_size members (programme: 5-15)."

    min_size: int = Field(default=5, ge=2)
    """Fewest members a group may have."""
    max_size: int = Field(default=15, ge=2)
    """Most members a group may have."""

    @model_validator(mode="after")
    def _ordered(self) -> "GroupSize":
        if self.min_size > self.max_size:
            raise ValueError(f"min_size {self.min_size} exceeds max_size {self.max_size}")
        return self

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        if len(members) < self.min_size:
            return [f"{len(members)} members, fewer than the minimum {self.min_size}"]
        if len(members) > self.max_size:
            return [f"{len(members)} members, more than the maximum {self.max_size}"]
        return []

    def admits(self, problem: Problem, theme: str, members: list[Company]) -> bool:
        return len(members) <= self.max_size

    def encode(self, ctx: ModelContext) -> None:
        for slot in ctx.slots:
            size = sum(slot.x.values())
            ctx.model.add(size >= self.min_size * slot.active)
            ctx.model.add(size <= self.max_size * slot.active)
