"""The output writers: formula-safe cells, and a plan directory swapped in whole or not at all."""

import csv
import io
from pathlib import Path

import pytest

from peergroups.io.assignments_text import assignments_text
from peergroups.io.cells import as_written, may_need_apostrophe
from peergroups.io.columns import ASSIGNMENTS
from peergroups.io.swap import MARKER, write_marker
from peergroups.io.tables import assignment_rows
from peergroups.io.writers import (
    OutputDirectoryInUse,
    _filled,
    _write_csv,
    plan_directory,
    spreadsheet_safe,
    write_assignments,
    write_groups,
    write_plan,
)
from peergroups.model import Company, Group, Grouping, Problem, Unassigned

# --- cells a spreadsheet would run ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["=1+1", '=HYPERLINK("http://x","y")', "+358 40 123", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"],
)
def test_formula_starts_get_a_leading_apostrophe(text):
    assert spreadsheet_safe(text) == "'" + text
    assert as_written(spreadsheet_safe(text)) == text


@pytest.mark.parametrize("text", ["'=already text", "'plain", "''"])
def test_a_leading_apostrophe_gets_one_more_so_round_trips_stay_exact(text):
    assert spreadsheet_safe(text) == "'" + text
    assert as_written(spreadsheet_safe(text)) == text
    assert spreadsheet_safe("=x") != spreadsheet_safe("'=x")


@pytest.mark.parametrize(
    "value",
    ["C001", "", "a=b", "Konepaja Aalto Oy", "50%", 42, -5, 4.5, None, True],
)
def test_other_values_are_left_alone(value):
    assert spreadsheet_safe(value) == value


# Cells that a spreadsheet runs, or that only look as if it might: at the start, after a
# comma or a line end inside quoted text, behind a quote, and numbers (never prefixed).
TRICKY = [
    "=1",
    "=a,b",
    '@"x"',
    "-\n1",
    "+2",
    "-1.5",
    "@x",
    "\t=1",
    "\r=1",
    "'a",
    "",
    "a",
    "a,=b",
    "a\n-b",
    '"=x"',
    'say "=x"',
    "x\r\n+y",
    " =1",
    -1,
    -1.5,
    0,
    None,
    True,
]


def csv_text(rows: list[list[object]], header: tuple[str, ...] = ("header",)) -> str:
    """Rows as `csv` writes them under a header line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def safe(rows: list[list[object]]) -> list[list[object]]:
    return [[spreadsheet_safe(cell) for cell in row] for row in rows]


@pytest.mark.parametrize("first", TRICKY)
@pytest.mark.parametrize("second", TRICKY)
def test_one_search_of_the_text_finds_every_cell_to_prefix(first, second):
    rows = [["plain", first, second], [second, "x", first]]

    if csv_text(safe(rows)) != csv_text(rows):
        assert may_need_apostrophe(csv_text(rows))


@pytest.mark.parametrize(
    "rows",
    [
        [[a, b] for a in TRICKY for b in TRICKY],  # written again cell by cell
        [[a, b] for a in ("a", "", 0, None, True) for b in ("b c", 7)],  # written as they are
    ],
)
def test_a_table_is_written_as_spreadsheet_safe_has_it_cell_by_cell(tmp_path, rows):
    path = tmp_path / "table.csv"

    _write_csv(path, ("one", "two"), rows)

    assert path.read_bytes().decode("utf-8") == csv_text(safe(rows), ("one", "two"))


def company(company_id: str, maturity: float = 40, goals: str = "erp") -> Company:
    return Company(
        company_id=company_id,
        name=f"Yritys {company_id}",
        maturity=maturity,
        role="ceo",
        goals=goals,
    )


def read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def problem() -> Problem:
    return Problem(
        companies=(
            company("=cmd|' /C calc'!A0", 40),
            company("C002", 45),
            company("@C003", 50),
            company("+C004", 55),
            company("C005", 60),
            company("-C006", 42),
        )
    )


@pytest.fixture
def grouping() -> Grouping:
    return Grouping(
        groups=(
            Group(
                group_id="=G1",
                theme="erp",
                members=("=cmd|' /C calc'!A0", "C002", "@C003", "+C004", "C005"),
                chair="C002",
                facilitator_id="+F1",
            ),
        ),
        unassigned=(Unassigned(company_id="-C006", reason="=IMPORTXML(a reason)"),),
    )


def test_write_assignments_neutralises_ids_and_reasons(tmp_path, problem, grouping):
    path = tmp_path / "assignments.csv"

    write_assignments(path, problem, grouping)

    header, *rows = read(path)
    assert header == [
        "company_id",
        "name",
        "business_id",
        "group_id",
        "theme",
        "role_in_group",
        "reason",
        "contact",
        "email",
    ]
    assert [row[:1] + row[3:7] for row in rows] == [
        ["'=cmd|' /C calc'!A0", "'=G1", "erp", "member", ""],
        ["C002", "'=G1", "erp", "chair", ""],
        ["'@C003", "'=G1", "erp", "member", ""],
        ["'+C004", "'=G1", "erp", "member", ""],
        ["C005", "'=G1", "erp", "member", ""],
        ["'-C006", "", "", "", "'=IMPORTXML(a reason)"],
    ]
    assert rows[1][1] == "Yritys C002"  # a reader never has to look a company up


# Cells csv quotes or leaves alone; no formula starts (those go cell by cell).
AWKWARD = ['Oy "Aalto", Ab', "two\nlines", "cr\rhere", "Ääkkönen Oy", "a,b", "plain", ' "q" ']


@pytest.mark.parametrize("subsidised", [None, frozenset(), frozenset({"A1", "A3"})])
def test_assignments_text_is_what_csv_writes_of_the_rows(subsidised):
    companies = tuple(
        Company(
            company_id=f"A{n}",
            name=text,
            maturity=40 + n,
            role="ceo",
            goals="erp",
            contact=None if n % 3 == 0 else AWKWARD[(n + 2) % len(AWKWARD)],
            email=None if n % 2 else f"x{n}@example.fi",
            subsidy=None if n % 4 == 0 else n % 2 == 1,
        )
        for n, text in enumerate(AWKWARD)
    )
    problem = Problem(companies=companies)
    ids = [c.company_id for c in companies]
    grouping = Grouping(
        groups=(
            Group(group_id="G,1", theme="erp", members=tuple(ids[:5]), chair=ids[1], scribe=ids[2]),
        ),
        unassigned=tuple(
            Unassigned(company_id=cid, reason=f'left "out", {cid}') for cid in ids[5:]
        ),
    )

    expected = csv_text(
        *reversed(_filled(ASSIGNMENTS, assignment_rows(problem, grouping, subsidised)))
    )

    assert assignments_text(problem, grouping, subsidised) == expected


def test_assignments_text_refuses_a_plan_that_leaves_a_company_unaccounted(problem, grouping):
    missing = grouping.model_copy(update={"unassigned": ()})

    with pytest.raises(ValueError, match="neither in a group nor left out"):
        assignments_text(problem, missing)


def test_write_groups_neutralises_text_but_not_the_numbers(tmp_path, problem, grouping):
    path = tmp_path / "groups.csv"

    write_groups(path, problem, grouping)

    header, row = read(path)
    assert header[0] == "group_id" and header[-1] == "members"
    assert dict(zip(header, row, strict=True)) == {
        "group_id": "'=G1",
        "theme": "erp",
        "theme_name": "ERP renewal and integration",
        "size": "5",
        "maturity_min": "40.0",
        "maturity_max": "60.0",
        "maturity_spread": "20.0",
        "mode": "hybrid",
        "region": "",
        "region_name": "",
        "meeting_place": "",
        "language": "fi",
        "facilitator_id": "'+F1",
        "members": "Yritys =cmd|' /C calc'!A0|Yritys C002|Yritys @C003|Yritys +C004|Yritys C005",
    }


def test_write_plan_writes_every_plan_file(tmp_path, problem, grouping):
    target = tmp_path / "plan"

    write_plan(target, problem, grouping, {"status": "feasible", "note": "=1+1"})

    assert sorted(p.name for p in target.iterdir()) == [
        "assignments.csv",
        "conflicts.graphml",
        "groups.csv",
        "manifest.json",
        "plan.xlsx",
        "report.html",
        "summary.json",
    ]
    assert '"note": "=1+1"' in (target / "summary.json").read_text(encoding="utf-8")
    assert hidden(tmp_path) == []


# --- the plan directory --------------------------------------------------------------------------


def hidden(directory: Path) -> list[str]:
    """Staging and retired directories left next to a target."""
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def contents(directory: Path) -> dict[str, bytes]:
    """The files of a directory, without the manifest that marks it as the tool's."""
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.name != MARKER}


@pytest.fixture
def earlier_plan(tmp_path) -> Path:
    target = tmp_path / "plan"
    target.mkdir()
    (target / "assignments.csv").write_text("old assignments\n", encoding="utf-8")
    (target / "report.html").write_text("<p>old report</p>\n", encoding="utf-8")
    write_marker(target, "plan")
    return target


def test_creates_a_new_directory_and_its_parents(tmp_path):
    target = tmp_path / "runs" / "2026" / "plan"

    with plan_directory(target) as staging:
        assert staging != target and staging.parent == target.parent
        assert not target.exists()
        (staging / "groups.csv").write_text("new\n", encoding="utf-8")

    assert contents(target) == {"groups.csv": b"new\n"}
    assert hidden(target.parent) == []


def test_an_empty_directory_is_used(tmp_path):
    target = tmp_path / "plan"
    target.mkdir()

    with plan_directory(target) as staging:
        (staging / "groups.csv").write_text("new\n", encoding="utf-8")

    assert contents(target) == {"groups.csv": b"new\n"}
    assert hidden(tmp_path) == []


def test_an_earlier_plan_is_replaced_whole(earlier_plan, tmp_path):
    with plan_directory(earlier_plan) as staging:
        assert contents(earlier_plan)["assignments.csv"] == b"old assignments\n"
        (staging / "assignments.csv").write_text("new assignments\n", encoding="utf-8")

    assert contents(earlier_plan) == {"assignments.csv": b"new assignments\n"}
    assert hidden(tmp_path) == []
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


def test_a_directory_with_foreign_files_is_refused_and_untouched(earlier_plan, tmp_path):
    (earlier_plan / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = contents(earlier_plan)
    entered = []

    with pytest.raises(OutputDirectoryInUse, match=r"notes\.txt"), plan_directory(earlier_plan):
        entered.append(True)

    assert entered == []
    assert contents(earlier_plan) == before
    assert hidden(tmp_path) == []


@pytest.mark.parametrize("error", [RuntimeError("disk full"), KeyboardInterrupt()])
def test_an_error_inside_keeps_the_earlier_plan_and_removes_the_staging(
    earlier_plan, tmp_path, error
):
    before = contents(earlier_plan)

    with pytest.raises(type(error)), plan_directory(earlier_plan) as staging:
        (staging / "assignments.csv").write_text("half written", encoding="utf-8")
        raise error

    assert contents(earlier_plan) == before
    assert not staging.exists()
    assert hidden(tmp_path) == []


def test_an_error_inside_creates_no_target(tmp_path):
    target = tmp_path / "plan"

    with pytest.raises(RuntimeError), plan_directory(target) as staging:
        (staging / "groups.csv").write_text("half written", encoding="utf-8")
        raise RuntimeError("solver crashed")

    assert list(tmp_path.iterdir()) == []


def test_a_file_as_target_is_refused_and_untouched(tmp_path):
    target = tmp_path / "plan"
    target.write_text("a file\n", encoding="utf-8")

    with pytest.raises(OutputDirectoryInUse, match="it is a file"), plan_directory(target):
        pass

    assert target.read_text(encoding="utf-8") == "a file\n"


def test_the_current_directory_as_target_fails_cleanly_or_works(tmp_path, monkeypatch):
    here = tmp_path / "plan"
    here.mkdir()
    monkeypatch.chdir(here)

    try:
        with plan_directory(Path(".")) as staging:
            (staging / "groups.csv").write_text("new\n", encoding="utf-8")
    except OutputDirectoryInUse:
        pass

    assert hidden(here) == [] and hidden(tmp_path) == []
