"""Continuity when a plan is repaired: keep the groups meeting now (`Problem.current`).

Each current group L gets a labelled slot with its theme; its remaining members (the owners
O_L) may stay there, anyone compatible may join. A company moves when it leaves its group:

    moves      = Σ_L Σ_{c in O_L} (1 - Σ_{s labelled L} x_{c,s})             (priority 0.5)
    new_groups = Σ_{s not labelled} active_s,  when there are current groups  (priority 0.6)

So, after placing as many companies as possible, a repair moves as few companies as the
rules allow, then fills open seats in the current groups before it opens new ones.
"""

from peergroups.model import Problem
from solver.context import ModelContext, SlotPlan
from solver.rules.base import Rule, RuleSet, register


@register
class Continuity(Rule):
    kind = "continuity"
    default_position = 30
    label = {
        "en": "A repair moves as few companies as the rules allow",
        "fi": "Korjaus siirtää niin vähän yrityksiä kuin säännöt sallivat",
    }
    summary = "A repair keeps the current groups: as few companies move as the rules allow."
    term = "moves"
    priority = 0.5

    def labelled_slots(self, rules: RuleSet, themes_of: dict[str, tuple[str, ...]]):
        problem = rules.problem
        plans = []
        for group in problem.current:
            owners = tuple(c for c in group.members if c in themes_of)
            if not owners:
                continue
            joiners = tuple(
                cid
                for cid, themes in sorted(themes_of.items())
                if cid not in owners
                and group.theme in themes
                and all(rules.compatible(problem.by_id[o], problem.by_id[cid]) for o in owners)
            )
            plans.append(
                SlotPlan(group.theme, None, owners + joiners, label=group.group_id, owners=owners)
            )
        return plans

    def acts_on(self, problem: Problem) -> bool:
        return bool(problem.current)

    def plan_cost(self, problem: Problem, groups: list[tuple[str, list[str]]]) -> int:
        """Owners not in the group that continues theirs: the group of the same theme that
        holds most of them (the labelled slot, at an optimum)."""
        moves = 0
        for current in problem.current:
            owners = set(current.members) & set(problem.by_id)
            kept = max((len(owners & set(m)) for t, m in groups if t == current.theme), default=0)
            moves += len(owners) - kept
        return moves

    def cost_upper(self, problem: Problem) -> int:
        return sum(len(set(g.members) & set(problem.by_id)) for g in problem.current)

    def encode(self, ctx: ModelContext) -> None:
        current = {group.group_id for group in ctx.problem.current}
        staying = [slot.x[c] for slot in ctx.slots if slot.label in current for c in slot.owners]
        ctx.add_cost(self, self.cost_upper(ctx.problem) - sum(staying))


@register
class FillFirst(Rule):
    kind = "fill_first"
    default_position = 40
    label = {
        "en": "A repair fills open seats before opening new groups",
        "fi": "Korjaus täyttää vapaat paikat ennen uusien ryhmien avaamista",
    }
    summary = "A repair fills open seats in the current groups before it opens new groups."
    term = "new_groups"
    priority = 0.6

    def acts_on(self, problem: Problem) -> bool:
        return bool(problem.current)

    def plan_cost(self, problem: Problem, groups: list[tuple[str, list[str]]]) -> int:
        if not problem.current:
            return 0
        continuing = {
            max(
                (i for i, (t, m) in enumerate(groups) if t == g.theme and set(m) & set(g.members)),
                key=lambda i: len(set(groups[i][1]) & set(g.members)),
                default=None,
            )
            for g in problem.current
        }
        return sum(1 for i in range(len(groups)) if i not in continuing)

    def cost_upper(self, problem: Problem) -> int:
        return len(problem.companies) // 2 if problem.current else 0

    def encode(self, ctx: ModelContext) -> None:
        if ctx.problem.current:
            ctx.add_cost(self, sum(slot.active for slot in ctx.slots if slot.label is None))
