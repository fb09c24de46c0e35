"""Facilitator language: the facilitator speaks a language every member of the group speaks.

y_{g,f} exists only if languages(f) ∩ common_languages(g) ≠ ∅
"""

import numpy as np

from peergroups.model import Company, Facilitator, Problem, common_languages
from solver.rules.base import FacilitationRule, FacilitatorIndex, register


@register
class FacilitatorLanguage(FacilitationRule):
    kind = "facilitator_language"
    default_position = 130
    label = {
        "en": "The facilitator speaks the group's language",
        "fi": "Fasilitaattori puhuu ryhmän kieltä",
    }
    summary = "The facilitator speaks a language all members share."

    def allows(self, problem: Problem, members: list[Company], facilitator: Facilitator) -> bool:
        return bool(members) and any(
            all(code in c.languages for c in members) for code in facilitator.languages
        )

    def allowed_among(
        self, problem: Problem, members: list[Company], facilitators: list[Facilitator]
    ) -> list[Facilitator]:
        shared = set(common_languages(members))
        return [f for f in facilitators if not shared.isdisjoint(f.languages)]

    def allowed_mask(
        self, problem: Problem, members: list[Company], index: FacilitatorIndex
    ) -> np.ndarray:
        return index.having("languages", common_languages(members))

    def refusal(self, problem: Problem, members: list[Company]) -> str:
        return f"no facilitator speaks {' or '.join(common_languages(members)) or 'its language'}"
