"""Why the rules cannot all hold, in words a coordinator acts on.

Without pins an empty plan always keeps every rule, so only pins (a company that must be
placed, a group that must hold certain companies) make a problem infeasible, and only in
the pinned groups: every company a pin places sits in one, and every other group may stay
empty. So every check here looks at the pinned groups alone and stays small at any size of
cohort. First two plain checks that need no model: companies pinned into one group that
share no goal, and two of them that a rule keeps apart (too far apart in maturity,
competitors ...). Otherwise, for every pin kind:

1. a model of the pinned groups (open to everyone who shares their theme) is built with a
   literal per rule instance (each rule, each pin) enforcing it, and solved without an
   objective on one worker, all literals assumed true;
2. CP-SAT's core of assumptions behind the infeasibility is shrunk by deletion until every
   remaining instance is needed;
3. for each instance of the core, the smallest relaxation that restores feasibility of the
   whole problem: drop a pin, or move a rule's parameter the least ("raise
   max_maturity_spread from 20 to 23"). Each relaxation is checked the same way; one the
   check could not settle in time says so.
"""

from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from peergroups.model import MATURITY_SCALE, Company, Grouping, Pin, PinKind, Problem
from solver import cpsat
from solver.context import ModelContext, SlotPlan
from solver.rules import Rule, RuleSet
from solver.scenario import Scenario

SOLVE_SECONDS = 5.0


@dataclass(frozen=True)
class Explanation:
    conflict: list[str]
    """The rule instances that cannot hold together (each of them is needed)."""
    relaxations: list[str]
    """Changes that would each make the whole problem feasible again."""

    def lines(self) -> list[str]:
        found = ["These cannot all hold at once:", *(f"  - {item}" for item in self.conflict)]
        if self.relaxations:
            found += ["Any one of these would resolve it:"]
            found += [f"  - {change}" for change in self.relaxations]
        elif len(self.conflict) > 1:
            found += [
                "No single change found resolves it alone (another pin or rule blocks too): "
                "resolve this conflict, then run again."
            ]
        return found


class Infeasible(Exception):
    """The pins and rules cannot all hold: `explanation` says which and what would help."""

    def __init__(self, explanation: Explanation) -> None:
        super().__init__("\n".join(explanation.lines()))
        self.explanation = explanation


def explain(
    problem: Problem, scenario: Scenario, themes_of: dict[str, tuple[str, ...]]
) -> Explanation:
    """A small set of conflicting rule instances and the relaxations that would lift it."""
    found = before_solving(problem, scenario, themes_of)
    if found:
        return found
    if pins_hold(problem, scenario, themes_of) is None:
        return Explanation(
            [f"not narrowed down within {SOLVE_SECONDS:g} s: try dropping pins one at a time"], []
        )
    return Explanation(["nothing: the rules and pins can all hold"], [])


def pins_hold(
    problem: Problem, scenario: Scenario, themes_of: dict[str, tuple[str, ...]]
) -> bool | None:
    """Whether some plan keeps every pin and rule (None: not settled in SOLVE_SECONDS)."""
    check = _Checker(problem, themes_of, scenario)
    status = check.status(sorted(check.guards))
    return None if status == cp_model.UNKNOWN else status != cp_model.INFEASIBLE


def _from_model(
    problem: Problem, scenario: Scenario, themes_of: dict[str, tuple[str, ...]]
) -> Explanation | None:
    """The conflict from a model of the pinned groups, shrunk until each instance is needed,
    with the least relaxation of each; None when the model finds no conflict in time."""
    check = _Checker(problem, themes_of, scenario)
    keys = sorted(check.guards)
    if check.status(keys) != cp_model.INFEASIBLE:
        return None
    core = check.core(keys)
    for key in list(core):
        smaller = [k for k in core if k != key]
        if not check.feasible(smaller):
            core = smaller
    relaxations = []
    for key in core:
        if key[0] == "pin":
            pin = problem.pins[int(key[1])]
            fewer = _without_pin_if_valid(problem, pin)
            verdict = None if fewer is None else _verdict(fewer, scenario, themes_of)
            if verdict is not None:
                relaxations.append(f"drop the pin: {_pin_text(pin)}{verdict}")
        if key[0] == "rule":
            change = _least_relaxation(problem, scenario, themes_of, key[1])
            if change:
                relaxations.append(change)
    return Explanation([_describe(problem, scenario, key) for key in core], relaxations)


def _themeless_labels(problem: Problem) -> list[str]:
    """Pinned groups whose pinned companies share no goal: no slot of the model can be them."""
    return sorted(label for label, themes in problem.label_themes.items() if not themes)


def _no_shared_theme(
    problem: Problem,
    scenario: Scenario,
    themes_of: dict[str, tuple[str, ...]],
    labels: list[str],
) -> Explanation:
    """Pins that put companies without a common goal (among the themes a pin gives the
    group) into one group, found before any model: such a group has no slot, so the core
    would name a single pin and mislead."""
    pinned = [
        pin
        for pin in problem.pins
        if pin.group_id in labels
        and (pin.kind == PinKind.GROUP or (pin.kind == PinKind.LOCK and pin.themes))
    ]
    conflict = [f"the pin: {_pin_text(pin)}" for pin in pinned]
    rule = scenario.rule("shared_theme")
    summary = rule.summary.rstrip(".") if rule else "one theme per group"
    for label in labels:
        apart = ", ".join(problem.labels[label])
        given = {t for pin in pinned if pin.group_id == label for t in pin.themes}
        among = f" among {', '.join(sorted(given))}" if given else ""
        conflict.append(
            f"the rule shared_theme: {summary} ({apart} share no goal{among} for {label})"
        )
    relaxations = []
    for pin in pinned:
        fewer = _without_pin_if_valid(problem, pin)
        if fewer is None or _themeless_labels(fewer):
            continue
        verdict = _verdict(fewer, scenario, themes_of)
        if verdict is not None:
            relaxations.append(f"drop the pin: {_pin_text(pin)}{verdict}")
    return Explanation(conflict, relaxations)


def before_solving(
    problem: Problem, scenario: Scenario, themes_of: dict[str, tuple[str, ...]]
) -> Explanation | None:
    """Pins the rules cannot keep that show without a model of the whole problem (any size):
    companies pinned into one group with no common goal, or a pair pinned into one group
    (or together) that a rule keeps apart. None when these plain checks find nothing."""
    themeless = _themeless_labels(problem)
    if themeless:
        return _no_shared_theme(problem, scenario, themes_of, themeless)
    clash = _pinned_pair_clash(problem, scenario, themes_of)
    return clash if clash is not None else _from_model(problem, scenario, themes_of)


def _must_share(problem: Problem) -> list[tuple[tuple[Pin, ...], str, str]]:
    """Pairs (a < b) the pins put into one group, each with the pins that do it: two
    companies pinned to one label, a `together` pin, or a `groups` pin allowing one label
    and a company pinned to it."""
    pins = {
        (pin.group_id, pin.company_id): pin for pin in problem.pins if pin.kind == PinKind.GROUP
    }
    pairs = []
    for (label, first), pin_a in sorted(pins.items()):
        for (other, second), pin_b in sorted(pins.items()):
            if other == label and first < second:
                pairs.append(((pin_a, pin_b), first, second))
    for pin in problem.pins:
        if pin.kind == PinKind.TOGETHER:
            a, b = sorted((pin.company_id, pin.partner))
            pairs.append(((pin,), a, b))
        if pin.kind == PinKind.GROUPS and len(pin.groups) == 1:  # one allowed group: its own
            for owner in problem.labels.get(pin.groups[0], ()):
                if owner != pin.company_id:
                    a, b = sorted((pin.company_id, owner))
                    pairs.append(((pins[(pin.groups[0], owner)], pin), a, b))
    return pairs


def _pinned_pair_clash(
    problem: Problem, scenario: Scenario, themes_of: dict[str, tuple[str, ...]]
) -> Explanation | None:
    """Two companies pinned into one group (or together) that a rule keeps apart (say, too
    far apart in maturity, or competitors): named with the rule, with the changes that let
    that pair sit together and the whole problem hold. Found pair by pair, before any
    model, so also where a model of the whole problem is too large to narrow down in time."""
    for pins, first, second in _must_share(problem):
        a, b = problem.by_id[first], problem.by_id[second]
        for rule in scenario.grouping_rules:
            if rule.kind == "pins" or rule.compatible(problem, a, b):
                continue
            options = [
                (f"drop the pin: {_pin_text(p)}", fewer, scenario)
                for p in pins
                if (fewer := _without_pin_if_valid(problem, p)) is not None
            ]
            change = _pair_relaxation(problem, scenario, rule.kind, a, b)
            if change:
                options.append(change)
            relaxations = [
                text + verdict
                for text, changed, relaxed in options
                if (verdict := _verdict(changed, relaxed, themes_of)) is not None
            ]
            return Explanation(
                [
                    *(f"the pin: {_pin_text(pin)}" for pin in pins),
                    _describe(problem, scenario, ("rule", rule.kind)),
                ],
                relaxations,
            )
    return None


def _without_pin(problem: Problem, pin: Pin) -> Problem:
    """The same problem without one pin (a new Problem: derived views are cached)."""
    fields = {name: getattr(problem, name) for name in type(problem).model_fields}
    return Problem(**fields | {"pins": tuple(p for p in problem.pins if p is not pin)})


def _without_pin_if_valid(problem: Problem, pin: Pin) -> Problem | None:
    """The problem without the pin, or None when other pins need it (a `groups` pin
    naming the only label this pin defines)."""
    try:
        return _without_pin(problem, pin)
    except ValueError:
        return None


def _verdict(
    problem: Problem, scenario: Scenario, themes_of: dict[str, tuple[str, ...]]
) -> str | None:
    """ "" when the changed problem holds, None when it still cannot, and a caveat when the
    check ran out of time."""
    checker = _Checker(problem, themes_of, scenario)
    status = checker.status(sorted(checker.guards))
    return None if status == cp_model.INFEASIBLE else _caveat(status)


def _caveat(status: int) -> str:
    """What to add to a relaxation the check found feasible ("") or could not settle."""
    return " (not checked against every other rule in time)" if status == cp_model.UNKNOWN else ""


def _pair_relaxation(
    problem: Problem, scenario: Scenario, kind: str, a: Company, b: Company
) -> tuple[str, Problem, Scenario] | None:
    """The nearest value of the rule's parameter under which `a` and `b` may share a group:
    its wording, the problem and the relaxed scenario."""
    rule = scenario.rule(kind)
    if rule is None or rule.relaxation is None:
        return None
    name = rule.relaxation.parameter
    current = getattr(rule, name)
    for value in rule.relaxation.steps(current):
        relaxed = scenario.with_rule(kind, **rule.relaxed(value))
        if relaxed.rule(kind).compatible(problem, a, b):
            return rule.relaxation.wording(current, value), problem, relaxed
    return None


class _Checker:
    """One guarded model of the pinned groups, asked about different sets of assumptions."""

    def __init__(
        self, problem: Problem, themes_of: dict[str, tuple[str, ...]], scenario: Scenario
    ) -> None:
        rules = RuleSet(problem, tuple(scenario.grouping_rules))
        plans = _pinned_slots(problem, _candidates(problem, themes_of))
        self.ctx = cpsat.build(rules, plans, guarded=True)
        self.guards = self.ctx.guards or {}
        _forbid_ineligible(self.ctx, rules)
        self.solver = cp_model.CpSolver()
        self.solver.parameters.num_workers = 1
        self.solver.parameters.max_time_in_seconds = SOLVE_SECONDS
        self.solver.parameters.max_deterministic_time = SOLVE_SECONDS

    def status(self, keys: list[tuple[str, ...]]) -> int:
        self.ctx.model.clear_assumptions()
        self.ctx.model.add_assumptions([self.guards[k] for k in keys])
        return self.solver.solve(self.ctx.model)

    def feasible(self, keys: list[tuple[str, ...]]) -> bool:
        return self.status(keys) != cp_model.INFEASIBLE

    def core(self, keys: list[tuple[str, ...]]) -> list[tuple[str, ...]]:
        self.status(keys)
        by_index = {self.guards[k].index: k for k in keys}
        found = self.solver.sufficient_assumptions_for_infeasibility()
        return sorted(by_index[i] for i in found if i in by_index) or list(keys)


def _pinned_slots(problem: Problem, candidates: dict[str, tuple[str, ...]]) -> list[SlotPlan]:
    """One slot per pinned group and theme it may take: its pinned companies and everyone
    who shares the theme, locked or not (the lock's own constraint keeps the others out, so
    that it shows in a core). Pins place companies in these groups only and any other
    group may stay empty, so the model stays small at any size of cohort; joiners are not
    pruned: a rule must show up in the core, not hide in a missing variable."""
    plans = []
    for label, owners in sorted(problem.labels.items()):
        for theme in problem.label_themes[label]:
            joiners = tuple(
                cid
                for cid, themes in sorted(candidates.items())
                if cid not in owners and theme in themes
            )
            plans.append(SlotPlan(theme, None, owners + joiners, label=label, owners=owners))
    return plans


def _forbid_ineligible(ctx: ModelContext, rules: RuleSet) -> None:
    """A company sits in no slot of a theme a rule keeps it from (its goals, a `themes`
    pin, eligibility), under that rule's or pin's guard: the search models leave such seats
    out, an explanation must name who forbids them."""
    problem = ctx.problem
    pins = {
        cid: [(str(n), pin) for n, pin in enumerate(problem.pins) if pin.company_id == cid]
        for cid in {pin.company_id for pin in problem.pins if pin.kind == PinKind.THEMES}
    }
    for slot in ctx.slots:
        for cid, var in slot.x.items():
            company = problem.by_id[cid]
            for rule in rules:
                if rule.eligible(problem, company, slot.theme):
                    continue
                if rule.kind == "pins":
                    guards = [
                        ctx.guard("pin", number)
                        for number, pin in pins.get(cid, [])
                        if pin.kind == PinKind.THEMES and slot.theme not in pin.themes
                    ]
                else:
                    guards = [ctx.guard("rule", rule.kind)]
                for guard in guards:
                    ctx.model.add(var == 0).only_enforce_if(guard)


def _candidates(
    problem: Problem, themes_of: dict[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """Placeable companies and every pinned one (a pin may name a company no group can hold)."""
    pinned = {p.company_id for p in problem.pins if p.kind in (PinKind.GROUP, PinKind.GROUPS)}
    return themes_of | {cid: problem.by_id[cid].goals for cid in pinned if cid not in themes_of}


def _least_relaxation(
    problem: Problem, scenario: Scenario, themes_of: dict[str, tuple[str, ...]], kind: str
) -> str | None:
    """The nearest value of the rule's parameter that makes the whole problem feasible."""
    rule = scenario.rule(kind)
    if rule is None or rule.relaxation is None:
        return None
    name = rule.relaxation.parameter
    current = getattr(rule, name)
    for value in rule.relaxation.steps(current):
        try:
            relaxed = scenario.with_rule(kind, **rule.relaxed(value))
        except ValueError:
            continue
        checker = _Checker(problem, _candidates(problem, themes_of), relaxed)
        status = checker.status(sorted(checker.guards))
        if status != cp_model.INFEASIBLE:
            return rule.relaxation.wording(current, value) + _caveat(status)
    return None


def _describe(problem: Problem, scenario: Scenario, key: tuple[str, ...]) -> str:
    if key[0] == "pin":
        return f"the pin: {_pin_text(problem.pins[int(key[1])])}"
    rule = scenario.rule(key[1])
    params = ", ".join(
        f"{k} = {v:g}" if isinstance(v, float) else f"{k} = {v}"
        for k, v in rule.model_dump(exclude={"enforce"}).items()
    )
    return f"the rule {key[1]}: {rule.summary}" + (f" ({params})" if params else "")


def pins_of(problem: Problem, company_id: str) -> list[str]:
    """The pins that touch a company, in words: its own, a partner's, and those of its
    pinned group (its lock, another company allowed to join it)."""
    own = {label for label, ids in problem.labels.items() if company_id in ids}
    return [
        _pin_text(pin)
        for pin in problem.pins
        if company_id in (pin.company_id, pin.partner)
        or (pin.kind == PinKind.LOCK and pin.group_id in own)
        or (pin.kind == PinKind.GROUPS and own & set(pin.groups))
    ]


def _pin_text(pin: Pin) -> str:
    texts: dict[PinKind, Callable[[Pin], str]] = {
        PinKind.GROUP: lambda p: f"{p.company_id} in group {p.group_id}",
        PinKind.GROUPS: lambda p: f"{p.company_id} in one of {', '.join(p.groups)}",
        PinKind.THEMES: lambda p: f"{p.company_id} only in {', '.join(p.themes)}",
        PinKind.LOCK: lambda p: (
            f"group {p.group_id} locked as it is"
            + (f" (theme {', '.join(p.themes)})" if p.themes else "")
        ),
        PinKind.TOGETHER: lambda p: f"{p.company_id} together with {p.partner}",
        PinKind.APART: lambda p: f"{p.company_id} apart from {p.partner}",
    }
    return texts[pin.kind](pin)


def explain_company(
    problem: Problem, scenario: Scenario, grouping: Grouping, company_id: str
) -> list[str]:
    """Why a company sits in its group, or why it is unassigned, line by line."""
    company = problem.by_id[company_id]
    rules = scenario.grouping_rules
    goals = ", ".join(f"{t} ({_rank(i)})" for i, t in enumerate(company.goals))
    lines = [
        f"{company_id} {company.name}: maturity {company.maturity:g}, {company.role.value}, "
        f"{company.mode.value}, speaks {'|'.join(company.languages)}"
        + (f", region {company.region}" if company.region else ""),
        f"goals: {goals}",
    ]
    group = grouping.group_of.get(company_id)
    if group is None:
        reason = next((u.reason for u in grouping.unassigned if u.company_id == company_id), "")
        lines.append(f"unassigned: {reason}")
    else:
        members = [problem.by_id[c] for c in group.members]
        levels = [c.maturity for c in members]
        others = ", ".join(c for c in group.members if c != company_id)
        rank = _rank(company.goals.index(group.theme))
        low, high = min(levels), max(levels)
        lines += [
            f"in {group.group_id}: theme {group.theme}, its {rank} goal; with {others}",
            f"  maturity band {low:g}-{high:g} (spread {high - low:.1f})",
        ]
        for rule in rules:
            if rule.term and (cost := rule.group_cost(problem, group.theme, members)):
                lines.append(f"  the group's {_term_words(rule.term, cost)}")
        for other in group.members:
            pair = (min(company_id, other), max(company_id, other))
            if pair in problem.met:
                rounds = ", ".join(map(str, problem.met[pair]))
                lines.append(f"  meets {other} again (they met in round {rounds})")
    kept = sorted(
        (other, kinds)
        for (a, b), kinds in problem.hard_pairs.items()
        if company_id in (a, b)
        for other in [b if a == company_id else a]
    )
    for other, kinds in kept:
        where = grouping.group_of.get(other)
        place = f"is in {where.group_id}" if where else "is unassigned"
        lines.append(f"kept apart from {other} ({', '.join(kinds)}), who {place}")
    lines += [f"pinned: {text}" for text in pins_of(problem, company_id)]
    lines += _partners_per_goal(problem, rules, company)
    return lines


def _partners_per_goal(problem: Problem, rules: list[Rule], company: Company) -> list[str]:
    """For each goal, how many companies remain as possible partners after each rule."""
    lines = []
    for theme in company.goals:
        pool = [c for c in problem.companies if c is not company and theme in c.goals]
        steps = [f"{len(pool)} share {theme}"]
        for rule in rules:
            narrowed = [c for c in pool if rule.compatible(problem, company, c)]
            if len(narrowed) < len(pool):
                steps.append(f"{len(narrowed)} {rule.pair_phrase(problem, company)}")
            pool = narrowed
        lines.append("possible partners: " + " -> ".join(steps))
    return lines


def _rank(index: int) -> str:
    return "primary" if index == 0 else {1: "2nd", 2: "3rd"}.get(index, f"{index + 1}th")


def _term_words(term: str, cost: int) -> str:
    """An objective term of one group in words and units (spread is kept in tenths)."""
    if term == "spread":
        return f"maturity spread: {cost / MATURITY_SCALE:g} points"
    if term == "goal_rank":
        return f"goal ranks: {cost} (0 when every member is on its first goal)"
    return f"{term.replace('_', ' ')}: {cost}"
