"""Eligibility: companies that fail a chosen criterion of the programme are not placed.

The screening of `peergroups.programme` (an SME by the EU definition, industrial by NACE,
established, with a project being planned or just started) always reports its findings; this
rule, which a scenario switches on, makes the chosen `criteria` hard. With F the companies that
fail one of them and x_{c,s} "company c sits in slot s":

    x_{c,s} = 0        for every c in F and every slot s
"""

from typing import Annotated

from pydantic import Field, StringConstraints

from peergroups.model import Company, Problem
from peergroups.programme import Criterion, Screening
from solver.context import ModelContext
from solver.rules.base import Rule, register

Division = Annotated[str, StringConstraints(pattern=r"^\d{2}$")]


@register
class Eligibility(Rule):
    kind = "eligibility"
    summary = (
        "Companies outside the programme's target group by a chosen criterion (sme, "
        "industrial, established, project) are not placed."
    )
    label = {"en": "Programme eligibility", "fi": "Ohjelman kelpoisuusehdot"}
    parameter_labels = {
        "criteria": {"en": "criteria in force", "fi": "voimassa olevat ehdot"},
        "industrial_services": {
            "en": "industrial service divisions",
            "fi": "teollisuuteen luettavat palvelutoimialat",
        },
        "established_years": {"en": "years since founding", "fi": "vuotta perustamisesta"},
        "plan_year": {"en": "plan year", "fi": "suunnitelman vuosi"},
    }

    criteria: tuple[Criterion, ...] = tuple(Criterion)
    """The criteria that exclude a company (all four unless told)."""
    industrial_services: tuple[Division, ...] = ()
    """NACE divisions (two digits) outside manufacturing that count as industrial: '71'."""
    established_years: int = Field(default=3, ge=0)
    """A company founded fewer than this many years before the plan year is not established."""
    plan_year: int | None = Field(default=None, ge=1900, le=2200)
    """The year the groups start (empty: the current calendar year)."""

    @property
    def screening(self) -> Screening:
        return Screening(
            industrial_services=tuple(self.industrial_services),
            established_years=self.established_years,
            plan_year=self.plan_year,
        )

    def failures(self, company: Company) -> list[str]:
        """The findings on the company under the criteria in force."""
        return [
            f"{finding.message} [{finding.criterion.value}]"
            for finding in self.screening.findings(company)
            if finding.criterion in self.criteria
        ]

    def exclusion(self, problem: Problem, company: Company) -> str | None:
        failures = self.failures(company)
        return f"not eligible: {'; '.join(failures)}" if failures else None

    def eligible(self, problem: Problem, company: Company, theme: str) -> bool:
        return not self.failures(company)

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        return [
            f"{c.company_id} is not eligible: {failure}"
            for c in members
            for failure in self.failures(c)
        ]

    def encode(self, ctx: ModelContext) -> None:
        for slot in ctx.slots:
            for company in slot.candidates(ctx.problem):
                if self.failures(company):
                    ctx.model.add(slot.x[company.company_id] == 0)
