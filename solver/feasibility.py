"""Before solving: which companies can be placed at all, in which themes, and why not.

A company is placeable in theme t when some group of t could hold it while every rule holds,
ignoring everybody else's placement. Every member of a witness group is placeable in its
theme too, so one witness settles several companies, and a company that no group can hold
never appears in anyone's witness. So the check first sweeps each theme, block by block
(`Rule.locality`), for witness groups of the smallest size among companies not settled yet
(`_sweep`): most companies are settled there, once each. Each company left grows a witness
greedily from the nearest maturities; only when that fails does it narrow t's other
candidates rule by rule (pairwise necessary conditions, which also word the reason) and ask
CP-SAT for one group containing the company. A company without a witness in any of its
themes is reported with the first rule that left it too few partners.
"""

import math
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from peergroups.model import Company
from solver import cpsat
from solver.interrupt import STOP
from solver.nearest import ByMaturity
from solver.space import SearchSpace

EXACT_CHECK_WORK = 1.0
"""CP-SAT deterministic time for one company's exact check (about a second here)."""


@dataclass(frozen=True)
class Placeability:
    themes: dict[str, tuple[str, ...]]
    """Placeable company -> the themes in which a witness group exists."""
    reasons: dict[str, str]
    """Company that no group can hold under the rules -> why, in plain words."""
    blockers: dict[str, str] = field(default_factory=dict)
    """Company that no group can hold -> the rule that left it too few partners (its kind;
    `group_size` when too few companies share a goal at all)."""


@dataclass(frozen=True)
class _Shortfall:
    """Why theme `theme` has no group for a company."""

    theme: str
    depth: int  # how many narrowing steps passed: deeper = closer to a group
    partners: int  # candidates left at the step that failed
    phrases: tuple[str, ...]  # the narrowing steps that removed candidates
    together: bool = False  # every pairwise test passed, yet no group exists
    rule: str = "group_size"  # the rule of the step that failed


Shortfalls = dict[tuple[str, str], "_Shortfall"]
"""(company, theme) -> why no group of the theme can hold the company. A pair not listed has
a witness group, or was not reached by the deadline."""


def assess(
    space: SearchSpace,
    deadline: float = math.inf,
    checked: Callable[[list[tuple[str, ...]], float], list[Shortfalls]] | None = None,
) -> Placeability:
    """Witness-based placeability of every company of the space in each of its themes.
    Companies not reached by the `deadline` (a `time.perf_counter` value) or a stop request
    count as placeable unchecked. Themes are independent (a witness group of one says
    nothing of another), so `checked` may check batches of them elsewhere, side by side
    (`solver.parallel.Pool.shortfalls`), with the same answer."""
    problem = space.problem
    sizes = Counter(theme for themes in space.themes_of.values() for theme in themes)
    if checked is None:
        found = shortfalls(space, tuple(sorted(sizes)), deadline)
    else:
        # One theme a task, largest first, so that the tasks end together.
        batches = [(theme,) for theme in sorted(sizes, key=lambda t: (-sizes[t], t))]
        found = {key: why for part in checked(batches, deadline) for key, why in part.items()}
    reasons: dict[str, str] = {}
    blockers: dict[str, str] = {}
    themes_of: dict[str, tuple[str, ...]] = {}
    for company in problem.companies:
        cid = company.company_id
        placeable, missing, refusing = [], [], []
        for theme in company.goals:
            if theme not in space.themes_of[cid]:
                refused = [r.kind for r in space.rules if not r.eligible(problem, company, theme)]
                refusing += refused[:1]
            elif (cid, theme) in found:
                missing.append(found[cid, theme])
            else:
                placeable.append(theme)
        if placeable:
            themes_of[cid] = tuple(placeable)
        else:
            excluded = (rule.exclusion(problem, company) for rule in space.rules)
            reasons[cid] = next((why for why in excluded if why), None) or _reason(
                company, missing, space.min_size
            )
            closest = max(missing, key=lambda s: (s.depth, s.partners, s.theme), default=None)
            blockers[cid] = closest.rule if closest else (refusing or ["shared_theme"])[0]
    return Placeability(themes=themes_of, reasons=reasons, blockers=blockers)


def shortfalls(space: SearchSpace, themes: tuple[str, ...], deadline: float) -> Shortfalls:
    """Why no group holds a company, for every company of `themes` without a witness group:
    the sweep settles most; each company left grows a witness greedily from the nearest
    maturities, and only when that fails narrows its candidates and asks CP-SAT."""
    if time.perf_counter() >= deadline or STOP.requested:
        return {}
    maturity_window, sharing = space.maturity_window, _sharing(space, themes)
    sharers = {theme: ByMaturity(sharing[theme]) for theme in themes}
    certified = _sweep(space, sharers, deadline)  # (company, theme) seen in a witness group
    found: Shortfalls = {}
    for theme in themes:
        for company in sharing[theme]:
            cid = company.company_id
            if (cid, theme) in certified or time.perf_counter() >= deadline or STOP.requested:
                continue
            outcome = _greedy_group(
                space, company, theme, sharers[theme].outward(company, maturity_window)
            ) or _witness(space, company, theme, sharers[theme])
            if isinstance(outcome, _Shortfall):
                found[cid, theme] = outcome
            else:
                certified.update((member, theme) for member in outcome)
    return found


def _sharing(space: SearchSpace, themes: tuple[str, ...]) -> dict[str, list[Company]]:
    """The companies that may join each theme's groups, in the problem's order."""
    sharing: dict[str, list[Company]] = {theme: [] for theme in themes}
    for company in space.problem.companies:
        for theme in space.themes_of[company.company_id]:
            if theme in sharing:
                sharing[theme].append(company)
    return sharing


def _sweep(
    space: SearchSpace, sharers: dict[str, ByMaturity], deadline: float
) -> set[tuple[str, str]]:
    """(company, theme) pairs certified by witness groups of the smallest size (the cheapest
    to check). Companies that can only meet nearby partners (`Rule.locality`, such as
    in-person companies of a region) are swept among themselves, the others apart, so a scan
    rarely meets a company it cannot take. In each block, groups grow upwards in maturity
    order from companies not certified yet, taking only such companies, so most pairs are
    settled once; a company left over then tries the block's nearest companies, certified or
    not. Those still left are checked one by one afterwards."""
    locality: dict[str, str] = {}  # of the companies of these themes only
    certified: set[tuple[str, str]] = set()
    for theme, sharing in sharers.items():
        blocks: dict[str, list[Company]] = {}
        for company in sharing.companies:
            cid = company.company_id
            if cid not in locality:
                locality[cid] = _locality(space, company) or ""
            blocks.setdefault(locality[cid], []).append(company)
        for _, block in sorted(blocks.items()):
            pool = ByMaturity(block)
            for upwards in (True, False):
                for index, company in enumerate(pool.companies):
                    if time.perf_counter() >= deadline or STOP.requested:
                        return certified
                    if (company.company_id, theme) in certified:
                        continue
                    if upwards:
                        _, high = pool.span(company, space.maturity_window)
                        fresh = (pool.companies[i] for i in range(index + 1, high))
                        others = (c for c in fresh if (c.company_id, theme) not in certified)
                    else:
                        others = pool.outward(company, space.maturity_window)
                    group = _pairwise_group(space, company, theme, others)
                    certified.update((member.company_id, theme) for member in group)
    return certified


def _pairwise_group(
    space: SearchSpace, company: Company, theme: str, others: Iterable[Company]
) -> list[Company]:
    """A valid group of the smallest size of `company` and the first `others` that suit
    every member so far, or none. Pairwise tests only (cheaper than a group's check per
    member): the group's own check comes once, when it is complete."""
    rules, group = space.checks, [company]
    for other in others:
        if all(rules.compatible(member, other) for member in group):
            group.append(other)
            if len(group) == space.min_size:
                return group if rules.valid(theme, group) else []
    return []


def _locality(space: SearchSpace, company: Company) -> str | None:
    """The first key a rule gives the company's neighbourhood (None: it meets anyone)."""
    return next((key for rule in space.rules if (key := rule.locality(company)) is not None), None)


def _witness(
    space: SearchSpace, company: Company, theme: str, pool: ByMaturity
) -> set[str] | _Shortfall:
    """Member ids of one valid group of `theme` holding `company`, or why there is none,
    when a plain greedy search found none: narrow the partners rule by rule, then ask CP-SAT."""
    problem, rules, min_size = space.problem, space.rules, space.min_size
    partners = [d for d in pool.companies if d is not company]
    phrases: list[str] = []
    if len(partners) < min_size - 1:
        return _Shortfall(theme, 0, len(partners), ())
    for depth, rule in enumerate(rules, start=1):
        narrowed = [d for d in partners if rule.compatible(problem, company, d)]
        if len(narrowed) < len(partners):
            phrases.append(rule.pair_phrase(problem, company))
        partners = narrowed
        if len(partners) < min_size - 1:
            return _Shortfall(theme, depth, len(partners), tuple(phrases), rule=rule.kind)

    group = _exact_group(space, company, theme, partners)
    if group is not None:
        return group
    return _Shortfall(
        theme, len(rules) + 1, len(partners), tuple(phrases), together=True, rule="rules together"
    )


def _greedy_group(
    space: SearchSpace, company: Company, theme: str, nearest: Iterable[Company]
) -> set[str] | None:
    """Grow a group from the nearest maturities until every rule holds."""
    rules = space.checks
    group = [company]
    for other in nearest:
        # The pairwise test against the company first: it rejects most candidates cheaply.
        if rules.compatible(company, other) and rules.admits(theme, [*group, other]):
            group.append(other)
            if rules.valid(theme, group):
                return {c.company_id for c in group}
    return None


def _exact_group(
    space: SearchSpace, company: Company, theme: str, partners: list[Company]
) -> set[str] | None:
    """Ask CP-SAT for one group holding `company`; an undecided search counts as a group."""
    candidates = {c.company_id: (theme,) for c in (company, *partners)}
    ctx = cpsat.build(space.rules, cpsat.plan_slots(space.narrowed(candidates)))
    seats = [slot.x[company.company_id] for slot in ctx.slots if company.company_id in slot.x]
    if not seats:
        return None
    ctx.model.add_exactly_one(seats)
    outcome = cpsat.run(
        ctx, work=EXACT_CHECK_WORK, seconds=10 * EXACT_CHECK_WORK, seed=0, workers=1
    )
    if outcome.status == "infeasible":
        return None
    for _, members in outcome.groups:
        if company.company_id in members:
            return set(members)
    return {company.company_id}  # undecided: keep the company, vouch for nobody else


def _reason(company: Company, shortfalls: list[_Shortfall], min_size: int) -> str:
    """The plain-words reason from the theme that came closest to a group."""
    if not shortfalls:
        return "none of its goals can be the theme of a group under the rules in force"
    best = max(shortfalls, key=lambda s: (s.depth, s.partners, s.theme))
    if best.together:
        return (
            f"the {best.partners} companies it could meet in a group for {best.theme} clash "
            f"with each other: no group of {min_size} holds it"
        )
    alike = all((s.depth, s.phrases) == (best.depth, best.phrases) for s in shortfalls)
    goal = (
        f"its goal {best.theme}"
        if len(shortfalls) == 1
        else ("any of its goals" if alike else f"{best.theme}, the nearest of its goals")
    )
    count = max(s.partners for s in shortfalls) if alike else best.partners
    who = "no other company" if count == 0 else f"only {count} other compan"
    who += "" if count == 0 else ("y" if count == 1 else "ies")
    verb = "shares" if count <= 1 else "share"
    qualifier = "".join(f" {phrase}," for phrase in best.phrases).rstrip(",")
    return f"{who}{qualifier} {verb} {goal} (a group needs {min_size})"
