"""The input readers against real files: spellings coordinators use, and one file per defect."""

import codecs
import gc
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from pydantic import ValidationError

from peergroups.io.readers import (
    InputIssue,
    InvalidInput,
    read_assignments,
    read_inputs,
    read_problem,
    read_table,
)
from peergroups.model import DMA_DIMENSIONS, Company, RelationKind
from peergroups.roles import Role

DATA = Path(__file__).parent / "data" / "inputs"


def issues_of(*paths: Path | None) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        read_problem(*paths)
    return [str(issue) for issue in caught.value.issues]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# --- valid files --------------------------------------------------------------------------------


def test_reads_the_three_files_into_a_problem():
    loaded = read_inputs(DATA / "companies.csv", DATA / "relations.csv", DATA / "facilitators.csv")
    problem = loaded.problem

    assert [c.company_id for c in problem.companies] == [f"C00{i}" for i in range(1, 7)]
    c003 = problem.by_id["C003"]
    assert (c003.role, c003.region, c003.competitor_ok) == (Role.CEO, "MK06", True)
    assert problem.by_id["C002"].languages == ("sv", "fi")
    assert loaded.warnings == []


def test_relations_fold_reversed_pairs_but_keep_other_kinds():
    problem = read_problem(DATA / "companies.csv", DATA / "relations.csv")

    kinds = sorted((r.pair, r.kind) for r in problem.relations)
    assert kinds == [
        (("C001", "C003"), RelationKind.COMPETITOR),
        (("C001", "C003"), RelationKind.CUSTOMER_SUPPLIER),
        (("C002", "C004"), RelationKind.CUSTOMER_SUPPLIER),
    ]


def test_facilitator_conflicts_by_y_tunnus_become_company_ids():
    problem = read_problem(DATA / "companies.csv", None, DATA / "facilitators.csv")

    f01, f02 = problem.facilitators
    assert f01.regions == ("MK06", "MK02")
    assert (f01.conflicts, f02.conflicts) == (("C001",), ("C002",))


def test_finnish_headers_semicolons_and_decimal_commas():
    loaded = read_inputs(DATA / "yritykset.csv")
    y1, y2, y3 = loaded.problem.companies

    assert (y1.company_id, y1.name, y1.business_id) == ("Y1", "Konepaja Ääri Oy", "2254257-2")
    assert (y1.maturity, y1.region, y1.mode, y1.willing_to_chair) == (
        42.5,
        "MK06",
        "in_person",
        True,
    )
    assert (y2.name, y2.maturity, y2.role) == ("Valimo Öberg; Ab", 55.2, Role.DEVELOPMENT_DIRECTOR)
    assert y2.goals == ("cybersecurity",)
    assert (y3.employees, y3.role, y3.region) == (30, Role.BOARD_CHAIR, "MK13")
    assert (y1.contact, y2.contact) == ("Matti", "Lena")  # Yhteyshenkilö: kept for the outputs
    assert loaded.warnings == []


def test_utf8_bom(tmp_path):
    path = tmp_path / "companies.csv"
    path.write_bytes(codecs.BOM_UTF8 + (DATA / "yritykset.csv").read_bytes())

    problem = read_problem(path)

    assert [c.company_id for c in problem.companies] == ["Y1", "Y2", "Y3"]


def test_windows_1252(tmp_path):
    text = (
        "Tunnus;Yritys;Maakunta;Kypsyys;Rooli;Tavoitteet\n"
        "K1;Kärkölän Höyläämö Oy;Päijät-Häme;33,5;kehityspäällikkö;erp\n"
    )
    path = write(tmp_path / "yritykset.csv", text, encoding="cp1252")

    [company] = read_problem(path).companies

    assert (company.name, company.region, company.maturity) == (
        "Kärkölän Höyläämö Oy",
        "MK07",
        33.5,
    )


def test_undecodable_file_is_one_issue(tmp_path):
    path = tmp_path / "companies.csv"
    path.write_bytes(b"company_id,name\n\x81\x8d\n")

    assert issues_of(path) == [f"{path}: is neither UTF-8 nor Windows-1252 text"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed_from_the_header_outside_quotes(tmp_path, delimiter):
    other = ";" if delimiter == "," else ","
    notes = f"notes{other * 4}"
    header = delimiter.join(["company_id", "name", f'"{notes}"'])
    row = delimiter.join(["C001", '"Aalto, Oy; Ab"', "erp|cybersecurity"])
    path = write(tmp_path / "companies.csv", f"{header}\n{row}\n")

    headers, rows = read_table(path)

    assert headers == ["company_id", "name", notes]
    assert rows == [
        (2, {"company_id": "C001", "name": "Aalto, Oy; Ab", notes: "erp|cybersecurity"})
    ]


def test_line_numbers_are_physical_across_multiline_cells_and_blank_rows(tmp_path):
    text = (
        "company_id,name,maturity,role,goals\n"
        'C001,"Konepaja\nAalto Oy",40,ceo,erp\n'
        "\n"
        ",,,,\n"
        "C002,Valimo,40,janitor,erp\n"
    )
    path = write(tmp_path / "companies.csv", text)

    _, rows = read_table(path)

    assert [line for line, _ in rows] == [2, 6]
    assert rows[0][1]["name"] == "Konepaja\nAalto Oy"
    [issue] = issues_of(path)
    assert issue.startswith(f"{path}:6: role: unknown role 'janitor'")


def test_xlsx_first_sheet_numbers_and_row_numbers(tmp_path):
    path = tmp_path / "companies.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([])
    sheet.append(
        ["Company ID", "Name", "Maturity", "Role", "Goals", "Employees", "Joined", "Chair"]
    )
    sheet.append(["C001", "Aalto", 42.5, "ceo", "erp", 45, date(2024, 3, 1), True])
    sheet.append([])
    sheet.append(["C002", "Berg", 55, "janitor", "erp", 12, None, False])
    workbook.save(path)
    rewrite_sheet_xml(path, "<v>45</v>", "<v>45.0</v>")

    headers, rows = read_table(path)

    assert headers[0] == "Company ID"
    assert [line for line, _ in rows] == [3, 5]
    assert rows[0][1] == {
        "Company ID": "C001",
        "Name": "Aalto",
        "Maturity": "42.5",
        "Role": "ceo",
        "Goals": "erp",
        "Employees": "45",
        "Joined": "2024-03-01",
        "Chair": "true",
    }
    [issue] = issues_of(path)
    assert issue.startswith(f"{path}:5: Role: unknown role 'janitor'")


def rewrite_sheet_xml(path: Path, old: str, new: str) -> None:
    """Rewrite a sheet's XML as some producers save whole numbers ('45.0': a float on reading)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert old.encode() in parts[sheet]
    parts[sheet] = parts[sheet].replace(old.encode(), new.encode())
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def test_six_dma_dimensions_instead_of_maturity():
    first, second = read_problem(DATA / "companies_dma.csv").companies

    assert first.dma == (40, 50, 60, 30, 20, 10)
    assert (first.maturity, second.maturity) == (35.0, 56.1)


def test_dma_errors_point_at_the_dimension_column(tmp_path):
    text = (
        f"company_id,name,role,goals,{','.join(DMA_DIMENSIONS)}\n"
        "C001,Aalto,ceo,erp,40,50,abc,30,20,10\n"
        "C002,Berg,ceo,erp,40,50,60,300,20,10\n"
    )
    path = write(tmp_path / "companies.csv", text)

    assert issues_of(path) == [
        f"{path}:2: dma_human: 'abc' is not a number",
        f"{path}:3: dma_data: must be at most 100, not '300'",
    ]


def test_maturity_on_a_0_to_1_scale_is_rescaled_with_one_warning():
    loaded = read_inputs(DATA / "companies_fraction.csv")

    assert [c.maturity for c in loaded.problem.companies] == [42.5, 60.0, 100.0]
    [warning] = loaded.warnings
    assert (warning.line, warning.column) == (None, "maturity")
    assert "0-1 scale" in warning.message


def test_dma_on_a_0_to_1_scale_is_rescaled_together(tmp_path):
    text = (
        f"company_id,name,role,goals,{','.join(DMA_DIMENSIONS)}\n"
        "C001,Aalto,ceo,erp,0.4,0.5,0.6,0.3,0.2,0.1\n"
    )
    loaded = read_inputs(write(tmp_path / "companies.csv", text))

    assert loaded.problem.companies[0].maturity == 35.0
    [warning] = loaded.warnings
    assert warning.column == ", ".join(DMA_DIMENSIONS)


def test_goals_from_primary_and_secondary_challenges():
    first, second = read_problem(DATA / "companies_challenges.csv").companies

    assert first.goals == ("cybersecurity", "erp", "mes_production_data")
    assert second.goals == ("erp",)


def test_header_only_relations_file_means_no_relations(tmp_path):
    relations = write(tmp_path / "relations.csv", "company_a;company_b;relation\n")

    assert read_problem(DATA / "companies.csv", relations).relations == ()


# --- one file per defect ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("companies", "relations", "where", "fragment"),
    [
        ("bad_missing_column.csv", None, "", "missing required column: role (also accepted: "),
        ("bad_duplicate_id.csv", None, ":4: company_id", "C001 already appears on line 2"),
        ("bad_business_id.csv", None, ":3: business_id", "has check digit 3, expected 2"),
        ("bad_theme.csv", None, ":3: goals", "'cybersecurty'; did you mean 'cybersecurity'?"),
        ("bad_region.csv", None, ":2: region", "unknown region 'Atlantis'"),
        ("bad_role.csv", None, ":4: role", "unknown role 'janitor'"),
        ("bad_maturity_range.csv", None, ":2: maturity", "must be at most 100, not '150'"),
        ("bad_maturity_text.csv", None, ":3: maturity", "'high' is not a number"),
        ("bad_challenges.csv", None, ":2: secondary_challenges", "unknown theme 'blockchain'"),
        (
            "companies.csv",
            "bad_relation_unknown_company.csv",
            ":3: company_b",
            "unknown company 'C0O6'; did you mean 'C006'?",
        ),
        ("companies.csv", "bad_self_relation.csv", ":2: company_b", "C002 cannot have a relation"),
        ("companies.csv", "bad_relation_kind.csv", ":3: relation", "unknown relation 'friend'"),
    ],
)
def test_each_defect_is_reported_at_its_cell(companies, relations, where, fragment):
    defective = DATA / (relations or companies)

    [issue] = issues_of(DATA / companies, relations and DATA / relations)

    prefix = f"{defective}{where}: "
    assert issue.startswith(prefix)
    assert fragment in issue.removeprefix(prefix)


def test_every_defect_in_a_file_is_reported_at_once():
    path = DATA / "bad_many.csv"

    issues = issues_of(path)

    assert [issue.split(": ")[0:2] for issue in issues] == [
        [f"{path}:2", "business_id"],
        [f"{path}:2", "role"],
        [f"{path}:3", "maturity"],
        [f"{path}:4", "company_id"],
        [f"{path}:4", "region"],
        [f"{path}:4", "goals"],
    ]


def test_every_file_is_checked_and_issues_come_in_file_order():
    files = [DATA / "bad_many.csv", DATA / "bad_relation_kind.csv", DATA / "bad_facilitators.csv"]

    with pytest.raises(InvalidInput) as caught:
        read_problem(*files)

    issues = caught.value.issues
    order = [str(f) for f in files]
    assert [order.index(i.file) for i in issues] == [0] * 6 + [1] * 3 + [2] * 3
    assert [str(i) for i in issues[6:]] == [
        f"{files[1]}:3: company_a: unknown company 'C003'; did you mean 'C002'?",
        f"{files[1]}:3: company_b: unknown company 'C004'; did you mean 'C002'?",
        f"{files[1]}:3: relation: unknown relation 'friend' (use competitor, "
        "customer_supplier, same_owner, conflict or other)",
        f"{files[2]}:2: conflicts: unknown company 'C099'",
        f"{files[2]}:3: facilitator_id: facilitator_id F01 already appears on line 2",
        f"{files[2]}:3: capacity: 'many' is not a number",
    ]


def test_a_business_id_written_twice_in_different_forms(tmp_path):
    text = (
        "company_id,name,business_id,maturity,role,goals\n"
        "C001,Aalto,2254257-2,40,ceo,erp\n"
        "C002,Berg,FI22542572,40,ceo,erp\n"
    )
    path = write(tmp_path / "companies.csv", text)

    assert issues_of(path) == [
        f"{path}:3: business_id: business_id FI22542572 already appears on line 2"
    ]


def test_a_spelling_refused_once_is_refused_on_every_line(tmp_path):
    """The parsers remember the spellings they read; a refusal is not remembered away, and
    a spelling accepted on one line is read the same on the next."""
    text = (
        "company_id,name,maturity,role,goals,competitor_ok\n"
        "C001,Aalto,40,ceo,erp,maybe\n"
        "C002,Berg,40,ceo,erp,kyllä\n"
        "C003,Cedar,40,ceo,erp,maybe\n"
        "C004,Dahl,40,ceo,erp,kyllä\n"
    )
    path = write(tmp_path / "companies.csv", text)

    refusal = "'maybe' is not yes/no (use true/false, 1/0, kyllä/ei)"
    assert issues_of(path) == [
        f"{path}:2: competitor_ok: {refusal}",
        f"{path}:4: competitor_ok: {refusal}",
    ]
    accepted = read_problem(write(tmp_path / "ok.csv", text.replace("maybe", "ei")))
    assert [c.competitor_ok for c in accepted.companies] == [False, True, False, True]


def test_values_a_program_passes_are_parsed_as_before():
    """Lists and other values no cache can hold still reach the parsers and pydantic."""
    company = Company(
        company_id="C1", name="Oy", maturity=45.0, role=Role.CEO, goals=["erp", "ERP"]
    )
    assert (company.goals, company.maturity, company.languages) == (("erp",), 45.0, ("fi",))
    with pytest.raises(ValidationError):
        Company(company_id="C1", name="Oy", maturity=[45], role="ceo", goals="erp")


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_cycle_collector_as_it_found_it(enabled):
    """Reading pauses Python's cycle collector, also when the input is refused."""
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        read_inputs(DATA / "companies.csv", DATA / "relations.csv")
        assert gc.isenabled() == enabled
        with pytest.raises(InvalidInput):
            read_inputs(DATA / "bad_many.csv")
        assert gc.isenabled() == enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_missing_columns_are_one_issue_naming_them_all(tmp_path):
    path = write(tmp_path / "companies.csv", "id,nimi\nC001,Aalto\n")

    [issue] = issues_of(path)

    assert issue.startswith(f"{path}: missing required columns: maturity (also accepted: ")
    assert "or all of dma_strategy, dma_readiness" in issue
    assert "; role (also accepted: rep_role, rooli, asema, tehtävänimike" in issue
    assert "; goals (also accepted: tavoitteet" in issue


def test_empty_and_header_only_company_files(tmp_path):
    empty = write(tmp_path / "empty.csv", "")
    header_only = write(tmp_path / "header.csv", "company_id,name,maturity,role,goals\n")

    assert issues_of(empty) == [f"{empty}: no companies in file (it is empty)"]
    assert issues_of(header_only) == [f"{header_only}: no companies in file (only a header)"]


def test_missing_file_is_an_issue_not_a_traceback(tmp_path):
    missing = tmp_path / "nope.csv"

    [issue] = issues_of(DATA / "companies.csv", missing)

    assert issue.startswith(f"{missing}: cannot read the file")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("companies.xls", "is an old .xls workbook; save it as .xlsx or CSV"),
        ("companies.xlsx", "is not a readable .xlsx workbook"),
    ],
)
def test_unreadable_workbooks_are_one_issue(tmp_path, name, message):
    path = write(tmp_path / name, "not a workbook")

    assert issues_of(path) == [f"{path}: {message}"]


# --- edited assignments -------------------------------------------------------------------------


@pytest.fixture
def problem():
    return read_problem(DATA / "companies.csv")


def test_read_assignments(problem):
    grouping = read_assignments(DATA / "assignments.csv", problem)

    g01, g02 = grouping.groups
    assert (g01.group_id, g01.theme, g01.members, g01.chair) == (
        "G01",
        "erp",
        ("C001", "C005", "C006"),
        "C005",
    )
    assert (g02.theme, g02.members, g02.scribe) == ("cybersecurity", ("C002", "C004"), "C004")
    [left_out] = grouping.unassigned
    assert (left_out.company_id, left_out.reason) == (
        "C003",
        "no shared theme with a compatible group",
    )
    assert grouping.accounting_errors(problem) == []


def test_read_assignments_reports_every_problem(problem):
    path = DATA / "bad_assignments.csv"

    with pytest.raises(InvalidInput) as caught:
        read_assignments(path, problem)

    assert [str(i) for i in caught.value.issues] == [
        f"{path}:3: company_id: unknown company 'C0O2'; did you mean 'C002'?",
        f"{path}:4: theme: cybersecurity differs from erp, given for G01 on line 2",
        f"{path}:5: company_id: company_id C001 already appears on line 2",
        f"{path}:6: role_in_group: G01 already has a chair: C001",
    ]


def test_read_assignments_needs_its_columns(tmp_path, problem):
    path = write(tmp_path / "assignments.csv", "company_id,group_id\nC001,G01\n")

    with pytest.raises(InvalidInput) as caught:
        read_assignments(path, problem)

    assert [str(i) for i in caught.value.issues] == [
        f"{path}: missing required column: theme (also accepted: teema)"
    ]


# --- the issue itself ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        (3, "role", "a.csv:3: role: bad"),
        (None, "role", "a.csv: role: bad"),
        (3, None, "a.csv:3: bad"),
        (None, None, "a.csv: bad"),
    ],
)
def test_issue_text(line, column, expected):
    assert str(InputIssue("a.csv", line, column, "bad")) == expected
