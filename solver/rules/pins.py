"""Pins: the coordinator's decisions (pins.csv or a scenario), taken as given.

A pinned group label L gets labelled slots, one per theme t it may have; its pinned
companies P_L sit in one of them and anyone compatible may join, unless L is locked:

    Σ_{s labelled L} x_{c,s} = 1                      for c in P_L       (group)
    Σ_{s labelled L} active_s <= 1                    (L is one group, of one theme)
    Σ_{s labelled L_1 .. L_k} x_{c,s} = 1             for a `groups` pin
    x_{c,s} exists only if theme(s) ∈ themes(c)       for a `themes` pin
    x_{d,s} = 0 for d ∉ P_L                           for s labelled L, L locked
    x_{a,s} = x_{b,s}                                 for every s, a `together` pin
    x_{a,s} + x_{b,s} <= 1                            for every s, an `apart` pin

Pins can make the rules impossible to keep together; `solver.explain` then names the pins
and rules in conflict.
"""

from itertools import combinations
from typing import Literal

from peergroups.model import Company, Grouping, PinKind, Problem
from solver.context import ModelContext, SlotPlan
from solver.rules.base import Rule, RuleSet, Violation, register


@register
class Pins(Rule):
    kind = "pins"
    default_position = 20
    label = {
        "en": "The coordinator's pins (fixed groups, together, apart)",
        "fi": "Koordinaattorin kiinnitykset (ryhmät, yhdessä, erillään)",
    }
    summary = "The coordinator's pins: fixed groups, allowed groups or themes, together, apart."

    guarded_per_instance = True
    enforce: Literal["hard", "off"] = "hard"

    def eligible(self, problem: Problem, company: Company, theme: str) -> bool:
        cid = company.company_id
        allowed = {
            t
            for p in problem.pins
            if p.kind == PinKind.THEMES and p.company_id == cid
            for t in p.themes
        }
        return not allowed or theme in allowed

    def compatible(self, problem: Problem, a: Company, b: Company) -> bool:
        if not problem.pins:
            return True
        pair = (min(a.company_id, b.company_id), max(a.company_id, b.company_id))
        label_a, label_b = (_label_of(problem, c.company_id) for c in (a, b))
        different_labels = label_a is not None and label_b is not None and label_a != label_b
        return pair not in problem.pinned_pairs(PinKind.APART) and not different_labels

    def pair_phrase(self, problem: Problem, company: Company) -> str:
        return "that its pins allow"

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        if not problem.pins:
            return []
        ids = sorted(c.company_id for c in members)
        apart = problem.pinned_pairs(PinKind.APART)
        found = [
            f"{a} and {b} are pinned apart" for a, b in combinations(ids, 2) if (a, b) in apart
        ]
        labels = sorted({label for cid in ids if (label := _label_of(problem, cid))})
        if len(labels) > 1:
            found.append(f"companies pinned to different groups ({', '.join(labels)}) share one")
        for label in labels:
            if label in problem.locked and set(ids) != set(problem.labels[label]):
                found.append(
                    f"locked group {label} must hold exactly {', '.join(problem.labels[label])}"
                )
        found += [
            f"{c.company_id} is not pinned to {theme}"
            for c in members
            if not self.eligible(problem, c, theme)
        ]
        return found

    def admits(self, problem: Problem, theme: str, members: list[Company]) -> bool:
        if not problem.pins:  # the common case, in the inner loop of every search
            return True
        ids = {c.company_id for c in members}
        apart = any(
            (a, b) in problem.pinned_pairs(PinKind.APART) for a, b in combinations(sorted(ids), 2)
        )
        labels = {label for cid in ids if (label := _label_of(problem, cid))}
        locked_overflow = any(
            label in problem.locked and not ids <= set(problem.labels[label]) for label in labels
        )
        themes_ok = all(self.eligible(problem, c, theme) for c in members)
        return not apart and len(labels) <= 1 and not locked_overflow and themes_ok

    def check(self, problem: Problem, grouping: Grouping) -> list[Violation]:
        if not problem.pins:  # nothing pinned, nothing to keep
            return []
        violations = super().check(problem, grouping)
        group_of = grouping.group_of

        def broken(message: str, group_id: str | None = None) -> None:
            violations.append(Violation(rule=self.kind, group_id=group_id, message=message))

        for label, ids in sorted(problem.labels.items()):
            homes = {group_of[c].group_id if c in group_of else None for c in ids}
            if None in homes or len(homes) > 1:
                broken(f"the companies pinned to {label} ({', '.join(ids)}) are not in one group")
        for pin in problem.pins:
            if pin.kind == PinKind.GROUPS:
                home = group_of.get(pin.company_id)
                allowed = {c for label in pin.groups for c in problem.labels.get(label, ())}
                if home is None or not allowed & set(home.members):
                    broken(f"{pin.company_id} is not in any of {', '.join(pin.groups)}")
        for a, b in sorted(problem.pinned_pairs(PinKind.TOGETHER)):
            if group_of.get(a) is not group_of.get(b):
                broken(f"{a} and {b} are pinned together but are apart")
        return violations

    def labelled_slots(self, rules: RuleSet, themes_of: dict[str, tuple[str, ...]]):
        problem = rules.problem
        plans = []
        for label, owners in sorted(problem.labels.items()):
            if not any(c in themes_of for c in owners):
                continue  # the label's companies are in another part of the problem
            members = [problem.by_id[c] for c in owners]
            for theme in problem.label_themes[label]:
                if label in problem.locked:
                    candidates = owners
                else:
                    joiners = tuple(
                        cid
                        for cid, themes in sorted(themes_of.items())
                        if cid not in owners
                        and theme in themes
                        and all(rules.compatible(m, problem.by_id[cid]) for m in members)
                    )
                    candidates = owners + joiners
                plans.append(SlotPlan(theme, None, candidates, label=label, owners=owners))
        return plans

    def encode(self, ctx: ModelContext) -> None:
        """Each pin's constraints; when explaining, each pin has a literal of its own."""
        seats: dict[str, dict[int, object]] = {}
        for slot in ctx.slots:
            for cid, var in slot.x.items():
                seats.setdefault(cid, {})[slot.index] = var

        def in_labels(labels: set[str], cid: str) -> list:
            return [seats[cid][s.index] for s in ctx.slots if s.label in labels and cid in s.x]

        # A label is one group: of its slots (one per theme it may have) one at most opens.
        for label in ctx.problem.labels:
            ctx.model.add_at_most_one(s.active for s in ctx.slots if s.label == label)
        for number, pin in enumerate(ctx.problem.pins):
            if pin.kind in (PinKind.GROUP, PinKind.GROUPS) and pin.company_id not in seats:
                continue  # the company is in another part of the problem
            guard = ctx.guard("pin", str(number))
            constraints = []
            if pin.kind == PinKind.GROUP:
                constraints.append(
                    ctx.model.add(sum(in_labels({pin.group_id}, pin.company_id)) == 1)
                )
            elif pin.kind == PinKind.GROUPS:
                constraints.append(
                    ctx.model.add(sum(in_labels(set(pin.groups), pin.company_id)) == 1)
                )
            elif pin.kind == PinKind.LOCK:
                owners = set(ctx.problem.labels[pin.group_id])
                constraints += [
                    ctx.model.add(var == 0)
                    for slot in ctx.slots
                    if slot.label == pin.group_id
                    for cid, var in slot.x.items()
                    if cid not in owners
                ]
            else:
                a, b = pin.company_id, pin.partner
                for index in set(seats.get(a, {})) | set(seats.get(b, {})):
                    x_a, x_b = seats.get(a, {}).get(index, 0), seats.get(b, {}).get(index, 0)
                    together = pin.kind == PinKind.TOGETHER
                    constraints.append(ctx.model.add(x_a == x_b if together else x_a + x_b <= 1))
            if guard is not None:
                for constraint in constraints:
                    constraint.only_enforce_if(guard)


def _label_of(problem: Problem, company_id: str) -> str | None:
    return next((label for label, ids in problem.labels.items() if company_id in ids), None)
