"""Spreadsheet cell safety shared by readers and writers.

A text cell starting with one of these characters is run as a formula by Excel and
LibreOffice ('=HYPERLINK(...)', '@SUM(...)'); writers prefix it with an apostrophe and
readers of our own files take the apostrophe off again. A cell that starts with an
apostrophe itself gets one more, so that `=x` and `'=x` stay apart after a round trip.
"""

import re
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PREFIXED = (*FORMULA_STARTS, "'")
_FIRST = frozenset(_PREFIXED)
"""The same, as a set of first characters (each is one): a million cells are tested in a
plan of 100,000 companies."""


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would evaluate, shown as text instead."""
    if isinstance(value, str) and value[:1] in _FIRST:
        return "'" + value
    return value


_RISKY = re.escape("".join(_PREFIXED))
_CELL_START = re.compile(f'[{_RISKY}](?:(?<=[,\n].)|(?<=[,\n]".))', re.DOTALL)
"""A character `spreadsheet_safe` prefixes where a cell of CSV text may start: after a
comma or a line end, or behind the opening quote of a quoted cell. It looks for the rare
character first, then behind it (twice as fast as the other way round)."""


def may_need_apostrophe(csv_text: str) -> bool:
    """Whether a cell below the header line of CSV text (commas, LF line ends, minimal
    quoting, written without `spreadsheet_safe`) may start with a character that function
    prefixes: one search of the text instead of a test per cell. No such cell is missed:
    each starts after a comma or a line end, behind its opening quote when quoted. A comma
    or line end inside a quoted cell, or a negative number, may raise a false alarm."""
    return _CELL_START.search(csv_text) is not None


def as_written(text: str) -> str:
    """The text before `spreadsheet_safe`: one added apostrophe taken off."""
    if text.startswith("'") and text[1:].startswith(_PREFIXED):
        return text[1:]
    return text
