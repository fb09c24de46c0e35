"""Tables of research runs: CSV for programs, Markdown for people, and the machine they ran on,
without which a timing means little."""

import os
import platform

import pandas as pd


def markdown(table: pd.DataFrame) -> str:
    """A Markdown table; numbers rounded for reading (the CSV keeps them whole)."""
    shown = table.copy()
    for column in shown.columns:
        if shown[column].dtype.kind == "f":
            digits = 2 if column.endswith(("_s", "_pct", "_mib")) else 0
            shown[column] = shown[column].map(
                lambda v, d=digits: "" if pd.isna(v) else f"{v:,.{d}f}"
            )
        elif shown[column].dtype.kind == "O":  # text, empty where a method has none
            shown[column] = shown[column].map(lambda v: "" if pd.isna(v) else v)
    header = "| " + " | ".join(shown.columns) + " |"
    rule = "| " + " | ".join("---" for _ in shown.columns) + " |"
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in shown.itertuples(index=False)]
    return "\n".join([header, rule, *body])


def machine() -> str:
    """Architecture, cores and Python version, in one phrase."""
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
