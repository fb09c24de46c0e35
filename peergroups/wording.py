"""The reasons of a plan in the plan's language.

The solver words its reasons in English (it knows the rules; the domain package knows the
languages). This module renders them in Finnish for `--lang fi`, so that solver/ holds no
report wording and every output (assignments.csv, the workbook, the report, the packs) shows
the same sentence: `localise` is applied once, to the Grouping that the writers receive.

Each sentence the solver writes is matched whole by a pattern here, and the phrases of its
rules (`pair_phrase`) are translated inside it; a sentence no pattern knows stays in English
rather than half translated. `tests/test_wording.py` runs the solver and checks that every
reason it gives is translated.
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
    for pattern, finnish in _SENTENCES:
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
