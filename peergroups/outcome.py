"""A plan's outcome in a coordinator's words: how many are placed, how many on their primary
goal, how wide the maturity bands are."""

from dataclasses import dataclass

from peergroups.model import Grouping, Problem, group_facts


@dataclass(frozen=True)
class Outcome:
    companies: int
    placed: int
    primary: int
    """Placed companies whose group's theme is their first-ranked goal."""
    mean_spread: float | None
    """The groups' mean maturity spread (max - min), in points."""
    widest_spread: float | None

    @classmethod
    def of(cls, problem: Problem, grouping: Grouping) -> "Outcome":
        # Each group's facts as groups.csv has them (remembered from writing it: a stopped
        # run of 100,000 companies prints this within its moments).
        facts = group_facts(problem, grouping)
        spreads = [f.maturity_spread for f in facts if f.maturity_spread is not None]
        return cls(
            companies=len(problem.companies),
            placed=sum(f.known for f in facts),
            primary=sum(f.on_first_goal for f in facts),
            mean_spread=round(sum(spreads) / len(spreads), 1) if spreads else None,
            widest_spread=max(spreads) if spreads else None,
        )

    def lines(self) -> list[str]:
        """The outcome as the summary prints it."""
        share = f" ({100 * self.primary / self.placed:.0f} %)" if self.placed else ""
        found = [
            f"placed       {self.placed} of {self.companies}",
            f"primary goal {self.primary} of the {self.placed} placed are in a group of their "
            f"first-ranked goal{share}",
        ]
        if self.mean_spread is not None:
            found.append(
                f"spread       maturity bands {self.mean_spread:g} points wide on average, "
                f"the widest {self.widest_spread:g}"
            )
        return found
