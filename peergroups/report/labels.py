"""Every word the report shows, in English and Finnish (both sets have the same keys).

Theme names come from `themes.py` and region names from `regions.py`; the reasons why a
company is unassigned and the pre-check's findings are the solver's sentences, rendered in
Finnish by `peergroups.wording`; rule violations stay in the solver's English.
Placeholders in braces are filled with `str.format`.
"""

from typing import Any

LANGUAGES = ("en", "fi")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Peer groups: plan for review",
        "confidential": "Confidential: for facilitators and programme coordinators only.",
        "contents": "Contents",
        "summary": "Summary",
        "status": "Status",
        "status_optimal": "optimal (proven)",
        "status_feasible": "feasible (not proven optimal)",
        "status_infeasible": "no plan found",
        "status_unknown": "unknown",
        "status_interrupted": "interrupted (best plan so far)",
        "gap": "Gap to the best bound",
        "groups": "Groups",
        "placed": "Placed",
        "placed_of": "{placed} of {total} companies",
        "unassigned": "Unassigned",
        "runtime": "Time limit",
        "seconds": "{value} s",
        "seed": "Random seed",
        "strategy": "Search",
        "inputs": "Input files",
        "not_available": "n/a",
        "rules_in_force": "Rules in force",
        "rule": "Rule",
        "enforce": "Enforced",
        "parameters": "Parameters",
        "enforce_hard": "hard (never broken)",
        "enforce_soft": "soft (costs in the objective)",
        "param_weight": "weight",
        "findings": "Pre-check findings",
        "findings_intro": (
            "Not errors: what the check before solving noticed about the input. They explain "
            "why some companies may be left out; the plan was formed all the same."
        ),
        "violations": "Rule violations",
        "violations_intro": (
            "This plan breaks the following rules. Fix them before inviting anyone."
        ),
        "group": "Group",
        "groups_heading": "Groups",
        "theme": "Theme",
        "size": "Size",
        "members": "Members",
        "maturity": "Maturity",
        "maturity_band": "Maturity band",
        "band_text": "{low}\u2013{high} (spread {spread})",
        "spread_limit": "limit {limit}",
        "strip_caption": (
            "Ticks: members on the 0\u2013100 maturity scale; dark band: the group's range; "
            "dashed: where a member could lie within the spread limit."
        ),
        "mode": "Meeting mode",
        "mode_in_person": "in person",
        "mode_hybrid": "hybrid",
        "mode_virtual": "virtual",
        "region": "Region",
        "region_none": "not given",
        "region_several": "several regions",
        "language": "Working language",
        "languages": "Languages",
        "language_none": "no common language",
        "lang_fi": "Finnish",
        "lang_sv": "Swedish",
        "lang_en": "English",
        "facilitator": "Facilitator",
        "facilitator_none": "none assigned",
        "chair": "Suggested chair",
        "scribe": "Suggested scribe",
        "no_suggestion": "no suggestion",
        "badge_chair": "chair",
        "badge_scribe": "scribe",
        "scribe_facilitator": "{name} (facilitator)",
        "company": "Company",
        "companies": "Companies",
        "company_id": "ID",
        "role": "Role",
        "tier": "Tier",
        "role_board_chair": "Board chair",
        "role_ceo": "CEO",
        "role_development_director": "Development director",
        "role_management_team_member": "Management team member",
        "role_other": "Other",
        "unknown_company": "not an input company",
        "why_here": "Why here",
        "why_here_intro": "Open a company to see why it sits in this group.",
        "goals": "Goals in rank order",
        "theme_marker": "the group's theme",
        "rank_1": "primary goal",
        "rank_2": "2nd goal",
        "rank_3": "3rd goal",
        "rank_n": "{n}th goal",
        "theme_is_rank": "theme is its {rank}",
        "theme_not_goal": "theme not among its goals",
        "band_distance": "Distance to the other members' maturity band",
        "band_inside": "inside the others' band {low}\u2013{high}",
        "band_below": "{distance} points below the others' lowest ({low})",
        "band_above": "{distance} points above the others' highest ({high})",
        "band_alone": "no other members to compare with",
        "band_window": "the spread limit allows {low}\u2013{high}",
        "points": "{value} points",
        "kept_apart": "Kept apart (hard relations)",
        "kept_apart_count": "{n} kept apart",
        "kept_in_group": "in group {group} ({theme})",
        "kept_unassigned": "unassigned",
        "kept_same_group": "IN THE SAME GROUP: the plan breaks a hard rule",
        "soft_in_group": "Soft relations in this group",
        "none": "none",
        "rel_competitor": "competitor",
        "rel_customer_supplier": "customer or supplier",
        "rel_same_owner": "same owner",
        "rel_conflict": "conflict",
        "rel_other": "other relation",
        "unassigned_heading": "Unassigned companies",
        "unassigned_none": "Every company was placed in a group.",
        "reason": "Reason",
        "conflicts_heading": "Conflicts between companies",
        "conflict_graph": "Hard-conflict graph",
        "conflict_caption": (
            "Companies that must never share a group, joined by a line and coloured by their "
            "group (grey: unassigned; a thick red line: a pair placed together). Companies "
            "without hard conflicts are left out."
        ),
        "conflict_capped": "Shown: the {shown} most conflicted of the {total} companies.",
        "changes_heading": "Changes since the previous plan",
        "change": "Change",
        "before": "Before",
        "after": "After",
        "change_moves": "moves",
        "change_joins": "joins",
        "change_leaves": "leaves",
        "change_left_out": "left out",
        "change_placed": "placed",
        "conflicts_none": "No two companies are in hard conflict.",
        "components": "Clusters of hard conflicts",
        "component_text": "{n} companies",
        "theme_cliques": "Companies in mutual conflict within one theme",
        "clique_text": "{n} companies need {n} different groups of this theme",
        "most_conflicted": "Most conflicted companies",
        "conflict_count": "Hard conflicts",
        "placed_in": "Placed in",
    },
    "fi": {
        "title": "Vertaisryhmät: ehdotus tarkastettavaksi",
        "confidential": (
            "Luottamuksellinen: vain fasilitaattoreille ja ohjelman koordinaattoreille."
        ),
        "contents": "Sisältö",
        "summary": "Yhteenveto",
        "status": "Tila",
        "status_optimal": "optimaalinen (todistettu)",
        "status_feasible": "käypä (optimaalisuutta ei todistettu)",
        "status_infeasible": "ratkaisua ei löytynyt",
        "status_unknown": "tuntematon",
        "status_interrupted": "keskeytetty (paras tähänastinen)",
        "gap": "Ero parhaaseen rajaan",
        "groups": "Ryhmiä",
        "placed": "Sijoitettu",
        "placed_of": "{placed} / {total} yritystä",
        "unassigned": "Sijoittamatta",
        "runtime": "Aikaraja",
        "seconds": "{value} s",
        "seed": "Satunnaissiemen",
        "strategy": "Haku",
        "inputs": "Syötetiedostot",
        "not_available": "ei tiedossa",
        "rules_in_force": "Voimassa olevat säännöt",
        "rule": "Sääntö",
        "enforce": "Sitovuus",
        "parameters": "Parametrit",
        "enforce_hard": "ehdoton (ei koskaan rikota)",
        "enforce_soft": "joustava (hinta tavoitefunktiossa)",
        "param_weight": "paino",
        "findings": "Esitarkistuksen havainnot",
        "findings_intro": (
            "Eivät ole virheitä: mitä ennen ratkaisua tehty tarkistus huomasi syötteestä. Ne "
            "selittävät, miksi osa yrityksistä voi jäädä ryhmien ulkopuolelle; suunnitelma "
            "muodostettiin silti."
        ),
        "violations": "Sääntörikkeet",
        "violations_intro": "Tämä ehdotus rikkoo seuraavia sääntöjä. Korjaa ne ennen kutsuja.",
        "group": "Ryhmä",
        "groups_heading": "Ryhmät",
        "theme": "Teema",
        "size": "Koko",
        "members": "Jäsenet",
        "maturity": "Digikypsyys",
        "maturity_band": "Kypsyyshaarukka",
        "band_text": "{low}\u2013{high} (hajonta {spread})",
        "spread_limit": "raja {limit}",
        "strip_caption": (
            "Viivat: jäsenet kypsyysasteikolla 0\u2013100; tumma alue: ryhmän haarukka; "
            "katkoviivat: hajontarajan sallima alue."
        ),
        "mode": "Tapaamistapa",
        "mode_in_person": "lähitapaaminen",
        "mode_hybrid": "hybridi",
        "mode_virtual": "etätapaaminen",
        "region": "Maakunta",
        "region_none": "ei ilmoitettu",
        "region_several": "useita maakuntia",
        "language": "Työkieli",
        "languages": "Kielet",
        "language_none": "ei yhteistä kieltä",
        "lang_fi": "suomi",
        "lang_sv": "ruotsi",
        "lang_en": "englanti",
        "facilitator": "Fasilitaattori",
        "facilitator_none": "ei nimetty",
        "chair": "Ehdotettu puheenjohtaja",
        "scribe": "Ehdotettu sihteeri",
        "no_suggestion": "ei ehdotusta",
        "badge_chair": "pj",
        "badge_scribe": "sihteeri",
        "scribe_facilitator": "{name} (fasilitaattori)",
        "company": "Yritys",
        "companies": "Yritykset",
        "company_id": "Tunnus",
        "role": "Rooli",
        "tier": "Taso",
        "role_board_chair": "Hallituksen puheenjohtaja",
        "role_ceo": "Toimitusjohtaja",
        "role_development_director": "Kehitysjohtaja",
        "role_management_team_member": "Johtoryhmän jäsen",
        "role_other": "Muu",
        "unknown_company": "ei syötetiedoissa",
        "why_here": "Miksi tässä ryhmässä",
        "why_here_intro": "Avaa yritys nähdäksesi, miksi se on tässä ryhmässä.",
        "goals": "Tavoitteet tärkeysjärjestyksessä",
        "theme_marker": "ryhmän teema",
        "rank_1": "ensisijainen tavoite",
        "rank_2": "2. tavoite",
        "rank_3": "3. tavoite",
        "rank_n": "{n}. tavoite",
        "theme_is_rank": "teema on sen {rank}",
        "theme_not_goal": "teema ei ole sen tavoitteissa",
        "band_distance": "Etäisyys muiden jäsenten kypsyyshaarukkaan",
        "band_inside": "muiden haarukan {low}\u2013{high} sisällä",
        "band_below": "{distance} pistettä muiden alimman ({low}) alapuolella",
        "band_above": "{distance} pistettä muiden ylimmän ({high}) yläpuolella",
        "band_alone": "ei muita jäseniä verrattavaksi",
        "band_window": "hajontaraja sallii {low}\u2013{high}",
        "points": "{value} pistettä",
        "kept_apart": "Pidetty erillään (ehdottomat suhteet)",
        "kept_apart_count": "{n} erillään",
        "kept_in_group": "ryhmässä {group} ({theme})",
        "kept_unassigned": "sijoittamatta",
        "kept_same_group": "SAMASSA RYHMÄSSÄ: ehdotus rikkoo ehdotonta sääntöä",
        "soft_in_group": "Joustavat suhteet tässä ryhmässä",
        "none": "ei yhtään",
        "rel_competitor": "kilpailija",
        "rel_customer_supplier": "asiakas tai toimittaja",
        "rel_same_owner": "sama omistaja",
        "rel_conflict": "ristiriita",
        "rel_other": "muu suhde",
        "unassigned_heading": "Sijoittamatta jääneet yritykset",
        "unassigned_none": "Jokainen yritys sijoitettiin ryhmään.",
        "reason": "Syy",
        "conflicts_heading": "Yritysten väliset ristiriidat",
        "conflict_graph": "Ehdottomien ristiriitojen verkko",
        "conflict_caption": (
            "Yritykset, jotka eivät saa olla samassa ryhmässä, yhdistetty viivalla ja väritetty "
            "ryhmänsä mukaan (harmaa: sijoittamatta; paksu punainen viiva: pari samassa "
            "ryhmässä). Yritykset, joilla ei ole ehdottomia ristiriitoja, on jätetty pois."
        ),
        "conflict_capped": "Kuvassa {total} yrityksestä ne {shown}, joilla on eniten ristiriitoja.",
        "changes_heading": "Muutokset edelliseen suunnitelmaan",
        "change": "Muutos",
        "before": "Ennen",
        "after": "Jälkeen",
        "change_moves": "siirtyy",
        "change_joins": "liittyy",
        "change_leaves": "lähtee",
        "change_left_out": "jää ulkopuolelle",
        "change_placed": "sijoitetaan",
        "conflicts_none": "Yhdelläkään yritysparilla ei ole ehdotonta ristiriitaa.",
        "components": "Ehdottomien ristiriitojen ryppäät",
        "component_text": "{n} yritystä",
        "theme_cliques": "Keskinäisessä ristiriidassa olevat yritykset teemoittain",
        "clique_text": "{n} yritystä tarvitsee {n} eri ryhmää tässä teemassa",
        "most_conflicted": "Eniten ristiriitoja",
        "conflict_count": "Ehdottomia ristiriitoja",
        "placed_in": "Ryhmä",
    },
}


class Labels:
    """The labels of one language: `labels["key"]`, or `labels("key", n=2)` to fill in."""

    def __init__(self, lang: str) -> None:
        if lang not in LABELS:
            raise ValueError(f"unknown report language {lang!r} (use {' or '.join(LANGUAGES)})")
        self.lang = lang
        self.table = LABELS[lang]

    def __getitem__(self, key: str) -> str:
        return self.table[key]

    def __call__(self, key: str, **values: Any) -> str:
        return self.table[key].format(**values)

    def get(self, key: str, default: str) -> str:
        return self.table.get(key, default)

    def number(self, value: float | None, decimals: int = 1) -> str:
        """A number as the language writes it: 37.5 in English, 37,5 in Finnish."""
        if value is None:
            return self.table["not_available"]
        text = f"{value:.{decimals}f}"
        if self.lang == "fi":
            text = text.replace("-", "\u2212").replace(".", ",")
        return text

    def rank(self, index: int) -> str:
        """'primary goal', '2nd goal' ... for a 0-based goal index."""
        n = index + 1
        return self.table.get(f"rank_{n}") or self.table["rank_n"].format(n=n)
