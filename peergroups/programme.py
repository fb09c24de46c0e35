"""The programme's own terms, apart from how groups are composed: who the groups are for
(eligibility screening), who gets a subsidised seat, and where each digiagent's companies
landed.

Screening finds; it never refuses. `screen` lists every way a company falls outside the
programme's target group (an established industrial SME planning or starting a digital
project); the `eligibility` rule of a scenario may make chosen criteria hard. Subsidised seats
go, within the budget, to the placed companies that asked for one, greatest need first.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from peergroups.model import Company, Grouping, Problem, ProjectStage

SME_STAFF = 250
"""EU SME definition: fewer than 250 staff ..."""
SME_TURNOVER_EUR = 50_000_000
"""... and an annual turnover of at most 50 M€ ..."""
SME_BALANCE_SHEET_EUR = 43_000_000
"""... or a balance sheet total of at most 43 M€."""
MANUFACTURING = range(10, 34)
"""NACE (TOL 2008) divisions 10-33: manufacturing."""
PROJECT_STAGES = (ProjectStage.PLANNING, ProjectStage.EARLY)
"""The stages the groups are for: a project being planned or just started."""


class Criterion(StrEnum):
    SME = "sme"
    INDUSTRIAL = "industrial"
    ESTABLISHED = "established"
    PROJECT = "project"


CRITERION_LABELS = {
    Criterion.SME: {"en": "not an SME", "fi": "ei pk-yritys"},
    Criterion.INDUSTRIAL: {"en": "not industrial", "fi": "ei teollisuutta"},
    Criterion.ESTABLISHED: {"en": "not established", "fi": "ei vakiintunut"},
    Criterion.PROJECT: {"en": "no project at hand", "fi": "ei ajankohtaista hanketta"},
}


@dataclass(frozen=True)
class Finding:
    """One way a company falls outside the programme's target group."""

    company_id: str
    criterion: Criterion
    message: str

    def __str__(self) -> str:
        return f"{self.company_id}: {self.message} [{self.criterion.value}]"


@dataclass(frozen=True)
class Screening:
    """The settings of the screening (a scenario's `eligibility` rule carries them)."""

    industrial_services: tuple[str, ...] = ()
    """NACE divisions outside manufacturing that count as industrial (say '71')."""
    established_years: int = 3
    """A company founded fewer than this many years before the plan year is not established."""
    plan_year: int | None = None
    """The year the groups start (None: the current calendar year)."""

    @property
    def year(self) -> int:
        return self.plan_year or datetime.date.today().year

    def findings(self, company: Company) -> list[Finding]:
        """Every criterion the company fails, on what it told us (an absent column or an
        empty cell is no finding)."""
        found = []

        def add(criterion: Criterion, message: str) -> None:
            found.append(Finding(company.company_id, criterion, message))

        if company.employees is not None and company.employees >= SME_STAFF:
            add(Criterion.SME, f"{company.employees} employees, {SME_STAFF} or more")
        else:
            money = [
                (amount, ceiling, words)
                for amount, ceiling, words in (
                    (company.turnover_eur, SME_TURNOVER_EUR, "turnover"),
                    (company.balance_sheet_eur, SME_BALANCE_SHEET_EUR, "balance sheet"),
                )
                if amount is not None
            ]
            if money and all(amount > ceiling for amount, ceiling, _ in money):
                over = " and ".join(
                    f"{words} {amount / 1e6:.1f} M€ over {ceiling / 1e6:g} M€"
                    for amount, ceiling, words in money
                )
                add(Criterion.SME, over)
        if company.nace_code is not None:
            division = company.nace_code[:2]
            if int(division) not in MANUFACTURING and division not in self.industrial_services:
                add(
                    Criterion.INDUSTRIAL,
                    f"NACE {company.nace_code} is outside manufacturing (10-33)"
                    + (
                        f" and the industrial services ({', '.join(self.industrial_services)})"
                        if self.industrial_services
                        else ""
                    ),
                )
        if company.founded is not None and self.year - company.founded < self.established_years:
            add(
                Criterion.ESTABLISHED,
                f"founded {company.founded}, fewer than {self.established_years} years "
                f"before {self.year}",
            )
        if company.project_stage is not None and company.project_stage not in PROJECT_STAGES:
            add(
                Criterion.PROJECT,
                f"project stage {company.project_stage.value}, not planning or early",
            )
        return found


def screen(problem: Problem, screening: Screening | None = None) -> list[Finding]:
    """Every finding for every company, in input order."""
    screening = screening or Screening()
    return [finding for c in problem.companies for finding in screening.findings(c)]


def findings_summary(findings: Iterable[Finding], screening: Screening) -> dict:
    """The screening as summary.json records it: counts by criterion and every finding."""
    findings = list(findings)
    return {
        "plan_year": screening.year,
        "industrial_services": list(screening.industrial_services),
        "established_years": screening.established_years,
        "counts": {c.value: sum(f.criterion == c for f in findings) for c in Criterion},
        "companies": len({f.company_id for f in findings}),
        "findings": [
            {"company_id": f.company_id, "criterion": f.criterion.value, "message": f.message}
            for f in findings
        ],
    }


# --- subsidised seats ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SeatDecision:
    """Who got a subsidised seat, and why each other requester did not."""

    seats: int
    granted: tuple[str, ...] = ()
    refused: dict[str, str] = field(default_factory=dict)

    def summary(self) -> dict:
        return {
            "budget_seats": self.seats,
            "granted": len(self.granted),
            "requested": len(self.granted) + len(self.refused),
            "granted_to": list(self.granted),
            "refused": [{"company_id": c, "reason": r} for c, r in self.refused.items()],
        }


def need_order(problem: Problem, company: Company) -> tuple:
    """Greatest need first: lowest maturity, then fewest employees (unknown last), then
    first-time participants (when history is given), then the id for a stable order."""
    returning = any(seat.company_id == company.company_id for seat in problem.history)
    return (
        company.maturity,
        company.employees if company.employees is not None else float("inf"),
        returning,
        company.company_id,
    )


def grant_seats(problem: Problem, grouping: Grouping, seats: int) -> SeatDecision:
    """Subsidised seats to the placed companies that asked, greatest need first, never more
    than `seats`; every other requester is refused with a reason."""
    requesting = sorted(
        (c for c in problem.companies if c.subsidy), key=lambda c: need_order(problem, c)
    )
    reasons = {u.company_id: u.reason for u in grouping.unassigned}
    granted: list[str] = []
    refused: dict[str, str] = {}
    for company in requesting:
        cid = company.company_id
        if cid not in grouping.group_of:
            refused[cid] = f"not placed in a group: {reasons.get(cid, 'unassigned')}"
        elif len(granted) < seats:
            granted.append(cid)
        else:
            refused[cid] = (
                f"the budget of {seats} seat{'s' if seats != 1 else ''} went to companies of "
                "greater need (lower maturity, fewer employees or first-time participants)"
            )
    return SeatDecision(seats, tuple(granted), refused)


# --- digiagents ---------------------------------------------------------------------------------


def digiagent_rows(problem: Problem, grouping: Grouping) -> list[dict[str, str]]:
    """One row per referred company, by digiagent then input order: its group, or the reason
    it has none."""
    reasons = {u.company_id: u.reason for u in grouping.unassigned}
    referred = [c for c in problem.companies if c.digiagent]
    rows = []
    for company in sorted(referred, key=lambda c: c.digiagent or ""):
        group = grouping.group_of.get(company.company_id)
        rows.append(
            {
                "digiagent": company.digiagent or "",
                "company_id": company.company_id,
                "group_id": group.group_id if group else "",
                "reason": "" if group else reasons.get(company.company_id, "unassigned"),
            }
        )
    return rows
