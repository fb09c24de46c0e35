"""Group size: every group holds between `min_size` and `max_size` companies.

min_size · active_s  ≤  Σ_c x_{c,s}  ≤  max_size · active_s        for every slot s
"""

from pydantic import Field, model_validator

from peergroups.model import Company, Problem
from solver.context import ModelContext
from solver.rules.base import Rule, register


@register
class GroupSize(Rule):
    kind = "group_size"
    summary = "Each group has between min_size and max_size members (programme: 5-15)."

    min_size: int = Field(default=5, ge=2)
    max_size: int = Field(default=15, ge=2)

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
