"""Similar headcount: the companies of a group differ in size by at most a factor.

A company of 8 people and one of 240 face different problems, so a programme may bound the
ratio of headcounts inside a group (companies without a headcount fit anywhere). With e_c a
company's employees and x_{c,s} "company c sits in slot s":

    not x_{a,s} or not x_{b,s}     for every pair with max(e_a, e_b) > ratio · min(e_a, e_b)
"""

from pydantic import Field

from peergroups.model import Company, Problem
from solver.context import ModelContext
from solver.rules.base import Relaxation, Rule, register


@register
class SimilarHeadcount(Rule):
    kind = "similar_headcount"
    summary = "Members' headcounts differ by at most a factor of max_headcount_ratio."
    default_position = 75
    relaxation = Relaxation("max_headcount_ratio", (2, 5, 10, 20, 50, 100, 200, 500, 1000), +1)
    shortcuts = {"max-headcount-ratio": "max_headcount_ratio"}
    label = {"en": "Companies of similar size", "fi": "Samankokoiset yritykset"}
    parameter_labels = {
        "max_headcount_ratio": {"en": "largest headcount ratio", "fi": "suurin kokosuhde"}
    }

    max_headcount_ratio: float = Field(default=100, ge=1)
    """Largest ratio of two members' headcounts."""

    def compatible(self, problem: Problem, a: Company, b: Company) -> bool:
        if a.employees is None or b.employees is None:
            return True
        small, large = sorted((max(a.employees, 1), max(b.employees, 1)))
        return large <= self.max_headcount_ratio * small

    def pair_phrase(self, problem: Problem, company: Company) -> str:
        return f"within a factor {self.max_headcount_ratio:g} in headcount"

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        return [
            f"{a.company_id} ({a.employees}) and {b.company_id} ({b.employees}) differ in "
            f"headcount by more than a factor {self.max_headcount_ratio:g}"
            for i, a in enumerate(members)
            for b in members[i + 1 :]
            if not self.compatible(problem, a, b)
        ]

    def encode(self, ctx: ModelContext) -> None:
        for slot in ctx.slots:
            candidates = slot.candidates(ctx.problem)
            for i, a in enumerate(candidates):
                for b in candidates[i + 1 :]:
                    if not self.compatible(ctx.problem, a, b):
                        ctx.model.add_bool_or([~slot.x[a.company_id], ~slot.x[b.company_id]])
