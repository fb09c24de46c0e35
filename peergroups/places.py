"""Where a group that mixes regions meets in person, and the names of codes in a plan's
language.

A hybrid or virtual group whose members come from several regions still meets in person now
and then; the suggested place is the region most of its members share, ties going to the most
central of the tied regions (least total distance between regional centres, each member's
region counted once per member). The centres are the regional capitals in
`peergroups/data/region_centres.csv`.
"""

import math
from collections import Counter
from functools import cache

from peergroups.model import Group, Mode, Problem, meeting_mode
from peergroups.regions import REGIONS
from peergroups.themes import THEMES
from peergroups.vocabulary import load_table

CENTRES: dict[str, tuple[float, float]] = {
    row["code"]: (float(row["lat"]), float(row["lon"])) for row in load_table("region_centres.csv")
}


@cache
def distance_km(a: str, b: str) -> float:
    """Great-circle distance between two regions' centres (0 when either is unknown); each
    pair worked out once (a plan of 100,000 companies asks for tens of thousands)."""
    if a not in CENTRES or b not in CENTRES:
        return 0.0
    (lat1, lon1), (lat2, lon2) = CENTRES[a], CENTRES[b]
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def meeting_place(problem: Problem, group: Group) -> str | None:
    """The region code suggested for the in-person meetings of a hybrid or virtual group
    whose members come from several regions; None for any other group."""
    members = [problem.by_id[cid] for cid in group.members if cid in problem.by_id]
    regions = Counter(c.region for c in members if c.region)
    if len(regions) < 2 or meeting_mode(members) == Mode.IN_PERSON:
        return None
    most = max(regions.values())
    tied = [code for code, count in regions.items() if count == most]

    def spread(code: str) -> tuple[float, str]:
        return (sum(n * distance_km(code, other) for other, n in regions.items()), code)

    return min(tied, key=spread)


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
