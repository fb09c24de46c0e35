"""Eligibility on tiny instances with hand-computed optima, and the screening it rests on.

The conventions these tests share are in tests/rules/README.md.
"""

import pytest

from peergroups.model import Meeting, Problem
from peergroups.programme import Criterion, Screening, screen
from solver import Scenario
from tests.instances import company, groups, problem, reasons, scenario, solved, terms

BIG_SOFTWARE_HOUSE = {"employees": 1200, "nace_code": "62010"}


def five_with_a_software_house() -> Problem:
    # A..D (maturity 10..13) are small manufacturers; E (14) has 1,200 employees in NACE
    # 62010 (computer programming): not an SME and not industrial.
    return problem(
        *(
            company(cid, m, nace_code="25620", employees=20)
            for cid, m in zip("ABCD", range(10, 14), strict=True)
        ),
        company("E", 14, **BIG_SOFTWARE_HOUSE),
    )


def test_eligibility_is_off_by_default_and_screening_still_finds():
    # Off by default: all five in one group, spread 14 - 10 = 4 points = 40 tenths. The
    # screening reports E twice (sme, industrial) and nobody else.
    instance = five_with_a_software_house()
    result = solved(instance, scenario(3, 5))
    assert groups(result) == {frozenset("ABCDE")}
    assert result.terms == terms(placed=5, spread=40)
    found = screen(instance)
    assert [(f.company_id, f.criterion) for f in found] == [
        ("E", Criterion.SME),
        ("E", Criterion.INDUSTRIAL),
    ]
    summary = result.summary()["programme"]["eligibility"]
    assert summary["counts"] == {"sme": 1, "industrial": 1, "established": 0, "project": 0}
    assert "eligibility" not in Scenario.default().effective_rules()["in_force"]


@pytest.mark.parametrize(
    ("criteria", "named"),
    [(["sme"], "1200 employees, 250 or more [sme]"), (["industrial"], "[industrial]")],
)
def test_a_hard_criterion_keeps_the_company_out_and_names_itself(criteria, named):
    # With the criterion hard, E cannot sit anywhere: {A,B,C,D} spread 3 points = 30 tenths.
    instance = five_with_a_software_house()
    result = solved(instance, scenario(3, 5, eligibility={"criteria": criteria}))
    assert groups(result) == {frozenset("ABCD")}
    assert result.terms == terms(placed=4, spread=30)
    assert reasons(result)["E"].startswith("not eligible: ")
    assert named in reasons(result)["E"]


def test_industrial_services_count_as_industry():
    # Division 62 listed as an industrial service: E passes the industrial criterion and
    # joins: one group of five, spread 40 tenths.
    instance = five_with_a_software_house()
    chosen = scenario(3, 5, eligibility={"criteria": ["industrial"], "industrial_services": ["62"]})
    result = solved(instance, chosen)
    assert groups(result) == {frozenset("ABCDE")}
    assert result.terms == terms(placed=5, spread=40)


def test_eu_sme_definition_with_turnover_and_balance_sheet():
    # < 250 staff and (turnover <= 50 M€ or balance sheet <= 43 M€).
    def sme_findings(**fields):
        return [f for f in Screening().findings(company("X", 10, **fields)) if f.criterion == "sme"]

    assert sme_findings(employees=249) == []
    assert len(sme_findings(employees=250)) == 1
    # Both over: not an SME. One within its ceiling: an SME.
    assert len(sme_findings(employees=100, turnover_eur=60e6, balance_sheet_eur=50e6)) == 1
    assert sme_findings(employees=100, turnover_eur=60e6, balance_sheet_eur=40e6) == []
    assert sme_findings(employees=100, turnover_eur=50e6) == []
    assert len(sme_findings(turnover_eur="51 000 000")) == 1


def test_established_and_project_stage_criteria():
    # Plan year 2026, 3 years: founded 2024 is 2 years before (a finding), 2023 is 3 (none).
    screening = Screening(plan_year=2026)

    def criteria(**fields):
        return [f.criterion.value for f in screening.findings(company("X", 10, **fields))]

    assert criteria(founded=2024) == ["established"]
    assert criteria(founded=2023) == []
    assert (
        Screening(plan_year=2026, established_years=5)
        .findings(company("X", 10, founded=2022))[0]
        .message
        == "founded 2022, fewer than 5 years before 2026"
    )
    # Finnish aliases: suunnittelu = planning and alussa = early pass; käynnissä = underway
    # and idea do not.
    assert criteria(project_stage="suunnittelu") == []
    assert criteria(project_stage="alussa") == []
    assert criteria(project_stage="käynnissä") == ["project"]
    assert criteria(project_stage="idea") == ["project"]


def test_history_is_irrelevant_to_eligibility():
    # The screening reads a company's own columns only.
    instance = Problem(
        companies=five_with_a_software_house().companies,
        history=(Meeting(round=1, group_id="G1", company_id="E"),),
    )
    assert {f.company_id for f in screen(instance)} == {"E"}
