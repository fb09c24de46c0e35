"""Deterministic synthetic programme cohorts: companies, relations and facilitators.

Real cohorts are confidential, so tests, benchmarks and the shipped sample use instances drawn
here. `generate(n, seed)` depends on nothing but `random.Random(seed)`: the same arguments give
the same `Problem` on every machine, and `write_problem` turns it into the same bytes.

The distributions follow section 6, "Distributions for the synthetic generator", of the
input-data research notes (shared/reference/input-data-research.md); they describe programme
participants, not the national population of manufacturers. Where the notes are silent, the
choices below are assumptions:

- Names: "<surname or place> <trade word> Oy" in Finnish, "... Ab" for Swedish-speaking
  companies, the trade word fitting the NACE division (a generic one in one name of five).
  When a name is taken, two founders' surnames are joined ("Virtanen & Laine Metalli Oy"),
  which keeps large instances unique.
- Y-tunnus bodies are drawn from 0100000-3299999 (the range in use); bodies whose checksum
  remainder is 1 are never issued and are skipped.
- NACE: a few real TOL 2008 classes per division, the first listed the most common
  (weights 1, 1/2, 1/3 ...).
- Languages: Ahvenanmaa (MK21) speaks Swedish; in Pohjanmaa (MK15) half the companies are
  Swedish-speaking and half of those also work in Finnish; elsewhere Finnish. 10 % also speak
  English.
- Mode: in_person 20 %, hybrid 60 %, virtual 20 %. Secondary goals: 0/1/2/3 with
  20/35/30/15 %, 70 % of them from the primary goal's cluster (when it has another theme).
- About 20 % of companies have DMA dimensions quantised to multiples of 5 or 10/3, as the
  DMA's raw arithmetic produces.
- Relations: the pair probabilities of the notes describe a cohort of up to 250 companies.
  A company has a bounded number of competitors and partners, so for larger n they are scaled
  by 250/n, which keeps about 1-3 relations per company at every size. Competitor severity
  is left empty (the model decides: soft only when both accept competitors); customer_supplier
  is soft; same_owner (1.5 % of companies, in pairs) is left empty (hard); half of the
  conflicts are personal and soft, the other half empty (hard). Rows are sorted by kind, pair.
- Facilitators: one per 25 companies (groups of about 10, one facilitator per 2-3 groups);
  one home region (70 %) or two, drawn by the company weights; capacity 1/2/3/4 groups with
  10/45/35/10 %; Finnish, plus Swedish when a region is MK15 or MK21, plus English for half.

With `programme=True` the programme's own columns are drawn too, from a random stream of
their own, so every other value stays what `generate(n, seed)` gives (assumptions, as the notes
are silent): 6 % of companies are moved to a service division (62 software, 71 engineering,
46 wholesale); turnover 60-250 k€ per employee, balance sheet 40-120 % of turnover; founded
1950-2025, one in twelve within the last three years; project stage idea/planning/early/
underway/done 10/40/35/10/5 %; a third ask for a subsidised seat; each company is referred by
one of n/40 digiagents (at least two).

Not generated: a second DMA round (T1) and `rules_agreed`, which the input contract
has no column for; scribes; and the defects of the notes' dirty-data mode (clean files only).
"""

import csv
import itertools
import math
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TypeVar

from peergroups.io.columns import COMPANIES, FACILITATORS, RELATIONS, SEPARATOR, Column
from peergroups.model import DMA_DIMENSIONS, Company, Facilitator, Problem, Relation
from peergroups.themes import THEMES

T = TypeVar("T")

SIZE_CLASSES = (
    # share %, fewest and most employees, maturity effect
    (15, 5, 9, -6),
    (50, 10, 49, 0),
    (32, 50, 249, 6),
    (3, 250, 499, 9),
)
DIVISION_WEIGHTS = {
    "25": 22, "28": 12, "10": 9, "16": 9, "33": 7, "22": 5, "18": 4, "23": 4, "27": 4,
    "31": 4, "32": 4, "26": 3, "20": 2, "29": 2, "30": 2, "13": 1.5, "24": 1.5, "11": 1,
    "14": 1, "17": 1, "15": 0.5, "21": 0.5,
}  # fmt: skip
NACE_CLASSES = {
    "10": ("10710", "10130", "10890", "10720"),
    "11": ("11050", "11070"),
    "13": ("13990", "13300"),
    "14": ("14190", "14120"),
    "15": ("15120", "15200"),
    "16": ("16230", "16101", "16290", "16210"),
    "17": ("17210", "17290"),
    "18": ("18120", "18130"),
    "20": ("20590", "20300", "20160"),
    "21": ("21200",),
    "22": ("22290", "22210", "22190", "22220"),
    "23": ("23610", "23630", "23700"),
    "24": ("24530", "24510", "24200"),
    "25": ("25620", "25110", "25990", "25610", "25500", "25730", "25120"),
    "26": ("26120", "26510", "26110", "26300"),
    "27": ("27120", "27900", "27110"),
    "28": ("28990", "28220", "28920", "28290", "28410", "28300", "28110"),
    "29": ("29200", "29320"),
    "30": ("30120", "30110", "30200"),
    "31": ("31090", "31020", "31010"),
    "32": ("32990", "32500", "32300"),
    "33": ("33120", "33200", "33110", "33140"),
}
NACE_EFFECT = {"26": 5, "27": 5, "21": 5, "16": -4, "10": -4, "31": -4}
REGION_WEIGHTS = {
    "MK01": 21, "MK06": 12, "MK02": 11, "MK17": 7, "MK14": 6, "MK15": 6, "MK04": 5,
    "MK13": 5, "MK07": 4, "MK11": 4, "MK05": 3.5, "MK12": 3, "MK08": 2.5, "MK10": 2.5,
    "MK09": 2, "MK16": 2, "MK19": 2, "MK18": 1, "MK21": 0.5,
}  # fmt: skip
SWEDISH_REGIONS = ("MK15", "MK21")
ROLE_WEIGHTS = {
    "ceo": 60,
    "development_director": 15,
    "management_team_member": 15,
    "board_chair": 10,
}
DMA_OFFSETS = (2, 6, -3, 6, -15, -2)
"""strategy, readiness, human, data, automation & AI, green: added to the latent maturity."""
PRIMARY_GOAL_WEIGHTS = {
    "mes_production_data": 14, "erp": 12, "quality_vision_ai": 9, "robotics_automation": 9,
    "data_platform_analytics": 8, "predictive_maintenance": 7, "cybersecurity": 7,
    "carbon_energy_mgmt": 7, "ecommerce_digital_sales": 6, "product_digitalisation_iot": 5,
    "ai_genai_office": 4, "cad_cam_plm": 3, "digital_strategy_leadership": 3,
    "supply_chain_logistics": 2, "digital_twin_simulation": 2, "skills_change_mgmt": 1,
    "additive_manufacturing": 0.5, "ar_vr_remote": 0.5,
}  # fmt: skip
SECONDARY_COUNT_WEIGHTS = (20, 35, 30, 15)
MODE_WEIGHTS = {"in_person": 20, "hybrid": 60, "virtual": 20}

COHORT = 250
"""Above this many companies the pair probabilities are scaled by COHORT / n."""
SAME_CLASS_SAME_REGION = 0.35
SAME_CLASS = 0.10
SAME_DIVISION = 0.02
CUSTOMER_SUPPLIER = 0.03
SUPPLIER_DIVISIONS = ("25", "22", "24", "27")
BUYER_DIVISIONS = ("28", "29", "30", "33")
SAME_OWNER_SHARE = 0.015
CONFLICT = 0.002

COMPANIES_PER_FACILITATOR = 25
CAPACITY_WEIGHTS = {1: 10, 2: 45, 3: 35, 4: 10}

# --- words for names --------------------------------------------------------------------------

TRADE_WORDS = {  # division: (Finnish, Swedish) pairs
    "10": (("Leipomo", "Bageri"), ("Elintarvike", "Livsmedel"), ("Herkku", "Delikatess")),
    "11": (("Panimo", "Bryggeri"), ("Juoma", "Dryck")),
    "13": (("Tekstiili", "Textil"), ("Kangas", "Tyg")),
    "14": (("Vaate", "Kläder"), ("Ompelimo", "Sömnad")),
    "15": (("Nahka", "Läder"), ("Kenkä", "Sko")),
    "16": (("Puu", "Trä"), ("Saha", "Såg"), ("Puutuote", "Träprodukter"), ("Talo", "Hus")),
    "17": (("Pakkaus", "Förpackning"), ("Kartonki", "Kartong")),
    "18": (("Paino", "Tryckeri"), ("Painotalo", "Tryck")),
    "20": (("Kemia", "Kemi"), ("Maali", "Färg")),
    "21": (("Farma", "Farma"), ("Lääke", "Läkemedel")),
    "22": (("Muovi", "Plast"), ("Kumi", "Gummi"), ("Komposiitti", "Komposit")),
    "23": (("Betoni", "Betong"), ("Kivi", "Sten"), ("Lasi", "Glas")),
    "24": (("Valimo", "Gjuteri"), ("Metalli", "Metall")),
    "25": (
        ("Konepaja", "Mekaniska Verkstad"),
        ("Metalli", "Metall"),
        ("Teräs", "Stål"),
        ("Hitsaus", "Svets"),
        ("Levytyö", "Plåt"),
    ),
    "26": (("Elektroniikka", "Elektronik"), ("Instrumentti", "Instrument")),
    "27": (("Sähkö", "El"), ("Sähkötekniikka", "Elteknik")),
    "28": (
        ("Kone", "Maskin"),
        ("Konetehdas", "Maskinfabrik"),
        ("Hydrauliikka", "Hydraulik"),
        ("Automaatio", "Automation"),
    ),
    "29": (("Kori", "Karosseri"), ("Perävaunu", "Släpvagn"), ("Ajoneuvo", "Fordon")),
    "30": (("Vene", "Båt"), ("Telakka", "Varv")),
    "31": (("Kaluste", "Möbler"), ("Huonekalu", "Möbel"), ("Keittiö", "Kök")),
    "32": (("Muotoilu", "Design"), ("Tuote", "Produkter")),
    "33": (("Huolto", "Service"), ("Asennus", "Montage"), ("Kunnossapito", "Underhåll")),
}
GENERIC_WORDS = (("Tekniikka", "Teknik"), ("Teollisuus", "Industri"), ("Tuotanto", "Produktion"))
SURNAMES = {
    "fi": (
        "Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine",
        "Heikkinen", "Koskinen", "Järvinen", "Lehtonen", "Lehtinen", "Saarinen", "Salminen",
        "Heinonen", "Niemi", "Heikkilä", "Kinnunen", "Salonen", "Turunen", "Salo", "Laitinen",
        "Tuominen", "Rantanen", "Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen",
        "Ahonen", "Hiltunen", "Hirvonen", "Leppänen", "Kettunen", "Seppälä", "Räsänen",
        "Koivisto", "Huttunen", "Pitkänen", "Kärkkäinen", "Mustonen", "Anttila", "Peltonen",
        "Manninen", "Ojala", "Kallio", "Aaltonen", "Vainio", "Lappalainen", "Halonen",
    ),
    "sv": (
        "Lindqvist", "Holmström", "Björklund", "Nyman", "Sundqvist", "Forsman", "Lindholm",
        "Backman", "Strandberg", "Granqvist", "Wikström", "Söderlund", "Nyström", "Sjöblom",
        "Åkerlund", "Blomqvist", "Eriksson", "Karlsson", "Häggblom", "Sandvik",
    ),
}  # fmt: skip
PLACES = {  # (region, language): place names as they begin a company name
    ("MK01", "fi"): ("Helsingin", "Espoon", "Vantaan", "Porvoon"),
    ("MK02", "fi"): ("Turun", "Salon", "Raision"),
    ("MK04", "fi"): ("Porin", "Rauman"),
    ("MK05", "fi"): ("Hämeenlinnan", "Forssan", "Riihimäen"),
    ("MK06", "fi"): ("Tampereen", "Nokian", "Pirkkalan"),
    ("MK07", "fi"): ("Lahden", "Heinolan"),
    ("MK08", "fi"): ("Kotkan", "Kouvolan"),
    ("MK09", "fi"): ("Lappeenrannan", "Imatran"),
    ("MK10", "fi"): ("Mikkelin", "Savonlinnan"),
    ("MK11", "fi"): ("Kuopion", "Iisalmen", "Varkauden"),
    ("MK12", "fi"): ("Joensuun", "Lieksan"),
    ("MK13", "fi"): ("Jyväskylän", "Äänekosken"),
    ("MK14", "fi"): ("Seinäjoen", "Kauhavan", "Lapuan"),
    ("MK15", "fi"): ("Vaasan", "Laihian"),
    ("MK15", "sv"): ("Vasa", "Jakobstads", "Närpes"),
    ("MK16", "fi"): ("Kokkolan", "Kannuksen"),
    ("MK17", "fi"): ("Oulun", "Raahen", "Ylivieskan"),
    ("MK18", "fi"): ("Kajaanin", "Sotkamon"),
    ("MK19", "fi"): ("Rovaniemen", "Tornion", "Kemin"),
    ("MK21", "sv"): ("Mariehamns", "Ålands"),
}
LEGAL_FORM = {"fi": "Oy", "sv": "Ab"}
NAME_ATTEMPTS = 50
"""Random names tried before a number is added (never reached below 10,000 companies)."""
FIRST_NAMES = (
    "Anna", "Maria", "Liisa", "Sanna", "Kaisa", "Heidi", "Riikka", "Elina", "Johanna", "Tiina",
    "Mikko", "Juha", "Timo", "Jari", "Antti", "Pekka", "Markku", "Sami", "Ville", "Janne",
)  # fmt: skip

# --- the generator ----------------------------------------------------------------------------


def generate(n: int, seed: int, programme: bool = False) -> Problem:
    """A cohort of n companies with their relations and facilitators; same (n, seed), same
    Problem. `programme` adds the programme's columns (eligibility, subsidy, digiagent)."""
    if n < 1:
        raise ValueError(f"n must be at least 1, not {n}")
    rng = random.Random(seed)
    width = max(4, len(str(n)))
    names: set[str] = set()
    business_ids: set[str] = set()
    companies = [_company(rng, f"C{i:0{width}d}", names, business_ids) for i in range(1, n + 1)]
    if programme:
        extra = random.Random(f"programme-{seed}")
        agents = [f"DA{k:02d}" for k in range(1, max(2, round(n / 40)) + 1)]
        companies = [_programme_columns(extra, c, agents, PLAN_YEAR) for c in companies]
    return Problem(
        companies=tuple(companies),
        relations=tuple(_relations(rng, companies)),
        facilitators=tuple(_facilitators(rng, companies)),
    )


def _pick(rng: random.Random, weights: dict[T, float]) -> T:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _company(
    rng: random.Random, company_id: str, names: set[str], business_ids: set[str]
) -> Company:
    _share, low, high, size_effect = rng.choices(
        SIZE_CLASSES, weights=[c[0] for c in SIZE_CLASSES]
    )[0]
    employees = min(high, int(math.exp(rng.uniform(math.log(low), math.log(high + 1)))))
    division = _pick(rng, DIVISION_WEIGHTS)
    classes = NACE_CLASSES[division]
    nace_code = rng.choices(classes, weights=[1 / (i + 1) for i in range(len(classes))])[0]
    region = _pick(rng, REGION_WEIGHTS)
    languages = _company_languages(rng, region)
    dma = _dma(rng, rng.gauss(42, 13) + size_effect + NACE_EFFECT.get(division, 0))
    return Company(
        company_id=company_id,
        name=_company_name(rng, languages[0], region, division, names),
        business_id=_business_id(rng, business_ids),
        nace_code=nace_code,
        region=region,
        employees=employees,
        maturity=round(sum(dma) / len(dma), 1),
        dma=dma,
        role=_pick(rng, ROLE_WEIGHTS),
        goals=_goals(rng),
        mode=_pick(rng, MODE_WEIGHTS),
        languages=languages,
        competitor_ok=rng.random() < 0.20,
        willing_to_chair=rng.random() < 0.30,
    )


PLAN_YEAR = 2026
SERVICE_CLASSES = ("62010", "71121", "46690")
STAGE_WEIGHTS = {"idea": 10, "planning": 40, "early": 35, "underway": 10, "done": 5}


def _programme_columns(
    rng: random.Random, company: Company, agents: list[str], year: int
) -> Company:
    """The company with the programme's columns drawn (see the module docstring)."""
    employees = max(1, company.employees or 1)
    turnover = round(employees * rng.uniform(60_000, 250_000), -3)
    recent = rng.random() < 1 / 12
    return company.model_copy(
        update={
            "nace_code": rng.choice(SERVICE_CLASSES) if rng.random() < 0.06 else company.nace_code,
            "turnover_eur": turnover,
            "balance_sheet_eur": round(turnover * rng.uniform(0.4, 1.2), -3),
            "founded": rng.randint(year - 2, year) if recent else rng.randint(1950, year - 3),
            "project_stage": _pick(rng, STAGE_WEIGHTS),
            "subsidy": rng.random() < 1 / 3,
            "digiagent": rng.choice(agents),
        }
    )


def _company_languages(rng: random.Random, region: str) -> tuple[str, ...]:
    if region == "MK21":
        languages = ["sv"]
    elif region == "MK15" and rng.random() < 0.5:
        languages = ["sv", "fi"] if rng.random() < 0.5 else ["sv"]
    else:
        languages = ["fi"]
    if rng.random() < 0.10:
        languages.append("en")
    return tuple(languages)


def _dma(rng: random.Random, latent: float) -> tuple[float, ...]:
    """Six dimensions around the latent maturity; one in five quantised like raw DMA sums."""
    step = rng.choice((5, 10 / 3)) if rng.random() < 0.20 else None
    scores = []
    for offset in DMA_OFFSETS:
        score = latent + offset + rng.gauss(0, 9)
        if step is not None:
            score = round(score / step) * step
        scores.append(round(min(100.0, max(0.0, score)), 1))
    return tuple(scores)


def _goals(rng: random.Random) -> tuple[str, ...]:
    """A primary challenge, then secondaries mostly from its cluster; never 'other'."""
    primary = _pick(rng, PRIMARY_GOAL_WEIGHTS)
    goals = [primary]
    cluster = THEMES[primary].cluster
    for _ in range(rng.choices(range(4), weights=SECONDARY_COUNT_WEIGHTS)[0]):
        left = {code: w for code, w in PRIMARY_GOAL_WEIGHTS.items() if code not in goals}
        same_cluster = {code: w for code, w in left.items() if THEMES[code].cluster == cluster}
        goals.append(_pick(rng, same_cluster if same_cluster and rng.random() < 0.7 else left))
    return tuple(goals)


def _company_name(
    rng: random.Random, language: str, region: str, division: str, taken: set[str]
) -> str:
    surnames = SURNAMES[language]
    for attempt in itertools.count():
        words = GENERIC_WORDS if rng.random() < 0.2 else TRADE_WORDS[division]
        finnish, swedish = rng.choice(words)
        word = swedish if language == "sv" else finnish
        if attempt >= 3:
            first, second = rng.sample(surnames, 2)
            owner = f"{first} & {second}"
        elif rng.random() < 0.3:
            owner = rng.choice(PLACES[region, language])
        else:
            owner = rng.choice(surnames)
        if attempt >= NAME_ATTEMPTS:
            # Large cohorts exhaust the names: a branch number keeps them unique (each call
            # sees a different count of names taken, so the number is fresh).
            owner = f"{owner} {len(taken) + 1}"
        name = f"{owner} {word} {LEGAL_FORM[language]}"
        if name not in taken:
            taken.add(name)
            return name


def _business_id(rng: random.Random, taken: set[str]) -> str:
    """A fresh Y-tunnus with a correct check digit (weights 7,9,10,5,8,4,2, mod 11)."""
    while True:
        body = f"{rng.randrange(100_000, 3_300_000):07d}"
        remainder = sum(int(d) * w for d, w in zip(body, (7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
        if remainder == 1:
            continue
        business_id = f"{body}-{0 if remainder == 0 else 11 - remainder}"
        if business_id not in taken:
            taken.add(business_id)
            return business_id


# --- relations --------------------------------------------------------------------------------


def _bernoulli(rng: random.Random, size: int, p: float) -> Iterator[int]:
    """The indices in range(size) that each pass a p-coin, in time proportional to the hits:
    the gap to the next hit is geometric, so no loop runs over all the pairs."""
    log_miss = math.log(1 - p)
    index = -1
    while True:
        index += 1 + int(math.log(1 - rng.random()) / log_miss)
        if index >= size:
            return
        yield index


def _pairs_within(
    rng: random.Random, members: Sequence[Company], p: float
) -> Iterator[tuple[Company, Company]]:
    """Each unordered pair of members with probability p (cells below the diagonal of the
    members x members grid are drawn too and dropped, which keeps the index arithmetic plain)."""
    for index in _bernoulli(rng, len(members) ** 2, p):
        i, j = divmod(index, len(members))
        if i < j:
            yield members[i], members[j]


def _pairs_between(
    rng: random.Random, left: Sequence[Company], right: Sequence[Company], p: float
) -> Iterator[tuple[Company, Company]]:
    for index in _bernoulli(rng, len(left) * len(right), p):
        i, j = divmod(index, len(right))
        yield left[i], right[j]


def _buckets(companies: list[Company], key) -> list[list[Company]]:
    buckets: dict[object, list[Company]] = {}
    for company in companies:
        buckets.setdefault(key(company), []).append(company)
    return list(buckets.values())


def _relations(rng: random.Random, companies: list[Company]) -> list[Relation]:
    """Competitors by NACE class, region and division; customer-supplier chains; owners;
    conflicts. Each pair category is sampled once at its own probability."""
    scale = min(1.0, COHORT / len(companies))
    found: list[tuple[Company, Company, str, str | None]] = []

    def cls(c: Company) -> str:
        return c.nace_code[:4]

    def div(c: Company) -> str:
        return c.nace_code[:2]

    for bucket in _buckets(companies, lambda c: (cls(c), c.region)):
        for a, b in _pairs_within(rng, bucket, SAME_CLASS_SAME_REGION * scale):
            found.append((a, b, "competitor", None))
    for bucket in _buckets(companies, cls):
        for a, b in _pairs_within(rng, bucket, SAME_CLASS * scale):
            if a.region != b.region:
                found.append((a, b, "competitor", None))
    for bucket in _buckets(companies, div):
        for a, b in _pairs_within(rng, bucket, SAME_DIVISION * scale):
            if cls(a) != cls(b):
                found.append((a, b, "competitor", None))

    suppliers = [c for c in companies if div(c) in SUPPLIER_DIVISIONS]
    buyers = [c for c in companies if div(c) in BUYER_DIVISIONS]
    for a, b in _pairs_between(rng, suppliers, buyers, CUSTOMER_SUPPLIER * scale):
        found.append((a, b, "customer_supplier", "soft"))

    owned = rng.sample(companies, 2 * round(len(companies) * SAME_OWNER_SHARE / 2))
    for a, b in zip(owned[::2], owned[1::2], strict=True):
        found.append((a, b, "same_owner", None))

    for a, b in _pairs_within(rng, companies, CONFLICT * scale):
        found.append((a, b, "conflict", "soft" if rng.random() < 0.5 else None))

    relations = [
        Relation(company_a=a.company_id, company_b=b.company_id, kind=kind, severity=severity)
        for a, b, kind, severity in found
    ]
    return sorted(relations, key=lambda r: (r.kind, r.pair))


# --- facilitators -----------------------------------------------------------------------------


def _distinct(rng: random.Random, weights: dict[T, float], k: int) -> list[T]:
    """k different keys drawn by weight."""
    chosen: list[T] = []
    while len(chosen) < k:
        choice = _pick(rng, weights)
        if choice not in chosen:
            chosen.append(choice)
    return chosen


def _facilitators(rng: random.Random, companies: list[Company]) -> list[Facilitator]:
    count = max(1, round(len(companies) / COMPANIES_PER_FACILITATOR))
    width = max(3, len(str(count)))
    company_ids = [c.company_id for c in companies]
    names: set[str] = set()
    facilitators = []
    for i in range(1, count + 1):
        regions = _distinct(rng, REGION_WEIGHTS, 1 if rng.random() < 0.7 else 2)
        languages = ["fi"]
        if any(region in SWEDISH_REGIONS for region in regions):
            languages.append("sv")
        if rng.random() < 0.5:
            languages.append("en")
        conflicts: list[str] = []
        if rng.random() < 0.15:
            conflicts = sorted(rng.sample(company_ids, min(len(company_ids), rng.randint(1, 2))))
        facilitators.append(
            Facilitator(
                facilitator_id=f"F{i:0{width}d}",
                name=_person_name(rng, names),
                languages=tuple(languages),
                regions=tuple(regions),
                themes=tuple(_distinct(rng, PRIMARY_GOAL_WEIGHTS, rng.randint(2, 5))),
                capacity=_pick(rng, CAPACITY_WEIGHTS),
                conflicts=tuple(conflicts),
            )
        )
    return facilitators


def _person_name(rng: random.Random, taken: set[str]) -> str:
    for attempt in itertools.count():
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES['fi'] + SURNAMES['sv'])}"
        if attempt >= NAME_ATTEMPTS:
            name = f"{name} ({len(taken) + 1})"  # a large cohort has more people than names
        if name not in taken:
            taken.add(name)
            return name


# --- writing ----------------------------------------------------------------------------------


def _cell(value: object, column: Column) -> str:
    """The contract's spelling: true/false, one decimal for scores, '|' between the values of
    a multi-value column."""
    if column.multi:
        return SEPARATOR.join(str(v) for v in value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def _fields(item: Company | Relation | Facilitator) -> dict[str, object]:
    """The model's fields by name, a company's DMA spread over its six dimension fields."""
    fields = dict(item)
    if isinstance(item, Company):
        fields.update(zip(DMA_DIMENSIONS, item.dma or (None,) * len(DMA_DIMENSIONS), strict=True))
    return fields


def write_problem(problem: Problem, directory: Path) -> list[Path]:
    """Write companies.csv, relations.csv and facilitators.csv (UTF-8, ',', '\\n' line ends)
    with the contract's columns (peergroups.io.columns), in its order."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for table, items in (
        (COMPANIES, problem.companies),
        (RELATIONS, problem.relations),
        (FACILITATORS, problem.facilitators),
    ):
        path = directory / table.file
        rows = [_fields(item) for item in items]
        # Optional programme columns only when some row has a value: files stay as they were.
        columns = [
            column
            for column in table.written
            if not column.optional or any(row[column.field] is not None for row in rows)
        ]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow([column.name for column in columns])
            for fields in rows:
                writer.writerow([_cell(fields[column.field], column) for column in columns])
        paths.append(path)
    return paths
