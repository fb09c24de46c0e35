"""Facilitator impartiality: a facilitator never runs a group holding a company listed in
their `conflicts` (consulting, ownership or family ties). Always hard.

    y_{g,f} exists only if members(g) ∩ conflicts(f) = ∅
"""

from typing import Literal

import numpy as np

from peergroups.model import Company, Facilitator, Problem
from solver.rules.base import FacilitationRule, FacilitatorIndex, register


@register
class FacilitatorImpartiality(FacilitationRule):
    kind = "facilitator_impartiality"
    default_position = 150
    label = {
        "en": "No facilitator runs a group with a conflict of interest",
        "fi": "Fasilitaattori ei vedä ryhmää, jossa hän on esteellinen",
    }
    summary = "A facilitator never runs a group with a company they have a conflict with."

    enforce: Literal["hard"] = "hard"
    """The programme's confidentiality rests on it: it cannot be switched off."""

    def allows(self, problem: Problem, members: list[Company], facilitator: Facilitator) -> bool:
        conflicts = facilitator.conflicts
        return not conflicts or all(c.company_id not in conflicts for c in members)

    def allowed_among(
        self, problem: Problem, members: list[Company], facilitators: list[Facilitator]
    ) -> list[Facilitator]:
        ids = {c.company_id for c in members}
        return [f for f in facilitators if ids.isdisjoint(f.conflicts)]

    def allowed_mask(
        self, problem: Problem, members: list[Company], index: FacilitatorIndex
    ) -> np.ndarray:
        return ~index.having("conflicts", [c.company_id for c in members])

    def refusal(self, problem: Problem, members: list[Company]) -> str:
        return "every facilitator who could run it has a conflict of interest with a member"
