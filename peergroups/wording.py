"""The reasons of a plan, and the rules a plan breaks, in the plan's language.

The solver words its reasons in English (it knows the rules; the domain package knows the
languages). This module renders them in Finnish for `--lang fi`, so that solver/ holds no
report wording and every output (assignments.csv, the workbook, the report, the packs) shows
the same sentence: `localise` is applied once, to the Grouping that the writers receive.

Each sentence the solver writes is matched whole by a pattern here, and the phrases of its
rules (`pair_phrase`) are translated inside it; a sentence no pattern knows stays in English
rather than half translated. `translate_violation` does the same for `check`'s violations
("G3: message [rule]"), which the report shows. `tests/test_wording.py` runs the solver and
`check` and insists that every reason and violation they give is translated.
"""

import re
from collections.abc import Callable

from peergroups.model import Grouping

Render = Callable[[re.Match[str]], str]

_PHRASES: tuple[tuple[str, str], ...] = (
    (r"within (\S+) maturity points", r"enintään \1 kypsyyspisteen päässä"),
    (r"meeting in person in (.+?)(?=,|$)", r"lähitapaamisissa alueella \1"),
    (r"meeting in person \(its region is missing\)", "lähitapaamisissa (maakunta puuttuu)"),
    (r"with a compatible meeting mode", "sopivalla tapaamismuodolla"),
    (r"speaking (.+?)(?=,|$)", lambda m: "puhuen " + m.group(1).replace(" or ", " tai ")),
    (
        r"free of competitor, ownership or conflict ties with it",
        "ilman kilpailija-, omistus- tai ristiriitasidettä siihen",
    ),
    (r"that its pins allow", "kiinnitysten sallimissa rajoissa"),
    (r"it has not met too often before", "tapaamatta sitä liian usein aiemmin"),
    (r"in a similar position", "samankaltaisessa asemassa"),
)


def _phrases(text: str) -> str:
    for pattern, finnish in _PHRASES:
        text = re.sub(pattern, finnish, text)
    return text


def _shortfall(match: re.Match[str]) -> str:
    count = int(match["count"] or 0)
    qualifier = _phrases(match["qualifier"].strip().strip(","))
    qualifier = f", {qualifier}," if qualifier else ""
    theme = match["theme"] or match["nearest"]
    if count == 0:
        goal = (
            "mitään sen tavoitteista"
            if theme is None
            else f"sen tavoitetta {theme}"
            + (" (sen tavoitteista lähintä)" if match["nearest"] else "")
        )
        return f"yksikään muu yritys{qualifier} ei jaa {goal} (ryhmään tarvitaan {match['n']})"
    goal = (
        "jonkin sen tavoitteista"
        if theme is None
        else f"sen tavoitteen {theme}"
        + (" (sen tavoitteista lähimmän)" if match["nearest"] else "")
    )
    who = "vain 1 muu yritys" if count == 1 else f"vain {count} muuta yritystä"
    return f"{who}{qualifier} jakaa {goal} (ryhmään tarvitaan {match['n']})"


_SENTENCES: tuple[tuple[str, str | Render], ...] = (
    (
        r"(?:no other company|only (?P<count>\d+) other compan(?:y|ies))(?P<qualifier>.*?) "
        r"(?:shares|share) (?:its goal (?P<theme>\S+)|any of its goals|"
        r"(?P<nearest>\S+), the nearest of its goals) \(a group needs (?P<n>\d+)\)",
        _shortfall,
    ),
    (
        r"the (\d+) companies it could meet in a group for (\S+) clash with each other: "
        r"no group of (\d+) holds it",
        r"ne \1 yritystä, joiden kanssa se voisi olla ryhmässä teemalla \2, ovat keskenään "
        r"ristiriidassa: mikään \3 yrityksen ryhmä ei voi sisältää sitä",
    ),
    (
        r"none of its goals can be the theme of a group under the rules in force",
        "mikään sen tavoitteista ei voi olla ryhmän teema voimassa olevilla säännöillä",
    ),
    (
        r"every group it could join is full or would break a rule, and no plan places more "
        r"companies \(proven\)",
        "jokainen ryhmä, johon se voisi liittyä, on täynnä tai rikkoisi sääntöä, eikä mikään "
        "suunnitelma sijoita useampia yrityksiä (todistettu)",
    ),
    (
        r"not placed when the (\S+) s time limit ended \(the plan is not proven optimal; a "
        r"longer --time-limit may place it\)",
        r"ei sijoitettu ennen \1 s aikarajan päättymistä (suunnitelman optimaalisuutta ei ole "
        r"todistettu; pidempi --time-limit voi sijoittaa sen)",
    ),
    (r"not placed when the search was interrupted", "ei sijoitettu, koska haku keskeytettiin"),
    (r"not in a group", "ei ryhmässä"),
    (
        r"theme (\S+): only (\d+) compan(?:y has|ies have) it among their goals "
        r"\(a group needs (\d+)\)",
        r"teema \1: vain \2 yrityksen tavoitteissa (ryhmään tarvitaan \3)",
    ),
    (
        r"theme (\S+): (\d+) companies in mutual hard conflict \((.*)\) need \d+ groups, "
        r"but its (\d+) companies make at most (\d+)",
        r"teema \1: \2 keskenään ehdottomassa ristiriidassa olevaa yritystä (\3) tarvitsisi "
        r"\2 ryhmää, mutta sen \4 yrityksestä voi muodostaa enintään \5 ryhmää",
    ),
    (
        r"pinned group (\S+): its companies share no goal",
        r"kiinnitetty ryhmä \1: sen "
        r"yrityksillä ei ole yhteistä tavoitetta",
    ),
    (r"no reason given", "syytä ei annettu"),
    (r"unassigned", "ei sijoitettu"),
    (r"not eligible: (?P<findings>.+)", lambda m: "ei kelpoinen: " + _findings(m["findings"])),
    (r"not placed in a group: (?P<reason>.+)", lambda m: "ei ryhmässä: " + _rendered(m["reason"])),
    (
        r"the budget of (\d+) seats? went to companies of greater need \(lower maturity, fewer "
        r"employees or first-time participants\)",
        r"\1 tuetun paikan budjetti meni yrityksille, joiden tarve on suurempi (matalampi "
        r"digikypsyys, pienempi henkilöstö tai ensimmäinen osallistuminen)",
    ),
    (
        r"would fit (\S+) if it met (\S+)",
        lambda m: (
            f"sopisi ryhmään {m[1]}, jos se osallistuisi "
            + {"hybrid": "hybridinä", "virtual": "etänä", "in_person": "paikan päällä"}.get(
                m[2], m[2]
            )
        ),
    ),
    (
        r"would fit (\S+) if it spoke (\S+)",
        r"sopisi ryhmään \1, jos se osallistuisi kielellä \2",
    ),
    (
        r"would fit (\S+) if its representative were a (\S+)",
        r"sopisi ryhmään \1, jos sen edustajan rooli olisi \2",
    ),
)


_STAGES = {
    "idea": "idea",
    "planning": "suunnittelu",
    "early": "alussa",
    "underway": "käynnissä",
    "done": "valmis",
}
_MONEY = {"turnover": "liikevaihto", "balance sheet": "tase"}

_FINDINGS: tuple[tuple[str, str | Render], ...] = (
    (r"(\d+) employees, (\d+) or more", r"\1 työntekijää, \2 tai enemmän"),
    (
        r"(?P<first>turnover|balance sheet) (?P<a>\S+) M€ over (?P<b>\S+) M€"
        r"(?: and (?P<second>turnover|balance sheet) (?P<c>\S+) M€ over (?P<d>\S+) M€)?",
        lambda m: (
            f"{_MONEY[m['first']]} {m['a']} M€, yli {m['b']} M€"
            + (f" ja {_MONEY[m['second']]} {m['c']} M€, yli {m['d']} M€" if m["second"] else "")
        ),
    ),
    (
        r"NACE (?P<code>\S+) is outside manufacturing \(10-33\)"
        r"(?: and the industrial services \((?P<services>.*)\))?",
        lambda m: (
            f"TOL {m['code']} on teollisuuden (10-33)"
            + (f" ja teollisten palvelujen ({m['services']})" if m["services"] else "")
            + " ulkopuolella"
        ),
    ),
    (
        r"founded (\d+), fewer than (\d+) years before (\d+)",
        r"perustettu \1, alle \2 vuotta ennen vuotta \3",
    ),
    (
        r"project stage (\S+), not planning or early",
        lambda m: f"hankkeen vaihe {_STAGES.get(m[1], m[1])}, ei suunnitteilla eikä alussa",
    ),
)


def _findings(text: str) -> str:
    """Eligibility findings ("400 employees, 250 or more [sme]; ..."), each rendered."""
    rendered = []
    for finding in text.split("; "):
        match = re.fullmatch(r"(?P<message>.*?)(?P<criterion> \[\w+\])?", finding)
        assert match is not None  # the pattern matches any text
        message = _sentence_among(_FINDINGS, match["message"])
        rendered.append(message + (match["criterion"] or ""))
    return "; ".join(rendered)


def translate_finding(text: str, lang: str) -> str:
    """An eligibility finding ("400 employees, 250 or more") in `lang`."""
    return _findings(text) if lang == "fi" else text


_SIZE_WHERE = {"in_person": "lähiryhmät", "hybrid": "hybridiryhmät", "virtual": "etäryhmät"}


def _size(word: str) -> Render:
    def render(match: re.Match[str]) -> str:
        where = []
        for part in (match["where"] or "").split(" of "):
            if part.endswith(" groups"):
                where.append(_SIZE_WHERE.get(part[: -len(" groups")], part))
            elif part.startswith("theme "):
                where.append("teema " + part[len("theme ") :])
        suffix = f" ({', '.join(where)})" if where else ""
        return f"{match['n']} jäsentä, {word} {match['bound']}{suffix}"

    return render


_KINDS = {
    "competitor": "kilpailija",
    "customer_supplier": "asiakas-toimittaja",
    "same_owner": "sama omistaja",
    "conflict": "ristiriita",
    "other": "muu",
}

_VIOLATIONS: tuple[tuple[str, str | Render], ...] = (
    (r"members share no language \((.*)\)", r"jäsenillä ei ole yhteistä kieltä (\1)"),
    (
        r"(?P<company>\S+) is not eligible: (?P<findings>.+)",
        lambda m: f"{m['company']} ei ole kelpoinen: {_findings(m['findings'])}",
    ),
    (
        r"(\S+) runs (\d+) groups, more than their capacity (\d+)",
        r"\1 vetää \2 ryhmää, enemmän kuin kapasiteettinsa \3",
    ),
    (
        r"no facilitator speaks (.+)",
        lambda m: (
            "yksikään fasilitaattori ei puhu "
            + ("ryhmän kieltä" if m[1] == "its language" else m[1].replace(" or ", " tai "))
        ),
    ),
    (
        r"no facilitator works in person in (.*)",
        r"yksikään fasilitaattori ei toimi lähitapaamisissa alueella \1",
    ),
    (r"(\S+) may not facilitate it: .*", r"\1 ei voi fasilitoida tätä ryhmää"),
    (
        r"(\S+) and (\S+) must not share a group \((.*)\)",
        lambda m: (
            f"{m[1]} ja {m[2]} eivät saa olla samassa ryhmässä ("
            + ", ".join(_KINDS.get(kind, kind) for kind in m[3].split(", "))
            + ")"
        ),
    ),
    (
        r"(?P<n>\d+) members, fewer than the minimum (?P<bound>\d+)(?: for (?P<where>.*))?",
        _size("vähemmän kuin vähimmäiskoko"),
    ),
    (
        r"(?P<n>\d+) members, more than the maximum (?P<bound>\d+)(?: for (?P<where>.*))?",
        _size("enemmän kuin enimmäiskoko"),
    ),
    (
        r"maturity spread (\S+) exceeds (\S+) \((.*)\)",
        r"digikypsyyden hajonta \1 ylittää rajan \2 (\3)",
    ),
    (
        r"(\S+) is virtual-only in an in-person group",
        r"\1 osallistuu vain etänä, mutta ryhmä tapaa paikan päällä",
    ),
    (
        r"(\S+) has no region, so it cannot meet in person",
        r"\1: maakunta puuttuu, joten se ei voi osallistua lähitapaamisiin",
    ),
    (r"an in-person group spans regions (.*)", r"lähiryhmän jäsenet ovat eri maakunnista: \1"),
    (r"(\S+) and (\S+) are pinned apart", r"\1 ja \2 on kiinnitetty eri ryhmiin"),
    (r"(\S+) is not pinned to (\S+)", r"\1 ei ole kiinnitetty teemaan \2"),
    (r"(\S+) is not in any of (.*)", r"\1 ei ole missään ryhmistä \2"),
    (
        r"(\S+) and (\S+) are pinned together but are apart",
        r"\1 ja \2 on kiinnitetty samaan ryhmään, mutta ne ovat eri ryhmissä",
    ),
    (
        r"companies pinned to different groups \((.*)\) share one",
        r"eri ryhmiin kiinnitetyt yritykset (\1) ovat samassa ryhmässä",
    ),
    (
        r"locked group (\S+) must hold exactly (.*)",
        r"lukitussa ryhmässä \1 on oltava täsmälleen \2",
    ),
    (
        r"the companies pinned to (\S+) \((.*)\) are not in one group",
        r"ryhmään \1 kiinnitetyt yritykset (\2) eivät ole samassa ryhmässä",
    ),
    (
        r"(\S+) and (\S+) already met (\d+) times \(at most (\d+) allowed\)",
        r"\1 ja \2 ovat tavanneet jo \3 kertaa (enintään \4 sallittu)",
    ),
    (
        r"role tiers differ by (\d+) > (\d+) \((.*)\)",
        r"edustajien asemat eroavat \1 tasoa, enemmän kuin \2 (\3)",
    ),
    (r"(\S+) does not have (\S+) among its goals", r"\1: teema \2 ei ole sen tavoitteissa"),
    (r"(\S+) appears (\d+) times", r"\1 esiintyy \2 kertaa"),
    (r"(\S+) is missing", r"\1 puuttuu suunnitelmasta"),
    (r"(\S+) is not an input company", r"\1 ei ole syötteen yritys"),
)

_VIOLATION = re.compile(r"(?P<where>[^:\s]+: )?(?P<message>.*) (?P<rule>\[[\w-]+\])")


def translate_violation(text: str, lang: str) -> str:
    """A violation of `check` ("G3: message [rule]") in `lang`; one no pattern knows stays
    in English."""
    match = _VIOLATION.fullmatch(text)
    if lang != "fi" or match is None:
        return text
    message = _sentence_among(_VIOLATIONS, match["message"])
    return f"{match['where'] or ''}{message} {match['rule']}"


def translate(text: str, lang: str) -> str:
    """`text` (a reason the solver wrote, possibly several joined by '; ') in `lang`; English,
    or a sentence no pattern knows, is returned as it is."""
    if lang != "fi":
        return text
    return _rendered(text)


def _rendered(text: str) -> str:
    """A known sentence, or its '; '-separated parts each rendered (a hint follows a reason)."""
    whole = _sentence(text)
    if whole != text or "; " not in text:
        return whole
    parts = text.split("; ")
    for split in range(len(parts) - 1, 0, -1):
        first = "; ".join(parts[:split])
        if _sentence(first) != first:
            return _sentence(first) + "; " + _rendered("; ".join(parts[split:]))
    return parts[0] + "; " + _rendered("; ".join(parts[1:]))


def _sentence(text: str) -> str:
    return _sentence_among(_SENTENCES, text)


def _sentence_among(patterns: tuple[tuple[str, str | Render], ...], text: str) -> str:
    for pattern, finnish in patterns:
        match = re.fullmatch(pattern, text)
        if match:
            return finnish(match) if callable(finnish) else match.expand(finnish)
    return text


def is_translated(text: str) -> bool:
    """Whether every sentence of `text` has a Finnish rendering."""
    return _rendered(text) != text


def localise(grouping: Grouping, lang: str) -> Grouping:
    """The plan with every reason in `lang`."""
    if lang != "fi":
        return grouping
    unassigned = tuple(
        u.model_copy(update={"reason": translate(u.reason, lang)}) for u in grouping.unassigned
    )
    return grouping.model_copy(update={"unassigned": unassigned})
