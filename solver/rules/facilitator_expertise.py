"""Facilitator expertise: prefer a facilitator whose themes include the group's theme.

A preference, not a constraint: after staffing as many groups as possible, maximise

    Σ_{g,f : theme(g) ∈ themes(f)} y_{g,f}
"""

import numpy as np

from peergroups.model import Company, Facilitator, Problem
from solver.rules.base import FacilitationRule, FacilitatorIndex, register


@register
class FacilitatorExpertise(FacilitationRule):
    kind = "facilitator_expertise"
    default_position = 160
    label = {
        "en": "Facilitators with expertise in the theme preferred",
        "fi": "Teeman osaava fasilitaattori etusijalla",
    }
    summary = "Prefer facilitators with expertise in the group's theme."

    def is_preference(self) -> bool:
        return True

    def preference(
        self, problem: Problem, theme: str, members: list[Company], facilitator: Facilitator
    ) -> int:
        return int(theme in facilitator.themes)

    def preferences(
        self, problem: Problem, theme: str, members: list[Company], index: FacilitatorIndex
    ) -> np.ndarray:
        return index.having("themes", [theme]).astype(np.int64)
