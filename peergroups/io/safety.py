"""Reading files that may be hostile or mistaken without being hurt by them.

A reader opens only regular files (not `/dev/zero`, a pipe or a directory), reads at most
`MAX_BYTES` of a text file, and reads a workbook as a stream that stops at `MAX_ROWS` rows, so
a file that inflates to millions of rows is refused within seconds and in bounded memory. A
workbook with several sheets is read from the one the caller names or from its only visible
sheet, and the reader says which; when that is ambiguous it refuses rather than guess.
"""

import os
import re
import stat
import threading
import zipfile
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.reader import excel
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import WorkSheetParser

MAX_BYTES = 128 * 2**20
"""A text input larger than this is refused: 100,000 rows of a kilobyte each fit."""
MAX_ROWS = 500_000
"""Rows (with the header) of any input: five times the largest run (`max_companies`), so a
history of several rounds fits."""
MAX_COLUMNS = 1_000
"""Cells read per row: the contract has fewer than 30 columns."""
MAX_CELLS = 4_000_000
"""Cells of a worksheet: 100,000 companies of 30 columns are 3,000,000."""
MAX_XML_BYTES = 4 * 2**30
"""A worksheet declaring more than this uncompressed is refused before it is opened."""


class Unreadable(Exception):
    """A file that cannot be read safely as a table; the message completes '<file> ...'."""


def regular_file(path: Path) -> None:
    """Refuse what is not a regular file (a device, a pipe, a directory)."""
    mode = os.stat(path).st_mode
    if not stat.S_ISREG(mode):
        kind = "a directory" if stat.S_ISDIR(mode) else "a device, pipe or socket"
        raise Unreadable(f"is not a regular file ({kind}); give a CSV or XLSX file")


def read_bytes(path: Path, limit: int | None = None) -> bytes:
    """A regular file's bytes, or Unreadable when it holds more than `limit` (MAX_BYTES)."""
    limit = MAX_BYTES if limit is None else limit
    regular_file(path)
    with Path(path).open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Unreadable(f"is larger than {limit:,} bytes; split it or remove columns")
    return data


def xlsx_rows(
    path: Path,
    sheet: str | None,
    notes: list[str],
    cell_text: Callable[[Any, str], str],
    limit: int | None = None,
) -> list[tuple[int, list[str]]]:
    """The rows of one worksheet (named `sheet`, else the only visible one), numbered as the
    spreadsheet shows them, read as a stream that stops past `limit` rows. What was chosen is
    added to `notes` when the workbook has other sheets."""
    limit = MAX_ROWS if limit is None else limit
    regular_file(path)
    _refuse_bombs(path)
    try:
        workbook = _load(path)
    except OSError:
        raise
    except Exception:
        raise Unreadable("is not a readable .xlsx workbook") from None
    try:
        chosen = _choose_sheet(workbook, sheet, notes)
        _refuse_oversized(chosen, limit)
        read = list(islice(_sheet_rows(workbook, chosen, cell_text), limit + 1))
    except (OSError, Unreadable):
        raise
    except Exception:
        raise Unreadable("is not a readable .xlsx workbook") from None
    finally:
        workbook.close()
    if len(read) > limit:
        raise Unreadable(f"has more than {limit:,} rows; split it (a run takes at most 100,000)")
    return read


class _Unsized(ReadOnlyWorksheet):
    """A read-only worksheet that does not look for its size when opened: openpyxl reads a
    sheet without a <dimension> to its end for that (minutes for a million rows), and a
    <dimension> that lies would cut rows or pad them to thousands of cells."""

    def _get_size(self) -> None:
        pass


_LOADING = threading.Lock()


def _load(path: Path) -> Any:
    with _LOADING:
        excel.ReadOnlyWorksheet = _Unsized
        try:
            return load_workbook(path, read_only=True, data_only=True)
        finally:
            excel.ReadOnlyWorksheet = ReadOnlyWorksheet


def _number_format(workbook: Any, style_id: Any) -> str:
    """The number format a cell is shown with ('0 %' for a percentage), from its style."""
    if style_id is None:
        return ""
    styles = workbook._cell_styles
    index = int(style_id)
    if index >= len(styles):
        return ""
    number = styles[index].numFmtId
    if number in BUILTIN_FORMATS:
        return BUILTIN_FORMATS[number]
    custom = number - BUILTIN_FORMATS_MAX_SIZE
    return workbook._number_formats[custom] if 0 <= custom < len(workbook._number_formats) else ""


def _sheet_rows(
    workbook: Any, sheet: Any, cell_text: Callable[[Any, str], str]
) -> Iterator[tuple[int, list[str]]]:
    """Each row of `sheet` as it streams from the file: its number, its first MAX_COLUMNS
    cells as text (empty where the file has none), each read as its number format shows it."""
    with sheet._get_source() as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        for number, cells in parser.parse():
            texts = [""] * min(MAX_COLUMNS, max((c["column"] for c in cells), default=0))
            for cell in cells:
                if cell["column"] <= MAX_COLUMNS:
                    shown = _number_format(workbook, cell.get("style_id"))
                    texts[cell["column"] - 1] = cell_text(cell["value"], shown)
            yield number, texts


_ROW = re.compile(rb"<\w+:row[\s>/]")
_CELL = re.compile(rb"<\w+:c[\s>/]")


def _refuse_oversized(sheet: Any, limit: int) -> None:
    """Count the sheet's rows and cells in its raw XML, at the speed of decompression, and
    refuse it past `limit` rows or MAX_CELLS cells, before any cell is parsed."""
    rows = cells = 0
    tail = b""
    with sheet._get_source() as source:
        while True:
            chunk = source.read(1 << 20)
            data = tail + chunk
            cut = data.rfind(b">") + 1 if chunk else len(data)  # no tag straddles a '>'
            part, tail = data[:cut], data[cut:]
            rows += part.count(b"<row ") + part.count(b"<row>")
            cells += part.count(b"<c ") + part.count(b"<c>")
            if b":row" in part:  # a namespace prefix, as some tools write
                rows += len(_ROW.findall(part))
                cells += len(_CELL.findall(part))
            if rows > limit:
                raise Unreadable(
                    f"has more than {limit:,} rows; split it (a run takes at most 100,000)"
                )
            if cells > MAX_CELLS:
                raise Unreadable(
                    f"has more than {MAX_CELLS:,} cells; remove unused columns or split it"
                )
            if not chunk:
                return


def _refuse_bombs(path: Path) -> None:
    """A worksheet that declares an absurd uncompressed size is refused unopened."""
    try:
        with zipfile.ZipFile(path) as archive:
            sizes = [i.file_size for i in archive.infolist() if i.filename.startswith("xl/")]
    except (zipfile.BadZipFile, ValueError):
        raise Unreadable("is not a readable .xlsx workbook") from None
    if sum(sizes) > MAX_XML_BYTES:
        raise Unreadable(f"inflates to more than {MAX_XML_BYTES // 2**30} GiB; it is refused")


def _choose_sheet(workbook: Any, sheet: str | None, notes: list[str]) -> Any:
    names = [w.title for w in workbook.worksheets]
    if sheet is not None:
        if sheet not in names:
            raise Unreadable(f"has no sheet {sheet!r} (it has {', '.join(map(repr, names))})")
        if len(names) > 1:
            notes.append(f"read sheet {sheet!r} (as --sheet asks)")
        return workbook[sheet]
    visible = [w for w in workbook.worksheets if w.sheet_state == "visible"]
    if len(visible) != 1:
        shown = ", ".join(repr(w.title) for w in visible) or "none"
        raise Unreadable(
            f"has {len(visible)} visible sheets ({shown}); name the one to read with --sheet"
        )
    if len(names) > 1:
        hidden = [n for n in names if n != visible[0].title]
        notes.append(
            f"read sheet {visible[0].title!r}, the only visible one "
            f"(hidden sheets ignored: {', '.join(map(repr, hidden))})"
        )
    return visible[0]
