"""The domain types: validated, immutable inputs (`Problem`) and the answer (`Grouping`).

Field validators accept what coordinators type (decimal commas, `45 %`, Finnish role names,
region names, `kyllä`) through the parsers of `peergroups.parse`, so a reader only maps columns
to fields and the rules of the input contract live in one place. Maturity is kept to one
decimal, the precision of a DMA score, so the solver's integer tenths and the Python checks
agree exactly.
"""

from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from peergroups.parse import (
    clean_id,
    clean_text,
    parse_business_id,
    parse_flag,
    parse_languages,
    parse_mode,
    parse_nace,
    parse_number,
    parse_project_stage,
    parse_region,
    parse_regions,
    parse_relation_kind,
    parse_role,
    parse_score,
    parse_severity,
    parse_themes,
    parse_whole_number,
    split_multi,
    split_themes,
)
from peergroups.regions import meeting_region
from peergroups.roles import TIER, Role

DMA_DIMENSIONS = (
    "dma_strategy",
    "dma_readiness",
    "dma_human",
    "dma_data",
    "dma_automation_ai",
    "dma_green",
)
MATURITY_SCALE = 10
"""Maturity is kept to one decimal, so integer tenths of a point represent it exactly."""
LANGUAGE_ORDER = ("fi", "sv", "en")
"""Preferred working language when a group shares several."""


class Mode(StrEnum):
    IN_PERSON = "in_person"
    HYBRID = "hybrid"
    VIRTUAL = "virtual"


class ProjectStage(StrEnum):
    """Where a company's digital-development project stands (the programme takes companies
    that are planning one or have just started it)."""

    IDEA = "idea"
    PLANNING = "planning"
    EARLY = "early"
    UNDERWAY = "underway"
    DONE = "done"


class RelationKind(StrEnum):
    COMPETITOR = "competitor"
    CUSTOMER_SUPPLIER = "customer_supplier"
    SAME_OWNER = "same_owner"
    CONFLICT = "conflict"
    OTHER = "other"


class Severity(StrEnum):
    HARD = "hard"
    SOFT = "soft"


def tenths(points: float) -> int:
    """Maturity points as integer tenths: comparisons of maturities never round wrongly."""
    return round(points * MATURITY_SCALE)


# --- field types: what a cell may hold, parsed by peergroups.parse ----------------------------

Score = Annotated[float, BeforeValidator(parse_score), Field(ge=0, le=100)]
Flag = Annotated[bool, BeforeValidator(parse_flag)]
WholeNumber = Annotated[int, BeforeValidator(parse_whole_number)]
MultiValue = Annotated[tuple[str, ...], BeforeValidator(split_multi)]
Identifier = Annotated[str, BeforeValidator(clean_id)]
Text = Annotated[str, BeforeValidator(clean_text)]
RegionCode = Annotated[str | None, BeforeValidator(parse_region)]
RegionCodes = Annotated[
    tuple[str, ...], BeforeValidator(split_multi), AfterValidator(parse_regions)
]
ThemeCodes = Annotated[tuple[str, ...], BeforeValidator(split_themes), AfterValidator(parse_themes)]
Languages = Annotated[
    tuple[str, ...],
    BeforeValidator(split_multi),
    AfterValidator(lambda v: parse_languages(v) or ("fi",)),
]
Maturity = Annotated[Score, AfterValidator(lambda value: round(value, 1))]
BusinessId = Annotated[str | None, BeforeValidator(parse_business_id)]
NaceCode = Annotated[str | None, BeforeValidator(parse_nace)]


# --- inputs -----------------------------------------------------------------------------------


class Company(BaseModel):
    """One company and its representative, as the programme knows them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    company_id: Identifier = Field(min_length=1)
    name: Text = Field(min_length=1)
    business_id: BusinessId = None
    nace_code: NaceCode = None
    region: RegionCode = None
    employees: WholeNumber | None = Field(default=None, ge=0)
    maturity: Maturity
    dma: tuple[Score, Score, Score, Score, Score, Score] | None = None
    role: Annotated[Role, BeforeValidator(parse_role)]
    goals: ThemeCodes = Field(min_length=1)
    mode: Annotated[Mode, BeforeValidator(parse_mode)] = Mode.HYBRID
    languages: Languages = ("fi",)
    competitor_ok: Flag = False
    willing_to_chair: Flag = False
    turnover_eur: Annotated[float | None, BeforeValidator(parse_number)] = Field(default=None, ge=0)
    balance_sheet_eur: Annotated[float | None, BeforeValidator(parse_number)] = Field(
        default=None, ge=0
    )
    founded: WholeNumber | None = Field(default=None, ge=1800, le=2200)
    """The year the company was founded."""
    project_stage: Annotated[ProjectStage | None, BeforeValidator(parse_project_stage)] = None
    subsidy: Annotated[bool | None, BeforeValidator(parse_flag)] = None
    """Asks for a subsidised seat (None: the column was not given)."""
    digiagent: Text | None = None
    """The digiagent who referred the company after its needs assessment."""
    contact: Text | None = None
    """The representative's name, carried to the outputs."""
    email: Text | None = None

    @model_validator(mode="before")
    @classmethod
    def _canonical_values(cls, data: Any) -> Any:
        """Turn what a coordinator typed into canonical codes; derive maturity from the DMA."""
        if not isinstance(data, dict):
            return data
        data = dict(data)
        dims = [data.pop(name) for name in DMA_DIMENSIONS if name in data]
        if dims and "dma" not in data:
            if len(dims) != len(DMA_DIMENSIONS):
                raise ValueError("give all six DMA dimensions or none")
            data["dma"] = tuple(dims)
        if data.get("maturity") in (None, "") and data.get("dma") is not None:
            try:
                data["maturity"] = sum(float(parse_score(v)) for v in data["dma"]) / len(
                    DMA_DIMENSIONS
                )
            except (ValueError, TypeError):
                data["maturity"] = 0.0  # the dma field's own check reports the bad value
        return data

    @model_validator(mode="after")
    def _maturity_matches_dma(self) -> "Company":
        if self.dma is not None:
            mean = sum(self.dma) / len(self.dma)
            if abs(mean - self.maturity) > 1.0:
                raise ValueError(
                    f"maturity {self.maturity:g} differs from the mean of the six DMA "
                    f"dimensions ({mean:.1f}) by more than 1 point"
                )
        return self

    @property
    def tier(self) -> int:
        return TIER[self.role]

    def goal_rank(self, theme: str) -> int:
        """0 for the primary goal, 1 for the next ...; ValueError when not a goal."""
        return self.goals.index(theme)


class Relation(BaseModel):
    """A relation between two companies; `severity` as given (None = the kind's default)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    company_a: Identifier = Field(min_length=1)
    company_b: Identifier = Field(min_length=1)
    kind: Annotated[RelationKind, BeforeValidator(parse_relation_kind)]
    severity: Annotated[Severity | None, BeforeValidator(parse_severity)] = None

    @model_validator(mode="after")
    def _two_companies(self) -> "Relation":
        if self.company_a == self.company_b:
            raise ValueError(f"{self.company_a} cannot have a relation with itself")
        return self

    @property
    def pair(self) -> tuple[str, str]:
        return (min(self.company_a, self.company_b), max(self.company_a, self.company_b))


class Facilitator(BaseModel):
    """An impartial professional who runs groups."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    facilitator_id: Identifier = Field(min_length=1)
    name: Text = Field(min_length=1)
    languages: Languages = ("fi",)
    regions: RegionCodes = ()
    themes: ThemeCodes = ()
    capacity: WholeNumber = Field(default=1, ge=0)
    conflicts: MultiValue = ()


class PinKind(StrEnum):
    GROUP = "group"
    """The company sits in the group labelled `group_id` (pinned companies are placed)."""
    GROUPS = "groups"
    """The company sits in one of the groups labelled in `groups`."""
    THEMES = "themes"
    """The company sits only in a group of one of `themes`."""
    LOCK = "lock"
    """The group `group_id` holds exactly the companies pinned to it (theme: `themes`)."""
    TOGETHER = "together"
    """The company and `partner` sit in the same group (or both stay out)."""
    APART = "apart"
    """The company and `partner` never share a group."""


class Pin(BaseModel):
    """A coordinator's decision the optimiser takes as given (a row of pins.csv)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: PinKind
    company_id: Identifier | None = None
    group_id: Identifier | None = None
    groups: MultiValue = ()
    themes: ThemeCodes = ()
    partner: Identifier | None = None

    @model_validator(mode="after")
    def _complete(self) -> "Pin":
        needs = {
            PinKind.GROUP: ("company_id", "group_id"),
            PinKind.GROUPS: ("company_id", "groups"),
            PinKind.THEMES: ("company_id", "themes"),
            PinKind.LOCK: ("group_id",),
            PinKind.TOGETHER: ("company_id", "partner"),
            PinKind.APART: ("company_id", "partner"),
        }[self.kind]
        missing = [name for name in needs if not getattr(self, name)]
        if missing:
            raise ValueError(f"a {self.kind.value} pin needs {' and '.join(missing)}")
        if self.partner is not None and self.partner == self.company_id:
            raise ValueError(f"{self.company_id} cannot be pinned {self.kind.value} with itself")
        return self


class Meeting(BaseModel):
    """A company's seat in a group of an earlier round (a row of history.csv)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    round: WholeNumber
    group_id: Identifier = Field(min_length=1)
    company_id: Identifier = Field(min_length=1)


class Problem(BaseModel):
    """Everything the optimiser is given; relations are folded (a-b = b-a, one per kind; when
    repeats disagree, a hard one wins, whatever the order of the rows)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    companies: tuple[Company, ...]
    relations: tuple[Relation, ...] = ()
    facilitators: tuple[Facilitator, ...] = ()
    pins: tuple[Pin, ...] = ()
    history: tuple[Meeting, ...] = ()
    """Earlier rounds; companies no longer in the programme may appear in it."""
    current: tuple["Group", ...] = ()
    """The groups meeting now, when a plan is repaired: kept where the rules allow."""

    @model_validator(mode="after")
    def _consistent(self) -> "Problem":
        counts = Counter(c.company_id for c in self.companies)
        repeated = sorted(cid for cid, n in counts.items() if n > 1)
        if repeated:
            raise ValueError(f"company ids are not unique: {', '.join(repeated)}")
        unknown = sorted(
            {cid for r in self.relations for cid in (r.company_a, r.company_b)} - set(counts)
        )
        if unknown:
            raise ValueError(f"relations name unknown companies: {', '.join(unknown)}")
        pinned = sorted(
            {cid for pin in self.pins for cid in (pin.company_id, pin.partner) if cid} - set(counts)
        )
        if pinned:
            raise ValueError(f"pins name unknown companies: {', '.join(pinned)}")
        labels = {p.group_id for p in self.pins if p.kind == PinKind.GROUP}
        empty = sorted(
            {g for p in self.pins if p.kind == PinKind.GROUPS for g in p.groups}
            | {p.group_id for p in self.pins if p.kind == PinKind.LOCK}
        )
        empty = [label for label in empty if label not in labels]
        if empty:
            raise ValueError(f"no company is pinned to group(s) {', '.join(empty)}")
        folded: dict[tuple[tuple[str, str], RelationKind], Relation] = {}
        for relation in self.relations:
            key = (relation.pair, relation.kind)
            earlier = folded.get(key)
            if earlier is None or (self.is_hard(relation) and not self.is_hard(earlier)):
                folded[key] = relation
        object.__setattr__(self, "relations", tuple(folded.values()))
        return self

    @cached_property
    def by_id(self) -> dict[str, Company]:
        return {c.company_id: c for c in self.companies}

    @cached_property
    def facilitator_by_id(self) -> dict[str, Facilitator]:
        return {f.facilitator_id: f for f in self.facilitators}

    def is_hard(self, relation: Relation) -> bool:
        """DESIGN.md: competitors are soft only when both accept competitors; same_owner and
        conflict default to hard; other kinds default to soft; an explicit severity wins."""
        if relation.kind == RelationKind.COMPETITOR:
            both_ok = all(
                self.by_id[cid].competitor_ok for cid in (relation.company_a, relation.company_b)
            )
            return not both_ok or relation.severity == Severity.HARD
        if relation.severity is not None:
            return relation.severity == Severity.HARD
        return relation.kind in (RelationKind.SAME_OWNER, RelationKind.CONFLICT)

    @cached_property
    def hard_pairs(self) -> dict[tuple[str, str], list[RelationKind]]:
        """Pairs that must never share a group, with the relations that forbid them."""
        pairs: dict[tuple[str, str], list[RelationKind]] = {}
        for relation in self.relations:
            if self.is_hard(relation):
                pairs.setdefault(relation.pair, []).append(relation.kind)
        return pairs

    @cached_property
    def partners(self) -> dict[str, dict[str, list[RelationKind]]]:
        """For each company, the companies it has relations with, and the kinds."""
        found: dict[str, dict[str, list[RelationKind]]] = {}
        for relation in self.relations:
            a, b = relation.pair
            found.setdefault(a, {}).setdefault(b, []).append(relation.kind)
            found.setdefault(b, {}).setdefault(a, []).append(relation.kind)
        return found

    @cached_property
    def soft_pairs(self) -> dict[tuple[str, str], int]:
        """Pairs that may share a group at a cost: the number of soft relations between them."""
        pairs: dict[tuple[str, str], int] = {}
        for relation in self.relations:
            if not self.is_hard(relation) and relation.pair not in self.hard_pairs:
                pairs[relation.pair] = pairs.get(relation.pair, 0) + 1
        return pairs

    @cached_property
    def labels(self) -> dict[str, tuple[str, ...]]:
        """Pinned group label -> the companies pinned to it, in pin order."""
        found: dict[str, list[str]] = {}
        for pin in self.pins:
            if pin.kind == PinKind.GROUP:
                found.setdefault(pin.group_id, []).append(pin.company_id)
        return {label: tuple(dict.fromkeys(ids)) for label, ids in found.items()}

    @cached_property
    def label_themes(self) -> dict[str, tuple[str, ...]]:
        """Pinned group label -> the themes it may have: those all its pinned companies
        share, among the themes given on its pins if any (none: the pins cannot hold)."""
        given = {
            pin.group_id: pin.themes
            for pin in self.pins
            if pin.kind in (PinKind.GROUP, PinKind.LOCK) and pin.themes
        }
        return {
            label: tuple(
                t
                for t in given.get(label) or self.by_id[ids[0]].goals
                if all(t in self.by_id[c].goals for c in ids)
            )
            for label, ids in self.labels.items()
        }

    @cached_property
    def locked(self) -> frozenset[str]:
        return frozenset(pin.group_id for pin in self.pins if pin.kind == PinKind.LOCK)

    def pinned_pairs(self, kind: PinKind) -> frozenset[tuple[str, str]]:
        """The (a < b) pairs of `together` or `apart` pins."""
        return frozenset(
            (min(p.company_id, p.partner), max(p.company_id, p.partner))
            for p in self.pins
            if p.kind == kind
        )

    @cached_property
    def met(self) -> dict[tuple[str, str], list[int]]:
        """Pairs (a < b) of current companies who shared a group before -> the rounds."""
        rounds: dict[tuple[int, str], list[str]] = {}
        for seat in self.history:
            if seat.company_id in self.by_id:
                rounds.setdefault((seat.round, seat.group_id), []).append(seat.company_id)
        met: dict[tuple[str, str], list[int]] = {}
        for (number, _), ids in sorted(rounds.items()):
            ordered = sorted(set(ids))
            for i, a in enumerate(ordered):
                for b in ordered[i + 1 :]:
                    met.setdefault((a, b), []).append(number)
        return met


# --- the answer -------------------------------------------------------------------------------


class Group(BaseModel):
    """One peer group: a theme every member shares, and its members."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    group_id: str
    theme: str
    members: tuple[str, ...]
    facilitator_id: str | None = None
    chair: str | None = None
    scribe: str | None = None


class ChangeKind(StrEnum):
    LEAVE = "leave"
    JOIN = "join"
    RELATION = "relation"
    MATURITY = "maturity"


class Change(BaseModel):
    """A change since a plan was made (a row of changes.csv): `repair` re-optimises for it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    change: ChangeKind
    company_id: Identifier = Field(min_length=1)
    partner: Identifier | None = None
    relation: Annotated[RelationKind | None, BeforeValidator(parse_relation_kind)] = None
    severity: Annotated[Severity | None, BeforeValidator(parse_severity)] = None
    maturity: Maturity | None = None

    @model_validator(mode="after")
    def _complete(self) -> "Change":
        if self.change == ChangeKind.RELATION and not (self.partner and self.relation):
            raise ValueError("a relation change needs partner and relation")
        if self.change == ChangeKind.MATURITY and self.maturity is None:
            raise ValueError("a maturity change needs maturity")
        return self


class Unassigned(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    company_id: str
    reason: str


class Grouping(BaseModel):
    """The plan: groups plus every company left out, each with a reason."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    groups: tuple[Group, ...] = ()
    unassigned: tuple[Unassigned, ...] = ()

    @cached_property
    def group_of(self) -> dict[str, Group]:
        return {cid: group for group in self.groups for cid in group.members}

    def accounting_errors(self, problem: Problem) -> list[str]:
        """Companies missing, unknown or listed more than once: must be empty for any plan."""
        seen = Counter(cid for g in self.groups for cid in g.members)
        seen.update(u.company_id for u in self.unassigned)
        known = set(problem.by_id)
        errors = [
            f"{cid} appears {seen[cid]} times"
            for cid in sorted(c for c, n in seen.items() if n > 1)
        ]
        errors += [f"{cid} is missing" for cid in sorted(known - set(seen))]
        errors += [f"{cid} is not an input company" for cid in sorted(set(seen) - known)]
        return errors


Problem.model_rebuild()


# --- facts about a group that several rules and writers share ---------------------------------


def common_languages(companies: list[Company]) -> list[str]:
    """Languages every member speaks, in the programme's order of preference."""
    if not companies:
        return []
    shared = set(companies[0].languages).intersection(*(c.languages for c in companies[1:]))
    return sorted(
        shared,
        key=lambda code: (
            code not in LANGUAGE_ORDER,
            LANGUAGE_ORDER.index(code) if code in LANGUAGE_ORDER else 0,
            code,
        ),
    )


def meeting_mode(companies: list[Company]) -> Mode:
    """A group with an in-person member meets in person; all-virtual groups meet online."""
    modes = {c.mode for c in companies}
    if Mode.IN_PERSON in modes:
        return Mode.IN_PERSON
    if modes == {Mode.VIRTUAL}:
        return Mode.VIRTUAL
    return Mode.HYBRID


@dataclass(frozen=True)
class GroupFacts:
    """What a facilitator scans first about a group: one row of groups.csv, the head of its
    card in the report, and what the printed outcome counts. Computed here once, so the
    file, the report and the outcome cannot disagree.

    Members unknown to the problem (a hand-edited plan) count in `size` only.
    """

    size: int
    maturity_min: float | None
    maturity_max: float | None
    maturity_spread: float | None
    """max - min to one decimal, the precision of a maturity."""
    mode: Mode | None
    regions: tuple[str, ...]
    """The members' regions, each once, sorted."""
    languages: tuple[str, ...]
    """The languages every member speaks, the preferred first."""
    known: int
    """Members known to the problem."""
    on_first_goal: int
    """Known members whose first-ranked goal is the group's theme."""
    names: tuple[str, ...]
    """The members' names in the group's order (an unknown member by its id)."""
    meeting_place: str | None
    """The region suggested for the in-person meetings of a hybrid or virtual group whose
    members come from several regions (`regions.meeting_region`); None for any other group."""

    @classmethod
    def of(cls, problem: Problem, group: Group) -> "GroupFacts":
        by_id = problem.by_id
        known = [by_id[cid] for cid in group.members if cid in by_id]
        maturities = [c.maturity for c in known]
        first = (group.theme,)
        low = min(maturities) if maturities else None
        high = max(maturities) if maturities else None
        mode = meeting_mode(known) if known else None
        regions = Counter(c.region for c in known if c.region)
        several = len(regions) > 1 and mode != Mode.IN_PERSON
        return cls(
            size=len(group.members),
            maturity_min=low,
            maturity_max=high,
            maturity_spread=None if low is None or high is None else round(high - low, 1),
            mode=mode,
            regions=tuple(sorted(regions)),
            languages=tuple(common_languages(known)),
            known=len(known),
            on_first_goal=sum(1 for c in known if c.goals[:1] == first),
            names=tuple(by_id[cid].name if cid in by_id else cid for cid in group.members),
            meeting_place=meeting_region(regions) if several else None,
        )

    @property
    def region(self) -> str | None:
        """The region of the group when every member with a region shares one."""
        return self.regions[0] if len(self.regions) == 1 else None

    @property
    def language(self) -> str | None:
        """The working language: the preferred one all members speak."""
        return self.languages[0] if self.languages else None


_last_facts: list[tuple[Problem, tuple[Group, ...], tuple[GroupFacts, ...]]] = []
"""The plan asked about last (its problem and its groups) with its groups' facts (none yet:
empty)."""


def group_facts(problem: Problem, grouping: Grouping) -> tuple[GroupFacts, ...]:
    """Each group's facts (`GroupFacts.of`), in the plan's group order.

    The answer for the plan asked about last is remembered (a problem and its groups are
    immutable; the plan with its reasons in another language shares its groups): groups.csv
    and the printed outcome ask about the same plan, which at 100,000 companies a stopped run
    writes within moments.
    """
    for asked, groups, facts in _last_facts[-1:]:
        if asked is problem and groups is grouping.groups:
            return facts
    known = next((found for of, found in _known_facts if of is problem), {})
    facts = tuple(
        known.get((group.theme, group.members)) or GroupFacts.of(problem, group)
        for group in grouping.groups
    )
    _last_facts[:] = [(problem, grouping.groups, facts)]
    return facts


_known_facts: list[tuple[Problem, dict[tuple[str, tuple[str, ...]], GroupFacts]]] = []
"""Facts of groups of one problem worked out ahead (`remember_facts`), by theme and sorted
members."""


def remember_facts(problem: Problem, facts: dict[tuple[str, tuple[str, ...]], GroupFacts]) -> None:
    """Facts of the problem's groups (by theme and sorted members) worked out ahead, as the
    solver's workers do while they search: `group_facts` takes them rather than working them
    out again in a stopped run's last moments. Only the last problem's are kept."""
    if not (_known_facts and _known_facts[0][0] is problem):
        _known_facts[:] = [(problem, {})]
    _known_facts[0][1].update(facts)
