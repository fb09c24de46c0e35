"""Reading the input files (DESIGN.md "Input files"): CSV or XLSX, as coordinators save them,
or pandas DataFrames with the same columns, as researchers hold them.

A reader finds the cells and maps columns to model fields by the column contract
(`peergroups.io.columns`); the model's validators judge the values, so the rules of the
contract live in one place. A DataFrame's cells are turned into the text a CSV would hold and
take the same path. Every problem in every input is collected and raised at once, located by
physical line (a DataFrame's row) and by the column header as written, so a coordinator can fix
all files in one pass. Nothing is ever written.
"""

import codecs
import csv
import difflib
import gc
import io
import re
import warnings as python_warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, time
from functools import cache
from itertools import zip_longest
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ValidationError

from peergroups.io.cells import as_written
from peergroups.io.columns import (
    ASSIGNMENTS,
    CHANGES,
    COMPANIES,
    FACILITATORS,
    HISTORY,
    PINS,
    RELATIONS,
    SEPARATOR,
    Table,
)
from peergroups.io.safety import Unreadable, read_bytes, xlsx_rows
from peergroups.model import (
    DMA_DIMENSIONS,
    Change,
    Company,
    Facilitator,
    Group,
    Grouping,
    Meeting,
    Pin,
    PinKind,
    Problem,
    Relation,
    Unassigned,
)
from peergroups.parse import normalise_business_id, parse_number, split_multi
from peergroups.roles import resolve_titles
from peergroups.themes import resolve_theme, suggest_theme
from peergroups.vocabulary import fold

Source = Path | str | pd.DataFrame
"""An input: a CSV or XLSX file's path, or a DataFrame with the file's columns."""

Row = tuple[int, dict[str, str]]


@dataclass(frozen=True)
class InputIssue:
    """One problem found in an input file, located the way a coordinator looks for it.

    `file` is the path as given, or for a DataFrame the name of the input it stands for;
    `line` counts a file's physical lines, or a DataFrame's rows by position (`unit`).
    """

    file: str
    line: int | None
    column: str | None
    message: str
    unit: Literal["line", "row"] = "line"

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}" if self.unit == "line" else f" row {self.line}"
        column = self.column and _shown(self.column)
        return ": ".join(part for part in (where, column, self.message) if part)


def _shown(text: str) -> str:
    """Text from a file as a message quotes it: as written, or escaped when it holds line
    breaks, tabs or other invisible characters, so that an issue stays one readable line."""
    return text if text.isprintable() else repr(text)


@dataclass(frozen=True)
class DoubtfulColumn(InputIssue):
    """A column that is not in the contract but resembles one that is ('did you mean
    competitor_ok?'): `validate` refuses it, `form-groups` warns, so that a consent column
    is not lost unnoticed."""


class InvalidInput(Exception):
    """Every problem found in the input, across all files: a run reads all or nothing.

    `warnings` are what was noticed besides, worth showing first (an input file changed
    since the plan that records it was made).
    """

    def __init__(self, issues: list[InputIssue], warnings: list[str] | None = None):
        super().__init__("\n".join(map(str, issues)))
        self.issues = issues
        self.warnings = warnings or []


class InputWarning(UserWarning):
    """Something `read_problem` adjusted or ignored in a valid input (its message says what)."""


@dataclass(frozen=True)
class Loaded:
    """A valid problem, and what the reader adjusted or ignored on the way."""

    problem: Problem
    warnings: list[InputIssue]

    @property
    def doubtful_columns(self) -> list[InputIssue]:
        """The warnings about columns that resemble a contract column."""
        return [w for w in self.warnings if isinstance(w, DoubtfulColumn)]


_GROUP_ROLES = {
    "member": None,
    "jasen": None,
    "chair": "chair",
    "puheenjohtaja": "chair",
    "scribe": "scribe",
    "sihteeri": "scribe",
}


# --- reading a table --------------------------------------------------------------------------


class _FileProblem(Exception):
    """A file that cannot be read as a table at all."""


def read_table(
    path: Path, sheet: str | None = None, notes: list[str] | None = None
) -> tuple[list[str], list[Row]]:
    """Headers as written and the non-blank rows with their physical line; CSV or XLSX by suffix.

    The header row is the first non-blank one. A workbook is read from `sheet` or its only
    visible sheet (`notes` gets which, when it has others). A missing, unreadable or oversized
    file (`peergroups.io.safety`) raises InvalidInput with one file-level issue.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".xls":
            raise _FileProblem("is an old .xls workbook; save it as .xlsx or CSV")
        if suffix in (".xlsx", ".xlsm"):
            raw = xlsx_rows(path, sheet, notes if notes is not None else [], _cell_text)
        else:
            raw = _csv_rows(path)
    except (_FileProblem, Unreadable) as problem:
        raise InvalidInput([InputIssue(str(path), None, None, str(problem))]) from None
    except OSError as error:
        reason = error.strerror or str(error)
        raise InvalidInput(
            [InputIssue(str(path), None, None, f"cannot read the file: {reason}")]
        ) from None
    return _tabulate(raw)


def _tabulate(raw: Iterable[tuple[int, list[str]]]) -> tuple[list[str], list[Row]]:
    rows = [(line, [cell.strip() for cell in cells]) for line, cells in raw]
    rows = [(line, cells) for line, cells in rows if any(cells)]
    if not rows:
        return [], []
    (_, headers), *body = rows
    table = [
        (line, {h: c for h, c in zip_longest(headers, cells[: len(headers)], fillvalue="") if h})
        for line, cells in body
    ]
    return [h for h in headers if h], table


def _csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    """Rows with the physical line each starts on (a quoted cell may span several lines)."""
    text = _decode(read_bytes(path))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows, start = [], 1
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as error:
        raise _FileProblem(f"line {start}: not readable as CSV ({error})") from None
    return rows


def _decode(data: bytes) -> str:
    """UTF-8 with or without BOM, else Windows-1252: what Finnish Excel saves (UTF-16 too)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _FileProblem("starts as UTF-16 text but is not readable as UTF-16") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise _FileProblem("is neither UTF-8 nor Windows-1252 text") from None


def _delimiter(text: str) -> str:
    """The most frequent of `,` `;` and tab outside quotes in the header, the first non-blank
    row (a quoted header cell may span lines); `,` on a tie."""
    outside: list[str] = []
    quoted = False
    for char in text:
        quoted ^= char == '"'
        if quoted:
            continue
        if char in "\r\n":
            if "".join(outside).strip():
                break
            outside = []
        else:
            outside.append(char)
    return max(",;\t", key=outside.count)


def _cell_text(value: Any, number_format: str | None = "") -> str:
    """A spreadsheet value as a CSV would hold it, so the model's parsers apply: 45.0 -> '45'.

    A number the spreadsheet shows as a percentage (0.43 shown as 43 %) is read as shown, 43.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float) and "%" in (number_format or ""):
        return f"{round(value * 100, 9):g}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# --- a file matched to its table --------------------------------------------------------------


@dataclass
class _Sheet:
    """A file read as a table, with each field's column (header as written)."""

    file: str
    headers: list[str]
    rows: list[Row]
    columns: dict[str, str]
    complete: bool
    unit: Literal["line", "row"]

    def cell(self, row: dict[str, str], name: str) -> str:
        return row.get(self.columns.get(name, ""), "")

    def issue(self, line: int, name: str, message: str) -> InputIssue:
        """An issue about the cell of field `name` on `line`."""
        return InputIssue(self.file, line, self.columns.get(name), message, self.unit)


def _header_key(text: str) -> str:
    """A header by its folded words: 'Kilpailijat OK' and 'kilpailijat-ok' -> 'kilpailijat_ok'."""
    return "_".join(re.findall(r"[^\W_]+|&", fold(text)))


def _header_keys(text: str) -> tuple[str, ...]:
    """The keys a header may match, closest first: its words, then its words without a
    bracketed note ('Toimiala (TOL)' -> 'toimiala')."""
    plain = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    return tuple(dict.fromkeys(key for key in (_header_key(text), _header_key(plain)) if key))


def _resembles(header: str, table: Table, taken: Iterable[str]) -> str | None:
    """The contract name of a column not found in the file that `header` looks like a
    spelling of ('Kilpailija hyväksytään' -> competitor_ok), or None."""
    taken = set(taken)
    key = _header_key(header)
    words = {word for word in key.split("_") if len(word) >= 5}
    best: tuple[float, str] | None = None
    for column in table.columns:
        if column.field in taken:
            continue
        for spelling in column.spellings:
            other = _header_key(spelling)
            ratio = difflib.SequenceMatcher(None, key, other).ratio()
            shared = any(
                difflib.SequenceMatcher(None, word, theirs).ratio() >= 0.8
                for word in words
                for theirs in other.split("_")
                if len(theirs) >= 5
            )
            score = max(ratio, 0.8 if shared else 0.0)
            if score >= 0.75 and (best is None or score > best[0]):
                best = (score, column.name)
    return best[1] if best else None


def _label(source: Source, table: Table) -> str:
    """How issues name an input: a file by its path as given, a DataFrame by its input's name
    (`companies`)."""
    return _name(table) if _is_frame(source) else str(Path(source))


def _name(table: Table) -> str:
    return table.file.removesuffix(".csv")


def _is_frame(source: Source) -> bool:
    return isinstance(source, pd.DataFrame)


def _frame_table(frame: pd.DataFrame) -> tuple[list[str], list[Row]]:
    """A DataFrame as `read_table` gives a file, each row numbered by its position
    (`frame.iloc[n]`): the same cells a CSV would hold, so the same checks apply."""
    raw = [(-1, [str(name) for name in frame.columns])]
    raw += [
        (number, [_frame_cell(value) for value in values])
        for number, values in enumerate(frame.itertuples(index=False, name=None))
    ]
    return _tabulate(raw)


def _frame_cell(value: Any) -> str:
    """A DataFrame value as a CSV cell: missing values empty, a list or tuple as 'a|b'."""
    if isinstance(value, list | tuple):
        return SEPARATOR.join(map(str, value))
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return ""
    return _cell_text(value)


def _open(
    source: Source,
    table: Table,
    issues: list[InputIssue],
    warnings: list[InputIssue],
    sheet: str | None = None,
) -> _Sheet | None:
    """The file or DataFrame as a sheet, or None when unreadable; `complete` is False when
    required columns are missing (one issue names them all), so its rows are not validated."""
    file = _label(source, table)
    notes: list[str] = []
    try:
        if _is_frame(source):
            headers, rows = _frame_table(source)
        else:
            headers, rows = read_table(Path(source), sheet, notes)
    except InvalidInput as error:
        issues.extend(error.issues)
        return None
    warnings.extend(InputIssue(file, None, None, note) for note in notes)
    if not headers:
        issues.append(InputIssue(file, None, None, f"no {table.noun} in file (it is empty)"))
        return None
    columns = _match_columns(headers, table)
    issues.extend(InputIssue(file, None, None, m) for m in _repeated_columns(headers, table))
    missing = [
        requirement
        for requirement in table.required
        if not any(all(name in columns for name in fields) for fields in requirement)
    ]
    if missing:
        described = "; ".join(_describe(requirement, table) for requirement in missing)
        plural = "s" if len(missing) > 1 else ""
        issues.append(InputIssue(file, None, None, f"missing required column{plural}: {described}"))
    elif not rows and not table.may_be_empty:
        issues.append(InputIssue(file, None, None, f"no {table.noun} in file (only a header)"))
    ignored = [header for header in headers if header not in columns.values()]
    resembling = {header: _resembles(header, table, columns) for header in ignored}
    for header, name in resembling.items():
        if name is not None:
            message = f"column not in the contract, ignored: did you mean {name}?"
            warnings.append(DoubtfulColumn(file, None, header, message))
    ignored = [header for header in ignored if resembling[header] is None]
    if ignored:
        message = f"ignored columns not in the contract: {', '.join(map(_shown, ignored))}"
        warnings.append(InputIssue(file, None, None, message))
    unit = "row" if _is_frame(source) else "line"
    return _Sheet(file, headers, rows, columns, complete=not missing, unit=unit)


def _match_columns(headers: list[str], table: Table) -> dict[str, str]:
    """Field -> header, matching headers by their folded words (case, accents, spaces,
    hyphens and punctuation aside; a bracketed note dropped if need be); the first spelling
    wins."""
    columns: dict[str, str] = {}
    for attempt in range(2):
        by_key: dict[str, str] = {}
        for header in headers:
            keys = _header_keys(header)
            if attempt < len(keys) and (attempt == 0 or header not in columns.values()):
                by_key.setdefault(keys[attempt], header)
        for name, spellings in table.spellings.items():
            found = [by_key[key] for key in map(_header_key, spellings) if key in by_key]
            if found and name not in columns:
                columns[name] = found[0]
    return columns


def _repeated_columns(headers: list[str], table: Table) -> list[str]:
    """A message for every field that two columns give (`goals` twice, or `goals` and
    `tavoitteet`): which one is meant is not for the reader to guess."""
    messages = []
    for name, spellings in table.spellings.items():
        keys = set(map(_header_key, spellings))
        found = [(n, h) for n, h in enumerate(headers, 1) if _header_key(h) in keys]
        if len(found) > 1:
            listed = " and ".join(f"{_shown(h)!r} (column {n})" for n, h in found)
            messages.append(f"columns {listed} both give {name}; keep one")
    return messages


def _describe(requirement: tuple[tuple[str, ...], ...], table: Table) -> str:
    alternatives = []
    for fields in requirement:
        if len(fields) > 1:
            alternatives.append("all of " + ", ".join(fields))
            continue
        first, *others = table.spellings[fields[0]]
        alternatives.append(f"{first} (also accepted: {', '.join(others)})" if others else first)
    return " or ".join(alternatives)


# --- rows through the model -------------------------------------------------------------------


def _validate(
    sheet: _Sheet,
    model: type[BaseModel],
    table: Table,
    issues: list[InputIssue],
    prepare: Callable[[dict[str, str]], dict[str, Any]] = dict,
) -> list[tuple[int, Any]]:
    """Each row's non-empty cells through the model; each error becomes an issue on the cell
    it is about, in the file's column order."""
    valid = []
    for line, row in sheet.rows:
        data = {name: row[header] for name, header in sheet.columns.items() if row.get(header)}
        try:
            valid.append((line, model.model_validate(prepare(data))))
        except ValidationError as error:
            found = [_issue(e, sheet, table, line, row) for e in error.errors()]
            issues.extend(sorted(found, key=lambda i: _position(sheet.headers, i.column)))
    return valid


def _position(headers: list[str], column: str | None) -> int:
    return headers.index(column) if column in headers else -1


def _issue(error: Any, sheet: _Sheet, table: Table, line: int, row: dict[str, str]) -> InputIssue:
    column = _blamed_column(error, sheet, table, row)
    cell = row.get(column, "") if column else ""
    return InputIssue(sheet.file, line, column, _plain(error, cell), sheet.unit)


def _blamed_column(error: Any, sheet: _Sheet, table: Table, row: dict[str, str]) -> str | None:
    """The header of the cell an error is about. A derived field (maturity from the DMA, goals
    from the challenge columns) blames the source cell its message quotes."""
    loc = error["loc"]
    name = loc[0] if loc else table.row_field
    if name == "dma" and len(loc) > 1:
        name = DMA_DIMENSIONS[loc[1]]
    if name in sheet.columns:
        return sheet.columns[name]
    sources = [sheet.columns[s] for s in table.stand_ins.get(name, ()) if s in sheet.columns]
    quoted = [h for h in sources if _quotes(error["msg"], row.get(h, ""))]
    return next(iter(quoted + sources), None)


def _quotes(message: str, cell: str) -> bool:
    return bool(cell) and any(repr(part) in message for part in (cell, *split_multi(cell)))


def _plain(error: Any, cell: str) -> str:
    """A pydantic error in a coordinator's words."""
    kind, context = error["type"], error.get("ctx") or {}
    if kind == "value_error":
        return str(context["error"])
    if kind == "missing":
        return "is empty, but a value is required"
    if kind == "too_short":
        return "needs at least one value"
    if kind == "greater_than_equal":
        return f"must be at least {context['ge']}, not {cell!r}"
    if kind == "less_than_equal":
        return f"must be at most {context['le']}, not {cell!r}"
    message = error["msg"].replace("Input should be", "must be")
    return f"{message}, not {cell!r}" if cell else message


def _duplicates(
    sheet: _Sheet, name: str, issues: list[InputIssue], key: Callable[[str], str] = str
) -> None:
    """An issue on every later line repeating a value that must be unique."""
    first: dict[str, int] = {}
    for line, row in sheet.rows:
        value = sheet.cell(row, name)
        identity = key(value) if value else ""
        if identity in first:
            message = f"{name} {_shown(value)} already appears on {sheet.unit} {first[identity]}"
            issues.append(sheet.issue(line, name, message))
        elif identity:
            first[identity] = line


def _business_key(text: str) -> str:
    """The canonical Y-tunnus, or '' when it is not one (the model reports that)."""
    try:
        return normalise_business_id(text)
    except ValueError:
        return ""


def _unknown_company(value: str, known: Iterable[str]) -> str:
    if _business_key(value):
        return (
            f"unknown company {value!r}: no company has this Y-tunnus (give the companies "
            "file a business_id column, or cite the company_id)"
        )
    hint = difflib.get_close_matches(value, list(known), n=1)
    did_you_mean = f"; did you mean {hint[0]!r}?" if hint else ""
    return f"unknown company {value!r}{did_you_mean}"


def _rescale_fractions(sheet: _Sheet, names: tuple[str, ...], warnings: list[InputIssue]) -> None:
    """Scores typed on a 0-1 scale (or Excel percentages) become 0-100, with one warning."""
    headers = [sheet.columns[name] for name in names if name in sheet.columns]
    numbers = [_number(row.get(h, "")) for _, row in sheet.rows for h in headers]
    numbers = [n for n in numbers if n is not None]
    if not numbers or not all(0 <= n <= 1 for n in numbers):
        return  # NaN and negative numbers too: the model reports those as typed
    for _, row in sheet.rows:
        for header in headers:
            number = _number(row.get(header, ""))
            if number is not None:
                row[header] = f"{number * 100:g}"
    message = "every value is between 0 and 1: read as a 0-1 scale and multiplied by 100"
    warnings.append(InputIssue(sheet.file, None, ", ".join(headers), message))


def _number(text: str) -> float | None:
    try:
        return float(parse_number(text)) if text else None
    except ValueError:
        return None


# --- the input files --------------------------------------------------------------------------


def read_problem(
    companies: Source,
    relations: Source | None = None,
    facilitators: Source | None = None,
    pins: Source | None = None,
    history: Source | None = None,
) -> Problem:
    """The validated Problem from files (CSV or XLSX) or DataFrames, or InvalidInput listing
    every problem in every input at once.

    A DataFrame goes through the same column matching and checks as a file; its issues name
    the input (`companies`) and the row's position instead of a path and a line. What the
    reader adjusts or ignores (a 0-1 maturity scale, unknown columns) is reported as an
    InputWarning; `read_inputs` returns it as data instead.
    """
    loaded = read_inputs(companies, relations, facilitators, pins, history)
    for warning in loaded.warnings:
        python_warnings.warn(str(warning), InputWarning, stacklevel=2)
    return loaded.problem


def read_inputs(
    companies: Source,
    relations: Source | None = None,
    facilitators: Source | None = None,
    pins: Source | None = None,
    history: Source | None = None,
    sheet: str | None = None,
) -> Loaded:
    """As `read_problem`, with the reader's warnings returned beside the problem; `sheet`
    names the companies workbook's sheet (by default its only visible one)."""
    with _no_cycle_collection():
        return _read_inputs(companies, relations, facilitators, pins, history, sheet)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused: reading makes millions of small objects and no
    cycles, and its full passes over them took a third of the time to read 30,000
    companies, more the larger the file."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read_inputs(
    companies: Source,
    relations: Source | None,
    facilitators: Source | None,
    pins: Source | None,
    history: Source | None,
    sheet: str | None,
) -> Loaded:
    issues: list[InputIssue] = []
    warnings: list[InputIssue] = []
    company_list, index = _read_companies(companies, issues, warnings, sheet)
    relation_list = (
        _read_relations(relations, index, issues, warnings) if relations is not None else []
    )
    facilitator_list = (
        _read_facilitators(facilitators, index, issues, warnings)
        if facilitators is not None
        else []
    )
    pin_list = _read_pins(pins, index, issues, warnings) if pins is not None else []
    seats = _read_rows(history, HISTORY, Meeting, issues, warnings) if history is not None else []
    given = [
        (companies, COMPANIES),
        (relations, RELATIONS),
        (facilitators, FACILITATORS),
        (pins, PINS),
        (history, HISTORY),
    ]
    _raise_if_any(issues, [_label(source, t) for source, t in given if source is not None])
    try:
        problem = Problem(
            companies=tuple(company_list),
            relations=tuple(relation_list),
            facilitators=tuple(facilitator_list),
            pins=tuple(pin_list),
            history=tuple(seats),
        )
    except ValidationError as error:  # what only the files together show (a pin's group)
        messages = [e["msg"].removeprefix("Value error, ") for e in error.errors()]
        blamed = _label(companies, COMPANIES) if pins is None else _label(pins, PINS)
        raise InvalidInput([InputIssue(blamed, None, None, m) for m in messages]) from None
    return Loaded(problem, warnings)


def read_changes(source: Source) -> list[Change]:
    """The rows of changes.csv (companies are checked against the problem by the repair)."""
    issues: list[InputIssue] = []
    changes = _read_rows(source, CHANGES, Change, issues, [])
    _raise_if_any(issues, [_label(source, CHANGES)])
    return changes


def _read_pins(
    source: Source,
    index: dict[str, str] | None,
    issues: list[InputIssue],
    warnings: list[InputIssue],
) -> list[Pin]:
    sheet = _open(source, PINS, issues, warnings)
    if sheet is None or not sheet.complete:
        return []
    if index is not None:
        _resolve_companies(sheet, index, ("company_id", "partner"))
        _check_references(sheet, set(index.values()), issues, ("company_id", "partner"))
    valid = _validate(sheet, Pin, PINS, issues)
    _check_labels(sheet, valid, issues)
    return [pin for _, pin in valid]


def _check_labels(sheet: _Sheet, pins: list[tuple[int, Pin]], issues: list[InputIssue]) -> None:
    """A `lock` or `groups` row names group labels that `group` rows fill; say on its line
    when one is never filled, with the row format."""
    labels = {pin.group_id for _, pin in pins if pin.kind == PinKind.GROUP}
    for line, pin in pins:
        named = (pin.group_id,) if pin.kind == PinKind.LOCK else ()
        named += pin.groups if pin.kind == PinKind.GROUPS else ()
        for label in named:
            if label not in labels:
                name = "group_id" if pin.kind == PinKind.LOCK else "groups"
                message = (
                    f"no company is pinned to group {label}: pin its companies with rows "
                    f"'group,COMPANY_ID,{label}' (kind,company_id,group_id)"
                )
                issues.append(sheet.issue(line, name, message))


def _read_rows(
    source: Source,
    table: Table,
    model: type[BaseModel],
    issues: list[InputIssue],
    warnings: list[InputIssue],
) -> list[Any]:
    """Every valid row of a file that needs no checks beyond its model's."""
    sheet = _open(source, table, issues, warnings)
    if sheet is None or not sheet.complete:
        return []
    return [item for _, item in _validate(sheet, model, table, issues)]


def _raise_if_any(issues: list[InputIssue], order: list[str]) -> None:
    """InvalidInput with the issues in the order of the inputs (`order`: their labels)."""
    if issues:
        issues.sort(key=lambda issue: (order.index(issue.file), issue.line or 0))
        raise InvalidInput(issues)


def _read_companies(
    source: Source,
    issues: list[InputIssue],
    warnings: list[InputIssue],
    sheet_name: str | None = None,
) -> tuple[list[Company], dict[str, str] | None]:
    """The companies, and an index (company id or Y-tunnus -> company id) for other files to
    cite; the index is None when the ids are unknown, so other files skip reference checks."""
    sheet = _open(source, COMPANIES, issues, warnings, sheet_name)
    if sheet is not None and "company_id" not in sheet.columns and "business_id" in sheet.columns:
        _key_by_business_id(sheet, warnings)
    if sheet is None or "company_id" not in sheet.columns:
        return [], None
    business_key = cache(_business_key)  # the index and the duplicates check both ask
    index = _company_index(sheet, business_key)
    if not sheet.complete:
        return [], index
    _rescale_fractions(sheet, ("maturity",), warnings)
    _rescale_fractions(sheet, DMA_DIMENSIONS, warnings)
    _duplicates(sheet, "company_id", issues)
    if (
        "business_id" in sheet.columns
        and sheet.columns["business_id"] != sheet.columns["company_id"]
    ):
        _duplicates(sheet, "business_id", issues, key=business_key)
    _warn_several_titles(sheet, warnings)
    valid = _validate(sheet, Company, COMPANIES, issues, prepare=_merge_challenges)
    return [company for _, company in valid], index


def _key_by_business_id(sheet: _Sheet, warnings: list[InputIssue]) -> None:
    """Without a company_id column, the Y-tunnus is the company's id, in its canonical form
    (so that other files may cite it as 01702629 or 0170262-9)."""
    header = sheet.columns["business_id"]
    for _, row in sheet.rows:
        row[header] = _business_key(row.get(header, "")) or row.get(header, "")
    sheet.columns["company_id"] = header
    message = "no company_id column: each company's Y-tunnus is its id"
    warnings.append(InputIssue(sheet.file, None, header, message))


def _warn_several_titles(sheet: _Sheet, warnings: list[InputIssue]) -> None:
    """A role cell naming several titles is read as the highest tier among them: say so."""
    for line, row in sheet.rows:
        found = resolve_titles(sheet.cell(row, "role"))
        if found is not None and len(found[1]) > 1:
            role, titles = found
            message = (
                f"{sheet.cell(row, 'role')!r} names {len(titles)} titles: read as {role.value}, "
                "the highest tier among them"
            )
            warnings.append(sheet.issue(line, "role", message))


def _resolve_companies(sheet: _Sheet, index: dict[str, str], names: tuple[str, ...]) -> None:
    """Cells citing a company by its Y-tunnus (in any accepted form) cite its id instead."""
    for _, row in sheet.rows:
        for name in names:
            header = sheet.columns.get(name)
            value = row.get(header, "") if header else ""
            company_id = index.get(value) or index.get(_business_key(value)) if value else None
            if company_id is not None and company_id != value:
                row[header] = company_id


def _company_index(sheet: _Sheet, business_key: Callable[[str], str]) -> dict[str, str]:
    index: dict[str, str] = {}
    for _, row in sheet.rows:
        company_id = sheet.cell(row, "company_id")
        if company_id:
            index.setdefault(company_id, company_id)
            business_id = business_key(sheet.cell(row, "business_id"))
            if business_id:
                index.setdefault(business_id, company_id)
    return index


def _merge_challenges(data: dict[str, str]) -> dict[str, str]:
    """`primary_challenge` + `secondary_challenges` -> goals, primary first (when no goals)."""
    challenges = [data.pop(name) for name in COMPANIES.stand_ins["goals"] if name in data]
    if "goals" not in data and challenges:
        data["goals"] = "|".join(challenges)
    return data


def _read_relations(
    source: Source,
    index: dict[str, str] | None,
    issues: list[InputIssue],
    warnings: list[InputIssue],
) -> list[Relation]:
    sheet = _open(source, RELATIONS, issues, warnings)
    if sheet is None or not sheet.complete:
        return []
    if index is not None:
        _resolve_companies(sheet, index, ("company_a", "company_b"))
        _check_references(sheet, set(index.values()), issues)
    valid = _validate(sheet, Relation, RELATIONS, issues)
    return [relation for _, relation in valid]


def _check_references(
    sheet: _Sheet,
    known: set[str],
    issues: list[InputIssue],
    names: tuple[str, ...] = ("company_a", "company_b"),
) -> None:
    for line, row in sheet.rows:
        for name in names:
            if name not in sheet.columns:
                continue
            value = sheet.cell(row, name)
            if value and value not in known:
                message = _unknown_company(value, known)
                issues.append(sheet.issue(line, name, message))


def _read_facilitators(
    source: Source,
    index: dict[str, str] | None,
    issues: list[InputIssue],
    warnings: list[InputIssue],
) -> list[Facilitator]:
    sheet = _open(source, FACILITATORS, issues, warnings)
    if sheet is None or not sheet.complete:
        return []
    _duplicates(sheet, "facilitator_id", issues)
    valid = _validate(sheet, Facilitator, FACILITATORS, issues)
    if index is None:
        return [facilitator for _, facilitator in valid]
    return [_resolve_conflicts(sheet, line, f, index, issues) for line, f in valid]


def _resolve_conflicts(
    sheet: _Sheet,
    line: int,
    facilitator: Facilitator,
    index: dict[str, str],
    issues: list[InputIssue],
) -> Facilitator:
    """Conflicts may cite company ids or Y-tunnus; both become company ids."""
    company_ids = []
    for value in facilitator.conflicts:
        company_id = index.get(value) or index.get(_business_key(value))
        if company_id is None:
            message = _unknown_company(value, set(index.values()))
            issues.append(sheet.issue(line, "conflicts", message))
        else:
            company_ids.append(company_id)
    return facilitator.model_copy(update={"conflicts": tuple(dict.fromkeys(company_ids))})


# --- an edited plan ---------------------------------------------------------------------------


def read_facilitators_of_groups(path: Path, round: int | None = None) -> dict[str, str]:
    """group_id -> facilitator_id from a plan's groups.csv (absent file: none); `round`:
    the rows of that round only (a plan of several rounds)."""
    if not Path(path).exists():
        return {}
    _, rows = read_table(Path(path))
    found = {}
    for _, row in rows:
        if round is not None and as_written(row.get("round", "")).strip() != str(round):
            continue
        group_id, facilitator_id = row.get("group_id", ""), row.get("facilitator_id", "")
        if group_id and facilitator_id:
            found[as_written(group_id)] = as_written(facilitator_id)
    return found


def read_assignments(path: Path, problem: Problem) -> Grouping:
    """A plan from an assignments.csv (e.g. one a facilitator edited in a spreadsheet).

    Companies of the problem missing from the file are not an error here: the caller reports
    them through `Grouping.accounting_errors`.
    """
    issues: list[InputIssue] = []
    sheet = _open(Path(path), ASSIGNMENTS, issues, [])
    grouping = Grouping()
    if sheet is not None and sheet.complete:
        grouping = _AssignmentsReader(sheet, problem, issues).grouping()
    _raise_if_any(issues, [str(path)])
    return grouping


def read_assignment_rounds(path: Path, problem: Problem) -> dict[int, Grouping]:
    """The rounds of a plan of several rounds (`form-groups --rounds`): its assignments.csv
    has a leading `round` column; round number -> that round's plan, each read as
    `read_assignments` reads a plan of one round."""
    issues: list[InputIssue] = []
    sheet = _open(Path(path), ASSIGNMENTS, issues, [])
    rounds: dict[int, list[Row]] = {}
    if sheet is not None and sheet.complete:
        if "round" not in sheet.headers:
            issues.append(InputIssue(sheet.file, None, None, "missing the round column"))
        for line, row in sheet.rows if "round" in sheet.headers else []:
            text = as_written(row.get("round", "")).strip()
            if text.isdigit() and int(text) >= 1:
                rounds.setdefault(int(text), []).append((line, row))
            else:
                message = f"round must be a whole number from 1, not {text!r}"
                issues.append(InputIssue(sheet.file, line, "round", message, sheet.unit))
    groupings = {
        number: _AssignmentsReader(replace(sheet, rows=rows), problem, issues).grouping()
        for number, rows in sorted(rounds.items())
        if sheet is not None
    }
    _raise_if_any(issues, [str(path)])
    return groupings


class _AssignmentsReader:
    """Collects groups row by row: members in file order, one theme and one chair per group."""

    def __init__(self, sheet: _Sheet, problem: Problem, issues: list[InputIssue]):
        self.sheet, self.problem, self.issues = sheet, problem, issues
        self.members: dict[str, list[str]] = {}
        self.themes: dict[str, tuple[str, int]] = {}
        self.roles: dict[str, dict[str, str]] = {}
        self.unassigned: list[Unassigned] = []
        self.lines: dict[str, int] = {}

    def grouping(self) -> Grouping:
        for line, row in self.sheet.rows:
            self._row(line, row)
        groups = []
        for group_id, members in self.members.items():
            if group_id not in self.themes:
                line = self.lines[members[0]]
                self._issue(line, "theme", f"group {group_id} has no theme")
                continue
            roles = self.roles.get(group_id, {})
            theme = self.themes[group_id][0]
            groups.append(Group(group_id=group_id, theme=theme, members=tuple(members), **roles))
        return Grouping(groups=tuple(groups), unassigned=tuple(self.unassigned))

    def _issue(self, line: int, name: str, message: str) -> None:
        self.issues.append(self.sheet.issue(line, name, message))

    def _cell(self, row: dict[str, str], name: str) -> str:
        """The cell as our writer meant it: an apostrophe it added before '=' etc. removed."""
        return as_written(self.sheet.cell(row, name))

    def _row(self, line: int, row: dict[str, str]) -> None:
        company_id = self._cell(row, "company_id")
        group_id = self._cell(row, "group_id")
        if company_id not in self.problem.by_id:
            message = _unknown_company(company_id, self.problem.by_id) if company_id else "is empty"
            self._issue(line, "company_id", message)
        elif company_id in self.lines:
            message = f"company_id {company_id} already appears on line {self.lines[company_id]}"
            self._issue(line, "company_id", message)
        elif not group_id:
            self.lines[company_id] = line
            reason = self._cell(row, "reason") or "no reason given"
            self.unassigned.append(Unassigned(company_id=company_id, reason=reason))
        else:
            self.lines[company_id] = line
            self.members.setdefault(group_id, []).append(company_id)
            self._theme(line, group_id, self._cell(row, "theme"))
            self._role(line, group_id, company_id, self._cell(row, "role_in_group"))

    def _theme(self, line: int, group_id: str, text: str) -> None:
        """The first theme given for a group is its theme; a different one later is an issue."""
        if not text:
            return
        theme = resolve_theme(text)
        earlier = self.themes.get(group_id)
        if theme is None:
            self._issue(line, "theme", _unknown_theme(text))
        elif earlier is None:
            self.themes[group_id] = (theme, line)
        elif earlier[0] != theme:
            message = (
                f"{theme} differs from {earlier[0]}, given for {group_id} on line {earlier[1]}"
            )
            self._issue(line, "theme", message)

    def _role(self, line: int, group_id: str, company_id: str, text: str) -> None:
        key = _header_key(text)
        if text and key not in _GROUP_ROLES:
            self._issue(
                line, "role_in_group", f"unknown role {text!r} (use member, chair or scribe)"
            )
            return
        role = _GROUP_ROLES.get(key)
        roles = self.roles.setdefault(group_id, {})
        if role in roles:
            self._issue(line, "role_in_group", f"{group_id} already has a {role}: {roles[role]}")
        elif role:
            roles[role] = company_id


def _unknown_theme(text: str) -> str:
    hint = suggest_theme(text)
    return f"unknown theme {text!r}" + (f"; did you mean {hint!r}?" if hint else "")
