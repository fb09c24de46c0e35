"""A first plan in about a second: primary goals first, rare companies first, then rescue.

1. For goal rank r = 0, 1, 2, ...: every theme takes its still-unplaced candidates (those with
   the theme among their first r+1 goals) and grows groups around seeds, least flexible first
   (fewest compatible partners nearby, such as in-person companies of a small region),
   adding partners with the theme as a higher-ranked goal first, then the nearest
   maturities, while every rule admits them; a group that reaches a valid size is kept.
   Unplaced companies then join the existing group of their best goal that admits them.
2. Rescue: for each company still unplaced, grow a new group around it from unplaced
   companies and from members other groups can spare (they stay valid without them).
   Placing one more company outranks every goal rank, so such moves are worth it.
Only the rules' own Python checks are used, so every rule, including one added later, is
respected.
"""

import math
import time
from itertools import chain

from peergroups.model import Company, Problem, tenths
from solver.interrupt import STOP
from solver.nearest import ByMaturity
from solver.objective import ChosenGroup
from solver.space import SearchSpace

FLEXIBILITY_SAMPLE = 24
"""Nearby candidates tested per company to rank seeds: enough to tell a rare in-person
company of a small region from a hybrid one, cheap enough for 10,000 companies."""


def construct(
    space: SearchSpace, deadline: float = math.inf, start: list[ChosenGroup] = ()
) -> list[ChosenGroup]:
    """Groups as (theme, member ids) of the space's companies. At the `deadline` (a
    `time.perf_counter` value) it returns the groups formed so far, once the theme it is
    sweeping is done, and not before one theme was swept (a piece that a busy machine
    started late would have no group at all); a stop request ends it at once. `start`
    holds groups that keep the rules (the current groups of a repair): they stay, and the
    others are built around them."""
    problem, themes_of = space.problem, space.themes_of
    target = max(space.min_size, 2 * space.min_size - 1)
    drafts = _Drafts()
    for theme, members in start:
        drafts.add(theme, [problem.by_id[cid] for cid in members])
    placed = {cid for _, members in start for cid in members}
    unplaced = {cid: problem.by_id[cid] for cid in sorted(themes_of) if cid not in placed}
    themes = sorted({t for options in themes_of.values() for t in options})
    deepest = max((len(options) for options in themes_of.values()), default=0)
    met_before = _met_index(problem)
    swept = False  # at least one theme swept: a piece started late still gets a plan
    for rank in range(deepest):
        for theme in themes:
            if STOP.requested or (swept and time.perf_counter() >= deadline):
                return drafts.groups()
            candidates = [
                c
                for cid, c in unplaced.items()
                if theme in themes_of[cid] and c.goals.index(theme) <= rank
            ]
            for members in _sweep(space, theme, candidates, target, met_before):
                drafts.add(theme, members)
                for c in members:
                    del unplaced[c.company_id]
            swept = swept or bool(candidates)
        _join(space, drafts, unplaced)
    _rescue(space, drafts, unplaced, target, deadline)
    _join(space, drafts, unplaced)
    return drafts.groups()


def _stopped(deadline: float) -> bool:
    """Is the time up or a stop requested? Every long loop asks, and ends where it is."""
    return time.perf_counter() >= deadline or STOP.requested


class _Draft:
    """A group being built (compared by identity, so it can key the loans of a rescue), with
    its lowest and highest maturity: most groups are out of a company's reach by these."""

    def __init__(self, theme: str, members: list[Company], order: int) -> None:
        self.theme, self.members, self.order = theme, list(members), order
        self._span()

    def _span(self) -> None:
        self.low = min(c.maturity for c in self.members)
        self.high = max(c.maturity for c in self.members)

    def add(self, company: Company) -> None:
        self.members.append(company)
        self.low, self.high = min(self.low, company.maturity), max(self.high, company.maturity)

    def remove(self, lent: list[Company]) -> None:
        self.members[:] = [c for c in self.members if c not in lent]
        self._span()

    def band_with(self, company: Company) -> float:
        """The group's maturity band if `company` joined it."""
        return max(self.high, company.maturity) - min(self.low, company.maturity)

    def reaches(self, company: Company, maturity_window: float | None) -> bool:
        """Could `company` join without two members lying further apart than the window?"""
        if maturity_window is None:
            return True
        low, high = min(self.low, company.maturity), max(self.high, company.maturity)
        return tenths(high) - tenths(low) <= tenths(maturity_window)


class _Drafts:
    """The groups being built, in the order they were made, and by theme."""

    def __init__(self) -> None:
        self.all: list[_Draft] = []
        self.of_theme: dict[str, list[_Draft]] = {}

    def add(self, theme: str, members: list[Company]) -> _Draft:
        draft = _Draft(theme, members, len(self.all))
        self.all.append(draft)
        self.of_theme.setdefault(theme, []).append(draft)
        return draft

    def groups(self) -> list[ChosenGroup]:
        return [(d.theme, sorted(c.company_id for c in d.members)) for d in self.all]


def _within(first: Company, other: Company, maturity_window: float | None) -> bool:
    """Is `other` inside the maturity window around `first`?"""
    if maturity_window is None:
        return True
    return abs(tenths(other.maturity) - tenths(first.maturity)) <= tenths(maturity_window)


def _sweep(
    space: SearchSpace,
    theme: str,
    candidates: list[Company],
    target: int,
    met_before: dict[str, set[str]],
) -> list[list[Company]]:
    """Valid groups of up to `target` members grown around the least flexible seeds first
    (those found before a stop request). The deadline does not cut a sweep: a sweep cut
    while it ranks its seeds would leave a slow piece with no group at all."""
    rules, maturity_window = space.checks, space.maturity_window
    everyone = ByMaturity(candidates)
    by_rank: dict[int, list[Company]] = {}
    for company in candidates:
        by_rank.setdefault(company.goals.index(theme), []).append(company)
    ranked = [ByMaturity(by_rank[rank]) for rank in sorted(by_rank)]

    def flexibility(company: Company) -> int:
        """How many of a sample of nearby candidates could share a group with it."""
        sample = everyone.sample(company, maturity_window, FLEXIBILITY_SAMPLE)
        return sum(rules.compatible(company, other) for other in sample)

    ranking = []
    for order, company in enumerate(everyone.companies):
        if STOP.requested:
            return []
        ranking.append((flexibility(company), order, company))
    seeds = [company for *_, company in sorted(ranking, key=lambda entry: entry[:2])]
    taken: set[str] = set()
    found = []
    for seed in seeds:
        if STOP.requested:
            break
        if seed.company_id in taken:
            continue
        group = [seed]
        met = set(met_before.get(seed.company_id, ()))
        deferred: list[Company] = []
        # Partners with the theme as a higher-ranked goal first, then the nearest maturity;
        # with history, those who met a member before only when nobody new fits.
        for other in chain.from_iterable(r.outward(seed, maturity_window) for r in ranked):
            if len(group) >= target:
                break
            if other.company_id in taken:
                continue
            if other.company_id in met:
                deferred.append(other)
                continue
            # The pairwise test against the seed first: it rejects most candidates cheaply.
            if rules.compatible(seed, other) and rules.admits(theme, [*group, other]):
                group.append(other)
                met |= met_before.get(other.company_id, set())
        for other in deferred:
            if len(group) >= target:
                break
            if rules.compatible(seed, other) and rules.admits(theme, [*group, other]):
                group.append(other)
        if rules.valid(theme, group):
            found.append(group)
            taken.update(c.company_id for c in group)
    return found


def _met_index(problem: Problem) -> dict[str, set[str]]:
    """Each company -> the companies it met in earlier rounds (empty without history)."""
    index: dict[str, set[str]] = {}
    for a, b in problem.met:
        index.setdefault(a, set()).add(b)
        index.setdefault(b, set()).add(a)
    return index


def _join(space: SearchSpace, drafts: _Drafts, unplaced: dict[str, Company]) -> None:
    """Seat unplaced companies in existing groups: best goal rank, then least band growth,
    then the smaller group, then the earlier one (until a stop request: joining is cheap
    and places companies, so the deadline does not cut it)."""
    rules, themes_of, maturity_window = space.checks, space.themes_of, space.maturity_window
    for cid in sorted(unplaced, key=lambda c: (len(themes_of[c]), c)):
        if STOP.requested:
            return
        company = unplaced[cid]
        # Themes come in goal order: the first theme with a group that admits it wins.
        for theme in themes_of[cid]:
            reachable = sorted(
                (draft.band_with(company), len(draft.members), draft.order, draft)
                for draft in drafts.of_theme.get(theme, ())
                if draft.reaches(company, maturity_window)
            )
            chosen = next(
                (
                    draft
                    for *_, draft in reachable
                    # The pairwise tests first: they reject most groups cheaply.
                    if all(rules.compatible(company, member) for member in draft.members)
                    and rules.admits(theme, [*draft.members, company])
                ),
                None,
            )
            if chosen is not None:
                chosen.add(company)
                del unplaced[cid]
                break


def _rescue(
    space: SearchSpace,
    drafts: _Drafts,
    unplaced: dict[str, Company],
    target: int,
    deadline: float,
) -> None:
    """A new group around each unplaced company that can have one, from other unplaced
    companies and from members their groups can spare (until the deadline or a stop)."""
    if not unplaced:
        return
    problem, themes_of = space.problem, space.themes_of
    sharers: dict[str, list[Company]] = {}
    for cid, themes in themes_of.items():
        for theme in themes:
            sharers.setdefault(theme, []).append(problem.by_id[cid])
    by_theme = {theme: ByMaturity(companies) for theme, companies in sharers.items()}
    draft_of = {c.company_id: draft for draft in drafts.all for c in draft.members}
    for cid in sorted(unplaced):
        if _stopped(deadline):
            return
        if cid not in unplaced:
            continue
        company = unplaced[cid]
        for theme in themes_of[cid]:
            nearby = by_theme[theme].within(company, space.maturity_window)
            group = _rescue_group(space, nearby, draft_of, unplaced, target, company, theme)
            if group:
                draft = drafts.add(theme, group)
                for member in group:
                    unplaced.pop(member.company_id, None)
                    draft_of[member.company_id] = draft
                break


def _rescue_group(
    space: SearchSpace,
    nearby: list[Company],
    draft_of: dict[str, _Draft],
    unplaced: dict[str, Company],
    target: int,
    company: Company,
    theme: str,
) -> list[Company] | None:
    """Members of a valid group of `theme` around `company`, lenders already debited: unplaced
    companies of the `nearby` sharers of the theme first, nearest first, then placed ones by
    goal rank and distance (then the order of their groups)."""
    rules = space.checks

    def distance(other: Company) -> float:
        return abs(other.maturity - company.maturity)

    # The pairwise test against the company first: it rejects most candidates cheaply.
    fitting = [other for other in nearby if rules.compatible(company, other)]
    waiting = sorted(
        (other for other in fitting if other.company_id in unplaced),
        key=lambda other: (distance(other), other.company_id),
    )
    spare = sorted(
        (
            (other, draft_of[other.company_id])
            for other in fitting
            if other.company_id not in unplaced
        ),
        key=lambda pair: (
            pair[0].goals.index(theme),
            distance(pair[0]),
            pair[1].order,
            pair[1].members.index(pair[0]),
        ),
    )
    group, loans = [company], {}
    for other, lender in [(c, None) for c in waiting] + spare:
        if len(group) >= target:
            break
        if not rules.admits(theme, [*group, other]):
            continue
        if lender is not None:
            lent = loans.get(lender, [])
            rest = [c for c in lender.members if c is not other and c not in lent]
            if not rules.valid(lender.theme, rest):
                continue
            loans[lender] = [*lent, other]
        group.append(other)
    if not rules.valid(theme, group):
        return None
    for lender, lent in loans.items():
        lender.remove(lent)
    return group
