"""Representatives' roles and their seniority tiers (DESIGN.md: board_chair/ceo 2, ... other 0)."""

from enum import StrEnum

from peergroups.vocabulary import fold


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

_SYNONYMS: dict[str, Role] = {
    fold(name): role
    for role, names in {
        Role.BOARD_CHAIR: [
            "board_chair",
            "chair",
            "chairman",
            "chairperson",
            "board chair",
            "hallituksen puheenjohtaja",
            "hallituksen pj",
            "hpj",
            "puheenjohtaja",
        ],
        Role.CEO: [
            "ceo",
            "managing director",
            "md",
            "toimitusjohtaja",
            "tj",
            "yrittäjä",
            "omistaja",
        ],
        Role.DEVELOPMENT_DIRECTOR: [
            "development_director",
            "development director",
            "head of development",
            "cdo",
            "cto",
            "kehitysjohtaja",
            "kehityspäällikkö",
        ],
        Role.MANAGEMENT_TEAM_MEMBER: [
            "management_team_member",
            "management team member",
            "management team",
            "johtoryhmän jäsen",
            "johtoryhma",
            "johtoryhmä",
        ],
        Role.OTHER: ["other", "muu"],
    }.items()
    for name in names
}


def resolve_role(text: str) -> Role | None:
    """The role for an English code or a Finnish/English synonym, or None when unknown."""
    return _SYNONYMS.get(fold(text))
