"""Finland's regions (maakunnat): Statistics Finland codes MK01..MK21 with FI/SV/EN names.

A bare number is refused: Statistics Finland and ISO 3166-2:FI number the regions differently.
"""

import re
from dataclasses import dataclass

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
