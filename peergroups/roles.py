"""Representatives' roles and their seniority tiers (DESIGN.md: board_chair/ceo 2, ... other 0).

The job titles a coordinator's export holds (Finnish, Swedish and English) are mapped to roles
in `peergroups/data/roles.csv`; `peergroups vocab roles` lists them. A cell naming several
titles ("toimitusjohtaja, omistaja") is read as the highest tier among them.
"""

import re
from enum import StrEnum

from peergroups.vocabulary import fold, load_table


class Role(StrEnum):
    BOARD_CHAIR = "board_chair"
    CEO = "ceo"
    DEVELOPMENT_DIRECTOR = "development_director"
    MANAGEMENT_TEAM_MEMBER = "management_team_member"
    OTHER = "other"


TIER: dict[Role, int] = {
    Role.BOARD_CHAIR: 2,
    Role.CEO: 2,
    Role.DEVELOPMENT_DIRECTOR: 1,
    Role.MANAGEMENT_TEAM_MEMBER: 1,
    Role.OTHER: 0,
}

TITLES: tuple[tuple[str, Role, str], ...] = tuple(
    (row["title"], Role(row["role"]), row["language"]) for row in load_table("roles.csv")
)
"""Every accepted title: (title, role, language: fi, sv, en or code)."""

_SYNONYMS: dict[str, Role] = {fold(title): role for title, role, _ in TITLES}
_BETWEEN_TITLES = re.compile(r"\s*[,/;+|]\s*|\s+(?:ja|och|and|&)\s+")


def resolve_role(text: str) -> Role | None:
    """The role for a code or a Finnish, Swedish or English title, or None when unknown."""
    return _SYNONYMS.get(fold(text))


def resolve_titles(text: str) -> tuple[Role, tuple[str, ...]] | None:
    """The role of a cell that may name several titles ('toimitusjohtaja, omistaja'): the
    highest tier among them, with the titles read; None when a title is unknown."""
    whole = resolve_role(text)
    if whole is not None:
        return whole, (text.strip(),)
    titles = tuple(part for part in _BETWEEN_TITLES.split(text.strip()) if part)
    roles = [resolve_role(title) for title in titles]
    if len(titles) < 2 or None in roles:
        return None
    order = list(Role)
    best = max(roles, key=lambda role: (TIER[role], -order.index(role)))
    return best, titles
