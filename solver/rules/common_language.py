"""Common language: the members of a group share at least one language.

One working-language literal per slot and language, at most one chosen:

    Σ_l lang_{s,l} <= 1,      x_{c,s} => OR_{l in languages(c)} lang_{s,l}

Slots whose candidates all speak one language need nothing.
"""

from peergroups.model import Company, Problem, common_languages
from solver.context import ModelContext
from solver.rules.base import Rule, register


@register
class CommonLanguage(Rule):
    kind = "common_language"
    default_position = 80
    label = {"en": "A language every member speaks", "fi": "Kieli, jota jokainen jäsen puhuu"}
    summary = "The members of a group share at least one language."

    def partition_keys(self, company: Company) -> frozenset[str] | None:
        return frozenset(company.languages)

    def compatible(self, problem: Problem, a: Company, b: Company) -> bool:
        return bool(set(a.languages) & set(b.languages))

    def pair_phrase(self, problem: Problem, company: Company) -> str:
        return f"speaking {' or '.join(company.languages)}"

    def group_violations(self, problem: Problem, theme: str, members: list[Company]) -> list[str]:
        if not members or common_languages(members):
            return []
        spoken = ", ".join(f"{c.company_id} {'|'.join(c.languages)}" for c in members)
        return [f"members share no language ({spoken})"]

    def encode(self, ctx: ModelContext) -> None:
        for slot in ctx.slots:
            candidates = slot.candidates(ctx.problem)
            if common_languages(candidates):
                continue
            spoken = sorted({lang for c in candidates for lang in c.languages})
            lang = {code: ctx.model.new_bool_var(f"lang_{code}_{slot.index}") for code in spoken}
            ctx.model.add_at_most_one(lang.values())
            for c in candidates:
                ctx.model.add_bool_or([lang[code] for code in c.languages]).only_enforce_if(
                    slot.x[c.company_id]
                )
