"""The synthetic generator: deterministic, valid against the contract, plausible in its mix,
and the shipped sample is exactly what it writes."""

import csv
import re
from collections import Counter
from pathlib import Path
from statistics import mean

import pytest

from peergroups.generate import (
    BUYER_DIVISIONS,
    SUPPLIER_DIVISIONS,
    generate,
    write_problem,
)
from peergroups.model import Company, Facilitator, Problem, Relation, RelationKind, Severity
from peergroups.regions import REGIONS
from peergroups.themes import THEMES

SAMPLE = Path(__file__).resolve().parents[1] / "datasets" / "sample"


@pytest.fixture(scope="module")
def large() -> Problem:
    return generate(2000, 2)


@pytest.fixture(scope="module")
def sample() -> Problem:
    return generate(150, 2026)


def shares(values) -> dict:
    values = list(values)
    return {key: count / len(values) for key, count in Counter(values).items()}


def incidence(problem: Problem) -> float:
    """Relations a company takes part in, on average."""
    return 2 * len(problem.relations) / len(problem.companies)


# --- determinism and shape --------------------------------------------------------------------


def test_same_seed_gives_the_same_problem_and_bytes(tmp_path):
    first = write_problem(generate(300, 11), tmp_path / "a")
    second = write_problem(generate(300, 11), tmp_path / "b")
    assert [p.name for p in first] == ["companies.csv", "relations.csv", "facilitators.csv"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]
    assert generate(300, 11) == generate(300, 11)


def test_another_seed_gives_another_problem():
    a, b = generate(100, 1), generate(100, 2)
    assert [c.name for c in a.companies] != [c.name for c in b.companies]
    assert a.relations != b.relations


def test_ids_are_numbered_with_a_width_that_fits_n():
    assert [c.company_id for c in generate(3, 0).companies] == ["C0001", "C0002", "C0003"]
    ids = [c.company_id for c in generate(150, 0).companies]
    assert ids[0] == "C0001" and ids[-1] == "C0150" and len(ids) == 150


def test_large_instance_keeps_ids_names_and_business_ids_unique():
    problem = generate(10_000, 3)
    ids = [c.company_id for c in problem.companies]
    assert ids[0] == "C00001" and ids[-1] == "C10000"
    for values in (ids, [c.name for c in problem.companies]):
        assert len(set(values)) == len(values)
    assert len({c.business_id for c in problem.companies}) == 10_000
    assert 1 <= incidence(problem) <= 3


def test_n_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        generate(0, 1)


def test_unique_ids_names_and_business_ids(large):
    for field in ("company_id", "name", "business_id"):
        values = [getattr(c, field) for c in large.companies]
        assert len(set(values)) == len(values), field


def test_every_business_id_has_a_correct_check_digit(large):
    for company in large.companies:
        assert re.fullmatch(r"\d{7}-\d", company.business_id), company.business_id
        body, check = company.business_id.split("-")
        remainder = sum(int(d) * w for d, w in zip(body, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        assert remainder != 1, company.business_id
        assert int(check) == (0 if remainder == 0 else 11 - remainder), company.business_id


# --- the company mix --------------------------------------------------------------------------


def test_role_shares(large):
    got = shares(c.role for c in large.companies)
    expected = {
        "ceo": 0.60,
        "development_director": 0.15,
        "management_team_member": 0.15,
        "board_chair": 0.10,
    }
    assert set(got) == set(expected)
    for role, share in expected.items():
        assert got[role] == pytest.approx(share, abs=0.03), role


def test_flags_and_modes(large):
    assert mean(c.competitor_ok for c in large.companies) == pytest.approx(0.20, abs=0.03)
    assert mean(c.willing_to_chair for c in large.companies) == pytest.approx(0.30, abs=0.03)
    modes = shares(c.mode for c in large.companies)
    assert modes["hybrid"] == pytest.approx(0.60, abs=0.04)
    assert modes["in_person"] == pytest.approx(0.20, abs=0.03)


def test_maturity_is_the_mean_of_six_plausible_dimensions(large):
    for company in large.companies:
        assert all(0 <= score <= 100 for score in company.dma)
        assert abs(company.maturity - mean(company.dma)) <= 0.05 + 1e-9, company.company_id
    assert 35 <= mean(c.maturity for c in large.companies) <= 50
    # automation & AI is the weakest dimension (offset -15), readiness and data the strongest
    by_dimension = [mean(c.dma[i] for c in large.companies) for i in range(6)]
    assert min(by_dimension) == by_dimension[4]


def test_size_industry_and_region(large):
    employees = [c.employees for c in large.companies]
    assert min(employees) >= 5 and max(employees) <= 499
    assert mean(10 <= e <= 49 for e in employees) == pytest.approx(0.50, abs=0.04)
    for company in large.companies:
        assert re.fullmatch(r"\d{5}", company.nace_code)
        assert 10 <= int(company.nace_code[:2]) <= 33
        assert company.region in REGIONS
    assert mean(c.nace_code[:2] == "25" for c in large.companies) == pytest.approx(0.22, abs=0.03)
    assert mean(c.region == "MK01" for c in large.companies) == pytest.approx(0.21, abs=0.03)


def test_languages_follow_the_region(large):
    for company in large.companies:
        spoken = set(company.languages) - {"en"}
        if company.region == "MK21":
            assert spoken == {"sv"}
        elif company.region != "MK15":
            assert spoken == {"fi"}
    swedish = [c for c in large.companies if c.region == "MK15"]
    assert 0.3 <= mean("sv" in c.languages for c in swedish) <= 0.7
    assert mean("en" in c.languages for c in large.companies) == pytest.approx(0.10, abs=0.03)


def test_goals(large):
    primaries = shares(c.goals[0] for c in large.companies)
    assert primaries["mes_production_data"] == pytest.approx(0.14, abs=0.03)
    assert primaries["erp"] == pytest.approx(0.12, abs=0.03)
    assert primaries["cybersecurity"] == pytest.approx(0.07, abs=0.02)
    for company in large.companies:
        assert 1 <= len(company.goals) <= 4
        assert len(set(company.goals)) == len(company.goals)
        assert "other" not in company.goals
    pairs = [(c.goals[0], goal) for c in large.companies for goal in c.goals[1:]]
    same = mean(THEMES[a].cluster == THEMES[b].cluster for a, b in pairs)
    assert 0.55 <= same <= 0.8  # drawn at random it would be about a third


# --- relations and facilitators ---------------------------------------------------------------


@pytest.mark.parametrize("n", [150, 2000])
def test_relations_are_well_formed(n):
    problem = generate(n, 5)
    by_id = problem.by_id
    kinds = Counter(r.kind for r in problem.relations)
    assert set(kinds) == {
        RelationKind.COMPETITOR,
        RelationKind.CUSTOMER_SUPPLIER,
        RelationKind.SAME_OWNER,
        RelationKind.CONFLICT,
    }
    assert len({(r.pair, r.kind) for r in problem.relations}) == len(problem.relations)
    for relation in problem.relations:
        a, b = by_id[relation.company_a], by_id[relation.company_b]
        assert a.company_id != b.company_id
        if relation.kind == RelationKind.COMPETITOR:
            assert a.nace_code[:2] == b.nace_code[:2], relation
            assert relation.severity is None
        if relation.kind == RelationKind.CUSTOMER_SUPPLIER:
            assert a.nace_code[:2] in SUPPLIER_DIVISIONS, relation
            assert b.nace_code[:2] in BUYER_DIVISIONS, relation
            assert relation.severity == Severity.SOFT
    assert 1 <= incidence(problem) <= 3


def test_competitors_are_mostly_in_one_nace_class(large):
    competitors = [r for r in large.relations if r.kind == RelationKind.COMPETITOR]
    same_class = mean(
        large.by_id[r.company_a].nace_code[:4] == large.by_id[r.company_b].nace_code[:4]
        for r in competitors
    )
    assert same_class > 0.5


def test_facilitators(large):
    facilitators = large.facilitators
    assert len(facilitators) == 2000 // 25
    assert len({f.facilitator_id for f in facilitators}) == len(facilitators)
    assert 0.05 <= mean(bool(f.conflicts) for f in facilitators) <= 0.3
    themes = set(THEMES) - {"other"}
    for facilitator in facilitators:
        assert set(facilitator.conflicts) <= set(large.by_id)
        assert 2 <= len(facilitator.themes) <= 5 and set(facilitator.themes) <= themes
        assert 1 <= len(facilitator.regions) <= 2
        assert 1 <= facilitator.capacity <= 4
        assert facilitator.languages[0] == "fi"
        swedish_region = bool({"MK15", "MK21"} & set(facilitator.regions))
        assert ("sv" in facilitator.languages) == swedish_region
    capacity = sum(f.capacity for f in facilitators)
    assert 2000 / 15 <= capacity <= 2000 / 5  # room for about one group per ten companies


# --- files ------------------------------------------------------------------------------------


def read_rows(path: Path) -> list[dict[str, str]]:
    """Rows with empty cells dropped, so the model's defaults apply."""
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(handle)]


def read_problem(directory: Path) -> Problem:
    relations = []
    for row in read_rows(directory / "relations.csv"):
        row["kind"] = row.pop("relation")
        relations.append(Relation.model_validate(row))
    return Problem(
        companies=[Company.model_validate(r) for r in read_rows(directory / "companies.csv")],
        relations=relations,
        facilitators=[
            Facilitator.model_validate(r) for r in read_rows(directory / "facilitators.csv")
        ],
    )


CONTRACT_HEADERS = {
    "companies.csv": "company_id,name,business_id,nace_code,region,employees,maturity,"
    "dma_strategy,dma_readiness,dma_human,dma_data,dma_automation_ai,dma_green,role,goals,mode,"
    "languages,competitor_ok,willing_to_chair",
    "relations.csv": "company_a,company_b,relation,severity",
    "facilitators.csv": "facilitator_id,name,languages,regions,themes,capacity,conflicts",
}


def test_written_files_use_the_contract_headers_and_spelling(tmp_path, sample):
    for path in write_problem(sample, tmp_path):
        assert path.read_bytes().split(b"\n")[0].decode() == CONTRACT_HEADERS[path.name]
    rows = read_rows(tmp_path / "companies.csv")
    assert {row["competitor_ok"] for row in rows} == {"true", "false"}
    assert {row["willing_to_chair"] for row in rows} == {"true", "false"}
    for row in rows:
        for column in ("maturity", "dma_strategy", "dma_automation_ai"):
            assert re.fullmatch(r"\d+\.\d", row[column]), (column, row[column])
    assert any("|" in row["goals"] for row in rows)
    assert b"\r" not in (tmp_path / "companies.csv").read_bytes()


def test_written_files_read_back_into_the_same_problem(tmp_path):
    problem = generate(400, 9)
    write_problem(problem, tmp_path)
    assert read_problem(tmp_path) == problem


def test_shipped_sample_is_what_the_generator_writes(tmp_path, sample):
    written = write_problem(sample, tmp_path)
    for path in written:
        assert (SAMPLE / path.name).read_bytes() == path.read_bytes(), (
            f"datasets/sample/{path.name} is stale: regenerate it with "
            "`peergroups generate 150 --seed 2026 --out datasets/sample`"
        )


def test_shipped_sample_parses_into_the_generated_problem(sample):
    assert read_problem(SAMPLE) == sample
