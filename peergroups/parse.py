"""What a spreadsheet cell may hold, turned into a Python value or a ValueError with the reason.

Coordinators type decimal commas, `45 %`, Finnish role names, region names and `kyllä`; these
functions know every accepted spelling. The model's field validators call them, so a reader
only maps columns to fields and a value is judged the same way whichever file (or DataFrame)
it comes from. A function returns its input unchanged when it is not text, leaving the type
check to pydantic.
"""

import math
import operator
import re
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import Any

from peergroups.modes import resolve_mode
from peergroups.regions import resolve_region
from peergroups.roles import resolve_titles
from peergroups.themes import resolve_theme, suggest_theme

_TRUE = {"true", "1", "yes", "y", "x", "kyllä", "kylla", "k", "ja", "sant"}
_FALSE = {"false", "0", "no", "n", "ei", "e", "nej", "falskt", ""}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_REMEMBERED = 1 << 16
"""Answers each parser remembers: more than the distinct spellings of a column in a file."""


def _remembered(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`parse`, remembering its answers for text and tuples of text: a file of 100,000
    companies spells its scores, flags, roles and theme lists in a few thousand ways, and
    each row would otherwise parse them again. Answers are immutable; a refusal (ValueError)
    is not remembered, and other values are parsed each time."""
    cached = lru_cache(maxsize=_REMEMBERED)(parse)

    @wraps(parse)
    def parse_remembered(value: Any) -> Any:
        if type(value) is str or (
            type(value) is tuple and all(type(part) is str for part in value)
        ):
            return cached(value)
        return parse(value)

    return parse_remembered


@_remembered
def parse_number(value: Any) -> Any:
    """'45,3', '45.3', '45 %' and ' 45 ' -> 45.3; other types pass through to pydantic."""
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "").rstrip("%").replace(",", ".")
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
    return value


@_remembered
def parse_whole_number(value: Any) -> Any:
    """'45', '45.0', '1 200' -> an int; digits alone are read exactly, not through a float."""
    if isinstance(value, str):
        digits = value.strip().replace("\u00a0", "").replace(" ", "")
        if re.fullmatch(r"[+-]?\d+", digits):
            try:
                return int(digits)
            except ValueError:  # beyond Python's limit on digits in a string
                raise ValueError(f"{value!r} is too long a number") from None
    number = parse_number(value)
    if isinstance(number, float):
        if not number.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(number)
    return number


@_remembered
def parse_score(value: Any) -> Any:
    """A number as `parse_number` reads it, refusing NaN and infinities."""
    number = parse_number(value)
    if isinstance(number, float | int) and not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number")
    return number


@_remembered
def parse_flag(value: Any) -> Any:
    """yes/no in English, Finnish or Swedish (an empty cell is no)."""
    if isinstance(value, str):
        key = value.strip().casefold()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise ValueError(f"{value!r} is not yes/no (use true/false, 1/0, kyllä/ei)")
    return value


@_remembered
def split_multi(value: Any) -> Any:
    """'a|b|c' -> ('a', 'b', 'c'); a ';' also separates when it is not the file's delimiter."""
    if isinstance(value, str):
        return tuple(part.strip() for part in re.split(r"[|;]", value) if part.strip())
    return value


@_remembered
def split_themes(value: Any) -> Any:
    """Ranked theme codes or names: as `split_multi`, and a part that is no theme but holds
    commas ('erp, mes_production_data') is read as several (a theme name may hold a comma)."""
    parts = split_multi(value)
    if not isinstance(parts, tuple):
        return parts
    found: list[str] = []
    for part in parts:
        if "," in part and resolve_theme(part) is None:
            found += [piece.strip() for piece in part.split(",") if piece.strip()]
        else:
            found.append(part)
    return tuple(found)


def clean_text(value: Any) -> Any:
    """Trimmed text; control characters (pasted from spreadsheets) cannot appear in XML output."""
    if isinstance(value, str):
        if _CONTROL.search(value):
            raise ValueError(f"{value!r} contains a control character")
        return value.strip()
    return value


def clean_id(value: Any) -> Any:
    """Trimmed text on one line: an id with a line break breaks every line-based file it is
    written to or cited from (a bare CR ends a CSV row in most readers)."""
    value = clean_text(value)
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        raise ValueError(f"{value!r} contains a line break")
    return value


_Y_TUNNUS_SPACING = re.compile(r"[\s\-\u2013]")
_Y_TUNNUS_DIGITS = re.compile(r"\d{7,8}")
_Y_TUNNUS_WEIGHTS = (7, 9, 10, 5, 8, 4, 2)


def normalise_business_id(text: str) -> str:
    """A Finnish Y-tunnus in its canonical form '1234567-8', or ValueError with the reason.

    Accepts '0170262-9', '01702629', 'FI01702629', 'fi 0170262-9', an en dash, and a
    6-digit body written without its leading zero. Weights 7,9,10,5,8,4,2; remainder 1 is
    never issued.
    """
    compact = _Y_TUNNUS_SPACING.sub("", text.strip()).upper().removeprefix("FI")
    if not _Y_TUNNUS_DIGITS.fullmatch(compact):
        raise ValueError(f"{text!r} is not a Y-tunnus (expected 1234567-8)")
    if len(compact) == 7:
        compact = "0" + compact
    body, check = compact[:7], int(compact[7])
    remainder = sum(map(operator.mul, map(int, body), _Y_TUNNUS_WEIGHTS)) % 11
    if remainder == 1:
        raise ValueError(f"{text!r} is not a valid Y-tunnus (no check digit exists for {body})")
    expected = 0 if remainder == 0 else 11 - remainder
    if check != expected:
        raise ValueError(f"{text!r} has check digit {check}, expected {expected}")
    return f"{body}-{check}"


def parse_business_id(value: Any) -> Any:
    """An optional Y-tunnus in canonical form (empty: None)."""
    if value in (None, ""):
        return None
    return normalise_business_id(str(value))


@_remembered
def parse_nace(value: Any) -> Any:
    """An optional NACE/TOL code as its digits ('25.62' -> '2562'; empty: None)."""
    if value in (None, ""):
        return None
    digits = re.sub(r"[^0-9]", "", str(value))
    if not 2 <= len(digits) <= 5:
        raise ValueError(f"{value!r} is not a NACE/TOL code (e.g. 25620)")
    return digits


@_remembered
def parse_languages(values: tuple[str, ...]) -> tuple[str, ...]:
    """Two-letter language codes, lower case, each once in the order given."""
    codes = []
    for value in values:
        code = value.strip().lower()
        if not re.fullmatch(r"[a-z]{2}", code):
            raise ValueError(f"{value!r} is not a two-letter language code (fi, sv, en)")
        if code not in codes:
            codes.append(code)
    return tuple(codes)


@_remembered
def parse_themes(values: tuple[str, ...]) -> tuple[str, ...]:
    """Theme codes from codes or names, each once in the order given (the order is a rank)."""
    codes: list[str] = []
    for value in values:
        code = resolve_theme(value)
        if code is None:
            hint = suggest_theme(value)
            did_you_mean = f"; did you mean {hint!r}?" if hint else ""
            raise ValueError(f"unknown theme {value!r}{did_you_mean}")
        if code not in codes:
            codes.append(code)
    return tuple(codes)


@_remembered
def parse_region(value: Any) -> Any:
    """A region code from a code or a Finnish, Swedish or English name (empty: None)."""
    if value in (None, ""):
        return None
    code = resolve_region(str(value))
    if code is None:
        raise ValueError(
            f"unknown region {value!r} (use MK01..MK21 or a Finnish, Swedish or English name)"
        )
    return code


@_remembered
def parse_regions(values: tuple[str, ...]) -> tuple[str, ...]:
    """Region codes, each once in the order given."""
    return tuple(dict.fromkeys(parse_region(v) for v in values))


@_remembered
def parse_role(value: Any) -> Any:
    """A representative's role from its code or a Finnish, Swedish or English title; a cell
    with several titles gives the highest tier (the reader warns about it)."""
    if isinstance(value, str):
        found = resolve_titles(value)
        if found is None:
            raise ValueError(
                f"unknown role {value!r} (use board_chair, ceo, development_director, "
                "management_team_member or other, or a title such as toimitusjohtaja, "
                "talousjohtaja, kehityspäällikkö; `peergroups vocab roles` lists them all)"
            )
        return found[0]
    return value


def _keyword(value: str, aliases: dict[str, Any]) -> Any:
    """The canonical word for `value` folded (case, spaces and hyphens as underscores), or
    KeyError."""
    return aliases[value.strip().casefold().replace("-", "_").replace(" ", "_")]


@_remembered
def parse_mode(value: Any) -> Any:
    """in_person, hybrid or virtual, in English, Finnish or Swedish (`peergroups vocab modes`)."""
    if isinstance(value, str):
        mode = resolve_mode(value)
        if mode is None:
            raise ValueError(
                f"unknown mode {value!r} (use in_person, hybrid or virtual, or a Finnish or "
                "Swedish word for one; `peergroups vocab modes` lists them)"
            )
        return mode
    return value


_PROJECT_STAGES = {
    "idea": "idea",
    "idea_stage": "idea",
    "idea_only": "idea",
    "idea_vaihe": "idea",
    "ideavaihe": "idea",
    "planning": "planning",
    "plan": "planning",
    "suunnittelu": "planning",
    "suunnitteilla": "planning",
    "early": "early",
    "started": "early",
    "starting": "early",
    "alussa": "early",
    "alkuvaihe": "early",
    "alkuvaiheessa": "early",
    "underway": "underway",
    "ongoing": "underway",
    "in_progress": "underway",
    "käynnissä": "underway",
    "kaynnissa": "underway",
    "done": "done",
    "finished": "done",
    "completed": "done",
    "valmis": "done",
    "päättynyt": "done",
    "paattynyt": "done",
}


@_remembered
def parse_project_stage(value: Any) -> Any:
    """idea, planning, early, underway or done, in English or Finnish (suunnittelu, alussa,
    käynnissä, valmis ...)."""
    if isinstance(value, str):
        try:
            return _keyword(value, _PROJECT_STAGES)
        except KeyError:
            raise ValueError(
                f"unknown project stage {value!r} (use idea, planning, early, underway or done)"
            ) from None
    return value


_RELATION_KINDS = {
    "kilpailija": "competitor",
    "competitor": "competitor",
    "asiakas_toimittaja": "customer_supplier",
    "customer_supplier": "customer_supplier",
    "supplier": "customer_supplier",
    "customer": "customer_supplier",
    "same_owner": "same_owner",
    "same_group": "same_owner",
    "sama_omistaja": "same_owner",
    "konserni": "same_owner",
    "conflict": "conflict",
    "ristiriita": "conflict",
    "personal_conflict": "conflict",
    "legal_dispute": "conflict",
    "other": "other",
    "muu": "other",
}


@_remembered
def parse_relation_kind(value: Any) -> Any:
    """A relation kind in English or Finnish."""
    if isinstance(value, str):
        try:
            return _keyword(value, _RELATION_KINDS)
        except KeyError:
            raise ValueError(
                f"unknown relation {value!r} (use competitor, customer_supplier, same_owner, "
                "conflict or other)"
            ) from None
    return value


_SEVERITIES = {
    "hard": "hard",
    "kova": "hard",
    "ehdoton": "hard",
    "soft": "soft",
    "pehmeä": "soft",
    "pehmea": "soft",
    "": None,
}


@_remembered
def parse_severity(value: Any) -> Any:
    """hard or soft in English or Finnish (empty: None, the relation kind's default)."""
    if isinstance(value, str):
        key = value.strip().casefold()
        if key in _SEVERITIES:
            return _SEVERITIES[key]
        raise ValueError(f"unknown severity {value!r} (use hard or soft)")
    return value
