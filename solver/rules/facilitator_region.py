"""Facilitator region: an in-person group gets a facilitator who works in its region; a
facilitator with no regions listed travels anywhere. Hybrid and virtual groups take anyone.

    y_{g,f} exists only if mode(g) ≠ in_person or regions(f) = ∅ or region(g) ∈ regions(f)
"""

import numpy as np

from peergroups.model import Company, Facilitator, Mode, Problem
from peergroups.regions import region_name
from solver.rules.base import FacilitationRule, FacilitatorIndex, register


def _meeting_region(members: list[Company]) -> str | None:
    """The region an in-person group meets in (None when it does not meet in person): a
    group meets in person when a member does (`meeting_mode`), in the first such member's
    region."""
    return next((c.region for c in members if c.mode == Mode.IN_PERSON and c.region), None)


@register
class FacilitatorRegion(FacilitationRule):
    kind = "facilitator_region"
    default_position = 140
    label = {
        "en": "In-person groups get a facilitator of their region",
        "fi": "Lähiryhmän fasilitaattori toimii sen maakunnassa",
    }
    summary = "In-person groups get a facilitator of their region, or one who travels."

    def allows(self, problem: Problem, members: list[Company], facilitator: Facilitator) -> bool:
        if not facilitator.regions:  # travels anywhere
            return True
        region = _meeting_region(members)
        return region is None or region in facilitator.regions

    def allowed_among(
        self, problem: Problem, members: list[Company], facilitators: list[Facilitator]
    ) -> list[Facilitator]:
        region = _meeting_region(members)
        return [f for f in facilitators if region is None or not f.regions or region in f.regions]

    def allowed_mask(
        self, problem: Problem, members: list[Company], index: FacilitatorIndex
    ) -> np.ndarray:
        region = _meeting_region(members)
        if region is None:
            return index.everyone
        return index.having("regions", [region]) | index.lacking("regions")

    def refusal(self, problem: Problem, members: list[Company]) -> str:
        region = _meeting_region(members)
        return f"no facilitator works in person in {region_name(region or '')}"
