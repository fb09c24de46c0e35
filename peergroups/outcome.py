"""A plan's outcome in a coordinator's words: how many are placed, how many on their primary
goal, how wide the maturity bands are."""

from dataclasses import dataclass

from peergroups.model import Grouping, Problem


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
        placed = [(g, cid) for g in grouping.groups for cid in g.members if cid in problem.by_id]
        primary = sum(1 for g, cid in placed if problem.by_id[cid].goals[:1] == (g.theme,))
        # Each group's maturity spread as `GroupFacts` has it, without the other facts (a
        # stopped run of 100,000 companies prints this within its seconds).
        spreads = []
        for group in grouping.groups:
            maturities = [problem.by_id[c].maturity for c in group.members if c in problem.by_id]
            if maturities:
                spreads.append(round(max(maturities) - min(maturities), 1))
        return cls(
            companies=len(problem.companies),
            placed=len(placed),
            primary=primary,
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
