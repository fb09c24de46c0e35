"""A first plan in well under a second: primary goals first, maturity windows, then joining.

For goal rank r = 0, 1, 2, ...: every theme sweeps its still-unplaced candidates (those with
the theme among their first r+1 goals) in maturity order, growing a group from the lowest
maturity while every rule admits the next company; a group that reaches a valid size is kept.
After each round, unplaced companies join the existing group of their best-ranked goal that
admits them with the smallest growth of its maturity band. Only the rules' own Python checks
are used, so every rule, including ones added later, is respected.
"""

from collections.abc import Iterable

from peergroups.model import Company, Problem, tenths
from solver.rules import Rule

ChosenGroup = tuple[str, list[str]]


def construct(
    problem: Problem,
    rules: list[Rule],
    themes_of: dict[str, tuple[str, ...]],
    min_size: int,
    window: float | None = None,
) -> list[ChosenGroup]:
    """Groups as (theme, member ids); `window` (maturity points) bounds each sweep's scan."""
    target = max(min_size, 2 * min_size - 1)
    groups: list[tuple[str, list[Company]]] = []
    unplaced = {cid: problem.by_id[cid] for cid in sorted(themes_of)}
    deepest = max((len(themes) for themes in themes_of.values()), default=0)
    for rank in range(deepest):
        for theme in sorted({t for themes in themes_of.values() for t in themes}):
            candidates = [
                c
                for cid, c in unplaced.items()
                if theme in themes_of[cid] and c.goals.index(theme) <= rank
            ]
            for members in _sweep(problem, rules, theme, candidates, target, window):
                groups.append((theme, members))
                for c in members:
                    del unplaced[c.company_id]
        _join(problem, rules, groups, unplaced, themes_of)
    return [(theme, sorted(c.company_id for c in members)) for theme, members in groups]


def _admits(problem: Problem, rules: list[Rule], theme: str, members: list[Company]) -> bool:
    return all(rule.admits(problem, theme, members) for rule in rules)


def _valid(problem: Problem, rules: list[Rule], theme: str, members: list[Company]) -> bool:
    return not any(rule.group_violations(problem, theme, members) for rule in rules)


def _beyond(first: Company, later: Company, window: float | None) -> bool:
    """Is `later` (sorted after `first`) outside the maturity window that starts at `first`?"""
    return window is not None and tenths(later.maturity) - tenths(first.maturity) > tenths(window)


def _sweep(
    problem: Problem,
    rules: list[Rule],
    theme: str,
    candidates: Iterable[Company],
    target: int,
    window: float | None,
) -> list[list[Company]]:
    """Cut maturity-sorted candidates into valid groups of up to `target` members."""
    remaining = sorted(candidates, key=lambda c: (c.maturity, c.company_id))
    found = []
    while remaining:
        seed, group = remaining[0], [remaining[0]]
        for other in remaining[1:]:
            if len(group) >= target or _beyond(seed, other, window):
                break
            if _admits(problem, rules, theme, [*group, other]):
                group.append(other)
        if _valid(problem, rules, theme, group):
            found.append(group)
            taken = {c.company_id for c in group}
            remaining = [c for c in remaining if c.company_id not in taken]
        else:
            remaining = remaining[1:]
    return found


def _join(
    problem: Problem,
    rules: list[Rule],
    groups: list[tuple[str, list[Company]]],
    unplaced: dict[str, Company],
    themes_of: dict[str, tuple[str, ...]],
) -> None:
    """Seat unplaced companies in existing groups: best goal rank, then least band growth."""
    for cid in sorted(unplaced, key=lambda c: (len(themes_of[c]), c)):
        company = unplaced[cid]
        options = []
        for theme, members in groups:
            if theme not in themes_of[cid] or not _admits(
                problem, rules, theme, [*members, company]
            ):
                continue
            low = min(min(c.maturity for c in members), company.maturity)
            high = max(max(c.maturity for c in members), company.maturity)
            options.append((company.goals.index(theme), high - low, len(members), members))
        if options:
            min(options, key=lambda option: option[:3])[3].append(company)
            del unplaced[cid]
