"""Group size: every group holds between `min_size` and `max_size` companies, or between the
bounds its meeting format and theme set.

A group's format is its meeting mode (`peergroups.model.meeting_mode`: in person when a member
meets in person, virtual when all meet online, hybrid otherwise). `by_mode` and `by_theme` may
replace either bound for groups of a format or a theme; where both give a bound, the tighter
one holds. With [lo_{m,t}, hi_{m,t}] the bounds of mode m and theme t, and μ_{m,s} "slot s
meets in mode m":

min_size · active_s  ≤  Σ_c x_{c,s}  ≤  max_size · active_s            (no by_mode, by_theme)
lo_{m,t_s} ≤ Σ_c x_{c,s} ≤ hi_{m,t_s}   if μ_{m,s};    Σ_c x_{c,s} = 0 if not active_s
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from peergroups.model import Company, Mode, Problem, meeting_mode
from peergroups.parse import parse_themes
from solver.context import ModelContext
from solver.rules.base import Relaxation, Rule, register


class SizeBounds(BaseModel):
    """The bounds that replace the rule's own for a format or a theme (either may be left out)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_size: int | None = Field(default=None, ge=2)
    max_size: int | None = Field(default=None, ge=2)


REACHABLE = {
    Mode.IN_PERSON: (Mode.IN_PERSON,),
    Mode.HYBRID: (Mode.HYBRID, Mode.IN_PERSON),
    Mode.VIRTUAL: (Mode.VIRTUAL, Mode.HYBRID, Mode.IN_PERSON),
}
"""The formats a group of a format may still turn into as members join."""


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
        "by_mode": {"en": "sizes by meeting format", "fi": "koot tapaamismuodon mukaan"},
        "by_theme": {"en": "sizes by theme", "fi": "koot teeman mukaan"},
    }
    summary = "Each group has between min_size and max_size members (programme: 5-15)."

    min_size: int = Field(default=5, ge=2)
    """Fewest members a group may have."""
    max_size: int = Field(default=15, ge=2)
    """Most members a group may have."""
    by_mode: dict[Mode, SizeBounds] = {}
    """Bounds for groups of a meeting format: { in_person = { max_size = 10 } }."""
    by_theme: dict[str, SizeBounds] = {}
    """Bounds for groups of a theme: { cybersecurity = { max_size = 8 } }."""

    @field_validator("by_theme", mode="before")
    @classmethod
    def _known_themes(cls, value: Any) -> Any:
        """Theme codes (or names) as codes: a typo is an error, never a bound that silently
        applies to no group."""
        if isinstance(value, dict):
            return {parse_themes((str(key),))[0]: bounds for key, bounds in value.items()}
        return value

    @model_validator(mode="after")
    def _ordered(self) -> "GroupSize":
        if self.min_size > self.max_size:
            raise ValueError(f"min_size {self.min_size} exceeds max_size {self.max_size}")
        for mode in Mode:
            for theme in (*self.by_theme, None):
                low, high = self.bounds(mode, theme)
                if low > high:
                    where = f"{mode.value} groups" + (f" of {theme}" if theme else "")
                    raise ValueError(f"{where} would need {low} to {high} members")
        return self

    def bounds(self, mode: Mode | str | None, theme: str | None) -> tuple[int, int]:
        """(fewest, most) members of a group of this format and theme."""
        given = [
            bounds
            for bounds in (self.by_mode.get(Mode(mode)) if mode else None, self.by_theme.get(theme))
            if bounds is not None
        ]
        lows = [b.min_size for b in given if b.min_size is not None]
        highs = [b.max_size for b in given if b.max_size is not None]
        return (max(lows) if lows else self.min_size, min(highs) if highs else self.max_size)

    def relaxed(self, value: float) -> dict[str, Any]:
        """Lowering the smallest group to `value` lowers every format's and theme's minimum
        above it too: an explanation's relaxation holds for every group."""

        def lowered(bounds: dict) -> dict:
            return {
                key: b.model_copy(
                    update={"min_size": None if b.min_size is None else min(b.min_size, value)}
                )
                for key, b in bounds.items()
            }

        return {
            "min_size": int(value),
            "by_mode": lowered(self.by_mode),
            "by_theme": lowered(self.by_theme),
        }

    @property
    def smallest(self) -> int:
        """The fewest members any group may have, whatever its format and theme."""
        return min(self.bounds(mode, theme)[0] for mode in Mode for theme in (*self.by_theme, None))

    def fewest_members(self) -> int:
        return self.smallest

    def _where(self, mode: Mode, theme: str) -> str:
        parts = [f"{mode.value} groups"] if mode in self.by_mode else []
        parts += [f"theme {theme}"] if theme in self.by_theme else []
        return f" for {' of '.join(parts)}" if parts else ""

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        varies = self.by_mode or self.by_theme  # the checks run by the million: keep it cheap
        mode = meeting_mode(members) if varies else Mode.HYBRID
        low, high = self.bounds(mode, theme) if varies else (self.min_size, self.max_size)
        if len(members) < low:
            return [
                f"{len(members)} members, fewer than the minimum {low}{self._where(mode, theme)}"
            ]
        if len(members) > high:
            return [
                f"{len(members)} members, more than the maximum {high}{self._where(mode, theme)}"
            ]
        return []

    def admits(self, problem: Problem, theme: str, members: list[Company]) -> bool:
        """Within the largest maximum of any format the group can still turn into."""
        if not self.by_mode and not self.by_theme:
            return len(members) <= self.max_size
        modes = REACHABLE[meeting_mode(members)] if members else tuple(Mode)
        return len(members) <= max(self.bounds(mode, theme)[1] for mode in modes)

    def encode(self, ctx: ModelContext) -> None:
        for slot in ctx.slots:
            size = sum(slot.x.values())
            if not self.by_mode:
                low, high = self.bounds(None, slot.theme)
                ctx.model.add(size >= low * slot.active)
                ctx.model.add(size <= high * slot.active)
                continue
            members = slot.candidates(ctx.problem)
            in_person = _any(ctx, slot, [c for c in members if c.mode == Mode.IN_PERSON])
            not_virtual = _any(ctx, slot, [c for c in members if c.mode != Mode.VIRTUAL])
            ctx.model.add(size <= max(self.bounds(m, slot.theme)[1] for m in Mode) * slot.active)
            for mode, condition in (
                (Mode.IN_PERSON, [in_person]),
                (Mode.HYBRID, [not_virtual, ~in_person]),
                (Mode.VIRTUAL, [slot.active, ~not_virtual]),
            ):
                low, high = self.bounds(mode, slot.theme)
                ctx.model.add(size >= low).only_enforce_if(condition)
                ctx.model.add(size <= high).only_enforce_if(condition)


def _any(ctx: ModelContext, slot, companies: list[Company]):
    """A literal true exactly when one of the companies sits in the slot."""
    literal = ctx.model.new_bool_var(f"any:{slot.index}:{len(companies)}")
    seats = [slot.x[c.company_id] for c in companies]
    for seat in seats:
        ctx.model.add_implication(seat, literal)
    ctx.model.add_bool_or([~literal, *seats])
    return literal
