"""The columns of every file peergroups reads or writes (DESIGN.md "Input files", "Output
directory"), declared once.

A `Table` lists its columns in the contract's order: the header the contract names, the other
spellings a reader accepts (Finnish ones too; matched ignoring case, accents, spaces and
hyphens), the model field the column fills, and whether a cell holds several values. Readers
match headers against it; the generator and the writers take their headers and column order
from it. A column is added or renamed here, and nowhere else.
"""

from dataclasses import dataclass, field

from peergroups.model import DMA_DIMENSIONS

SEPARATOR = "|"
"""Between the values of a multi-value cell (a reader also accepts ';')."""


@dataclass(frozen=True)
class Column:
    """One column: `name` is the contract's header, `aliases` the other accepted spellings.

    `fills` is the model field the column gives (by default its name). `multi` marks cells
    holding several values. A column that is not `written` is another way to give a written
    column's value (the challenge columns give `goals`), or personal data the generator does
    not invent (`contact`, `email`): readers accept it, writers of input files leave it out.
    """

    name: str
    aliases: tuple[str, ...] = ()
    fills: str = ""
    multi: bool = False
    written: bool = True
    optional: bool = False
    """An optional programme column: a writer leaves it out when no row has a value."""

    @property
    def field(self) -> str:
        return self.fills or self.name

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass(frozen=True)
class Table:
    """The columns of one kind of file, and what a reader needs beyond them.

    Each entry of `required` lists alternative sets of fields, one of which must all be
    present. `row_field` is blamed for an error about the whole row; `stand_ins` are the fields
    a field is derived from when the file lacks its own column.
    """

    file: str
    noun: str
    columns: tuple[Column, ...]
    required: tuple[tuple[tuple[str, ...], ...], ...] = ()
    row_field: str | None = None
    stand_ins: dict[str, tuple[str, ...]] = field(default_factory=dict)
    may_be_empty: bool = False

    @property
    def written(self) -> tuple[Column, ...]:
        """The columns a writer writes, in order."""
        return tuple(column for column in self.columns if column.written)

    @property
    def header(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.written)

    @property
    def spellings(self) -> dict[str, tuple[str, ...]]:
        """Field -> the headers that give it, the contract's name first."""
        return {column.field: column.spellings for column in self.columns}


_COMPANY_ID = ("id", "yritys_id", "yritystunnus_id", "tunnus")
_CHALLENGES = ("primary_challenge", "secondary_challenges")

# --- input files ------------------------------------------------------------------------------

COMPANIES = Table(
    file="companies.csv",
    noun="companies",
    columns=(
        Column("company_id", _COMPANY_ID),
        Column(
            "name",
            ("company_name", "nimi", "yritys", "yrityksen_nimi", "företag", "företagets_namn"),
        ),
        Column(
            "business_id",
            ("y_tunnus", "ytunnus", "vat", "business_identity_code", "fo_nummer", "fo_nr"),
        ),
        Column(
            "nace_code",
            ("nace", "tol", "toimiala", "toimialakoodi", "tol_2008", "tol_koodi", "näringsgren"),
        ),
        Column("region", ("region_code", "region_name", "maakunta", "alue", "landskap")),
        Column("employees", ("henkilöstö", "henkilosto", "staff")),
        Column("maturity", ("dma_overall", "overall", "kypsyys", "digikypsyys")),
        *(
            Column(name, (f"dma_d{number}_{name.removeprefix('dma_')}",))
            for number, name in enumerate(DMA_DIMENSIONS, start=1)
        ),
        Column(
            "role",
            (
                "rep_role",
                "rooli",
                "asema",
                "tehtävänimike",
                "nimike",
                "titteli",
                "edustajan_rooli",
                "title",
                "job_title",
                "befattning",
                "titel",
            ),
        ),
        Column(
            "goals",
            ("tavoitteet", "teemat", "themes", "challenges", "kehitystavoitteet", "mål"),
            multi=True,
        ),
        Column("primary_challenge", written=False),
        Column("secondary_challenges", ("secondary_challenge",), multi=True, written=False),
        Column(
            "mode",
            (
                "participation_mode",
                "meeting_mode",
                "tapaamismuoto",
                "osallistumismuoto",
                "tapaamistapa",
                "osallistumistapa",
                "mötesform",
            ),
        ),
        Column("languages", ("language", "rep_language", "kielet", "kieli", "språk"), multi=True),
        Column(
            "competitor_ok",
            (
                "competitor_ok_with_rules",
                "competitors_ok",
                "kilpailija_ok",
                "kilpailijat_ok",
                "kilpailijat_sallittu",
                "konkurrenter_ok",
            ),
        ),
        Column(
            "willing_to_chair",
            ("puheenjohtajaksi", "halukas_puheenjohtajaksi", "chair_ok", "villig_ordförande"),
        ),
        Column(
            "contact",
            ("yhteyshenkilö", "contact_person", "edustaja", "kontaktperson", "representative"),
            written=False,
        ),
        Column(
            "email",
            ("sähköposti", "e_mail", "email_address", "s_posti", "sposti", "e_post", "epost"),
            written=False,
        ),
        Column("turnover_eur", ("turnover", "liikevaihto", "liikevaihto_eur"), optional=True),
        Column(
            "balance_sheet_eur",
            ("balance_sheet", "balance_sheet_total", "taseen_loppusumma", "tase", "tase_eur"),
            optional=True,
        ),
        Column(
            "founded",
            ("founded_year", "year_founded", "perustettu", "perustamisvuosi"),
            optional=True,
        ),
        Column(
            "project_stage", ("stage", "hankkeen_vaihe", "projektin_vaihe", "vaihe"), optional=True
        ),
        Column(
            "subsidy", ("subsidy_requested", "tuki", "tuettu_paikka", "tukihakemus"), optional=True
        ),
        Column("digiagent", ("digi_agent", "digiagentti", "agentti"), optional=True),
    ),
    required=(
        (("company_id",), ("business_id",)),
        (("name",),),
        (("maturity",), DMA_DIMENSIONS),
        (("role",),),
        (("goals",), ("primary_challenge",)),
    ),
    row_field="maturity",
    stand_ins={"maturity": DMA_DIMENSIONS, "dma": DMA_DIMENSIONS, "goals": _CHALLENGES},
)

RELATIONS = Table(
    file="relations.csv",
    noun="relations",
    columns=(
        Column("company_a", ("yritys_a",)),
        Column("company_b", ("yritys_b",)),
        Column("relation", ("relation_type", "kind", "suhde"), fills="kind"),
        Column("severity", ("vakavuus",)),
    ),
    required=((("company_a",),), (("company_b",),), (("kind",),)),
    row_field="company_b",
    may_be_empty=True,
)

FACILITATORS = Table(
    file="facilitators.csv",
    noun="facilitators",
    columns=(
        Column("facilitator_id", ("person_id", "id", "tunnus", "fasilitaattori_id")),
        Column("name", ("nimi",)),
        Column("languages", ("language", "kielet", "kieli"), multi=True),
        Column("regions", ("home_region_code", "region", "alueet"), multi=True),
        Column("themes", ("theme_expertise", "osaaminen"), multi=True),
        Column("capacity", ("max_groups", "kapasiteetti")),
        Column(
            "conflicts",
            ("conflict_business_ids", "conflict_company_ids", "esteellisyys"),
            multi=True,
        ),
    ),
    required=((("facilitator_id",),), (("name",),)),
)

PINS = Table(
    file="pins.csv",
    noun="pins",
    columns=(
        Column("kind", ("pin", "tyyppi")),
        Column("company_id", (*_COMPANY_ID, "company")),
        Column("group_id", ("group", "ryhma", "ryhmä")),
        Column("groups", ("ryhmat", "ryhmät"), multi=True),
        Column("themes", ("theme", "teemat", "teema"), multi=True),
        Column("partner", ("with", "kumppani")),
    ),
    required=((("kind",),),),
    row_field="kind",
)

HISTORY = Table(
    file="history.csv",
    noun="history rows",
    columns=(
        Column("round", ("kierros",)),
        Column("group_id", ("group", "ryhma", "ryhmä")),
        Column("company_id", _COMPANY_ID),
    ),
    required=((("round",),), (("group_id",),), (("company_id",),)),
    row_field="company_id",
)

CHANGES = Table(
    file="changes.csv",
    noun="changes",
    columns=(
        Column("change", ("muutos",)),
        Column("company_id", _COMPANY_ID),
        Column("partner", ("company_b", "kumppani")),
        Column("relation", ("relation_type", "suhde")),
        Column("severity", ("vakavuus",)),
        Column("maturity", ("kypsyys", "dma_overall")),
    ),
    required=((("change",),), (("company_id",),)),
    row_field="change",
)

# --- the output directory (assignments.csv is read back when a plan is checked or edited) -----

ASSIGNMENTS = Table(
    file="assignments.csv",
    noun="assignments",
    columns=(
        Column("company_id", _COMPANY_ID),
        Column("name", ("nimi",)),
        Column("business_id", ("y_tunnus",)),
        Column("group_id", ("group", "ryhmä")),
        Column("theme", ("teema",)),
        Column("role_in_group", ("rooli_ryhmässä",)),
        Column("reason", ("syy",)),
        Column("contact", ("yhteyshenkilö",)),
        Column("email", ("sähköposti",)),
        Column("subsidised", ("tuettu",), optional=True),
    ),
    required=((("company_id",),), (("group_id",),), (("theme",),)),
    may_be_empty=True,
)

GROUPS = Table(
    file="groups.csv",
    noun="groups",
    columns=tuple(
        Column(name)
        for name in (
            "group_id",
            "theme",
            "theme_name",
            "size",
            "maturity_min",
            "maturity_max",
            "maturity_spread",
            "mode",
            "region",
            "region_name",
            "meeting_place",
            "language",
            "facilitator_id",
            "members",
        )
    ),
)

DIGIAGENTS = Table(
    file="digiagents.csv",
    noun="digiagent referrals",
    columns=tuple(Column(name) for name in ("digiagent", "company_id", "group_id", "reason")),
)
"""Where the companies each digiagent referred landed (written when companies name one)."""

DIFF = Table(
    file="diff.csv",
    noun="changes",
    columns=tuple(Column(name) for name in ("company_id", "before", "after", "change", "reason")),
)

REVIEW_LOG = Table(
    file="review_log.csv",
    noun="review log",
    columns=tuple(
        Column(name)
        for name in ("time", "reviewer", "company_id", "from_group", "to_group", "comment")
    ),
)
