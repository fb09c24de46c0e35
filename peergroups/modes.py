"""Meeting modes as coordinators write them (Finnish, Swedish, English), from
`peergroups/data/modes.csv`; `peergroups vocab modes` lists them."""

from peergroups.vocabulary import fold, load_table

MODES = ("in_person", "hybrid", "virtual")

SPELLINGS: tuple[tuple[str, str, str], ...] = tuple(
    (row["spelling"], row["mode"], row["language"]) for row in load_table("modes.csv")
)
"""Every accepted spelling: (spelling, mode code, language: fi, sv, en or code)."""

_BY_KEY = {fold(spelling): mode for spelling, mode, _ in SPELLINGS}


def resolve_mode(text: str) -> str | None:
    """The mode code for a spelling (any case, accents, spaces, hyphens), or None."""
    return _BY_KEY.get(fold(text))
