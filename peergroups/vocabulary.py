"""Shared helpers for the reference vocabularies: loading package data and folding names."""

import csv
import unicodedata
from functools import lru_cache
from importlib import resources


def load_table(filename: str) -> list[dict[str, str]]:
    """Rows of a CSV shipped in ``peergroups/data`` (read once by each vocabulary module)."""
    text = resources.files("peergroups.data").joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Case- and accent-insensitive key, so 'Päijät-Häme', 'paijat hame' and 'PAIJAT-HAME' meet.

    Remembered: a file repeats the same few region, role, mode and theme spellings on every
    row (100,000 rows fold some 600,000 cells)."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.replace("-", " ").replace("_", " ").split())
