"""Spreadsheet cell safety shared by readers and writers.

A text cell starting with one of these characters is run as a formula by Excel and
LibreOffice ('=HYPERLINK(...)', '@SUM(...)'); writers prefix it with an apostrophe and
readers of our own files take the apostrophe off again.
"""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """Text that a spreadsheet would evaluate, shown as text instead."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
