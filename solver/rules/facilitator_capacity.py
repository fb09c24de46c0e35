"""Facilitator capacity: a facilitator runs at most `capacity` groups, a group has at most one
facilitator (the second is structural in the assignment flow of `solver.facilitation`).

With y_{g,f} the flow on the arc group g -> facilitator f:

    Σ_g y_{g,f} <= capacity_f        for every facilitator f
"""

from collections import Counter

import numpy as np

from peergroups.model import Company, Facilitator, Grouping, Problem
from solver.rules.base import FacilitationRule, FacilitatorIndex, Violation, register


@register
class FacilitatorCapacity(FacilitationRule):
    kind = "facilitator_capacity"
    default_position = 120
    label = {
        "en": "A facilitator runs at most their capacity of groups",
        "fi": "Fasilitaattorilla enintään kapasiteettinsa verran ryhmiä",
    }
    summary = "A facilitator runs at most as many groups as their capacity."

    def allows(self, problem: Problem, members: list[Company], facilitator: Facilitator) -> bool:
        return facilitator.capacity > 0

    def allowed_among(
        self, problem: Problem, members: list[Company], facilitators: list[Facilitator]
    ) -> list[Facilitator]:
        return [f for f in facilitators if f.capacity > 0]

    def allowed_mask(
        self, problem: Problem, members: list[Company], index: FacilitatorIndex
    ) -> np.ndarray:
        return index.numbers("capacity") > 0

    def refusal(self, problem: Problem, members: list[Company]) -> str:
        return "no facilitator has capacity for another group"

    def check(self, problem: Problem, grouping: Grouping) -> list[Violation]:
        load = Counter(g.facilitator_id for g in grouping.groups if g.facilitator_id)
        capacity = {f.facilitator_id: f.capacity for f in problem.facilitators}
        return [
            Violation(
                rule=self.kind,
                group_id=None,
                message=f"{fid} runs {count} groups, more than their capacity "
                f"{capacity.get(fid, 0)}",
            )
            for fid, count in sorted(load.items())
            if count > capacity.get(fid, 0)
        ]

    def capacity(self, problem: Problem, facilitator: Facilitator) -> int | None:
        return facilitator.capacity
