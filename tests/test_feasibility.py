"""The pre-check: who can be placed at all, in which themes, and the reason when nobody can."""

from peergroups.generate import generate
from peergroups.model import Company, Problem, Relation
from solver import Scenario
from solver.feasibility import assess
from solver.interrupt import STOP
from tests.instances import stop_after


def company(cid, maturity=50.0, goals="erp", **fields):
    return Company(company_id=cid, name=cid, maturity=maturity, role="ceo", goals=goals, **fields)


def run(companies, relations=(), **rule_params):
    scenario = Scenario.default()
    for kind, params in rule_params.items():
        scenario = scenario.with_rule(kind, **params)
    problem = Problem(companies=tuple(companies), relations=tuple(relations))
    return assess(scenario.search_space(problem))


def test_five_alike_companies_are_placeable_in_their_shared_theme():
    result = run([company(f"C{i}", goals="erp|cybersecurity" if i else "erp") for i in range(5)])

    assert result.reasons == {}
    assert result.themes["C0"] == ("erp",)
    # C1..C4 share cybersecurity only with each other (4 < 5), so only erp has a witness.
    assert result.themes["C1"] == ("erp",)


def test_too_few_sharers_names_the_shortfall():
    result = run([company(f"C{i}") for i in range(4)])

    assert set(result.reasons) == {"C0", "C1", "C2", "C3"}
    assert result.reasons["C0"] == "only 3 other companies share its goal erp (a group needs 5)"


def test_maturity_outlier_is_reported_with_the_spread_rule():
    companies = [company(f"C{i}", maturity=40.0 + i) for i in range(5)]
    companies.append(company("FAR", maturity=90.0))

    result = run(companies)

    assert result.reasons == {
        "FAR": "no other company within 25 maturity points shares its goal erp (a group needs 5)"
    }


def test_in_person_company_needs_partners_in_its_region():
    companies = [company(f"C{i}", region="MK01") for i in range(5)]
    companies.append(company("NORTH", mode="in_person", region="MK19"))

    result = run(companies)

    assert result.reasons["NORTH"].startswith("no other company meeting in person in Lappi")


def test_competitors_without_consent_are_counted_out():
    companies = [company(f"C{i}") for i in range(5)]
    relations = [Relation(company_a="C0", company_b=f"C{i}", kind="competitor") for i in (1, 2)]

    result = run(companies, relations)

    # C0 keeps only C3 and C4 as partners: 2 < 4. The others lose their only group of 5.
    assert "free of competitor, ownership or conflict ties" in result.reasons["C0"]
    assert set(result.reasons) == {"C0", "C1", "C2", "C3", "C4"}


def test_pairwise_fit_is_not_enough_when_partners_clash_with_each_other():
    # C0 (tier 1) fits both seniority tiers; the two CEOs and two 'other' reps do not mix.
    companies = [
        Company(company_id="C0", name="C0", maturity=50, role="development_director", goals="erp")
    ]
    companies += [
        Company(company_id=f"H{i}", name="H", maturity=50, role="ceo", goals="erp")
        for i in range(2)
    ]
    companies += [
        Company(company_id=f"L{i}", name="L", maturity=50, role="other", goals="erp")
        for i in range(2)
    ]

    result = run(companies, group_size={"min_size": 5, "max_size": 15})

    assert result.reasons["C0"] == (
        "the 4 companies it could meet in a group for erp clash with each other: "
        "no group of 5 holds it"
    )


def test_a_witness_group_certifies_all_its_members():
    companies = [company(f"C{i}", maturity=10.0 + 6 * i) for i in range(6)]

    result = run(companies, group_size={"min_size": 5, "max_size": 15})

    # C0 (10.0) and C5 (40.0) are 30 points apart, so they never share a group, yet each
    # has four partners within 25 points: both are placeable, in different groups.
    assert result.reasons == {}
    assert set(result.themes) == {f"C{i}" for i in range(6)}


def test_witness_sweeps_find_the_companies_one_check_each_found():
    # Witness groups swept by theme and locality settle most companies at once; the
    # placeable themes and the reasons are those of checking every company in turn (pinned
    # from that version).
    placeability = assess(Scenario.default().search_space(generate(600, 8)))

    assert len(placeability.themes) == 548
    assert sum(map(len, placeability.themes.values())) == 1279
    assert len(placeability.reasons) == 52


def test_a_stop_request_leaves_the_unchecked_companies_placeable(monkeypatch):
    problem = generate(600, 8)
    space = Scenario.default().search_space(problem)
    asked = stop_after(monkeypatch, space.checks, 500)
    try:
        placeability = assess(space)
    finally:
        STOP.clear()

    assert len(asked) < 500 + len(problem.companies)
    # Unchecked companies keep every theme the rules let them join.
    assert placeability.themes == {cid: t for cid, t in space.themes_of.items() if t}
