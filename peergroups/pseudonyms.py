"""Pseudonymised plans, for sharing outside the programme office.

Every company id and name in the outputs becomes a pseudonym such as `K-3F9A21`, derived
with HMAC-SHA256 from the company id and a secret kept in a separate key file: the same key
file gives every company the same pseudonym in every run, and without it the pseudonyms
cannot be traced back (a plain hash of a Y-tunnus could be, by trying all ten million). The
key file maps each pseudonym to the company id and name; keep it in the programme office.
"""

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peergroups.model import Grouping, Problem

PREFIX = "K-"


@dataclass(frozen=True)
class PseudonymKey:
    secret: str
    path: Path

    @classmethod
    def open(cls, path: Path) -> "PseudonymKey":
        """The key in `path`, or a new one (a fresh random secret) when the file is absent."""
        if path.exists():
            return cls(json.loads(path.read_text(encoding="utf-8"))["secret"], path)
        return cls(secrets.token_hex(32), path)

    def pseudonym(self, company_id: str) -> str:
        digest = hmac.new(self.secret.encode(), company_id.encode(), hashlib.sha256).hexdigest()
        return PREFIX + digest[:8].upper()

    def in_text(self, text: str, company_ids: list[str]) -> str:
        """`text` with every company id in it (as a whole word) replaced by its pseudonym."""
        for company_id in sorted(company_ids, key=len, reverse=True):
            pattern = rf"(?<![\w-]){re.escape(company_id)}(?![\w-])"
            text = re.sub(pattern, self.pseudonym(company_id), text)
        return text

    def save(self, problem: Problem) -> None:
        """Write the key file: the secret and every pseudonym's company id and name."""
        entries = [
            {"pseudonym": self.pseudonym(c.company_id), "company_id": c.company_id, "name": c.name}
            for c in problem.companies
        ]
        text = json.dumps(
            {"secret": self.secret, "companies": entries}, indent=2, ensure_ascii=False
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(text + "\n", encoding="utf-8")
        self.path.chmod(0o600)


def pseudonymise(
    problem: Problem, grouping: Grouping, key: PseudonymKey
) -> tuple[Problem, Grouping]:
    """The same plan with every company id and name replaced by its pseudonym, and the
    Y-tunnus, contact person and e-mail left out."""
    alias = {c.company_id: key.pseudonym(c.company_id) for c in problem.companies}
    if len(set(alias.values())) != len(alias):
        raise ValueError("two companies share a pseudonym; use a new key file")
    companies = tuple(
        c.model_copy(
            update={
                "company_id": alias[c.company_id],
                "name": alias[c.company_id],
                "business_id": None,
                "contact": None,
                "email": None,
            }
        )
        for c in problem.companies
    )
    relations = tuple(
        r.model_copy(update={"company_a": alias[r.company_a], "company_b": alias[r.company_b]})
        for r in problem.relations
    )
    facilitators = tuple(
        f.model_copy(update={"conflicts": tuple(alias.get(c, c) for c in f.conflicts)})
        for f in problem.facilitators
    )
    groups = tuple(
        g.model_copy(
            update={
                "members": tuple(alias[c] for c in g.members),
                "chair": alias.get(g.chair) if g.chair else None,
                "scribe": alias.get(g.scribe) if g.scribe else None,
            }
        )
        for g in grouping.groups
    )
    unassigned = tuple(
        u.model_copy(update={"company_id": alias[u.company_id]}) for u in grouping.unassigned
    )
    return (
        Problem(companies=companies, relations=relations, facilitators=facilitators),
        Grouping(groups=groups, unassigned=unassigned),
    )


def pseudonymise_summary(summary: dict[str, Any], problem: Problem, key: PseudonymKey) -> dict:
    """The summary with the company ids its programme section lists (findings, subsidised
    seats) replaced by their pseudonyms."""
    alias = {c.company_id: key.pseudonym(c.company_id) for c in problem.companies}

    def swap(value: Any) -> Any:
        if isinstance(value, str):
            return alias.get(value, value)
        if isinstance(value, list):
            return [swap(v) for v in value]
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        return value

    if "programme" not in summary:
        return summary
    return summary | {"programme": swap(summary["programme"])}
