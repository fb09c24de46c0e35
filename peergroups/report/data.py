"""Everything the report shows, as plain data (dicts, lists, strings, numbers): no HTML here.

`report_data` reads the problem, the plan, its summary (summary.json) and any rule violations
and answers the questions a facilitator asks of a plan: what was decided under which rules,
who sits in which group, and why each company sits where it does. Words come from `labels`
in the chosen language; company names and other input text are passed on as they are (the
template escapes them).
"""

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from peergroups.conflicts import analyse
from peergroups.model import (
    Company,
    Group,
    GroupFacts,
    Grouping,
    Problem,
    RelationKind,
)
from peergroups.regions import REGIONS
from peergroups.report.labels import Labels
from peergroups.themes import THEMES
from peergroups.wording import translate, translate_finding, translate_violation

MATURITY_RULE = "maturity_spread"
MUTUAL_CONFLICT = 3
"""Theme cliques from this size on are listed: a pair in conflict is plain, three or more
companies in mutual conflict constrain the plan (as in the CLI's summary)."""
MATURITY_LIMIT = "max_maturity_spread"
_VIOLATION = re.compile(r"^(?P<group>[^:\s]+): (?P<message>.*) \[(?P<rule>[\w-]+)\]$")
_ID = re.compile(r"[\w.-]+")


def group_violations(violations: Sequence[str]) -> dict[str, list[str]]:
    """`check`'s violations ("G3: message [rule]") by group id; plan-wide ones are left out."""
    found: dict[str, list[str]] = {}
    for text in violations:
        match = _VIOLATION.match(str(text))
        if match:
            found.setdefault(match["group"], []).append(match["message"])
    return found


def theme_name(code: str, lang: str) -> str:
    theme = THEMES.get(code)
    if theme is None:
        return code
    return theme.name_fi if lang == "fi" else theme.name_en


def region_name(code: str | None, lang: str) -> str | None:
    if code is None:
        return None
    region = REGIONS.get(code)
    if region is None:
        return code
    return region.name_fi if lang == "fi" else region.name_en


def language_name(code: str, labels: Labels) -> str:
    return labels.get(f"lang_{code}", code)


def natural_key(text: str) -> list[tuple[int, int | str]]:
    """G2 before G10: digit runs compare as numbers."""
    return [
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    ]


def maturity_limit(summary: dict[str, Any]) -> float | None:
    """The spread limit in force, or None when the maturity rule is off (or not reported)."""
    rules = summary.get("rules") or {}
    if MATURITY_RULE not in rules.get("in_force", ()):
        return None
    limit = rules.get(MATURITY_LIMIT)
    return None if limit is None else float(limit)


@dataclass(frozen=True)
class RoundsShown:
    """Every round of a plan of several rounds (`form-groups --rounds`): the report shows
    round 1 as its plan and each later round in a section of its own."""

    groupings: tuple[Grouping, ...]
    violations: tuple[tuple[str, ...], ...]
    """Each round's rule violations (round 1's are the report's own)."""
    repeated: int
    """Meetings that repeat an earlier one, in the history or an earlier round."""
    pairs: int
    """Pairs that meet again."""


def report_data(
    problem: Problem,
    grouping: Grouping,
    summary: dict[str, Any],
    violations: Sequence[str] = (),
    lang: str = "en",
    rounds: RoundsShown | None = None,
    shown: int | None = None,
    full: bool = True,
) -> dict[str, Any]:
    """The whole report as plain data; see the module docstring. `shown`: at most this many
    group cards and unassigned rows (the CSVs hold them all), for very large plans; not
    `full` (a very large or an interrupted plan): the conflict clusters list their first
    `shown` members at most, and say that the conflict picture is not drawn."""
    labels = Labels(lang)
    violations = [translate_violation(str(v), lang) for v in violations]
    only = None
    if shown is not None:  # the first `shown` groups in order, without sorting them all
        first = heapq.nsmallest(shown, grouping.groups, key=lambda g: natural_key(g.group_id))
        only = {group.group_id for group in first}
    cards = _unique_anchors(group_cards(problem, grouping, summary, violations, lang, only))
    unassigned = unassigned_rows(problem, grouping, lang, shown)
    return {
        "lang": lang,
        "labels": dict(labels.table),
        "summary": _summary(problem, grouping, summary, labels),
        "rules": _rules(problem, summary, labels),
        "violations": list(violations),
        "findings": [translate(f, lang) for f in summary.get("findings") or []],
        "groups": cards,
        "unassigned": unassigned,
        "more": {
            "groups": len(grouping.groups) - len(cards),
            "unassigned": len(grouping.unassigned) - len(unassigned),
        },
        "conflicts": _conflicts(problem, grouping, labels, None if full else shown),
        "changes": _changes(problem, summary, labels),
        "programme": _programme(summary, labels, lang),
        "rounds": _rounds(problem, summary, rounds, labels),
    }


def _unique_anchors(cards: list[dict[str, Any]], prefix: str = "") -> list[dict[str, Any]]:
    """Each card its own fragment id (`prefix` for a later round's cards): group ids that
    differ only in unsafe characters, or repeat in another round, still get their own."""
    used: Counter[str] = Counter()
    for card in cards:
        card["anchor"] = prefix + card["anchor"]
        used[card["anchor"]] += 1
        if used[card["anchor"]] > 1:
            card["anchor"] += f"-{used[card['anchor']]}"
    return cards


def _rounds(
    problem: Problem, summary: dict[str, Any], rounds: RoundsShown | None, labels: Labels
) -> dict[str, Any] | None:
    """The rounds after the first, each with its cards and its unassigned, and how much
    the rounds repeat earlier meetings; None for a plan of one round."""
    if rounds is None:
        return None
    later = []
    for number, (grouping, broken) in enumerate(
        zip(rounds.groupings, rounds.violations, strict=True), start=1
    ):
        if number == 1:
            continue
        cards = group_cards(problem, grouping, summary, broken, labels.lang)
        later.append(
            {
                "number": number,
                "anchor": f"round-{number}",
                "heading": labels("round_heading", number=number),
                "grouping": grouping,
                "groups": _unique_anchors(cards, f"r{number}-"),
                "unassigned": unassigned_rows(problem, grouping, labels.lang),
                "violations": [translate_violation(str(v), labels.lang) for v in broken],
            }
        )
    return {
        "count": len(rounds.groupings),
        "first_heading": labels("round_heading", number=1),
        "repeated_text": labels("repeated_text", count=rounds.repeated, pairs=rounds.pairs),
        "later": later,
    }


def _programme(summary: dict[str, Any], labels: Labels, lang: str) -> dict[str, Any] | None:
    """The programme's terms as the plan's summary records them (None: not recorded)."""
    found = summary.get("programme")
    if not found:
        return None
    screening = found.get("eligibility", {})
    subsidy = found.get("subsidy")
    return {
        "eligibility": [
            {
                **f,
                "message": translate_finding(f["message"], lang),
                "criterion_text": labels.table[f"crit_{f['criterion']}"],
            }
            for f in screening.get("findings", [])
        ],
        "eligibility_counts": labels.table["eligibility_counts"].format(
            companies=screening.get("companies", 0)
        ),
        "subsidy": None
        if subsidy is None
        else {
            "used": labels.table["subsidy_used"].format(
                granted=subsidy["granted"],
                seats=subsidy["budget_seats"],
                requested=subsidy["requested"],
            ),
            "granted": subsidy["granted_to"],
            "refused": [{**r, "reason": translate(r["reason"], lang)} for r in subsidy["refused"]],
        },
        "sizes": [
            {
                "mode": mode,
                "groups": entry["groups"],
                "observed": f"{entry['smallest']}-{entry['largest']}",
                "bounds": ", ".join(f"{low}-{high}" for low, high in entry["bounds"]),
            }
            for mode, entry in found.get("sizes_by_mode", {}).items()
        ],
    }


def group_cards(
    problem: Problem,
    grouping: Grouping,
    summary: dict[str, Any],
    violations: Sequence[str] = (),
    lang: str = "en",
    only: set[str] | None = None,
) -> list[dict[str, Any]]:
    """The group cards as plain data, in group order (`only`: just these groups); each card
    lists the rules its group breaks and marks the members named in them."""
    labels = Labels(lang)
    limit = maturity_limit(summary)
    violations = [translate_violation(str(v), lang) for v in violations]
    broken = group_violations(violations)
    bounds = (summary.get("programme") or {}).get("group_bounds", {})
    shown = sorted(
        (group for group in grouping.groups if only is None or group.group_id in only),
        key=lambda g: natural_key(g.group_id),
    )
    partners = _partners(problem, {cid for group in shown for cid in group.members})
    cards = [
        _card(problem, grouping, group, limit, labels, partners, broken.get(group.group_id, []))
        for group in shown
    ]
    for card in cards:  # the size bounds of the group's format and theme, when they vary
        low_high = bounds.get(card["group_id"])
        card["size_bounds"] = None if low_high is None else "{}-{}".format(*low_high)
    return cards


def _changes(problem: Problem, summary: dict[str, Any], labels: Labels) -> list[dict[str, Any]]:
    """A repair's diff, without the companies that stayed where they were."""
    rows = (summary.get("repair") or {}).get("diff", [])
    return [
        {
            **row,
            "name": problem.by_id[row["company_id"]].name
            if row["company_id"] in problem.by_id
            else "",
            "change_text": labels.get(f"change_{row['change'].replace(' ', '_')}", row["change"]),
        }
        for row in rows
        if row["change"] not in ("stays", "stays out")
    ]


# --- summary and rules ------------------------------------------------------------------------


def _summary(
    problem: Problem, grouping: Grouping, summary: dict[str, Any], labels: Labels
) -> dict[str, Any]:
    placed = summary.get("placed", sum(len(g.members) for g in grouping.groups))
    unassigned = summary.get("unassigned", len(grouping.unassigned))
    status = str(summary.get("status", "unknown"))
    gap = summary.get("gap")
    # The time limit, not the measured time: the same plan then gives the same report.
    runtime = (summary.get("scenario") or {}).get("solver", {}).get("time_limit")
    inputs = summary.get("inputs") or {}
    edited = _edited(summary, labels)
    if edited is not None:
        gap = None
    return {
        "status": status,
        "hints_skipped": summary.get("hints") is False,
        "edited": edited,
        "status_label": (
            labels("status_edited", solver=labels.get(f"status_{status}", status))
            if edited is not None
            else labels.get(f"status_{status}", status)
        ),
        "groups": summary.get("groups", len(grouping.groups)),
        "placed": placed,
        "unassigned": unassigned,
        "companies": len(problem.companies),
        "placed_text": labels("placed_of", placed=placed, total=len(problem.companies)),
        "gap": gap,
        "gap_text": labels["not_available"] if gap is None else f"{labels.number(gap * 100, 2)} %",
        "levels": [
            {
                "name": level.get("name"),
                "value": level.get("value"),
                "bound": labels["level_open"]
                if level.get("bound") is None
                else labels.number(level["bound"], 0),
                "proven": labels["yes"] if level.get("proven") else labels["no"],
            }
            for level in summary.get("levels") or []
        ],
        "objective": summary.get("objective"),
        "bound": summary.get("bound"),
        "time_limit_s": runtime,
        "runtime_text": (
            labels["not_available"]
            if runtime is None
            else labels("seconds", value=labels.number(runtime, 1))
        ),
        "seed": summary.get("seed"),
        "strategy": summary.get("strategy"),
        "inputs": [
            {
                "name": name,
                "file": str(entry.get("path", "")).replace("\\", "/").rsplit("/", 1)[-1],
                "sha256": str(entry.get("sha256", ""))[:12],
            }
            for name, entry in inputs.items()
            if isinstance(entry, dict)
        ],
    }


def _edited(summary: dict[str, Any], labels: Labels) -> dict[str, Any] | None:
    """Who changed the plan by hand and when, for a plan that is no longer the solver's."""
    if not summary.get("edited"):
        return None
    review = summary.get("review") or {}
    who, when = review.get("reviewer"), review.get("saved_at")
    parts = [labels["edited_marker"]]
    if who:
        parts.append(labels("edited_by", who=who))
    if when:
        parts.append(labels("edited_at", when=str(when).replace("T", " ")))
    return {"reviewer": who, "saved_at": when, "text": " ".join(parts)}


def _value_text(value: Any, labels: Labels) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return labels.number(value, 0 if value.is_integer() else 1)
    if isinstance(value, list | tuple):
        return ", ".join(_value_text(v, labels) for v in value)
    if isinstance(value, dict):  # group size by_mode: "in_person (max_size 10); virtual (...)"
        nested = any(isinstance(inner, dict) for inner in value.values())
        return ("; " if nested else ", ").join(
            f"{key} ({_value_text(inner, labels)})" if nested else f"{key} {inner}"
            for key, inner in value.items()
            if inner is not None
        )
    return str(value)


def _rules(problem: Problem, summary: dict[str, Any], labels: Labels) -> list[dict[str, Any]]:
    """The rules in force that act on this plan, with their parameters: from the scenario
    when the summary has it (each rule with its own parameters), else from the summary's
    flat `rules` mapping, each parameter given to the rule the summary's labels name (any
    other one to a last row of its own). Names, whether a rule acts on the plan and whether
    it is a preference come from the summary's labels, which the rules themselves supply."""
    rules = summary.get("rules") or {}
    words = summary.get("labels") or {}
    rule_words, parameter_words = words.get("rules", {}), words.get("parameters", {})
    specs = (summary.get("scenario") or {}).get("rules")
    if specs is None:
        specs = [{"kind": kind} for kind in rules.get("in_force", ())]
        kinds = [spec["kind"] for spec in specs]
        leftover = {}
        for name, value in rules.items():
            owner = parameter_words.get(name, {}).get("rule")
            if name == "in_force":
                continue
            if owner in kinds:
                specs[kinds.index(owner)][name] = value
            else:
                leftover[name] = value
        if leftover:
            specs.append({"kind": "parameters"} | leftover)
    shown = []
    for spec in specs:
        enforce = str(spec.get("enforce", "hard"))
        kind = str(spec.get("kind"))
        known = rule_words.get(kind, {})
        if enforce == "off" or not known.get("acts", True):
            continue
        if enforce == "hard" and known.get("preference", False):
            enforce = "preference"
        params = {k: v for k, v in spec.items() if k not in ("kind", "enforce")}
        shown.append(
            {
                "kind": kind,
                "label": rule_words.get(kind, {}).get(labels.lang, kind),
                "enforce": enforce,
                "enforce_label": labels.get(f"enforce_{enforce}", enforce),
                "params": [
                    {
                        "name": name,
                        "label": parameter_words.get(name, {}).get(
                            labels.lang, labels.get(f"param_{name}", name)
                        ),
                        "value": _value_text(value, labels),
                    }
                    for name, value in params.items()
                    if value != {}  # sizes by format or theme, when none are given
                ],
            }
        )
    return shown


# --- group cards --------------------------------------------------------------------------------


def _person(
    problem: Problem, person_id: str | None, labels: Labels, facilitator_ok: bool = False
) -> dict[str, Any] | None:
    """A chair or scribe suggestion: a member company, or (for the scribe) the facilitator."""
    if person_id is None:
        return None
    company = problem.by_id.get(person_id)
    if company is not None:
        return {"id": person_id, "name": company.name, "text": company.name}
    facilitator = problem.facilitator_by_id.get(person_id)
    if facilitator_ok and facilitator is not None:
        name = facilitator.name
        return {"id": person_id, "name": name, "text": labels("scribe_facilitator", name=name)}
    return {"id": person_id, "name": person_id, "text": person_id}


def _facilitator(problem: Problem, group: Group) -> dict[str, Any] | None:
    if group.facilitator_id is None:
        return None
    facilitator = problem.facilitator_by_id.get(group.facilitator_id)
    name = group.facilitator_id if facilitator is None else facilitator.name
    return {"id": group.facilitator_id, "name": name}


def _group_region(facts: GroupFacts, labels: Labels) -> dict[str, Any]:
    if facts.region is not None:
        return {"code": facts.region, "name": region_name(facts.region, labels.lang)}
    key = "region_none" if not facts.regions else "region_several"
    return {"code": None, "name": labels[key]}


def _card(
    problem: Problem,
    grouping: Grouping,
    group: Group,
    limit: float | None,
    labels: Labels,
    partners: dict[str, dict[str, list[RelationKind]]],
    violations: Sequence[str] = (),
) -> dict[str, Any]:
    facts = GroupFacts.of(problem, group)
    low, high, spread = facts.maturity_min, facts.maturity_max, facts.maturity_spread
    mode, languages = facts.mode, facts.languages
    band = {
        "min": low,
        "max": high,
        "spread": spread,
        "limit": limit,
        "text": (
            labels["not_available"]
            if spread is None
            else labels(
                "band_text",
                low=labels.number(low),
                high=labels.number(high),
                spread=labels.number(spread),
            )
        ),
        "limit_text": None if limit is None else labels("spread_limit", limit=_num(limit, labels)),
    }
    return {
        "group_id": group.group_id,
        "anchor": _anchor(group.group_id),
        "theme": {"code": group.theme, "name": theme_name(group.theme, labels.lang)},
        "size": facts.size,
        "maturity": band,
        "maturities": [c.maturity for c in map(problem.by_id.get, group.members) if c],
        "mode": None if mode is None else {"code": str(mode), "label": labels[f"mode_{mode}"]},
        "region": _group_region(facts, labels),
        "languages": [{"code": c, "name": language_name(c, labels)} for c in languages],
        "language": (
            None
            if facts.language is None
            else {"code": facts.language, "name": language_name(facts.language, labels)}
        ),
        "facilitator": _facilitator(problem, group),
        "chair": _person(problem, group.chair, labels),
        "scribe": _person(problem, group.scribe, labels, facilitator_ok=True),
        "violations": list(violations),
        "members": [
            _member(problem, grouping, group, cid, limit, labels, partners)
            | {"breaks": [v for v in violations if cid in _ID.findall(v)]}
            for cid in group.members
        ],
    }


def _anchor(group_id: str) -> str:
    """A safe fragment id for a group (ids are input text: keep letters, digits, - and _)."""
    kept = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_") else "_" for ch in group_id)
    return f"group-{kept}"


def _num(value: float, labels: Labels) -> str:
    return labels.number(value, 0 if float(value).is_integer() else 1)


def _member(
    problem: Problem,
    grouping: Grouping,
    group: Group,
    cid: str,
    limit: float | None,
    labels: Labels,
    partners: dict[str, dict[str, list[RelationKind]]],
) -> dict[str, Any]:
    company = problem.by_id.get(cid)
    if company is None:
        return {"company_id": cid, "name": cid, "unknown": True, "note": labels["unknown_company"]}
    goals = [
        {
            "code": code,
            "name": theme_name(code, labels.lang),
            "rank": index + 1,
            "rank_label": labels.rank(index),
            "is_theme": code == group.theme,
        }
        for index, code in enumerate(company.goals)
    ]
    rank = company.goal_rank(group.theme) if group.theme in company.goals else None
    kept = _kept_apart(problem, grouping, company, labels, partners)
    return {
        "company_id": cid,
        "name": company.name,
        "unknown": False,
        "role": str(company.role),
        "role_label": labels[f"role_{company.role}"],
        "tier": company.tier,
        "maturity": company.maturity,
        "maturity_text": labels.number(company.maturity),
        "region": company.region,
        "region_name": region_name(company.region, labels.lang) or labels["region_none"],
        "languages": [{"code": c, "name": language_name(c, labels)} for c in company.languages],
        "languages_text": ", ".join(language_name(c, labels) for c in company.languages),
        "mode": str(company.mode),
        "mode_label": labels[f"mode_{company.mode}"],
        "is_chair": group.chair == cid,
        "is_scribe": group.scribe == cid,
        "why": {
            "goals": goals,
            "theme_rank": None if rank is None else rank + 1,
            "theme_rank_label": labels["theme_not_goal"] if rank is None else labels.rank(rank),
            "theme_rank_text": (
                labels["theme_not_goal"]
                if rank is None
                else labels("theme_is_rank", rank=labels.rank(rank))
            ),
            "band": _band_distance(problem, group, company, limit, labels),
            "kept_apart": kept,
            "kept_apart_text": (
                labels("kept_apart_count", n=len(kept)) if kept else labels["kept_apart_none"]
            ),
            "broken": any(entry["same_group"] for entry in kept),
            "soft_in_group": _soft_in_group(problem, group, company, labels, partners),
        },
    }


def _band_distance(
    problem: Problem, group: Group, company: Company, limit: float | None, labels: Labels
) -> dict[str, Any]:
    """How far the company lies from the band of the other members (0 inside it), and the
    window the spread limit leaves for it given the others."""
    others = [
        problem.by_id[cid].maturity
        for cid in group.members
        if cid != company.company_id and cid in problem.by_id
    ]
    if not others:
        return {
            "others_min": None,
            "others_max": None,
            "distance": None,
            "position": "alone",
            "text": labels["band_alone"],
            "window": None,
            "window_text": None,
        }
    low, high = min(others), max(others)
    value = company.maturity
    if value < low:
        position, distance = "below", round(low - value, 1)
    elif value > high:
        position, distance = "above", round(value - high, 1)
    else:
        position, distance = "inside", 0.0
    text = labels(
        f"band_{position}",
        distance=labels.number(distance),
        low=labels.number(low),
        high=labels.number(high),
    )
    window = None
    window_text = None
    if limit is not None:
        window = [round(max(0.0, high - limit), 1), round(min(100.0, low + limit), 1)]
        window_text = labels(
            "band_window", low=labels.number(window[0]), high=labels.number(window[1])
        )
    return {
        "others_min": low,
        "others_max": high,
        "distance": distance,
        "position": position,
        "text": text,
        "window": window,
        "window_text": window_text,
    }


def _kinds_text(kinds: Iterable[RelationKind | str], labels: Labels) -> str:
    return ", ".join(
        labels.get(f"rel_{kind}", str(kind)) for kind in sorted({str(k) for k in kinds})
    )


def _partners(problem: Problem, ids: set[str]) -> dict[str, dict[str, list[RelationKind]]]:
    """`problem.partners` of these companies (the members on the cards): one pass over the
    relations, without indexing every company of a large plan that no card shows."""
    found: dict[str, dict[str, list[RelationKind]]] = {}
    for relation in problem.relations:
        if relation.company_a in ids or relation.company_b in ids:
            a, b = relation.pair
            found.setdefault(a, {}).setdefault(b, []).append(relation.kind)
            found.setdefault(b, {}).setdefault(a, []).append(relation.kind)
    return found


def _kept_apart(
    problem: Problem,
    grouping: Grouping,
    company: Company,
    labels: Labels,
    partners: dict[str, dict[str, list[RelationKind]]],
) -> list[dict[str, Any]]:
    """The companies this one has hard relations with, and where each of them is."""
    cid = company.company_id
    mine = grouping.group_of.get(cid)
    kept = []
    for other in sorted(partners.get(cid, {})):
        kinds = problem.hard_pairs.get((min(cid, other), max(cid, other)))
        if kinds is None:
            continue
        where = grouping.group_of.get(other)
        same = where is not None and where is mine
        if where is None:
            where_text = labels["kept_unassigned"]
        elif same:
            where_text = labels["kept_same_group"]
        else:
            where_text = labels(
                "kept_in_group", group=where.group_id, theme=theme_name(where.theme, labels.lang)
            )
        kept.append(
            {
                "company_id": other,
                "name": problem.by_id[other].name,
                "kinds": sorted(str(k) for k in kinds),
                "kinds_text": _kinds_text(kinds, labels),
                "group_id": None if where is None else where.group_id,
                "group_theme": None if where is None else where.theme,
                "same_group": same,
                "where_text": where_text,
            }
        )
    return kept


def _soft_in_group(
    problem: Problem,
    group: Group,
    company: Company,
    labels: Labels,
    partners: dict[str, dict[str, list[RelationKind]]],
) -> list[dict[str, Any]]:
    cid = company.company_id
    members = set(group.members)
    found = []
    for other, kinds in sorted(partners.get(cid, {}).items()):
        if other not in members or (min(cid, other), max(cid, other)) not in problem.soft_pairs:
            continue
        found.append(
            {
                "company_id": other,
                "name": problem.by_id[other].name,
                "kinds": sorted(str(k) for k in kinds),
                "kinds_text": _kinds_text(kinds, labels),
            }
        )
    return found


# --- unassigned and conflicts -------------------------------------------------------------------


def unassigned_rows(
    problem: Problem, grouping: Grouping, lang: str, shown: int | None = None
) -> list[dict[str, Any]]:
    """The companies left out (the first `shown` of them), each with its reason, maturity,
    region and goals."""
    labels = Labels(lang)
    rows = []
    for entry in grouping.unassigned[:shown]:
        company = problem.by_id.get(entry.company_id)
        rows.append(
            {
                "company_id": entry.company_id,
                "name": entry.company_id if company is None else company.name,
                "reason": entry.reason,
                "maturity_text": "" if company is None else labels.number(company.maturity),
                "goals": []
                if company is None
                else [
                    {"code": code, "name": theme_name(code, labels.lang)} for code in company.goals
                ],
                "region_name": (
                    "" if company is None else region_name(company.region, labels.lang) or ""
                ),
            }
        )
    return rows


def _where(grouping: Grouping, cid: str) -> str | None:
    group = grouping.group_of.get(cid)
    return None if group is None else group.group_id


def _conflicts(
    problem: Problem, grouping: Grouping, labels: Labels, listed: int | None = None
) -> dict[str, Any]:
    """The hard conflicts: clusters, cliques within a theme, the most conflicted companies.
    `listed`: the clusters name `listed` members at most, the largest clusters' first (the
    picture is then not drawn: `summarised`)."""
    analysis = analyse(problem)
    by_id = problem.by_id
    components = []
    room = math.inf if listed is None else listed
    for members in analysis.components:
        if room <= 0:
            break
        named = members[: min(len(members), room)]
        room -= len(named)
        components.append(
            {
                "size": len(members),
                "text": labels("component_text", n=len(members)),
                "members": [{"company_id": cid, "name": by_id[cid].name} for cid in named],
                "unnamed": len(members) - len(named),
            }
        )
    return {
        "pairs": len(problem.hard_pairs),
        "companies": len({cid for pair in problem.hard_pairs for cid in pair}),
        "summarised": listed is not None,
        "components": components,
        "component_count": len(analysis.components),
        "unlisted": {
            "components": len(analysis.components) - len(components),
            "companies": sum(len(members) for members in analysis.components[len(components) :]),
        },
        "theme_cliques": [
            {
                "theme": {"code": theme, "name": theme_name(theme, labels.lang)},
                "size": len(members),
                "text": labels("clique_text", n=len(members)),
                "members": [
                    {"company_id": cid, "name": by_id[cid].name, "group_id": _where(grouping, cid)}
                    for cid in members
                ],
            }
            for theme, members in analysis.theme_cliques
            if len(members) >= MUTUAL_CONFLICT
        ],
        "most_conflicted": [
            {
                "company_id": cid,
                "name": by_id[cid].name,
                "count": count,
                "group_id": _where(grouping, cid),
            }
            for cid, count in analysis.most_conflicted
        ],
    }
