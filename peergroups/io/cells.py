"""Spreadsheet cell safety shared by readers and writers.

A text cell starting with one of these characters is run as a formula by Excel and
LibreOffice ('=HYPERLINK(...)', '@SUM(...)'); writers prefix it with an apostrophe and
readers of our own files take the apostrophe off again. A cell that starts with an
apostrophe itself gets one more, so that `=x` and `'=x` stay apart after a round trip.
"""

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


def as_written(text: str) -> str:
    """The text before `spreadsheet_safe`: one added apostrophe taken off."""
    if text.startswith("'") and text[1:].startswith(_PREFIXED):
        return text[1:]
    return text
