"""Property-based tests of the files read besides companies and relations (issue 16): pins,
history and changes, as CSV or workbooks, and workbooks of several sheets (hidden or not) with
columns that may repeat. They extend the fuzz profile of tests/test_fuzz.py (same `fuzz`
marker, same "ci" and "fuzz" hypothesis profiles from tests/conftest.py).

The properties:
1. pins and history files are read with the companies or refused with InvalidInput, never
   another exception; every issue names the file, a line the file has and a column it has;
2. changes.csv read against a plan's companies: the same, and a change that names a company
   the companies file lacks is always reported on its line;
3. a workbook of several sheets is read from its only visible sheet (whatever the hidden ones
   hold) or refused when that is ambiguous; a column given twice is always refused.
"""

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from peergroups.generate import generate, write_problem
from peergroups.io import InvalidInput, read_inputs
from peergroups.io.changes import read_changes_for
from peergroups.io.readers import InputIssue, Loaded

pytestmark = pytest.mark.fuzz

PROBLEM = generate(12, 3)
IDS = [c.company_id for c in PROBLEM.companies]
CELLS = (
    "", " ", *IDS[:4], "C9999", "NOPE", "G1", "G2", "1", "2", "-1", "x", "1e308", "nan",
    "group", "groups", "themes", "lock", "together", "apart", "nope", "erp", "erp|cybersecurity",
    "leave", "join", "relation", "maturity", "competitor", "hard", "soft", "40", "150", "=1+1",
    "\u202e", "👩‍🔬", '"', "|", ";", "\n",
)  # fmt: skip
HEADERS = {
    "pins": ("kind", "company_id", "group_id", "groups", "themes", "partner"),
    "history": ("round", "group_id", "company_id"),
    "changes": ("change", "company_id", "partner", "relation", "severity", "maturity"),
}


@st.composite
def tables(draw: Any, kind: str) -> list[list[str]]:
    headers = list(HEADERS[kind])
    kept = draw(st.lists(st.sampled_from(headers), min_size=1, unique=True))
    if draw(st.integers(0, 9)) == 0:  # now and then a column twice
        kept.append(draw(st.sampled_from(kept)))
    cells = st.one_of(st.sampled_from(CELLS), st.text(max_size=6))
    rows = draw(st.lists(st.lists(cells, min_size=len(kept), max_size=len(kept)), max_size=6))
    return [kept, *rows]


def save(rows: list[list[str]], directory: Path, name: str, workbook: bool) -> Path:
    if workbook:
        path = directory / f"{name}.xlsx"
        book = openpyxl.Workbook()
        for row in rows:
            book.active.append([ILLEGAL_CHARACTERS_RE.sub("", c.replace("\n", " ")) for c in row])
        book.save(path)
        return path
    path = directory / f"{name}.csv"
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def located(issue: InputIssue, files: dict[str, Path]) -> None:
    """An issue names one of the files; its line is one the file has."""
    assert issue.file in {str(p) for p in files.values()}, issue
    assert issue.message.strip(), issue
    assert "validation error" not in issue.message and "Traceback" not in issue.message
    if issue.line is not None:
        assert 1 <= issue.line <= _lines(Path(issue.file)), issue


def _lines(path: Path) -> int:
    if path.suffix == ".xlsx":
        return openpyxl.load_workbook(path, read_only=True).active.max_row or 0
    return path.read_text(encoding="utf-8").count("\n") + 1


@pytest.fixture(scope="module")
def companies(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("companies")
    write_problem(PROBLEM, directory)
    return directory / "companies.csv"


@given(pins=tables("pins"), history=tables("history"), workbook=st.booleans())
def test_pins_and_history_are_read_or_refused_with_located_issues(
    companies, pins, history, workbook
):
    with tempfile.TemporaryDirectory() as name:
        directory = Path(name)
        files = {
            "companies": companies,
            "pins": save(pins, directory, "pins", workbook),
            "history": save(history, directory, "history", workbook),
        }
        note(f"pins {pins}\nhistory {history}")
        try:
            loaded = read_inputs(files["companies"], pins=files["pins"], history=files["history"])
        except InvalidInput as invalid:
            assert invalid.issues
            for issue in invalid.issues:
                located(issue, files)
        else:
            assert isinstance(loaded, Loaded)
            assert {p.company_id for p in loaded.problem.pins} - {None} <= set(IDS)


@given(changes=tables("changes"), workbook=st.booleans())
def test_changes_are_read_or_refused_with_located_issues(changes, workbook):
    with tempfile.TemporaryDirectory() as name:
        path = save(changes, Path(name), "changes", workbook)
        note(f"changes {changes}")
        try:
            listed = read_changes_for(path, PROBLEM)
        except InvalidInput as invalid:
            assert invalid.issues
            for issue in invalid.issues:
                located(issue, {"changes": path})
            header = changes[0]
            if (
                header.count("company_id") == 1
                and "change" in header
                and len(set(header)) == len(header)
            ):
                where = header.index("company_id")
                for line, row in enumerate(changes[1:], 2):
                    if row[where].strip() in ("C9999", "NOPE"):
                        assert any(i.line == line for i in invalid.issues), (line, row)
        else:
            assert {c.company_id for c in listed} <= set(IDS)


@given(
    sheets=st.lists(st.tuples(st.booleans(), st.integers(0, 12)), min_size=1, max_size=4),
    repeat=st.booleans(),
)
def test_a_workbook_is_read_from_its_only_visible_sheet_or_refused(companies, sheets, repeat):
    with companies.open(encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    if repeat:
        rows = [[*row, row[1]] for row in rows]  # `name` twice
    assume_visible = sum(1 for hidden, _ in sheets if not hidden)
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "companies.xlsx"
        book = openpyxl.Workbook()
        book.remove(book.active)
        for number, (hidden, count) in enumerate(sheets):
            sheet = book.create_sheet(f"s{number}")
            for row in rows[: count + 1]:
                sheet.append(row)
            sheet.sheet_state = "hidden" if hidden else "visible"
        if assume_visible == 0:  # a workbook needs a visible sheet; openpyxl would refuse
            book.worksheets[0].sheet_state = "visible"
            sheets[0] = (False, sheets[0][1])
        book.save(path)
        visible = [count for hidden, count in sheets if not hidden]
        try:
            loaded = read_inputs(path)
        except InvalidInput as invalid:
            messages = " ".join(i.message for i in invalid.issues)
            assert repeat or len(visible) != 1 or visible[0] == 0, messages
            if repeat:
                assert "both give name" in messages or len(visible) != 1, messages
        else:
            assert not repeat and len(visible) == 1
            assert len(loaded.problem.companies) == visible[0]
