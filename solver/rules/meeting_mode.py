"""Meeting mode: a group with an in-person member meets in person, in one region, and holds no
virtual member.

With p_s = "slot s meets in person" and reg_{s,r} = "slot s meets in region r":

    x_{c,s} => p_s                 (c in person)
    x_{c,s} => not p_s             (c virtual)
    x_{c,s} and p_s => reg_{s,r(c)}  (c hybrid or in person; no region: x_{c,s} => not p_s)
    Σ_r reg_{s,r} <= 1
"""

from peergroups.model import Company, Mode, Problem, meeting_mode
from peergroups.regions import region_name
from solver.context import ModelContext
from solver.rules.base import Rule, register


@register
class MeetingMode(Rule):
    kind = "meeting_mode"
    default_position = 90
    label = {"en": "Meeting mode and region", "fi": "Tapaamistapa ja maakunta"}
    summary = "Groups with an in-person member meet in one region, without virtual members."

    def compatible(self, problem: Problem, a: Company, b: Company) -> bool:
        if Mode.IN_PERSON not in (a.mode, b.mode):
            return True
        return (
            Mode.VIRTUAL not in (a.mode, b.mode) and a.region is not None and a.region == b.region
        )

    def locality(self, company: Company) -> str | None:
        return company.region if company.mode == Mode.IN_PERSON else None

    def pair_phrase(self, problem: Problem, company: Company) -> str:
        if company.mode == Mode.IN_PERSON and company.region is None:
            return "meeting in person (its region is missing)"
        if company.mode == Mode.IN_PERSON:
            return f"meeting in person in {region_name(company.region)}"
        return "with a compatible meeting mode"

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        if meeting_mode(members) != Mode.IN_PERSON:
            return []
        problems = [
            f"{c.company_id} is virtual-only in an in-person group"
            for c in members
            if c.mode == Mode.VIRTUAL
        ]
        problems += [
            f"{c.company_id} has no region, so it cannot meet in person"
            for c in members
            if c.mode != Mode.VIRTUAL and c.region is None
        ]
        regions = sorted({c.region for c in members if c.mode != Mode.VIRTUAL and c.region})
        if len(regions) > 1:
            problems.append(f"an in-person group spans regions {', '.join(regions)}")
        return problems

    def encode(self, ctx: ModelContext) -> None:
        for slot in ctx.slots:
            candidates = slot.candidates(ctx.problem)
            if not any(c.mode == Mode.IN_PERSON for c in candidates):
                continue
            in_person = ctx.model.new_bool_var(f"in_person_{slot.index}")
            regions = sorted({c.region for c in candidates if c.region and c.mode != Mode.VIRTUAL})
            meets_in = {r: ctx.model.new_bool_var(f"region_{r}_{slot.index}") for r in regions}
            ctx.model.add_at_most_one(meets_in.values())
            for c in candidates:
                x = slot.x[c.company_id]
                if c.mode == Mode.IN_PERSON:
                    ctx.model.add_implication(x, in_person)
                if c.mode == Mode.VIRTUAL or c.region is None:
                    ctx.model.add_implication(x, ~in_person)
                else:
                    ctx.model.add_bool_or([~x, ~in_person, meets_in[c.region]])
