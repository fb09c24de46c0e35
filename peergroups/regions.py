"""Finland's regions (maakunnat): Statistics Finland codes MK01..MK21 with FI/SV/EN names,
and where a group that mixes regions meets in person.

A bare number is refused: Statistics Finland and ISO 3166-2:FI number the regions differently.

A hybrid or virtual group whose members come from several regions still meets in person now
and then; the suggested place is the region most of its members share, ties going to the most
central of the tied regions (least total distance between regional centres, each member's
region counted once per member). The centres are the regional capitals in
`peergroups/data/region_centres.csv`.
"""

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from peergroups.vocabulary import fold, load_table


@dataclass(frozen=True)
class Region:
    code: str
    name_fi: str
    name_sv: str
    name_en: str
    iso: str


REGIONS: dict[str, Region] = {row["code"]: Region(**row) for row in load_table("regions.csv")}
_BY_KEY = {
    fold(key): region.code
    for region in REGIONS.values()
    for key in (region.code, region.name_fi, region.name_sv, region.name_en, region.iso)
}


def resolve_region(text: str) -> str | None:
    """The MKxx code for a code (MK6, MK06), an ISO code (FI-11) or a FI/SV/EN name."""
    short = re.fullmatch(r"mk\s*0?(\d{1,2})", fold(text))
    if short:
        code = f"MK{int(short.group(1)):02d}"
        return code if code in REGIONS else None
    return _BY_KEY.get(fold(text))


def region_name(code: str) -> str:
    """The Finnish name of a region code, for messages."""
    return REGIONS[code].name_fi if code in REGIONS else code


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


def meeting_region(members: Mapping[str, int]) -> str:
    """Where members from these regions (region code: how many) meet in person: the region
    most of them share, ties to the most central."""
    most = max(members.values())
    tied = [code for code, count in members.items() if count == most]

    def spread(code: str) -> tuple[float, str]:
        return (sum(n * distance_km(code, other) for other, n in members.items()), code)

    return min(tied, key=spread)
