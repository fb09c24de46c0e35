"""The coordinator's round trip (issue 12): a Finnish export read as it is, and a plan people
can send out.

The fixture `tests/data/finnish/` (written by its make.py) is an export as a Finnish
coordinator saves it: `;`-delimited Windows-1252 CSV and an .xlsx of the same 12 companies,
Finnish headers ("Toimiala (TOL)", "Kilpailijat ok", "Y-tunnus", "Yhteyshenkilö"), no
company_id (the Y-tunnus is the key), job titles (talousjohtaja, "toimitusjohtaja, omistaja"),
meeting-mode words (lähitapaaminen, etäyhteys, verkossa), goals separated by `,` and `;`, and
maturity as percentages (43 % in the CSV, 0.43 shown as 43 % in the workbook).
"""

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

import cli
from peergroups.generate import generate
from peergroups.io.readers import read_inputs
from peergroups.model import Company, Group, GroupFacts, Problem
from peergroups.roles import Role, resolve_titles
from peergroups.wording import is_translated, translate
from solver import Scenario, ScoreReader, solve, with_hints

DATA = Path(__file__).parent / "data" / "finnish"
RELATIONS = DATA / "suhteet.csv"
FACILITATORS = DATA / "fasilitaattorit.csv"


def invoke(*args: str):
    return CliRunner().invoke(cli.main, [str(a) for a in args])


# --- in: the export as it is -----------------------------------------------------------------


@pytest.mark.parametrize("export", ["yritykset.csv", "yritykset.xlsx"])
def test_a_finnish_export_is_read_as_it_is(export):
    loaded = read_inputs(DATA / export, RELATIONS, FACILITATORS)
    companies = {c.name: c for c in loaded.problem.companies}

    first = companies["Konepaja Ääri Oy"]
    # No company_id column: the Y-tunnus is the key, in its canonical form.
    assert first.company_id == first.business_id == "2345670-5"
    # "toimitusjohtaja, omistaja": two titles, the highest tier (both ceo here).
    assert first.role == Role.CEO
    # 43 % in the CSV, and 0.43 shown as 43 % in the workbook: both 43, never 0.43.
    assert first.maturity == 43.0
    # "erp, mes_production_data": a ranked list, not one unknown theme.
    assert first.goals == ("erp", "mes_production_data")
    assert first.mode == "in_person"  # lähitapaaminen
    assert (first.contact, first.email) == ("Matti Mäkelä", "matti@example.fi")
    assert first.competitor_ok is True  # "Kilpailijat ok"
    assert first.willing_to_chair is True  # "Halukas puheenjohtajaksi"
    assert first.nace_code == "25620"  # "Toimiala (TOL)"

    assert companies["Valimo Öberg Ab"].role == Role.MANAGEMENT_TEAM_MEMBER  # talousjohtaja
    assert companies["Hitsaus Häkkinen Oy"].role == Role.MANAGEMENT_TEAM_MEMBER  # tuotantojohtaja
    assert companies["Muovi Mäki Oy"].role == Role.DEVELOPMENT_DIRECTOR  # digikehityspäällikkö
    assert companies["Valimo Öberg Ab"].mode == "virtual"  # etäyhteys
    assert companies["Hitsaus Häkkinen Oy"].mode == "virtual"  # verkossa
    assert companies["Automaatio Aalto Oy"].mode == "in_person"  # paikan päällä
    assert companies["Sähkö Sälli Oy"].goals == ("mes_production_data", "erp")  # `;` inside

    # Relations citing companies by Y-tunnus (without a dash, with FI) resolve through it.
    assert {r.pair for r in loaded.problem.relations} == {
        ("2345670-5", "2345672-1"),
        ("2345671-3", "2345674-8"),
    }
    warnings = [str(w) for w in loaded.warnings]
    assert any("names 2 titles: read as ceo, the highest tier" in w for w in warnings)
    assert any("each company's Y-tunnus is its id" in w for w in warnings)
    assert not any("ignored" in w for w in warnings)  # every column was understood


def test_several_titles_take_the_highest_tier():
    assert resolve_titles("talousjohtaja / toimitusjohtaja") == (
        Role.CEO,
        ("talousjohtaja", "toimitusjohtaja"),
    )
    assert resolve_titles("tutkimus- ja kehitysjohtaja") == (
        Role.DEVELOPMENT_DIRECTOR,
        ("tutkimus- ja kehitysjohtaja",),
    )  # one title with 'ja' inside it is not split
    assert resolve_titles("toimitusjohtaja, astronautti") is None


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_an_unknown_title_points_to_the_list_of_titles(tmp_path):
    path = write(
        tmp_path / "c.csv", "id,nimi,kypsyys,rooli,tavoitteet\nC1,A Oy,40,astronautti,erp\n"
    )
    result = invoke("validate", path)
    assert result.exit_code == 1
    assert "unknown role 'astronautti'" in result.output
    assert "peergroups vocab roles" in result.output


def test_vocab_lists_titles_and_modes():
    roles = invoke("vocab", "roles")
    assert roles.exit_code == 0
    assert "management_team_member (tier 1)" in roles.output
    assert "talousjohtaja" in roles.output and "ekonomichef" in roles.output
    modes = invoke("vocab", "modes")
    assert modes.exit_code == 0
    assert "etäyhteys" in modes.output and "lähitapaaminen" in modes.output


CONSENT = "id,nimi,kypsyys,rooli,tavoitteet,Kilpailija hyväksytään\n" + "".join(
    f"C{i},Yritys {i},40,ceo,erp,kyllä\n" for i in range(5)
)


def test_a_column_resembling_a_contract_column_is_an_error_in_validate(tmp_path):
    path = write(tmp_path / "c.csv", CONSENT)
    result = invoke("validate", path)
    assert result.exit_code == 1
    assert "Kilpailija hyväksytään: column not in the contract, ignored: did you mean " in (
        result.output
    )
    assert "competitor_ok?" in result.output


def test_a_column_resembling_a_contract_column_is_a_warning_in_form_groups(tmp_path):
    path = write(tmp_path / "c.csv", CONSENT)
    result = invoke("form-groups", path, "--out", tmp_path / "plan", "--time-limit", 5)
    assert result.exit_code == 0, result.output
    assert "warning: " in result.output and "did you mean competitor_ok?" in result.output


def test_a_relation_citing_an_unknown_y_tunnus_says_so(tmp_path):
    companies = write(tmp_path / "c.csv", "id,nimi,kypsyys,rooli,tavoitteet\nC1,A Oy,40,ceo,erp\n")
    relations = write(tmp_path / "r.csv", "company_a,company_b,relation\nC1,0170262-9,competitor\n")
    result = invoke("validate", companies, "--relations", relations)
    assert result.exit_code == 1
    assert "no company has this Y-tunnus" in result.output


# --- out: files people can send --------------------------------------------------------------


@pytest.fixture(scope="module")
def finnish_plan(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("round") / "plan"
    result = invoke(
        "form-groups",
        DATA / "yritykset.xlsx",
        "--relations",
        RELATIONS,
        "--facilitators",
        FACILITATORS,
        "--out",
        out,
        "--time-limit",
        10,
        "--lang",
        "fi",
        "--packs",
    )
    assert result.exit_code == 0, result.output
    return out


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_assignments_name_reach_and_explain_every_company_in_finnish(finnish_plan):
    assigned = {row["name"]: row for row in rows(finnish_plan / "assignments.csv")}
    assert len(assigned) == 12
    assert assigned["Konepaja Ääri Oy"]["business_id"] == "2345670-5"
    assert assigned["Konepaja Ääri Oy"]["contact"] == "Matti Mäkelä"
    assert assigned["Konepaja Ääri Oy"]["email"] == "matti@example.fi"
    # Konepaja Ääri meets in person in Pirkanmaa, where too few share its goals; hybrid, it
    # would fit the mes group (its competitor Hitsaus Häkkinen sits in the erp group).
    reason = assigned["Konepaja Ääri Oy"]["reason"]
    assert reason.startswith("vain 1 muu yritys, lähitapaamisissa alueella Pirkanmaa")
    assert reason.endswith("sopisi ryhmään G02, jos se osallistuisi hybridinä")


def test_groups_carry_names_members_and_a_meeting_place(finnish_plan):
    groups = rows(finnish_plan / "groups.csv")
    assert [g["theme_name"] for g in groups] == [
        "Toiminnanohjausjärjestelmä (ERP)",
        "Tuotannonohjaus, tuotantodata (MES/OEE)",
    ]
    assignments = rows(finnish_plan / "assignments.csv")
    for group in groups:
        names = [a["name"] for a in assignments if a["group_id"] == group["group_id"]]
        assert group["members"].split("|") == names
        # Hybrid groups from several regions, most members from Pirkanmaa.
        assert (group["mode"], group["region"], group["meeting_place"]) == (
            "hybrid",
            "",
            "Pirkanmaa",
        )


def test_the_workbook_reads_back_in_finnish_without_formulas(finnish_plan):
    book = load_workbook(finnish_plan / "plan.xlsx")
    assert book.sheetnames == ["Ryhmät", "Sijoittamatta", "Yritykset", "Säännöt"]
    groups = book["Ryhmät"]
    assert groups.freeze_panes == "A2"
    assert groups["A1"].value == "Yrityksen tunnus" and groups["A1"].font.bold
    text = [str(c.value) for row in groups.iter_rows() for c in row if c.value is not None]
    assert any(t.startswith("G01  Toiminnanohjausjärjestelmä (ERP)") for t in text)
    assert "Valimo Öberg Ab" in text and "Liisa Öhman" in text and "kehitysjohtaja" in text
    assert "Pirkanmaa (ehdotus lähitapaamisille)" in text
    unassigned = [r for r in book["Sijoittamatta"].iter_rows(min_row=2, values_only=True)]
    assert {r[1] for r in unassigned} == {"Konepaja Ääri Oy", "Automaatio Aalto Oy"}
    assert all("ryhmään tarvitaan 5" in r[5] for r in unassigned)
    assert book["Yritykset"].max_row == 13  # every input company once, under a header
    rules = {r[0]: r for r in book["Säännöt"].iter_rows(min_row=2, values_only=True)}
    assert "max_maturity_spread = 25.0" in rules["maturity_spread"][3]
    assert rules["group_size"][3] == "min_size = 5, max_size = 15"  # no empty by_mode, by_theme
    # A preference weighs plans and forbids nothing: never listed as a rule that must hold.
    assert rules["maturity_spread"][2] == "ehdoton"
    assert rules["facilitator_expertise"][2] == rules["continuity"][2] == "toive"
    for sheet in book.worksheets:
        assert sheet.column_dimensions["B"].width > 8
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row)


def test_a_workbook_cell_that_looks_like_a_formula_stays_text(tmp_path):
    from peergroups.io.workbook import write_workbook
    from peergroups.model import Grouping

    evil = Company(
        company_id="C1", name='=HYPERLINK("http://x","y")', maturity=40, role="ceo", goals="erp"
    )
    problem = Problem(companies=(evil,))
    write_workbook(tmp_path / "p.xlsx", problem, Grouping(unassigned=()), {}, "en")
    cell = load_workbook(tmp_path / "p.xlsx")["Companies"]["B2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x","y")', "s")


def test_a_pack_holds_only_its_facilitators_companies(finnish_plan):
    assignments = rows(finnish_plan / "assignments.csv")
    groups = {g["group_id"]: g["facilitator_id"] for g in rows(finnish_plan / "groups.csv")}
    assert sorted(p.name for p in (finnish_plan / "packs").iterdir()) == ["F001", "F002"]
    for facilitator in ("F001", "F002"):
        pack = finnish_plan / "packs" / facilitator
        report = (pack / "report.html").read_text(encoding="utf-8")
        book = load_workbook(pack / "plan.xlsx")
        cells = " ".join(
            str(c.value) for s in book.worksheets for row in s.iter_rows() for c in row if c.value
        )
        for row in assignments:
            own = groups.get(row["group_id"]) == facilitator
            for text in (report, cells):
                assert (row["name"] in text) == own, (facilitator, row["name"])
                assert (row["company_id"] in text) == own, (facilitator, row["company_id"])


def test_packs_command_writes_the_packs_again(finnish_plan, tmp_path):
    result = invoke("packs", finnish_plan, "--lang", "fi")
    assert result.exit_code == 0, result.output
    assert "packs/F001/" in result.output
    assert sorted(p.name for p in (finnish_plan / "packs").iterdir()) == ["F001", "F002"]


def company(cid: str, region: str, mode: str = "hybrid") -> Company:
    return Company(
        company_id=cid, name=cid, maturity=40, role="ceo", goals="erp", region=region, mode=mode
    )


def test_the_meeting_place_is_the_commonest_region_ties_to_the_most_central():
    # Two in Uusimaa, two in Lappi, one in Keski-Suomi: Uusimaa and Lappi tie at two. Total
    # member distance from Helsinki: 2 x 705 (Rovaniemi) + 234 (Jyväskylä) = 1644 km; from
    # Rovaniemi: 2 x 705 + 474 = 1884 km. Uusimaa is the more central.
    members = [
        company("A", "MK01"),
        company("B", "MK01"),
        company("C", "MK19"),
        company("D", "MK19"),
        company("E", "MK13"),
    ]
    problem = Problem(companies=tuple(members))
    group = Group(group_id="G1", theme="erp", members=tuple(c.company_id for c in members))
    assert GroupFacts.of(problem, group).meeting_place == "MK01"
    one_region = Group(group_id="G2", theme="erp", members=("A", "B"))
    assert GroupFacts.of(problem, one_region).meeting_place is None


def test_every_reason_the_solver_gives_is_rendered_in_finnish():
    # A generated programme with tight rules leaves companies out for several reasons.
    problem = generate(80, seed=3)
    scenario = Scenario.default().with_rule("maturity_spread", max_maturity_spread=12)
    scenario = scenario.with_solver(time_limit=5, seed=0, workers=2)
    result = solve(problem, scenario)
    grouping = with_hints(problem, scenario, result.grouping)
    reasons = [u.reason for u in grouping.unassigned]
    assert len(reasons) >= 5
    untranslated = [r for r in reasons if not is_translated(r)]
    assert untranslated == []
    assert all(translate(r, "en") == r for r in reasons)


# --- messages ---------------------------------------------------------------------------------


def test_pre_check_findings_are_counted_in_one_line_and_detailed_in_the_report(tmp_path):
    rare = "C9,Yksin Oy,40,ceo,cybersecurity\n"  # the only company with its theme
    path = write(
        tmp_path / "c.csv",
        CONSENT.replace(",Kilpailija hyväksytään", "").replace(",kyllä", "") + rare,
    )
    out = tmp_path / "plan"
    result = invoke("form-groups", path, "--out", out, "--time-limit", 5)
    assert result.exit_code == 0, result.output
    assert "Pre-check: 1 finding(s), not errors" in result.output
    assert "check: theme" not in result.output
    report = (out / "report.html").read_text(encoding="utf-8")
    assert "Pre-check findings (1)" in report
    assert "theme cybersecurity: only 1 company has it among their goals" in report


def test_the_summary_says_which_levels_are_proven():
    problem = generate(40, seed=1)
    scenario = Scenario.default()
    reader = ScoreReader(problem, scenario)
    names = [level.name for level in reader.levels]
    assert names[:3] == ["placed", "goal_rank", "spread"]
    terms = {"placed": 30, "goal_rank": 4, "spread": 900, "soft_relations": 0}
    score = reader.objective.score(terms)
    assert reader.levels_of(score) == {name: terms[name] for name in names}
    # A bound below score + 1 proves every level.
    assert reader.proof(terms, score + 0.5, optimal=False).open == ()
    # A bound that leaves room for a better spread (one tenth of a point less costs w_spread)
    # proves placed and goals only.
    spread_weight = reader.levels[2].weight
    proof = reader.proof(terms, score + spread_weight, optimal=False)
    assert (proof.proven, proof.open[0]) == (("placed", "goal_rank"), "spread")
    # A bound allowing one more company proves nothing, and says how many could be placed.
    proof = reader.proof(terms, score + reader.levels[0].weight, optimal=False)
    assert proof.proven == () and proof.placed_at_most == 31


def test_explain_gives_the_spread_in_points(finnish_plan):
    groups = {g["group_id"]: g for g in rows(finnish_plan / "groups.csv")}
    placed = next(r for r in rows(finnish_plan / "assignments.csv") if r["group_id"])
    result = invoke("explain", finnish_plan, placed["company_id"])
    assert result.exit_code == 0, result.output
    spread = float(groups[placed["group_id"]]["maturity_spread"])
    assert f"the group's maturity spread: {spread:g} points" in result.output


def test_rules_say_which_are_preferences():
    result = invoke("rules")
    assert result.exit_code == 0
    assert "enforce=" not in result.output
    lines = result.output.splitlines()
    after = {
        lines[i].split()[0]: lines[i + 2] for i in range(0, len(lines) - 2) if "  [" in lines[i]
    }
    assert after["dma_similarity"].strip().startswith("a preference: costs in the objective")
    assert after["maturity_spread"].strip().startswith("a hard rule: never broken")


def test_bench_mdgp_without_data_says_where_it_looked(tmp_path):
    result = invoke("bench", "--suite", "mdgp", "--data", tmp_path / "none", "--out", tmp_path)
    assert result.exit_code == 1
    assert f"no MDGPLIB instances under {tmp_path / 'none'} (looked for mdgp/" in result.output


def test_a_lock_pin_without_its_companies_is_reported_on_its_line(tmp_path):
    companies = write(tmp_path / "c.csv", "id,nimi,kypsyys,rooli,tavoitteet\nC1,A Oy,40,ceo,erp\n")
    pins = write(
        tmp_path / "p.csv", "kind,company_id,group_id,themes\ngroup,C1,G1,\nlock,,G3,erp\n"
    )
    result = invoke("validate", companies, "--pins", pins)
    assert result.exit_code == 1
    assert f"{pins}:3: group_id: no company is pinned to group G3: pin its companies with " in (
        result.output
    )


def test_the_finnish_report_gives_reasons_and_findings_in_finnish(tmp_path):
    rare = "C9,Yksin Oy,40,ceo,cybersecurity\n"
    text = CONSENT.replace(",Kilpailija hyväksytään", "").replace(",kyllä", "") + rare
    path = write(tmp_path / "c.csv", text)
    out = tmp_path / "plan"
    assert invoke("form-groups", path, "--out", out, "--time-limit", 5).exit_code == 0
    english = (out / "report.html").read_text(encoding="utf-8")
    assert "no other company shares its goal cybersecurity (a group needs 5)" in english
    # The plan was made in English; its report is rewritten in Finnish.
    result = invoke("report", out, "--lang", "fi")
    assert result.exit_code == 0, result.output
    finnish = (out / "report.html").read_text(encoding="utf-8")
    assert (
        "yksikään muu yritys ei jaa sen tavoitetta cybersecurity (ryhmään tarvitaan 5)" in finnish
    )
    assert "teema cybersecurity: vain 1 yrityksen tavoitteissa (ryhmään tarvitaan 5)" in finnish
    assert "Esitarkistuksen havainnot (1)" in finnish
