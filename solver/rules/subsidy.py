"""Subsidised seats: with a budget set, placing the companies that ask for a subsidised seat
comes before the goal ranks.

Public funding lowers the threshold for the companies that gain most. Among the placed
companies that asked, the seats go greatest need first (`peergroups.programme.grant_seats`),
never more than the budget. Since the first level of the objective already places as many
companies as possible, preferring requesters is minimising the placed companies that did not
ask, with R the requesters and x_{c,s} "company c sits in slot s":

    cost = Σ_s Σ_{c ∉ R} x_{c,s}        (level `priority` 0.8, before goal ranks at 1)
"""

import math

from pydantic import Field, model_validator

from peergroups.model import Company, Problem
from solver.context import ModelContext
from solver.rules.base import Rule, register


@register
class Subsidy(Rule):
    kind = "subsidy"
    summary = (
        "With a budget of subsidised seats, companies that ask for one are placed first; the "
        "seats go to the greatest need (lowest maturity, fewest employees, first-timers)."
    )
    term = "unsubsidised_placed"
    priority = 0.8
    label = {"en": "Subsidised seats", "fi": "Tuetut paikat"}
    parameter_labels = {
        "subsidised_seats": {"en": "subsidised seats", "fi": "tuettuja paikkoja"},
        "budget_eur": {"en": "subsidy budget (€)", "fi": "tukibudjetti (€)"},
        "seat_price_eur": {"en": "price of a seat (€)", "fi": "paikan hinta (€)"},
    }

    subsidised_seats: int | None = Field(default=None, ge=0)
    """How many subsidised seats the budget pays for (or give budget_eur and seat_price_eur)."""
    budget_eur: float | None = Field(default=None, ge=0)
    """The subsidy budget in euros; with seat_price_eur it sets the number of seats."""
    seat_price_eur: float | None = Field(default=None, gt=0)
    """The subsidy one seat takes, in euros."""

    @model_validator(mode="after")
    def _one_budget(self) -> "Subsidy":
        if self.subsidised_seats is not None and self.budget_eur is not None:
            raise ValueError("give subsidised_seats or budget_eur, not both")
        if (self.budget_eur is None) != (self.seat_price_eur is None):
            raise ValueError("budget_eur and seat_price_eur go together")
        return self

    @property
    def seats(self) -> int:
        """The budget in seats (no budget given: none)."""
        if self.subsidised_seats is not None:
            return self.subsidised_seats
        if self.budget_eur is not None and self.seat_price_eur:
            return math.floor(self.budget_eur / self.seat_price_eur + 1e-9)
        return 0

    def group_cost(self, problem: Problem, theme: str, members: list[Company]) -> int:
        return sum(1 for c in members if not c.subsidy)

    def cost_upper(self, problem: Problem) -> int:
        if self.seats == 0 or not any(c.subsidy for c in problem.companies):
            return 0  # nobody to prefer: no level
        return sum(1 for c in problem.companies if not c.subsidy)

    def encode(self, ctx: ModelContext) -> None:
        ctx.add_cost(
            self,
            sum(
                var
                for slot in ctx.slots
                for cid, var in slot.x.items()
                if not ctx.problem.by_id[cid].subsidy
            ),
        )
