"""The programme's own terms end to end: the optional columns read in Finnish, findings in
`validate`, the summary and the report; subsidised seats in assignments.csv; digiagents.csv;
sizes by meeting format in the summary and on the group cards."""

import csv
import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

import cli
from peergroups.io.readers import read_problem

# Nine companies wanting erp. A..F are small manufacturers meeting hybrid (maturity 10..15);
# G has 400 staff; H is a software house (NACE 62010); I was founded in 2025. A, B, G ask
# for a subsidised seat (Finnish headers and values); A, B and H were referred by digiagent
# Aino, C by Ville.
COMPANIES = """\
company_id,name,maturity,role,goals,nace_code,henkilöstö,perustettu,hankkeen_vaihe,tuki,digiagentti
A,Oy A,10,ceo,erp,25620,20,1990,suunnittelu,kyllä,Aino
B,Oy B,11,ceo,erp,25620,8,1990,alussa,kyllä,Aino
C,Oy C,12,ceo,erp,25620,30,1990,alussa,ei,Ville
D,Oy D,13,ceo,erp,25620,30,1990,alussa,ei,
E,Oy E,14,ceo,erp,25620,30,1990,alussa,,
F,Oy F,15,ceo,erp,25620,30,1990,alussa,,
G,Oy G,16,ceo,erp,25620,400,1990,alussa,kyllä,
H,Oy H,17,ceo,erp,62010,30,1990,alussa,,Aino
I,Oy I,18,ceo,erp,25620,30,2025,käynnissä,,
"""

SCENARIO = """\
[solver]
time_limit = 10
workers = 1

[[rules]]
kind = "group_size"
min_size = 3
max_size = 8
by_theme = { erp = { max_size = 6 } }

[[rules]]
kind = "eligibility"
criteria = ["sme", "industrial"]
plan_year = 2026

[[rules]]
kind = "subsidy"
subsidised_seats = 1
"""


def run(*args) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, [str(a) for a in args])
    return result.exit_code, result.output + (result.stderr if result.stderr_bytes else "")


def test_the_programme_end_to_end(tmp_path: Path):
    companies = tmp_path / "companies.csv"
    companies.write_text(COMPANIES, encoding="utf-8")
    scenario = tmp_path / "programme.toml"
    scenario.write_text(SCENARIO, encoding="utf-8")
    problem = read_problem(companies)
    assert [c.subsidy for c in problem.companies][:4] == [True, True, False, False]
    assert problem.by_id["A"].project_stage == "planning"

    # validate: findings, not refusals (exit 0); the scenario's plan year dates I's finding.
    code, output = run("validate", companies, "--scenario", scenario)
    assert code == 0, output
    assert (
        "eligibility: 3 companies outside the target group "
        "(1 established, 1 industrial, 1 project, 1 sme)" in output
    )
    assert "G: 400 employees, 250 or more [sme]" in output
    assert "H: NACE 62010 is outside manufacturing (10-33) [industrial]" in output
    assert "I: founded 2025, fewer than 3 years before 2026 [established]" in output
    assert "I: project stage underway, not planning or early [project]" in output

    # The plan: G and H are not eligible (sme, industrial hard); A..F and I remain, seven
    # companies for erp groups of 3-6: one group cannot hold them (6 at most), so 3 + 4.
    out = tmp_path / "plan"
    code, output = run("form-groups", companies, "--scenario", scenario, "--out", out)
    assert code == 0, output
    rows = {r["company_id"]: r for r in csv.DictReader((out / "assignments.csv").open())}
    assert rows["G"]["group_id"] == "" and "[sme]" in rows["G"]["reason"]
    assert rows["H"]["group_id"] == "" and "[industrial]" in rows["H"]["reason"]
    assert all(rows[c]["group_id"] for c in "ABCDEFI")
    # One seat, greatest need first: A (maturity 10) before B (11); G was not placed.
    assert {c: rows[c]["subsidised"] for c in "ABCG"} == {
        "A": "yes",
        "B": "no",
        "C": "no",
        "G": "no",
    }
    assert rows["E"]["subsidised"] == ""

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    programme = summary["programme"]
    assert programme["eligibility"]["counts"] == {
        "sme": 1, "industrial": 1, "established": 1, "project": 1
    }  # fmt: skip
    subsidy = programme["subsidy"]
    assert (subsidy["budget_seats"], subsidy["granted"], subsidy["requested"]) == (1, 1, 3)
    refused = {r["company_id"]: r["reason"] for r in subsidy["refused"]}
    assert refused["B"].startswith("the budget of 1 seat went to")
    assert refused["G"].startswith("not placed in a group: not eligible")
    assert {size for entry in programme["group_bounds"].values() for size in [tuple(entry)]} == {
        (3, 6)
    }

    agents = list(csv.DictReader((out / "digiagents.csv").open(encoding="utf-8")))
    assert [(r["digiagent"], r["company_id"]) for r in agents] == [
        ("Aino", "A"), ("Aino", "B"), ("Aino", "H"), ("Ville", "C")
    ]  # fmt: skip
    assert agents[2]["group_id"] == "" and "[industrial]" in agents[2]["reason"]
    assert agents[0]["group_id"] == rows["A"]["group_id"]

    # The workbook: a sheet per digiagent, to be sent to that digiagent alone.
    book = load_workbook(out / "plan.xlsx")
    assert book.sheetnames[4:] == ["Digiagent Aino", "Digiagent Ville"]
    aino = list(book["Digiagent Aino"].iter_rows(values_only=True))
    assert aino[0][0] == "Company id" and aino[0][5:] == (
        "Group", "Theme", "Meeting mode", "Facilitator", "Reason"
    )  # fmt: skip
    assert [r[0] for r in aino[1:]] == ["A", "B", "H"]
    assert aino[1][5] == rows["A"]["group_id"] and aino[1][7] == "hybrid"
    assert aino[3][5] is None and "[industrial]" in aino[3][9]
    assert [r[0] for r in book["Digiagent Ville"].iter_rows(min_row=2, values_only=True)] == ["C"]

    report = (out / "report.html").read_text(encoding="utf-8")
    assert 'id="programme"' in report
    assert "Eligibility findings" in report and "1 of 1 subsidised seats granted" in report
    assert "(bounds in force 3-6)" in report


def test_without_programme_columns_the_plan_is_as_before(tmp_path: Path):
    companies = tmp_path / "companies.csv"
    companies.write_text(
        "company_id,name,maturity,role,goals\n"
        + "".join(f"{c},Oy {c},{10 + i},ceo,erp\n" for i, c in enumerate("ABCDE")),
        encoding="utf-8",
    )
    out = tmp_path / "plan"
    code, output = run("form-groups", companies, "--out", out, "--time-limit", 5)
    assert code == 0, output
    assert sorted(p.name for p in out.iterdir()) == [
        "assignments.csv", "conflicts.graphml", "groups.csv", "manifest.json", "plan.xlsx",
        "report.html", "summary.json",
    ]  # fmt: skip
    header = (out / "assignments.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "subsidised" not in header.split(",")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert set(summary["programme"]) == {"eligibility"}
    assert summary["programme"]["eligibility"]["companies"] == 0


def test_digiagent_sheet_titles_are_valid_and_distinct():
    from peergroups.io.workbook import _sheet_title

    taken = {"groups"}
    titles = [
        _sheet_title(wanted, taken)
        for wanted in (
            "Digiagent A/B: [x]",
            "Digiagent " + "long name " * 5,
            "Digiagent " + "long name " * 5,
            "Groups",
        )
    ]
    assert titles[0] == "Digiagent A B   x"
    assert len(titles[1]) == 31 and len(titles[2]) == 31 and titles[2].endswith(" (2)")
    assert titles[3] == "Groups (2)"
