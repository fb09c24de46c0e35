"""Reading files that may be hostile or mistaken without being hurt by them.

A reader opens only regular files (not `/dev/zero`, a pipe or a directory), reads at most
`MAX_BYTES` of a text file, and reads a workbook as a stream that stops at `MAX_ROWS` rows, so
a file that inflates to millions of rows is refused within seconds and in bounded memory. A
workbook with several sheets is read from the one the caller names or from its only visible
sheet, and the reader says which; when that is ambiguous it refuses rather than guess.
"""

import os
import stat
import zipfile
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

MAX_BYTES = 128 * 2**20
"""A text input larger than this is refused: 100,000 rows of a kilobyte each fit."""
MAX_ROWS = 100_000
"""Rows (with the header) of any input: five times the largest run (`max_companies`), so a
history of several rounds fits."""
MAX_COLUMNS = 1_000
"""Cells read per row: the contract has fewer than 30 columns."""
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


def read_bytes(path: Path, limit: int = MAX_BYTES) -> bytes:
    """A regular file's bytes, or Unreadable when it holds more than `limit`."""
    regular_file(path)
    with Path(path).open("rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise Unreadable(f"is larger than {limit // 2**20} MiB; split it or remove columns")
    return data


def xlsx_rows(
    path: Path,
    sheet: str | None,
    notes: list[str],
    cell_text: Callable[[Any], str],
    limit: int = MAX_ROWS,
) -> list[tuple[int, list[str]]]:
    """The rows of one worksheet (named `sheet`, else the only visible one), numbered as the
    spreadsheet shows them, read as a stream that stops past `limit` rows. What was chosen is
    added to `notes` when the workbook has other sheets."""
    regular_file(path)
    _refuse_bombs(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except OSError:
        raise
    except Exception:
        raise Unreadable("is not a readable .xlsx workbook") from None
    try:
        chosen = _choose_sheet(workbook, sheet, notes)
        rows: Iterator[tuple[Any, ...]] = chosen.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        read = [
            (number, [cell_text(v) for v in row])
            for number, row in enumerate(islice(rows, limit + 1), 1)
        ]
    except (OSError, Unreadable):
        raise
    except Exception:
        raise Unreadable("is not a readable .xlsx workbook") from None
    finally:
        workbook.close()
    if len(read) > limit:
        raise Unreadable(f"has more than {limit:,} rows; split it (a run takes at most 20,000)")
    return read


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
