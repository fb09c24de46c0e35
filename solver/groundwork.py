"""Each group's share of the final check, worked out while the workers search.

A group's suggested chair and scribe, the verdicts of the rules that judge a group by its
members, its costs and the facilitators who may run it depend on its theme and members
alone. For 100,000 companies (about 11,000 groups) they take seconds, which a stopped run
does not have. So the groups of each first plan and each searched piece are prepared as they
arrive, in the main process while it waits for the workers (`work`); the plan's final check
then prepares only the groups the last searches changed, and its answers are the same
either way.
"""

import time
from collections import deque
from dataclasses import dataclass

from peergroups.model import Group, Problem
from peergroups.suggestions import chair_and_scribe
from solver.facilitation import Offer, Staffing
from solver.interrupt import STOP
from solver.objective import ChosenGroup, RememberingObjective
from solver.rules import Rule, Violation
from solver.scenario import Scenario

Key = tuple[str, tuple[str, ...]]
"""A group by its theme and its sorted member ids."""


@dataclass(frozen=True)
class Prepared:
    chair: str | None
    scribe: str | None
    verdicts: tuple[tuple[str, ...], ...]
    """The messages of each rule that judges a group by its members (`Groundwork.judging`)."""
    offer: Offer | None
    """Who may facilitate it (None without facilitators)."""
    costs: tuple[int, ...]
    """Its cost under each rule whose term is a sum over groups
    (`RememberingObjective.remember`)."""


class Groundwork:
    """The prepared groups of one run, and those waiting to be prepared."""

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
        self._waiting: deque[ChosenGroup] = deque()

    def expect(self, groups: list[ChosenGroup]) -> None:
        """Groups that may be in the plan: prepared when there is time, newest first."""
        self._waiting.extend(groups)

    def work(self, seconds: float) -> bool:
        """Prepare waiting groups for about `seconds` (none once a stop is requested): whether
        any are left."""
        until = time.perf_counter() + seconds
        while self._waiting and not STOP.requested and time.perf_counter() < until:
            theme, members = self._waiting.pop()
            self.of(theme, members)
        return bool(self._waiting) and not STOP.requested

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
        )

    def answers(self, groups: list[ChosenGroup]) -> dict[Key, Prepared]:
        """The groups prepared here, for the process that checks the plan (a worker's first
        plan: `learn` takes them there)."""
        return {
            (theme, key): self.of(theme, key)
            for theme, key in ((theme, tuple(sorted(members))) for theme, members in groups)
        }

    def learn(self, answers: dict[Key, Prepared]) -> None:
        """Groups prepared in another process."""
        for (theme, members), prepared in answers.items():
            self._prepared.setdefault((theme, members), prepared)
            self.objective.learn(theme, members, prepared.costs)

    def verdicts(self, groups: tuple[Group, ...], rules: list[Rule]) -> dict[int, list[Violation]]:
        """`solver.checks.member_verdicts` of the groups under `rules`, from their prepared
        answers."""
        prepared = [self.of(group.theme, group.members) for group in groups]
        return {
            number: [
                Violation(rule=rule.kind, group_id=group.group_id, message=message)
                for group, answers in zip(groups, prepared, strict=True)
                for message in answers.verdicts[place]
            ]
            for number, rule in enumerate(rules)
            for place, judge in enumerate(self.judging)
            if judge is rule
        }
