"""Each group's share of the final check, worked out by the workers that form the groups.

A group's suggested chair and scribe, the verdicts of the rules that judge a group by its
members, its costs, the facilitators who may run it and the facts groups.csv shows of it
depend on its theme and members alone. For 100,000 companies (about 11,000 groups) they take
seconds, which a stopped run does not have. So each worker prepares the groups of the plans
it returns (a first plan, the groups a search formed anew) and the process that checks the
plan learns them (`solver.parallel`); its final check then prepares only what it does not
know, and its answers are the same either way.
"""

from dataclasses import dataclass

from peergroups.model import Group, GroupFacts, Problem, remember_facts
from peergroups.suggestions import chair_and_scribe
from solver.facilitation import Offer, Staffing
from solver.objective import ChosenGroup, RememberingObjective
from solver.rules import Rule, Violation
from solver.scenario import Scenario

Key = tuple[str, tuple[str, ...]]
"""A group by its theme and its sorted member ids."""


@dataclass(frozen=True)
class Prepared:
    """One group's answers."""

    chair: str | None
    scribe: str | None
    verdicts: tuple[tuple[str, ...], ...]
    """The messages of each rule that judges a group by its members (`Groundwork.judging`)."""
    offer: Offer | None
    """Who may facilitate it (None without facilitators)."""
    costs: tuple[int, ...]
    """Its cost under each rule whose term is a sum over groups
    (`RememberingObjective.remember`)."""
    lowest: float
    """Its members' lowest maturity (groups are named in order of theme, then this)."""
    facts: GroupFacts
    """What groups.csv and the report say of it."""


class Groundwork:
    """The prepared groups of one run."""

    def __init__(self, problem: Problem, scenario: Scenario) -> None:
        self.problem = problem
        self.judging = [rule for rule in scenario.active_rules if type(rule).check is Rule.check]
        """The rules that judge each group by its theme and members alone, whoever
        facilitates it (`solver.checks.member_verdicts`)."""
        self.staffing = (
            Staffing(problem, scenario.facilitation_rules) if problem.facilitators else None
        )
        self.objective = RememberingObjective(problem, scenario.grouping_rules, scenario.priorities)
        self._prepared: dict[Key, Prepared] = {}

    def of(self, theme: str, members: list[str] | tuple[str, ...]) -> Prepared:
        """The group's prepared answers, worked out now if they are not yet."""
        key = (theme, tuple(sorted(members)))
        found = self._prepared.get(key)
        if found is None:
            found = self._prepared[key] = self._prepare(*key)
        return found

    def _prepare(self, theme: str, members: tuple[str, ...]) -> Prepared:
        problem = self.problem
        crew = [problem.by_id[cid] for cid in members if cid in problem.by_id]
        chair, scribe = chair_and_scribe(crew)
        return Prepared(
            chair=chair,
            scribe=scribe,
            verdicts=tuple(
                tuple(rule.group_violations(problem, theme, crew)) for rule in self.judging
            ),
            offer=None if self.staffing is None else self.staffing.offer(theme, crew),
            costs=self.objective.remember(theme, members, crew),
            lowest=min((c.maturity for c in crew), default=0.0),
            facts=GroupFacts.of(problem, Group.model_construct(theme=theme, members=members)),
        )

    def answers(self, groups: list[ChosenGroup]) -> dict[Key, Prepared]:
        """The groups prepared here, for the process that checks the plan (`learn` takes
        them there)."""
        return {
            (theme, key): self.of(theme, key)
            for theme, key in ((theme, tuple(sorted(members))) for theme, members in groups)
        }

    def learn(self, answers: dict[Key, Prepared]) -> None:
        """Groups prepared in another process."""
        for (theme, members), prepared in answers.items():
            self._prepared.setdefault((theme, members), prepared)
            self.objective.learn(theme, members, prepared.costs)
        remember_facts(self.problem, {key: prepared.facts for key, prepared in answers.items()})

    def verdicts(self, groups: tuple[Group, ...], rules: list[Rule]) -> dict[int, list[Violation]]:
        """`solver.checks.member_verdicts` of the groups under `rules`, from their prepared
        answers (the same violations, in the same order)."""
        numbers = {
            place: number
            for number, rule in enumerate(rules)
            for place, judge in enumerate(self.judging)
            if judge is rule
        }
        found: dict[int, list[Violation]] = {number: [] for number in sorted(numbers.values())}
        for group in groups:
            answers = self.of(group.theme, group.members)
            if not any(answers.verdicts):  # most groups: nothing to say
                continue
            for place, messages in enumerate(answers.verdicts):
                if place in numbers:
                    found[numbers[place]] += [
                        Violation(rule=self.judging[place].kind, group_id=group.group_id, message=m)
                        for m in messages
                    ]
        return found
