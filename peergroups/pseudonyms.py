"""Pseudonymised plans, for sharing outside the programme office.

Every company id and name in the outputs becomes a pseudonym such as `K-3F9A21`, derived
with HMAC-SHA256 from the company id and a secret kept in a separate key file: the same key
file gives every company the same pseudonym in every run, and without it the pseudonyms
cannot be traced back (a plain hash of a Y-tunnus could be, by trying all ten million). The
key file maps each pseudonym to the company id and name; keep it in the programme office.

The key file is checked before any work, created readable by its owner only (mode 0600 from
the first byte), and merged: a key reused for another cohort keeps every earlier mapping.
"""

import hashlib
import hmac
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from peergroups.model import Grouping, Problem

PREFIX = "K-"
_SECRET = re.compile(r"[0-9a-f]{64}")


class BadKey(ValueError):
    """The key file is not a pseudonym key (its message says why, naming the file)."""


@dataclass(frozen=True)
class PseudonymKey:
    secret: str
    path: Path
    entries: tuple[dict[str, str], ...] = field(default=())
    """The mappings the file held when opened (kept when it is saved again)."""

    @classmethod
    def open(cls, path: Path) -> "PseudonymKey":
        """The key in `path`, or a new one (a fresh random secret) when the file is absent;
        BadKey when the file is not a key."""
        path = Path(path)
        if not path.exists() and not path.is_symlink():
            return cls(secrets.token_hex(32), path)
        data = _key_data(path)
        return cls(data["secret"], path, tuple(data["companies"]))

    def original(self, pseudonym: str) -> str | None:
        """The company id behind a pseudonym, as the file records it."""
        return next((e["company_id"] for e in self.entries if e["pseudonym"] == pseudonym), None)

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
        """Write the key file: the secret and every pseudonym's company id and name, the
        earlier ones kept (a company's newer name wins). The file is written beside the key,
        mode 0600 from its creation, and replaces it in one step."""
        merged = {e["company_id"]: e for e in self.entries}
        for c in problem.companies:
            merged[c.company_id] = {
                "pseudonym": self.pseudonym(c.company_id),
                "company_id": c.company_id,
                "name": c.name,
            }
        entries = [merged[k] for k in sorted(merged)]
        text = json.dumps(
            {"secret": self.secret, "companies": entries}, indent=2, ensure_ascii=False
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}.tmp")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text + "\n")
            os.replace(temporary, self.path)
        finally:
            temporary.unlink(missing_ok=True)


def _key_data(path: Path) -> dict[str, Any]:
    """The key file's contents, checked."""

    def bad(reason: str) -> BadKey:
        return BadKey(f"{path}: not a pseudonym key file ({reason})")

    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise bad("not a regular file")
        if os.stat(path).st_size > 64 * 2**20:
            raise bad("larger than 64 MiB")
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise bad(error.strerror or str(error)) from None
    except UnicodeDecodeError:
        raise bad("not UTF-8 text") from None
    except ValueError as error:
        raise bad(f"not JSON: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("secret"), str):
        raise bad("no secret")
    if not _SECRET.fullmatch(data["secret"]):
        raise bad("the secret is not 64 hexadecimal digits")
    companies = data.get("companies", [])
    fields = ("pseudonym", "company_id", "name")
    if not isinstance(companies, list) or not all(
        isinstance(e, dict) and all(isinstance(e.get(f), str) for f in fields) for e in companies
    ):
        raise bad("companies: each entry needs pseudonym, company_id and name")
    return data


def reveal(grouping: Grouping, key: PseudonymKey, problem: Problem) -> Grouping:
    """A pseudonymised plan's grouping with the company ids of `problem` back in place."""
    back = {key.pseudonym(c.company_id): c.company_id for c in problem.companies}

    def real(name: str | None) -> str | None:
        return back.get(name, name) if name else name

    groups = tuple(
        g.model_copy(
            update={
                "members": tuple(back.get(m, m) for m in g.members),
                "chair": real(g.chair),
                "scribe": real(g.scribe),
            }
        )
        for g in grouping.groups
    )
    unassigned = tuple(
        u.model_copy(update={"company_id": back.get(u.company_id, u.company_id)})
        for u in grouping.unassigned
    )
    return Grouping(groups=groups, unassigned=unassigned)


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


def pseudonymise_rounds(
    problem: Problem, groupings: list[Grouping], key: PseudonymKey
) -> tuple[Problem, list[Grouping]]:
    """Several rounds of one cohort pseudonymised alike: a company has one pseudonym in
    every round, so that who meets whom again still shows."""
    shared, _ = pseudonymise(problem, Grouping(), key)
    return shared, [pseudonymise(problem, grouping, key)[1] for grouping in groupings]


def pseudonymise_summary(summary: dict[str, Any], problem: Problem, key: PseudonymKey) -> dict:
    """The summary with the company ids its programme section lists (findings, subsidised
    seats) replaced by their pseudonyms, in each round's summary too (`rounds_detail`)."""
    alias = {c.company_id: key.pseudonym(c.company_id) for c in problem.companies}

    def swap(value: Any) -> Any:
        if isinstance(value, str):
            return alias.get(value, value)
        if isinstance(value, list):
            return [swap(v) for v in value]
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        return value

    found = summary
    if "programme" in summary:
        found = found | {"programme": swap(summary["programme"])}
    if isinstance(summary.get("rounds_detail"), list):
        detail = [pseudonymise_summary(d, problem, key) for d in summary["rounds_detail"]]
        found = found | {"rounds_detail": detail}
    return found
