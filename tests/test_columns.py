"""The column contract (peergroups.io.columns) is the one the readers, the generator and the
writers follow: what one writes under the contract's headers, the others read, under any
spelling the contract lists."""

import csv
import typing
from pathlib import Path

import pytest

from peergroups.generate import generate, write_problem
from peergroups.io.columns import (
    ASSIGNMENTS,
    CHANGES,
    COMPANIES,
    FACILITATORS,
    GROUPS,
    HISTORY,
    PINS,
    RELATIONS,
    Table,
)
from peergroups.io.readers import read_assignments, read_changes, read_problem
from peergroups.io.writers import write_assignments, write_groups
from peergroups.model import Change, Company, Facilitator, Grouping, Meeting, Pin, Relation

MODELS = {
    "companies": Company,
    "relations": Relation,
    "facilitators": Facilitator,
    "pins": Pin,
    "history rows": Meeting,
    "changes": Change,
}


def header(path: Path) -> tuple[str, ...]:
    with path.open(newline="", encoding="utf-8") as handle:
        return tuple(next(csv.reader(handle)))


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """A cohort as the generator writes it, with pins, history and a plan beside it."""
    directory = tmp_path_factory.mktemp("cohort")
    problem = generate(12, seed=4, programme=True)  # every optional column too
    write_problem(problem, directory)
    ids = [c.company_id for c in problem.companies]
    (directory / "pins.csv").write_text(
        "kind,company_id,group_id,groups,themes,partner\n"
        f"group,{ids[0]},G1,,{problem.companies[0].goals[0]},\n"
        f"groups,{ids[1]},,G1,,\n"
        f"together,{ids[2]},,,,{ids[3]}\n",
        encoding="utf-8",
    )
    (directory / "history.csv").write_text(
        f"round,group_id,company_id\n1,G1,{ids[0]}\n1,G1,{ids[1]}\n", encoding="utf-8"
    )
    (directory / "changes.csv").write_text(
        "change,company_id,partner,relation,severity,maturity\n"
        f"relation,{ids[0]},{ids[1]},competitor,hard,\n"
        f"maturity,{ids[2]},,,,55\n",
        encoding="utf-8",
    )
    grouping = Grouping(
        groups=({"group_id": "G1", "theme": problem.companies[0].goals[0], "members": ids[:1]},),
        unassigned=tuple({"company_id": cid, "reason": "test"} for cid in ids[1:]),
    )
    write_assignments(directory / "assignments.csv", problem, grouping, frozenset(ids[:1]))
    write_groups(directory / "groups.csv", problem, grouping)
    return directory


def test_the_generator_writes_the_contracts_columns_in_its_order(written):
    for table in (COMPANIES, RELATIONS, FACILITATORS):
        assert header(written / table.file) == table.header


def test_the_writers_write_the_contracts_columns_in_its_order(written):
    assert header(written / "assignments.csv") == ASSIGNMENTS.header
    assert header(written / "groups.csv") == GROUPS.header


def test_optional_columns_are_left_out_when_no_row_has_a_value(tmp_path):
    # Without the programme's columns, files keep the header they had before those existed.
    problem = generate(5, seed=4)
    write_problem(problem, tmp_path)
    optional = {c.name for c in COMPANIES.written if c.optional}
    assert optional == {
        "turnover_eur", "balance_sheet_eur", "founded", "project_stage", "subsidy", "digiagent"
    }  # fmt: skip
    assert header(tmp_path / "companies.csv") == tuple(
        name for name in COMPANIES.header if name not in optional
    )
    grouping = Grouping(
        unassigned=tuple({"company_id": c.company_id, "reason": "test"} for c in problem.companies)
    )
    write_assignments(tmp_path / "assignments.csv", problem, grouping)
    assert "subsidised" not in header(tmp_path / "assignments.csv")


def test_the_columns_not_written_are_the_stand_ins_for_goals_and_personal_data():
    not_written = {c.name for c in COMPANIES.columns if not c.written}
    assert not_written == {*COMPANIES.stand_ins["goals"], "contact", "email"}


@pytest.mark.parametrize("table", [COMPANIES, RELATIONS, FACILITATORS, PINS, HISTORY, CHANGES])
def test_a_multi_value_column_fills_a_tuple_field(table: Table):
    fields = MODELS[table.noun].model_fields
    for column in table.columns:
        if column.field in fields:
            annotation = fields[column.field].annotation
            is_tuple = typing.get_origin(annotation) is tuple or annotation is tuple
            assert column.multi == is_tuple, column.name


def read(table: Table, directory: Path):
    """The file of `table` in `directory`, read as the product reads it, as plain data."""
    path = directory / table.file
    if table is CHANGES:
        return [change.model_dump() for change in read_changes(path)]
    companies = directory / "companies.csv"
    if table is ASSIGNMENTS:
        return read_assignments(path, read_problem(companies)).model_dump()
    inputs = {"companies": companies, table.file.removesuffix(".csv"): path}
    return read_problem(**inputs).model_dump()


def renamed(directory: Path, table: Table, target: Path, old: str, new: str) -> None:
    for path in directory.iterdir():
        text = path.read_text(encoding="utf-8")
        if path.name == table.file:
            first, rest = text.split("\n", 1)
            assert old in first.split(","), (path.name, old)
            text = ",".join(new if cell == old else cell for cell in first.split(",")) + "\n" + rest
        (target / path.name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    "table", [COMPANIES, RELATIONS, FACILITATORS, PINS, HISTORY, CHANGES, ASSIGNMENTS]
)
def test_readers_accept_every_spelling_the_contract_lists(written, tmp_path, table: Table):
    expected = read(table, written)
    for column in table.written:
        for number, alias in enumerate(column.aliases):
            target = tmp_path / f"{column.name}-{number}"
            target.mkdir()
            renamed(written, table, target, column.name, alias.upper())
            got = read(table, target)
            assert got == expected, f"{table.file}: {alias} for {column.name}"


def test_readers_accept_the_challenge_columns_for_goals(written, tmp_path):
    expected = read(COMPANIES, written)
    spellings = {column.name: column.spellings for column in COMPANIES.columns}
    for primary in spellings["primary_challenge"]:
        for secondary in spellings["secondary_challenges"]:
            target = tmp_path / f"{primary}-{secondary}"
            target.mkdir()
            with (written / "companies.csv").open(newline="", encoding="utf-8") as handle:
                rows = list(csv.DictReader(handle))
            for row in rows:
                goals = row.pop("goals").split("|")
                row[primary] = goals[0]
                row[secondary] = "|".join(goals[1:])
            with (target / "companies.csv").open("w", newline="", encoding="utf-8") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
            assert read(COMPANIES, target) == expected
