"""Property-based tests (hypothesis) of the readers and the whole pipeline (issue 6).

Strategies write companies and relations files the way coordinators and their tools make
them: UTF-8 with or without BOM, Windows-1252 or UTF-16; `,` `;` or tab; LF or CRLF; blank
rows; quoted cells with newlines; decimal commas and percent signs; 0-1 scaled maturity; the
six DMA dimensions; header aliases in any case; extra columns; stray whitespace; names of
10,000 characters; emoji, right-to-left text, combining marks; cells starting with = + - @;
and workbooks. Then they break them: duplicate ids, empty required cells, NaN, infinities,
1e308 and 10**30, unknown roles and themes, control characters, unknown relation ids,
self-relations, missing columns, empty and header-only files, undecodable bytes, damaged
workbooks, or plain garbage.

The properties:
1. reading gives a `Loaded` or raises `InvalidInput`, never another exception; every issue
   names one of the files, says something, cites a column the file has and a line it has;
2. a valid file is read as written (every company once, ids, names, maturity); a defect put
   into a file is reported on its line and cell, and nothing else is;
3. relations fold the same way whatever their order or direction, and hard beats soft;
4. the commands agree with the readers: invalid input exits 1, lists every issue, shows no
   traceback and writes nothing; valid input exits 0 or 3 with every company exactly once in
   assignments.csv and no hard pair in one group.

All tests carry the `fuzz` marker. The "ci" profile (tests/conftest.py) runs a few examples;
HYPOTHESIS_PROFILE=fuzz runs thousands.
"""

import codecs
import csv
import functools
import io
import re
import tempfile
import traceback
import zipfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner, Result
from hypothesis import assume, event, example, given, note, settings
from hypothesis import strategies as st

import cli
from peergroups.io.cells import spreadsheet_safe
from peergroups.io.columns import COMPANIES, RELATIONS
from peergroups.io.readers import (
    InputIssue,
    InvalidInput,
    Loaded,
    read_inputs,
    read_table,
)
from peergroups.model import DMA_DIMENSIONS
from peergroups.parse import normalise_business_id
from peergroups.regions import REGIONS
from peergroups.themes import THEMES

pytestmark = pytest.mark.fuzz


def _scaled(fraction: float, least: int) -> settings:
    """A share of the profile's examples, for properties that cost more per example."""
    return settings(max_examples=max(least, round(settings.default.max_examples * fraction)))


COMMANDS = _scaled(1 / 5, 10)  # each example reads the files through `validate`
PIPELINE = _scaled(1 / 10, 6)  # each valid example solves (up to a second)

# --- alphabets and vocabularies -----------------------------------------------------------------

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")
CONTROL = "".join(map(chr, [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])) + "\ufffe\uffff"
"""What the model refuses in names and ids (openpyxl refuses most of it too)."""
SOLID_CONTROL = "".join(c for c in CONTROL if not c.isspace())
"""Control characters that str.strip() keeps."""
CP1252 = "".join(
    bytes([b]).decode("cp1252") for b in range(256) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
)
# fmt: off
NASTY = (
    "👩‍🔬", "🇫🇮", "\u202eRTL\u202c", "שלום", "مرحبا", "e\u0301", "Z\u0351\u0308\u0324",
    "\u00a0", "\u2028", "\u200b", "\ufeff", "\x85", "'", '"', '""', "\n", "\r\n", "\r", "\t",
    '=HYPERLINK("http://x","y")', "=1+1", "+358 40", "-1", "@SUM(A1)", ",", ";", "|", " ",
    "Ääkkönen Oy", "Öberg & Söner Ab", "İ", "ﬁ", "\\", "%", "_x000D_", "<b>&amp;</b>",
)
LONG = ("x", "Ä", "👩‍🔬", "ab ", "=")
EXTRA_HEADERS = ("notes", "Kommentit", "Sisäinen huomio", "Lisätiedot\n(vapaa teksti)", "www")
ROLES = (
    "ceo", "CEO", "Toimitusjohtaja", "tj", "yrittäjä", "board_chair", "Hallituksen puheenjohtaja",
    "development_director", "Development Director", "kehityspäällikkö", "CTO",
    "management_team_member", "Johtoryhmän jäsen", "other", "muu",
)
SENIOR_ROLES = ("ceo", "Toimitusjohtaja", "board_chair", "CEO")
MODES = ("in_person", "hybrid", "virtual", "lähi", "Hybridi", "etä", "remote", "in-person", "")
FLAGS = ("true", "false", "TRUE", "1", "0", "yes", "no", "kyllä", "ei", "x", "")
LANGUAGES = ("fi", "sv", "en", "fi|sv", "sv|fi|en", "FI; en", "")
KINDS = (
    "competitor", "Kilpailija", "customer_supplier", "supplier", "asiakas-toimittaja",
    "same_owner", "konserni", "conflict", "ristiriita", "other", "muu",
)
SEVERITIES = ("", "hard", "soft", "HARD", "Soft", "kova", "pehmeä", " soft ")
HARD_WORDS = {"hard", "kova", "ehdoton"}
BAD_NUMBERS = (
    "abc", "nan", "NaN", "inf", "-inf", "Infinity", "1e309", "-5", "-0.5", "150", "100.1",
    "1e308", "1" + "0" * 30, "12 34 56", "4O", "--5", "5-", "1,2,3",
)
BAD_VOCABULARY = {
    "role": ("janitor", "CEO2", "toimitus johtaja x", "-"),
    "goals": ("blockchain", "erp|blockchain", "|", "erp;;quantum"),
    "primary_challenge": ("blockchain", "=1+1"),
    "region": ("Atlantis", "MK22", "MK00", "18"),
    "mode": ("sometimes", "in person only"),
    "competitor_ok": ("maybe", "2", "nan"),
    "willing_to_chair": ("perhaps", "-1"),
    "languages": ("finnish", "f1", "fi|swedish"),
    "employees": ("-1", "1.5", "many", "nan", "1e400", "-inf"),
    "nace_code": ("1", "123456", "abc"),
}
CELLS = (
    "", " ", "C001", "Konepaja Oy", "42,5", "42.5", "0.425", "NaN", "inf", "1e308",
    "1" + "0" * 30, "ceo", "toimitusjohtaja", "erp", "erp|cybersecurity", "competitor", "hard",
    "soft", "MK06", '"', '"quoted"', "=cmd|' /C calc'!A0", *NASTY,
)
# fmt: on


def encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class Medium:
    """How a file is saved."""

    workbook: bool = False
    encoding: str = "utf-8"
    delimiter: str = ","
    newline: str = "\n"
    quote_all: bool = False
    final_newline: bool = True

    def encodes(self, text: str) -> bool:
        return encodable(text, "utf-8" if self.workbook else self.encoding)

    def allows(self, text: str) -> bool:
        """Whether a valid cell can hold the text in this medium."""
        forbidden = CONTROL + ("\r" if self.workbook else "")  # a workbook turns CR into LF
        return self.encodes(text) and not any(c in forbidden for c in text)


media = st.builds(
    Medium,
    workbook=st.sampled_from([False, False, False, True]),
    encoding=st.sampled_from(ENCODINGS),
    delimiter=st.sampled_from([",", ";", "\t"]),
    newline=st.sampled_from(["\n", "\r\n"]),
    quote_all=st.booleans(),
    final_newline=st.booleans(),
)


@functools.cache
def texts(medium: Medium, max_pieces: int = 4, one_line: bool = False) -> st.SearchStrategy[str]:
    """Valid free text: anything the medium holds, not blank, no control characters; a name
    may span lines, an id (`one_line`) may not."""

    def allowed(text: str) -> bool:
        return medium.allows(text) and not (one_line and ("\n" in text or "\r" in text))

    if medium.encoding == "cp1252" and not medium.workbook:
        chars = st.sampled_from([c for c in CP1252 if allowed(c)])
    else:
        excluded = CONTROL + "\r" * medium.workbook + "\r\n" * one_line
        chars = st.characters(exclude_categories=("Cs",), exclude_characters=excluded)
    pieces = [st.text(chars, min_size=1, max_size=8), st.sampled_from(NASTY).filter(allowed)]
    joined = st.lists(st.one_of(pieces), min_size=1, max_size=max_pieces).map("".join)
    return joined.filter(lambda text: text.strip() != "")


SPACE = st.sampled_from(["", "", "", " ", "  ", "\u00a0", " \t"])


def padded(text: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Stray whitespace around a value, as pasted from elsewhere."""
    return st.tuples(SPACE, text, SPACE).map("".join)


def pad(draw: Any, text: str) -> str:
    return draw(SPACE) + text + draw(SPACE)


# --- files: tables written as CSV or workbook ---------------------------------------------------


@dataclass
class Table:
    """One input file: a header and rows of cells (text, or numbers in a workbook)."""

    name: str
    medium: Medium
    fields: list[str]
    header: list[str]
    rows: list[list[Any]]
    blank_before: tuple[int, ...] = ()
    raw: bytes | None = None
    suffix: str | None = None

    def column(self, name: str) -> int:
        return self.fields.index(name)

    def heading(self, name: str) -> str:
        return self.header[self.column(name)].strip()


def _csv_cell(value: Any, medium: Medium) -> str:
    text = str(value)
    if medium.quote_all or any(c in text for c in (medium.delimiter, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


BREAK = re.compile(r"\r\n|\r|\n")


def _csv_text(table: Table) -> tuple[str, list[int]]:
    """The file's text and the physical line each data row starts on."""
    medium = table.medium
    blanks = ("", medium.delimiter * max(1, len(table.header) - 1), "   ")
    chunks, lines, breaks = [], [], 0
    for position, cells in enumerate([table.header, *table.rows]):
        for count in range(table.blank_before.count(position)):
            chunks.append(blanks[(position + count) % 3] + medium.newline)
            breaks += 1
        if position:
            lines.append(breaks + 1)
        chunk = medium.delimiter.join(_csv_cell(cell, medium) for cell in cells) + medium.newline
        chunks.append(chunk)
        breaks += len(BREAK.findall(chunk))
    text = "".join(chunks)
    if not medium.final_newline and text.endswith(medium.newline) and text.strip():
        text = text.removesuffix(medium.newline)
    return text, lines


def _workbook_bytes(table: Table) -> tuple[bytes, list[int]]:
    """A workbook with the table from row 1 (blank rows kept); strings stay strings."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    number, lines = 1, []
    for position, cells in enumerate([table.header, *table.rows]):
        number += table.blank_before.count(position)
        if position:
            lines.append(number)
        for column, value in enumerate(cells, 1):
            if value != "":
                cell = sheet.cell(number, column, value)
                if isinstance(value, str):
                    cell.data_type = "s"  # as typed text, not a formula
        number += 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _rezipped(buffer.getvalue()), lines


def _bytes(table: Table) -> tuple[bytes, list[int]]:
    if table.raw is not None:
        return table.raw, []
    if table.medium.workbook:
        return _workbook_bytes(table)
    text, lines = _csv_text(table)
    return text.encode(table.medium.encoding), lines


def materialise(table: Table, directory: Path) -> tuple[Path, list[int]]:
    """Write the file; its path and the physical line of each data row."""
    suffix = table.suffix or (".xlsx" if table.medium.workbook else ".csv")
    path = directory / f"{table.name}{suffix}"
    data, lines = _bytes(table)
    if table.raw is None and table.medium.encoding == "cp1252" and not table.medium.workbook:
        # Windows-1252 bytes that are also valid UTF-8 read as UTF-8, as the contract says
        # ('Ã¤' is 'ä'): such texts cannot be compared cell by cell.
        try:
            data.decode("utf-8")
            assume(data.isascii())
        except UnicodeDecodeError:
            pass
    path.write_bytes(data)
    note(f"{path.name}: {data[:300]!r}{' ...' if len(data) > 300 else ''}")
    return path, lines


def physical_lines(path: Path) -> int:
    """How many lines the file has: rows of a workbook, or CR/LF/CRLF-separated text lines."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        for read_only in (False, True):
            try:
                return openpyxl.load_workbook(path, read_only=read_only).worksheets[0].max_row
            except Exception:
                continue
        return 0
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    return len(io.StringIO(text, newline="").readlines())


# --- companies and relations --------------------------------------------------------------------


@dataclass(frozen=True)
class Want:
    """A company as the reader must give it back."""

    company_id: str
    name: str
    maturity: float
    business_id: str | None = None
    region: str | None = None
    employees: int | None = None


@dataclass(frozen=True)
class Defect:
    """A defect put into a file on purpose, and where its issue must be reported."""

    what: str
    file: str
    row: int | None  # index of the data row; None for the whole file
    columns: tuple[str, ...] = ()  # headers the issue may blame (any when empty)
    quoted: str | None = None  # the cell text the message must quote
    earlier: int | None = None  # a row whose line the message must cite
    ids_changed: bool = False  # relations may now cite unknown companies


@dataclass
class Case:
    companies: Table
    relations: Table | None
    wants: list[Want]
    scaled: bool
    defects: list[Defect] = field(default_factory=list)

    def ids(self) -> list[str]:
        return [want.company_id for want in self.wants]


@functools.cache
def spelling(noun: str, name: str) -> st.SearchStrategy[str]:
    """A header for a field: any accepted alias, any case, `_` `-` or space, maybe padded."""
    aliases = {"companies": COMPANIES, "relations": RELATIONS}[noun].spellings[name]
    cases = (str, str.upper, str.title, str.capitalize)
    return st.builds(
        lambda alias, case, separator, pad: pad + case(alias.replace("_", separator)) + pad,
        st.sampled_from(aliases),
        st.sampled_from(cases),
        st.sampled_from(["_", "_", " ", "-"]),
        st.sampled_from(["", "", " ", "\u00a0"]),
    )


def y_tunnus(body: int) -> str | None:
    digits = f"{body:07d}"
    remainder = sum(int(d) * w for d, w in zip(digits, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    if remainder == 1:
        return None
    return f"{digits}-{0 if remainder == 0 else 11 - remainder}"


@functools.cache
def y_tunnus_spelling(canonical: str) -> st.SearchStrategy[str]:
    compact = canonical.replace("-", "")
    return st.sampled_from(
        [canonical, compact, "FI" + compact, canonical.replace("-", "\u2013"), f" {canonical} "]
    )


@functools.cache
def theme_spelling(code: str, medium: Medium) -> st.SearchStrategy[str]:
    theme = THEMES[code]
    names = [code, code.upper(), theme.name_en, theme.name_fi.lower()]
    return st.sampled_from([n for n in names if medium.allows(n)])


@functools.cache
def region_spelling(code: str, medium: Medium) -> st.SearchStrategy[str]:
    region = REGIONS[code]
    names = [code, f"mk{int(code[2:])}", region.name_fi, region.name_sv, region.name_en.upper()]
    return st.sampled_from([n for n in names if medium.allows(n)])


def _number_text(draw: Any, value: float, decimals: int, medium: Medium, percent: bool) -> Any:
    """A score as a coordinator types it: '42,5', '42.5 %', or a number cell in a workbook."""
    if medium.workbook and draw(st.booleans()):
        return value if value % 1 else int(value)
    text = f"{value:.{decimals}f}"
    if "." in text and draw(st.booleans()):
        text = text.rstrip("0").rstrip(".")
    if draw(st.booleans()):
        text = text.replace(".", ",")
    if percent and draw(st.booleans()):
        text += draw(st.sampled_from(["%", " %"]))
    return pad(draw, text)


OPTIONAL_VALUES = {
    "mode": st.sampled_from(MODES),
    "languages": st.sampled_from(LANGUAGES),
    "competitor_ok": st.sampled_from(FLAGS),
    "willing_to_chair": st.sampled_from(FLAGS),
    "nace_code": st.sampled_from(["25620", "2562", "C25.62", "10", ""]),
}
OPTIONAL = ("business_id", "region", "employees", "mode", "languages", "competitor_ok")
OPTIONAL += ("willing_to_chair", "nace_code")


@st.composite
def company_table(draw: Any, max_companies: int, similar: bool) -> tuple[Table, list[Want], bool]:
    """A valid companies file, the companies it holds, and whether maturity reads as 0-1."""
    medium = draw(media)
    n = draw(st.integers(5 if similar else 1, max_companies))
    dma = draw(st.booleans())
    challenges = draw(st.booleans())
    fraction = draw(st.booleans()) and not similar
    fields = ["company_id", "name", "role"]
    fields += list(DMA_DIMENSIONS) if dma else ["maturity"]
    fields += ["primary_challenge", "secondary_challenges"] if challenges else ["goals"]
    fields += sorted(draw(st.sets(st.sampled_from(OPTIONAL))))
    fields += draw(st.lists(st.sampled_from(EXTRA_HEADERS), unique=True, max_size=2))
    fields = list(draw(st.permutations(fields)))
    header = [
        name if name in EXTRA_HEADERS else draw(spelling("companies", name)) for name in fields
    ]

    long_names = st.sampled_from(LONG).filter(medium.allows).map(lambda unit: unit * 10_000)
    id_texts = padded(texts(medium, 2, one_line=True))
    ids = draw(st.lists(id_texts, min_size=n, max_size=n, unique_by=str.strip))
    bodies = st.integers(0, 9_999_999).map(y_tunnus).filter(bool)
    business_ids = draw(st.lists(bodies, min_size=n, max_size=n, unique=True))
    themes = ["erp", "cybersecurity"] if similar else sorted(THEMES)
    scores = [
        draw(st.integers(350, 550) if similar else st.integers(0, 1000))
        / (1000 if fraction else 10)
        for _ in range(n * (6 if dma else 1))
    ]
    scaled = all(score <= 1 for score in scores)

    rows, wants = [], []
    for i in range(n):
        cells: dict[str, Any] = {"company_id": ids[i]}
        name = draw(padded(st.one_of(texts(medium), long_names) if i == 0 else texts(medium)))
        cells["name"] = name
        cells["role"] = draw(padded(st.sampled_from(SENIOR_ROLES if similar else ROLES)))
        if similar:  # most can meet: online or hybrid, in Finnish
            cells["mode"] = draw(st.sampled_from(["hybrid", "virtual", "", "Hybridi", "etä"]))
            cells["languages"] = draw(st.sampled_from(["fi", "fi|sv", "FI; en", ""]))
        own = scores[i * 6 : i * 6 + 6] if dma else [scores[i]]
        for column, score in zip(DMA_DIMENSIONS if dma else ("maturity",), own, strict=True):
            cells[column] = _number_text(draw, score, 3 if fraction else 1, medium, not fraction)
        goals = draw(st.lists(st.sampled_from(themes), min_size=1, max_size=3, unique=True))
        spelled = [draw(theme_spelling(code, medium)) for code in goals]
        separator = draw(st.sampled_from(["|", " | ", ";"]))
        if challenges:
            cells["primary_challenge"] = spelled[0]
            cells["secondary_challenges"] = separator.join(spelled[1:])
        else:
            cells["goals"] = separator.join(spelled)
        want = Want(ids[i].strip(), name.strip(), sum(own) / len(own) * (100 if scaled else 1))
        for column in fields:
            if column == "business_id":
                cells[column] = draw(y_tunnus_spelling(business_ids[i]))
                want = replace(want, business_id=business_ids[i])
            elif column == "region":
                region = draw(st.sampled_from(sorted(REGIONS)))
                cells[column] = draw(region_spelling(region, medium))
                want = replace(want, region=region)
            elif column == "employees":
                employees = draw(st.integers(0, 10**30) | st.integers(0, 500))
                big = not medium.workbook or employees >= 2**53
                cells[column] = str(employees) if big else employees
                want = replace(want, employees=employees)
            elif column in EXTRA_HEADERS:
                cells[column] = draw(st.one_of(st.just(""), texts(medium)))
            elif column not in cells:
                cells[column] = draw(OPTIONAL_VALUES[column])
        rows.append([cells[column] for column in fields])
        wants.append(want)
    blank_before = tuple(draw(st.lists(st.integers(0, n), max_size=3)))
    table = Table("companies", medium, fields, header, rows, blank_before)
    return table, wants, scaled


@st.composite
def relation_table(draw: Any, ids: Sequence[str]) -> Table:
    """A valid relations file between the companies: any pairs, kinds and severities, with
    reversed and contradictory repeats (competitor and customer_supplier, hard and soft)."""
    medium = draw(media)
    if not all(medium.allows(company_id) for company_id in ids):
        medium = replace(medium, workbook=False, encoding="utf-8")
    fields = ["company_a", "company_b", "kind"]
    fields += ["severity"] if draw(st.booleans()) else []
    fields = list(draw(st.permutations(fields)))
    header = [draw(spelling("relations", name)) for name in fields]
    rows = []
    if len(ids) >= 2:
        pairs = st.lists(st.sampled_from(ids), min_size=2, max_size=2, unique_by=str.strip)
        for a, b in draw(st.lists(pairs, max_size=12)):
            cells = {
                "company_a": pad(draw, a),
                "company_b": pad(draw, b),
                "kind": draw(padded(st.sampled_from(KINDS))),
                "severity": draw(st.sampled_from(SEVERITIES)),
            }
            rows.append([cells[name] for name in fields])
    blank_before = tuple(draw(st.lists(st.integers(0, len(rows)), max_size=2)))
    return Table("relations", medium, fields, header, rows, blank_before)


@st.composite
def valid_cases(
    draw: Any, max_companies: int = 8, relations: bool | None = None, similar: bool = False
) -> Case:
    companies, wants, scaled = draw(company_table(max_companies, similar))
    with_relations = draw(st.booleans()) if relations is None else relations
    ids = [cells[companies.column("company_id")] for cells in companies.rows]
    table = draw(relation_table(ids)) if with_relations else None
    return Case(companies, table, wants, scaled)


# --- defects --------------------------------------------------------------------------------------


def _pick_row(draw: Any, table: Table) -> int:
    return draw(st.integers(0, len(table.rows) - 1))


def _set(table: Table, row: int, name: str, value: Any) -> Table:
    rows = [list(cells) for cells in table.rows]
    rows[row][table.column(name)] = value
    return replace(table, rows=rows)


def _without(table: Table, name: str) -> Table:
    index = table.column(name)
    drop = lambda cells: [c for i, c in enumerate(cells) if i != index]  # noqa: E731
    return replace(
        table,
        fields=drop(table.fields),
        header=drop(table.header),
        rows=[drop(cells) for cells in table.rows],
    )


def _required(table: Table, dropping: bool = False) -> list[str]:
    maturity = ["maturity"] if "maturity" in table.fields else [DMA_DIMENSIONS[0]]
    goals = ["goals"] if "goals" in table.fields else ["primary_challenge"]
    if table.name == "relations":
        return ["company_a", "company_b", "kind"]
    # Without company_id a business_id column is the key: dropping company_id is then no
    # defect (an empty company_id cell still is).
    key = [] if dropping and "business_id" in table.fields else ["company_id"]
    return [*key, "name", "role", *maturity, *goals]


def _empty(draw: Any, table: Table) -> tuple[Table, Defect]:
    """An empty file: no bytes, blank lines, a byte order mark, or a workbook without cells."""
    if not table.medium.workbook and draw(st.booleans()):
        raw = draw(st.sampled_from(EMPTY_FILES))
        return replace(table, raw=raw), Defect("empty file", table.name, None)
    blank = tuple(draw(st.lists(st.just(0), max_size=2)))
    emptied = replace(table, fields=[], header=[], rows=[], blank_before=blank)
    return emptied, Defect("empty file", table.name, None)


EMPTY_FILES = (b"", b"\n\n", b"  \r\n\t\n", codecs.BOM_UTF8, codecs.BOM_UTF8 + b"\n", b",,,\n;;\n")
EMPTY_FILES += ("\ufeff\n".encode("utf-16"),)


def _unreadable(draw: Any, table: Table) -> tuple[Table, Defect]:
    """Bytes that are not text in any accepted encoding, or a damaged workbook."""
    data, _ = _bytes(table)
    if table.medium.workbook:
        return replace(table, raw=draw(broken_workbook(data))), Defect("damaged", table.name, None)
    if table.medium.encoding == "utf-16":
        tail = draw(st.sampled_from([b"\x00", b"\x00\xd8" * 2, b"\x00\xdc"]))
        tail = tail if data.startswith(codecs.BOM_UTF16_LE) else tail[::-1]
    else:
        tail = draw(st.sampled_from([b"\x81", b"\x8d\x90", b"x\x9d\n"]))
    at = draw(st.integers(0, len(data)))
    if table.medium.encoding == "utf-16":
        at = len(data)  # inside the text it may still decode (as other characters)
    return replace(table, raw=data[:at] + tail + data[at:]), Defect("undecodable", table.name, None)


@st.composite
def broken_workbook(draw: Any, data: bytes) -> bytes:
    """A workbook no reader can read: cut short, CSV text, or its sheet or workbook part
    missing or not XML."""
    how = draw(st.sampled_from(["truncate", "text", "drop", "garbage"]))
    if how == "truncate":
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "text":
        return b"company_id,name,maturity,role,goals\nC1,A,40,ceo,erp\n"
    part = draw(st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml"]))
    garbage = None if how == "drop" else draw(st.sampled_from([b"", b"<not xml", b"\x00" * 10]))
    return _rezipped(data, part, garbage)


SAVED = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*")


def _rezipped(data: bytes, part: str | None = None, content: bytes | None = None) -> bytes:
    """The workbook with one part replaced (removed when `content` is None), and the time it
    was saved fixed: the same example always gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["docProps/core.xml"] = SAVED.sub(
        rb"\g<1>2024-01-01T00:00:00Z", parts["docProps/core.xml"]
    )
    if part is not None and content is None:
        del parts[part]
    elif part is not None:
        parts[part] = content
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, payload in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (2024, 1, 1, 0, 0, 0)), payload)
    return buffer.getvalue()


def _missing_column(draw: Any, table: Table) -> tuple[Table, Defect]:
    name = draw(st.sampled_from(_required(table, dropping=True)))
    return _without(table, name), Defect(f"missing column {name}", table.name, None)


@st.composite
def damaged_workbook(draw: Any, data: bytes) -> bytes:
    """A workbook cut short, overwritten, or with a part missing or not XML."""
    how = draw(st.sampled_from(["truncate", "overwrite", "part", "drop", "text"]))
    if how == "truncate":
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "overwrite":
        at = draw(st.integers(0, len(data) - 1))
        return data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at + 64 :]
    if how == "text":
        return b"company_id,name,maturity,role,goals\nC1,A,40,ceo,erp\n"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(archive.namelist())
    part = draw(st.sampled_from(names))
    garbage = [b"", b"<not xml", b"<?xml version='1.0'?><a>\xff\xfe</a>", b"\x00" * 10]
    content = None if how == "drop" else draw(st.sampled_from(garbage) | st.binary(max_size=100))
    return _rezipped(data, part, content)


def _company_defect(draw: Any, case: Case) -> tuple[Table, Defect]:
    """One defect in the companies file, with where it must be reported."""
    table = case.companies
    medium = table.medium
    kinds = ["empty required", "bad number", "bad vocabulary", "missing column", "header only"]
    kinds += ["empty file", "unreadable", "control character"]
    kinds += ["duplicate id"] * (len(table.rows) >= 2)
    kinds += ["duplicate business id"] * (len(table.rows) >= 2 and "business_id" in table.fields)
    kind = draw(st.sampled_from(kinds))
    row = _pick_row(draw, table)
    blank = draw(st.sampled_from(["", " ", "\u00a0", "\t "]))
    if kind == "missing column":
        return _missing_column(draw, table)
    if kind == "header only":
        return replace(table, rows=[]), Defect(kind, table.name, None, ids_changed=True)
    if kind == "empty file":
        return _empty(draw, table)
    if kind == "unreadable":
        return _unreadable(draw, table)
    if kind in ("duplicate id", "duplicate business id"):
        name = "company_id" if kind == "duplicate id" else "business_id"
        first = draw(st.integers(0, len(table.rows) - 2))
        row = draw(st.integers(first + 1, len(table.rows) - 1))
        value = str(table.rows[first][table.column(name)]).strip()
        if name == "business_id" and not case.defects:  # the same Y-tunnus, maybe respelled
            value = draw(y_tunnus_spelling(normalise_business_id(value)))
        mutated = _set(table, row, name, pad(draw, value.strip()))
        defect = Defect(kind, table.name, row, (table.heading(name),), earlier=first)
        return mutated, replace(defect, ids_changed=name == "company_id")
    if kind == "empty required":
        name = draw(st.sampled_from(_required(table)))
        if name == "primary_challenge":
            table = _set(table, row, "secondary_challenges", blank)
            columns = (table.heading(name), table.heading("secondary_challenges"))
        elif name in DMA_DIMENSIONS:
            name = draw(st.sampled_from(DMA_DIMENSIONS))
            columns = tuple(table.heading(dimension) for dimension in DMA_DIMENSIONS)
        else:
            columns = (table.heading(name),)
        defect = Defect(kind, table.name, row, columns, ids_changed=name == "company_id")
        return _set(table, row, name, blank), defect
    if kind == "bad number":
        name = "maturity" if "maturity" in table.fields else draw(st.sampled_from(DMA_DIMENSIONS))
        value = draw(st.sampled_from(BAD_NUMBERS))
        mutated = _set(table, row, name, pad(draw, value))
        return mutated, Defect(kind, table.name, row, (table.heading(name),), quoted=value)
    if kind == "bad vocabulary":
        names = [name for name in BAD_VOCABULARY if name in table.fields]
        if "business_id" in table.fields:
            names.append("business_id")
        name = draw(st.sampled_from(names))
        if name == "business_id":
            canonical = str(table.rows[row][table.column(name)]).strip()
            canonical = canonical.removeprefix("FI").replace("\u2013", "-").replace("-", "")
            wrong = (int(canonical[7]) + draw(st.integers(1, 9))) % 10
            value = f"{canonical[:7]}-{wrong}"
        else:
            value = draw(st.sampled_from(BAD_VOCABULARY[name]))
        mutated = _set(table, row, name, pad(draw, value))
        return mutated, Defect(f"bad {name}", table.name, row, (table.heading(name),))
    # a control character inside an id or a name, or a line break inside an id (not at the
    # ends, where str.strip() takes it off)
    # (a workbook cannot hold control characters, and turns CR into LF)
    name = "company_id" if medium.workbook else draw(st.sampled_from(["company_id", "name"]))
    text = str(table.rows[row][table.column(name)]).strip()
    breaks = ["\n"] if medium.workbook else ["\n", "\r", "\r\n"]
    odd = [*("" if medium.workbook else SOLID_CONTROL), *(breaks if name == "company_id" else [])]
    control = draw(st.sampled_from(odd).filter(medium.encodes))
    at = draw(st.integers(1, max(1, len(text) - 1)))
    value = text[:at] + control + text[at:] if len(text) > 1 else text + control + text
    defect = Defect(kind, table.name, row, (table.heading(name),), ids_changed=name == "company_id")
    return _set(table, row, name, value), defect


def _relation_defect(draw: Any, case: Case) -> tuple[Table, Defect]:
    """One defect in the relations file: a bad row appended, or a file-level defect."""
    table = case.relations
    assert table is not None
    kinds = ["unknown company", "self relation", "bad kind", "bad severity", "empty company"]
    kinds += ["missing column", "empty file", "unreadable"]
    kind = draw(st.sampled_from(kinds))
    if kind == "missing column":
        return _missing_column(draw, table)
    if kind == "empty file":
        return _empty(draw, table)
    if kind == "unreadable":
        return _unreadable(draw, table)
    if kind == "bad severity" and "severity" not in table.fields:
        table = replace(
            table,
            fields=[*table.fields, "severity"],
            header=[*table.header, "severity"],
            rows=[[*cells, ""] for cells in table.rows],
        )
    ids = case.ids()
    a = draw(st.sampled_from(ids))
    b = draw(st.sampled_from([other for other in ids if other != a] or ids))
    cells = {"company_a": a, "company_b": b, "kind": draw(st.sampled_from(KINDS)), "severity": ""}
    blamed = "company_b"
    if kind == "unknown company":
        blamed = draw(st.sampled_from(["company_a", "company_b"]))
        unknown = draw(st.sampled_from([f"{a}X", "C0O6", "0", "=1+1", "tuntematon Oy"]))
        assume(unknown.strip() not in ids)
        cells[blamed] = unknown
    elif kind == "self relation":
        cells["company_b"] = pad(draw, a)
    elif kind == "bad kind":
        cells["kind"], blamed = draw(st.sampled_from(["friend", "kilpailijat", "nan"])), "kind"
    elif kind == "bad severity":
        cells["severity"], blamed = draw(st.sampled_from(["medium", "0", "kovaa"])), "severity"
    else:
        blamed = draw(st.sampled_from(["company_a", "company_b"]))
        cells[blamed] = ""
    if kind != "self relation" and cells["company_a"].strip() == cells["company_b"].strip():
        assume(kind in ("unknown company", "empty company"))
    row = len(table.rows)
    mutated = replace(table, rows=[*table.rows, [cells[name] for name in table.fields]])
    return mutated, Defect(kind, table.name, row, (mutated.heading(blamed),))


@st.composite
def defective_cases(draw: Any, defects: int = 1, **options: Any) -> Case:
    """A valid case with `defects` defects put in (each file stays a file of its kind)."""
    case = draw(valid_cases(**options))
    for _ in range(defects):
        if case.relations is not None and draw(st.booleans()):
            relations, defect = _relation_defect(draw, case)
            case = replace(case, relations=relations, defects=[*case.defects, defect])
        else:
            companies, defect = _company_defect(draw, case)
            case = replace(case, companies=companies, defects=[*case.defects, defect])
        if companies_ruined(case):
            break  # later defects would go into an empty or unreadable file
    return case


def companies_ruined(case: Case) -> bool:
    return any(d.row is None for d in case.defects) or not case.companies.rows


# --- checks ---------------------------------------------------------------------------------------


def read_or_refuse(*paths: Path | None) -> Loaded | InvalidInput:
    """Property 1: a Loaded, or an InvalidInput whose issues are all well located."""
    try:
        loaded = read_inputs(*paths)
    except InvalidInput as refused:
        assert refused.issues, "InvalidInput without issues"
        check_located(refused.issues, paths, headers=True)
        return refused
    assert isinstance(loaded, Loaded)
    check_located(loaded.warnings, paths, headers=False)
    return loaded


def check_located(issues: list[InputIssue], paths: Sequence[Path | None], headers: bool) -> None:
    files = [str(path) for path in paths if path is not None]
    for issue in issues:
        assert isinstance(issue, InputIssue)
        assert issue.file in files, f"{issue} names no input file"
        assert isinstance(issue.message, str) and issue.message.strip(), f"{issue}: no message"
        path = Path(issue.file)
        if issue.line is not None:
            assert 1 <= issue.line <= physical_lines(path), f"{issue}: no such line"
        if headers and issue.column is not None:
            assert issue.column in read_table(path)[0], f"{issue}: no such column"
        assert not BREAK.search(str(issue)), f"{issue!r} is not one line"
    order = [files.index(issue.file) for issue in issues]
    assert order == sorted(order), "issues are not in file order"


def expect_refused(outcome: Loaded | InvalidInput, case: Case) -> InvalidInput:
    assert isinstance(outcome, InvalidInput), (
        f"accepted despite {[d.what for d in case.defects]}; warnings {outcome.warnings}"
    )
    return outcome


def expect_loaded(outcome: Loaded | InvalidInput) -> Loaded:
    assert isinstance(outcome, Loaded), "refused a valid input:\n" + "\n".join(
        map(str, outcome.issues)
    )
    return outcome


@dataclass
class Written:
    companies: Path
    relations: Path | None
    lines: dict[str, list[int]]
    paths: dict[str, Path]

    def args(self) -> list[Path | str]:
        return [self.companies] + (["--relations", self.relations] if self.relations else [])


def write_case(case: Case, directory: Path) -> Written:
    companies, company_lines = materialise(case.companies, directory)
    relations, relation_lines = (None, [])
    if case.relations is not None:
        relations, relation_lines = materialise(case.relations, directory)
    return Written(
        companies,
        relations,
        {"companies": company_lines, "relations": relation_lines},
        {"companies": companies, "relations": relations},
    )


# --- what the fuzzing found: kept as explicit examples, run in every profile -------------------

CONTRACT = ["company_id", "name", "maturity", "role", "goals"]


def _example(
    rows: list[list[Any]], fields: list[str] = CONTRACT, employees: bool = False, **medium: Any
) -> Case:
    """A companies file of the given rows, with the companies it must read as."""
    table = Table("companies", Medium(**medium), fields, list(fields), rows)
    at = {name: table.column(name) for name in CONTRACT}
    wants = [
        Want(
            str(cells[at["company_id"]]).strip(),
            cells[at["name"]],
            float(cells[at["maturity"]]),
            employees=int(cells[table.column("employees")]) if employees else None,
        )
        for cells in rows
    ]
    return Case(table, None, wants, scaled=False)


def _workbook_with(part: str, content: bytes) -> bytes:
    data, _ = _workbook_bytes(_example([["C1", "A", "40", "ceo", "erp"]]).companies)
    return _rezipped(data, part, content)


def _fractions_and(value: str) -> Case:
    case = _example([["C1", "A", "0.5", "ceo", "erp"], ["C2", "B", value, "ceo", "erp"]])
    defect = Defect("bad number", "companies", 1, ("maturity",), quoted=value)
    return replace(case, defects=[defect])


def _with_relations(rows: list[list[str]]) -> Case:
    companies = [["A", "A Oy", "40", "ceo", "erp"], ["B", "B Oy", "45", "ceo", "erp"]]
    fields = ["company_a", "company_b", "kind", "severity"]
    relations = Table("relations", Medium(), fields, fields, rows)
    return replace(_example(companies), relations=relations)


FOUND = {
    # a UTF-16 byte order mark and an odd number of bytes: UnicodeDecodeError escaped
    "odd-length UTF-16": (".csv", codecs.BOM_UTF16_LE + b"a"),
    # openpyxl's XML errors escaped while reading rows, and while opening the workbook
    "sheet not XML": (".xlsx", _workbook_with("xl/worksheets/sheet1.xml", b"<not xml")),
    "manifest not XML": (".xlsx", _workbook_with("[Content_Types].xml", b"")),
    # whole numbers went through a float: 10**30 employees read as 1000000000000000019884624838656
    "employees 10**30": _example(
        [["C1", "A", "40", "ceo", "erp", "1" + "0" * 30]], [*CONTRACT, "employees"], employees=True
    ),
    # the delimiter was sniffed from the header's first physical line, here 'Lisätiedot'
    "header over two lines": _example(
        [["x", "C1", "A", "40", "ceo", "erp"]],
        ["Lisätiedot\n(vapaa teksti)", *CONTRACT],
        delimiter="\t",
    ),
    # a column of fractions was rescaled with its bad cell: "not '-500'" for a typed -5
    "negative maturity among fractions": _fractions_and("-5"),
    "NaN maturity among fractions": _fractions_and("NaN"),
    # a default-hard same_owner and a soft one: the pair was hard or soft by row order
    "relations in either order": (
        _with_relations([["A", "B", "same_owner", ""], ["B", "A", "same_owner", "soft"]]),
        [1, 0],
        [False, False],
    ),
    # an issue quoted a duplicated id, or an ignored header, with its line break
    "duplicated id with a line break": replace(
        _example([["A\nB", "A", "40", "ceo", "erp"], ["A\nB", "B", "45", "ceo", "erp"]]),
        defects=[Defect("duplicate id", "companies", 1, ("company_id",), earlier=0)],
    ),
    # an id with a bare CR was accepted; assignments.csv then split its row in two
    "carriage return in an id": _example(
        [["A\rB", "A", "40", "ceo", "erp"]]
        + [[f"C{i}", "B", f"4{i}", "ceo", "erp"] for i in range(2, 6)]
    ),
}


# --- property 1: anything read gives Loaded or InvalidInput ---------------------------------------


@st.composite
def garbage(draw: Any) -> tuple[str, bytes]:
    """Bytes no coordinator meant: random bytes, CSV-ish soup, bad UTF-16, damaged workbooks."""
    kind = draw(st.sampled_from(["bytes", "soup", "soup", "utf-16", "workbook", "suffix"]))
    header = b"company_id;name;maturity;role;goals;company_a;company_b;relation;severity\n"
    if kind == "bytes":
        prefix = draw(st.sampled_from([b"", header, codecs.BOM_UTF8, codecs.BOM_UTF8 + header]))
        return ".csv", prefix + draw(st.binary(max_size=300))
    if kind == "utf-16":
        bom = draw(st.sampled_from([codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE]))
        return ".csv", bom + draw(st.binary(max_size=100))
    if kind in ("workbook", "suffix"):
        table = draw(valid_cases(max_companies=3, relations=False)).companies
        data, _ = _workbook_bytes(table)
        if kind == "suffix":
            return draw(st.sampled_from([".xls", ".XLSX", ".xlsm"])), data[:500]
        return ".xlsx", draw(damaged_workbook(data))
    cells = st.one_of(st.sampled_from(CELLS), st.text(max_size=10))
    separators = st.sampled_from([",", ";", "\t", '"', '""', "|", ", ", "\n", "\r", "\r\n"])
    row = st.lists(st.tuples(cells, separators), max_size=8)
    soup = "".join(
        cell + separator
        for cells_and_separators in draw(st.lists(row, max_size=6))
        for cell, separator in cells_and_separators
    )
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    text = delimiter.join(["company_id", "name", "maturity", "role", "goals"]) + "\n" + soup
    text = text.replace(";", delimiter) if draw(st.booleans()) else text
    encoding = draw(st.sampled_from(ENCODINGS))
    return ".csv", text.encode(encoding if encodable(text, encoding) else "utf-8")


VALID_COMPANIES = "company_id,name,maturity,role,goals\nC1,A,40,ceo,erp\nC2,B,45,ceo,erp\n"


@given(junk=garbage(), as_relations=st.booleans())
@example(junk=FOUND["odd-length UTF-16"], as_relations=False)
@example(junk=FOUND["sheet not XML"], as_relations=True)
@example(junk=FOUND["manifest not XML"], as_relations=False)
def test_any_file_is_loaded_or_refused_with_located_issues(junk, as_relations):
    suffix, data = junk
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"input{suffix}"
        path.write_bytes(data)
        note(f"{path.name}: {data[:300]!r}")
        if as_relations:
            companies = Path(directory) / "companies.csv"
            companies.write_text(VALID_COMPANIES, encoding="utf-8")
            read_or_refuse(companies, path)
        else:
            read_or_refuse(path)


# --- property 2: valid files read as written; each defect on its line -----------------------------


@given(case=valid_cases())
@example(case=FOUND["employees 10**30"])
@example(case=FOUND["header over two lines"])
def test_a_valid_file_is_read_as_written(case):
    with tempfile.TemporaryDirectory() as directory:
        written = write_case(case, Path(directory))
        loaded = expect_loaded(read_or_refuse(written.companies, written.relations))

    companies = loaded.problem.companies
    assert [c.company_id for c in companies] == case.ids()
    assert [c.name for c in companies] == [want.name for want in case.wants]
    for company, want in zip(companies, case.wants, strict=True):
        assert abs(company.maturity - want.maturity) <= 0.05 + 1e-9, (company, want)
        assert 0 <= company.maturity <= 100
        if want.business_id is not None:
            assert company.business_id == want.business_id
        if want.region is not None:
            assert company.region == want.region
        if want.employees is not None:
            assert company.employees == want.employees
    warnings = [w.message for w in loaded.warnings]
    assert any("0-1 scale" in w for w in warnings) == case.scaled
    extras = any(name in EXTRA_HEADERS for name in case.companies.fields)
    assert any(w.startswith("ignored columns") for w in warnings) == extras


@given(case=defective_cases(defects=1))
@example(case=FOUND["negative maturity among fractions"])
@example(case=FOUND["NaN maturity among fractions"])
def test_a_defect_is_reported_on_its_line_and_cell(case):
    [defect] = case.defects
    event(f"{defect.file}: {defect.what}")
    with tempfile.TemporaryDirectory() as directory:
        written = write_case(case, Path(directory))
        refused = expect_refused(read_or_refuse(written.companies, written.relations), case)

    path = str(written.paths[defect.file])
    lines = written.lines[defect.file]
    ours = [issue for issue in refused.issues if issue.file == path]
    others = [issue for issue in refused.issues if issue.file != path]
    shown = "\n".join(map(str, refused.issues))
    if defect.row is None:
        assert ours and all(issue.line is None for issue in ours), shown
    else:
        line = lines[defect.row]
        assert ours and all(issue.line == line for issue in ours), f"expected line {line}\n{shown}"
        if defect.columns:
            assert any(issue.column in defect.columns for issue in ours), shown
        if defect.quoted is not None:
            assert any(repr(defect.quoted) in issue.message for issue in ours), shown
        if defect.earlier is not None:
            assert any(f"line {lines[defect.earlier]}" in issue.message for issue in ours), shown
    if not defect.ids_changed:
        assert not others, shown


@given(case=defective_cases(defects=3))
@example(case=FOUND["duplicated id with a line break"])
def test_several_defects_are_refused_together(case):
    with tempfile.TemporaryDirectory() as directory:
        written = write_case(case, Path(directory))
        refused = expect_refused(read_or_refuse(written.companies, written.relations), case)

    ids_unknown = any(d.file == "companies" and d.row is None for d in case.defects)
    # relations are checked against the companies only when their ids could be read
    found = [d for d in case.defects if not (d.what == "unknown company" and ids_unknown)]
    defective = {str(written.paths[d.file]) for d in found}
    assert defective <= {issue.file for issue in refused.issues}


# --- property 3: relations fold the same way in any order -----------------------------------------


@st.composite
def reordered(draw: Any) -> tuple[Case, list[int], list[bool]]:
    """A case with relations, another order of its relation rows, and the rows to swap a-b."""
    case = draw(valid_cases(max_companies=5, relations=True))
    rows = len(case.relations.rows)
    order = draw(st.permutations(range(rows)))
    return case, order, draw(st.lists(st.booleans(), min_size=rows, max_size=rows))


@given(reordering=reordered())
@example(reordering=FOUND["relations in either order"])
def test_relations_fold_the_same_in_any_order_and_direction(reordering):
    case, order, swaps = reordering
    table = case.relations
    a, b = table.column("company_a"), table.column("company_b")
    shuffled = []
    for index, swap in zip(order, swaps, strict=True):
        cells = list(table.rows[index])
        if swap:
            cells[a], cells[b] = cells[b], cells[a]
        shuffled.append(cells)
    other = replace(table, name="relations_shuffled", rows=shuffled, blank_before=())
    with tempfile.TemporaryDirectory() as directory:
        written = write_case(case, Path(directory))
        reordered, _ = materialise(other, Path(directory))
        first = expect_loaded(read_or_refuse(written.companies, written.relations)).problem
        second = expect_loaded(read_or_refuse(written.companies, reordered)).problem

    def folded(problem):
        hard = {pair: sorted(kinds) for pair, kinds in problem.hard_pairs.items()}
        return hard, problem.soft_pairs

    assert folded(first) == folded(second)
    keys = [(r.pair, r.kind) for r in first.relations]
    assert len(keys) == len(set(keys)), "a pair has a kind twice after folding"
    assert not set(first.hard_pairs) & set(first.soft_pairs)
    severity = table.column("severity") if "severity" in table.fields else None
    for cells in table.rows:
        if severity is not None and str(cells[severity]).strip().casefold() in HARD_WORDS:
            pair = tuple(sorted((str(cells[a]).strip(), str(cells[b]).strip())))
            assert pair in first.hard_pairs, f"{pair} was marked hard"


# --- property 4: the commands agree with the readers ----------------------------------------------


def invoke(command: Any, args: Sequence[object]) -> Result:
    """Run a command in-process; an exception other than an exit fails with its traceback."""
    result = CliRunner().invoke(command, [str(arg) for arg in args])
    error = result.exception
    if error is not None and not isinstance(error, SystemExit):
        shown = "".join(traceback.format_exception(*result.exc_info))
        pytest.fail(f"{type(error).__name__} escaped the command:\n{shown}")
    assert "Traceback" not in result.output
    return result


def refused_properly(result: Result, refused: InvalidInput) -> None:
    assert result.exit_code == 1, result.output
    for issue in refused.issues:
        assert str(issue) in result.output
    assert "nothing was written" in result.output


@COMMANDS
@given(case=st.integers(0, 2).flatmap(lambda n: defective_cases(defects=n)))
def test_validate_agrees_with_the_readers(case):
    with tempfile.TemporaryDirectory() as directory:
        written = write_case(case, Path(directory))
        outcome = read_or_refuse(written.companies, written.relations)
        result = invoke(cli.main, ["validate", *written.args()])
    event(f"exit {result.exit_code}")

    if isinstance(outcome, InvalidInput):
        refused_properly(result, outcome)
    else:
        assert result.exit_code == 0, result.output
        assert f"ok: {len(outcome.problem.companies)} companies" in result.output


@PIPELINE
@pytest.mark.filterwarnings("ignore:Glyph .* missing from font")  # report figures, emoji names
@given(
    case=st.sampled_from([0, 0, 1]).flatmap(
        lambda n: defective_cases(defects=n, max_companies=15, similar=True)
    )
)
@example(case=FOUND["carriage return in an id"])
def test_form_groups_places_every_company_once_or_writes_nothing(case):
    with tempfile.TemporaryDirectory() as directory:
        written = write_case(case, Path(directory))
        out = Path(directory) / "plan"
        outcome = read_or_refuse(written.companies, written.relations)
        options = ["--out", out, "--time-limit", "1", "--workers", "1", "--quiet"]
        result = invoke(cli.form_groups_command, [*written.args(), *options])

        event(f"exit {result.exit_code}")
        if isinstance(outcome, InvalidInput):
            refused_properly(result, outcome)
            assert not out.exists()
            return
        assert result.exit_code in (0, 3), result.output
        with (out / "assignments.csv").open(newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))

    problem = outcome.problem
    written_ids = [row["company_id"] for row in rows]
    expected = [spreadsheet_safe(company.company_id) for company in problem.companies]
    assert len(written_ids) == len(problem.companies)
    assert Counter(written_ids) == Counter(expected)
    assert set(written_ids) == set(expected)
    placed = [row for row in rows if row["group_id"]]
    assert (result.exit_code == 3) == (not placed)
    group_of = {row["company_id"]: row["group_id"] for row in placed}
    for first, second in problem.hard_pairs:
        one, other = spreadsheet_safe(first), spreadsheet_safe(second)
        assert group_of.get(one) is None or group_of.get(one) != group_of.get(other)
