"""Chair and scribe suggestions for a group: shown to facilitators, never forced.

The chair comes from the members willing to chair, the most senior role tier first (then the
highest maturity, then the id, so the suggestion is stable). The scribe is the member least
likely to chair: the lowest tier among the others, preferring those not willing to chair.
"""

from peergroups.model import Company, Group, Problem


def suggest_chair_and_scribe(problem: Problem, group: Group) -> tuple[str | None, str | None]:
    return chair_and_scribe([problem.by_id[cid] for cid in group.members])


def chair_and_scribe(members: list[Company]) -> tuple[str | None, str | None]:
    """The suggestions for a group of these members."""
    willing = [c for c in members if c.willing_to_chair]
    chair = min(willing, key=lambda c: (-c.tier, -c.maturity, c.company_id), default=None)
    others = [c for c in members if c is not chair]
    scribe = min(others, key=_scribe_order, default=None)
    return (chair.company_id if chair else None, scribe.company_id if scribe else None)


def _scribe_order(company: Company) -> tuple:
    return (company.tier, company.willing_to_chair, company.company_id)
