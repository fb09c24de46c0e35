"""assignments.csv as text joined from cells encoded ahead: what a row says of its company
(id, name, Y-tunnus; contact, e-mail) is encoded once per problem, before the search, and a
plan adds only where each company landed. A stopped run of 100,000 companies writes the file
within moments, without going over every company's fields again.

The text is the one `csv.writer` writes from `tables.assignment_rows` (comma, minimal
quoting, LF line ends): each cell is encoded by itself, so rows join from their parts.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from peergroups.io.columns import ASSIGNMENTS
from peergroups.model import Grouping, Problem


class _Encoder:
    """Cells as `csv.writer` writes them (its line end, which it also quotes, left off)."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")

    def __call__(self, cells: Sequence[str]) -> str:
        joined = ",".join(cells)
        if (
            joined.count(",") == len(cells) - 1  # no cell holds a comma
            and '"' not in joined
            and "\n" not in joined
            and "\r" not in joined
        ):
            return joined
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerow(cells)
        return self.buffer.getvalue()[:-1]


@dataclass(frozen=True)
class EncodedCompanies:
    """Each company's cells before and after those of the plan, in input order."""

    problem: Problem
    heads: list[str]
    """company_id, name, business_id."""
    tails: list[str]
    """contact, email."""
    position: dict[str, int]
    """A company's place in the input, by id."""
    asked: frozenset[int]
    """The places of the companies that asked for a subsidised seat."""

    @classmethod
    def of(cls, problem: Problem) -> "EncodedCompanies":
        encode = _Encoder()
        companies = problem.companies
        return cls(
            problem,
            heads=[encode((c.company_id, c.name, c.business_id or "")) for c in companies],
            tails=[encode((c.contact or "", c.email or "")) for c in companies],
            position={c.company_id: n for n, c in enumerate(companies)},
            asked=frozenset(n for n, c in enumerate(companies) if c.subsidy is not None),
        )


_last: list[EncodedCompanies] = []
"""The problem encoded last (a run writes the plans of one problem)."""


def encoded(problem: Problem) -> EncodedCompanies:
    """The problem's companies encoded (`EncodedCompanies.of`), once: a run asks before its
    search, and its plan's writer then finds them ready."""
    if not _last or _last[0].problem is not problem:
        _last[:] = [EncodedCompanies.of(problem)]
    return _last[0]


def assignments_text(
    problem: Problem, grouping: Grouping, subsidised: frozenset[str] | None = None
) -> str:
    """assignments.csv's text, as `csv.writer` writes `assignment_rows` under the header
    (without the subsidised column when no company asked for a seat, as `_filled` does).
    Each company must be in a group or left out (KeyError, ValueError otherwise)."""
    companies = encoded(problem)
    position, encode = companies.position, _Encoder()
    middles: list[str | None] = [None] * len(companies.heads)  # group, theme, role, reason
    reasons: dict[str, str] = {}  # each reason encoded once: most are shared by many
    for left_out in grouping.unassigned:
        reason = left_out.reason
        if reason not in reasons:
            reasons[reason] = encode(("", "", "", reason))
        middles[position[left_out.company_id]] = reasons[reason]
    for group in grouping.groups:
        named = encode((group.group_id, group.theme))
        member = f"{named},member,"  # roles need no quotes; the reason is empty
        roles = {group.chair: f"{named},chair,", group.scribe: f"{named},scribe,"}
        for cid in group.members:
            middles[position[cid]] = roles.get(cid, member)
    if None in middles:
        raise ValueError("a company is neither in a group nor left out")
    parts = zip(companies.heads, middles, companies.tails, strict=True)
    if subsidised is None or not companies.asked:
        header = ASSIGNMENTS.header[:-1]
        lines = [f"{head},{middle},{tail}\n" for head, middle, tail in parts]
    else:
        header = ASSIGNMENTS.header
        granted = {position[cid] for cid in subsidised if cid in position}
        asked = companies.asked
        lines = [
            f"{head},{middle},{tail},{('yes' if n in granted else 'no') if n in asked else ''}\n"
            for n, (head, middle, tail) in enumerate(parts)
        ]
    return encode(header) + "\n" + "".join(lines)
