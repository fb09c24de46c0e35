"""The names of codes in a plan's language."""

from peergroups.regions import REGIONS
from peergroups.themes import THEMES


def region_label(code: str | None, lang: str) -> str:
    """A region's name in the plan's language (Finnish or English); '' for none."""
    if not code:
        return ""
    region = REGIONS.get(code)
    if region is None:
        return code
    return region.name_fi if lang == "fi" else region.name_en


def theme_label(code: str, lang: str) -> str:
    """A theme's name in the plan's language."""
    theme = THEMES.get(code)
    if theme is None:
        return code
    return theme.name_fi if lang == "fi" else theme.name_en
