"""Digital-development themes: the codes a company's goals and a group's theme are drawn from."""

import difflib
from dataclasses import dataclass

from peergroups.vocabulary import fold, load_table


@dataclass(frozen=True)
class Theme:
    code: str
    cluster: str
    name_en: str
    name_fi: str


THEMES: dict[str, Theme] = {row["code"]: Theme(**row) for row in load_table("themes.csv")}
_BY_KEY = {fold(code): code for code in THEMES} | {
    fold(name): theme.code for theme in THEMES.values() for name in (theme.name_en, theme.name_fi)
}


def resolve_theme(text: str) -> str | None:
    """The theme code for a code or a theme name (any case), or None when unknown."""
    return _BY_KEY.get(fold(text))


def suggest_theme(text: str) -> str | None:
    """The nearest known code for a typo, used in error messages."""
    matches = difflib.get_close_matches(fold(text), list(_BY_KEY), n=1, cutoff=0.6)
    return _BY_KEY[matches[0]] if matches else None
