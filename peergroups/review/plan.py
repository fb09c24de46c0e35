"""A plan under review: the solver's plan plus the reviewer's moves, judged by the solver's
own rules after every change.

`Review` replays the moves kept in the `Store` over the plan as the solver wrote it, applies
new ones, and asks the `Judge` (the solver's check, objective and re-optimisation, handed in
by the command line: this package never imports the solver) what the change breaks and how
it moves each objective term. Everything here is plain Python over `Grouping`s; the web layer
(`app`) only translates requests into these calls.
"""

import re
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from peergroups.model import Group, Grouping, Problem, Unassigned
from peergroups.review.store import Comment, Move, Store, now

MOVED_OUT = "taken out by the reviewer"
NEW_PREFIX = "N"
"""Groups the reviewer opens are named N1, N2 ... (the solver's are G...)."""


class Finding(Protocol):
    """A broken rule, as the solver's `Violation` has it."""

    rule: str
    group_id: str | None
    message: str


Progress = Callable[[str], None]


@dataclass(frozen=True)
class Judge:
    """The solver's functions a review needs, as plain callables (see the module docstring).

    - `check(grouping)`: every rule in force over the plan, as `peergroups check` runs them;
    - `terms(grouping)`: `placed` and every objective term;
    - `score(terms)`: the terms folded into one number, higher is better;
    - `reoptimise(grouping, locked, progress)`: a new plan that keeps the locked groups
      exactly as they are (pins of kind `lock`) and re-optimises the rest;
    - `stop()`: ends a running re-optimisation soon (it returns its best plan so far);
    - `check_changed(grouping, changed)`, optional, the fast path of `check` after a move:
      (the violations of the rules that judge each group alone, in the changed groups only;
      every other violation in the whole plan). A save runs the full `check` again.
    """

    check: Callable[[Grouping], Sequence[Finding]]
    terms: Callable[[Grouping], dict[str, int]]
    score: Callable[[dict[str, int]], int]
    reoptimise: Callable[[Grouping, frozenset[str], Progress], Grouping] | None = None
    stop: Callable[[], None] = lambda: None
    check_changed: (
        Callable[[Grouping, set[str]], tuple[Sequence[Finding], Sequence[Finding]]] | None
    ) = None


class BadRequest(Exception):
    """A request the plan cannot take (unknown company, a company placed twice ...): 4xx."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Verdict:
    """What a change did: the groups it touched, every violation now, the terms before and
    after, and for each broken group the companies that break it."""

    changed: list[str]
    findings: dict[str, list[dict[str, Any]]]
    plan_findings: list[str]
    terms: dict[str, tuple[int, int]]
    score_change: int
    moved: list[str] = field(default_factory=list)
    unassigned_changed: bool = True
    """Did a company leave or join the unassigned?"""


_ID = re.compile(r"[\w.-]+")


class Review:
    def __init__(
        self,
        problem: Problem,
        plan: Grouping,
        store: Store,
        judge: Judge,
        reviewer: str,
    ) -> None:
        self.problem, self.plan, self.store, self.judge = problem, plan, store, judge
        self.reviewer = reviewer
        self.lock = threading.RLock()
        self.job: Reoptimisation | None = None
        self._rebuild()
        self.original_terms = judge.terms(plan)
        self.culprits: dict[str, set[str]] = {}
        self.local: dict[str, list[Finding]] | None = None
        """Per group, the violations of the rules that judge each group alone (fast path)."""
        self._judge_now(moved=[])

    # --- state ----------------------------------------------------------------------------------

    def _rebuild(self) -> None:
        """The plan as the solver wrote it, then every move in force, in order."""
        self.groups: dict[str, Group] = {g.group_id: g for g in self.plan.groups}
        self.unassigned: dict[str, str] = {u.company_id: u.reason for u in self.plan.unassigned}
        self.where: dict[str, str | None] = {
            cid: g.group_id for g in self.plan.groups for cid in g.members
        }
        self.where.update(dict.fromkeys(self.unassigned))
        for move in self.store.moves():
            self._apply(move)

    def _apply(self, move: Move) -> None:
        cid = move.company_id
        source = self.where.get(cid)
        if source is not None:
            group = self.groups[source]
            members = tuple(m for m in group.members if m != cid)
            if members:
                update: dict[str, Any] = {"members": members}
                if group.chair == cid:
                    update["chair"] = None
                if group.scribe == cid:
                    update["scribe"] = None
                self.groups[source] = group.model_copy(update=update)
            else:
                del self.groups[source]
        else:
            self.unassigned.pop(cid, None)
        if move.to_group is None:
            self.unassigned[cid] = f"{MOVED_OUT} ({move.reviewer})" if move.reviewer else MOVED_OUT
        elif move.to_group in self.groups:
            group = self.groups[move.to_group]
            self.groups[move.to_group] = group.model_copy(update={"members": (*group.members, cid)})
        else:
            self.groups[move.to_group] = Group(
                group_id=move.to_group,
                theme=move.theme or "",
                members=(cid,),
                facilitator_id=move.facilitator_id,
            )
        self.where[cid] = move.to_group

    def grouping(self) -> Grouping:
        """The plan as it stands, groups in name order, unassigned in input order."""
        return Grouping(
            groups=tuple(self.groups[gid] for gid in sorted(self.groups, key=_natural)),
            unassigned=tuple(
                Unassigned(company_id=c.company_id, reason=self.unassigned[c.company_id])
                for c in self.problem.companies
                if c.company_id in self.unassigned
            ),
        )

    @property
    def version(self) -> int:
        return self.store.version

    def locks(self) -> set[str]:
        return self.store.locks() & set(self.groups)

    # --- judging --------------------------------------------------------------------------------

    def _findings(self, grouping: Grouping, changed: set[str] | None) -> list[Finding]:
        """Every violation of the plan: on the fast path the changed groups' own verdicts
        and the plan-wide ones are new, the other groups keep theirs (None: all new)."""
        judge = self.judge
        if judge.check_changed is None:
            return list(judge.check(grouping))
        if changed is None or self.local is None:
            changed, self.local = set(self.groups), {}
        local, whole = judge.check_changed(grouping, changed)
        for gid in changed | (set(self.local) - set(self.groups)):
            self.local.pop(gid, None)
        for finding in local:
            self.local.setdefault(finding.group_id or "", []).append(finding)
        return [f for gid in self.local for f in self.local[gid]] + list(whole)

    def full_check(self) -> list[Finding]:
        """The slow obvious check of the whole plan, which a save writes (and which guards
        the fast path: the page then shows exactly what it says)."""
        findings = list(self.judge.check(self.grouping()))
        self.local = None
        self._judge_now(moved=[])
        return findings

    def _judge_now(
        self, moved: list[str], changed: Sequence[str] = (), full: bool = True
    ) -> Verdict:
        grouping = self.grouping()
        before = getattr(self, "terms", self.original_terms)
        self.terms = self.judge.terms(grouping)
        findings: dict[str, list[dict[str, Any]]] = {}
        plan_findings = []
        culprits: dict[str, set[str]] = {}
        for finding in self._findings(grouping, None if full else set(changed)):
            group = self.groups.get(finding.group_id or "")
            if group is None:
                plan_findings.append(f"{finding.message} [{finding.rule}]")
                continue
            named = set(_ID.findall(finding.message)) & set(group.members)
            breakers = named or {cid for cid in moved if cid in group.members}
            findings.setdefault(group.group_id, []).append(
                {"rule": finding.rule, "message": finding.message, "companies": sorted(breakers)}
            )
            culprits.setdefault(group.group_id, set()).update(breakers)
        self.findings, self.plan_findings, self.culprits = findings, plan_findings, culprits
        return Verdict(
            changed=list(changed),
            findings=findings,
            plan_findings=plan_findings,
            terms={name: (before.get(name, 0), self.terms[name]) for name in self.terms},
            score_change=self.judge.score(self.terms) - self.judge.score(before),
            moved=moved,
        )

    def term_changes(self) -> dict[str, tuple[int, int]]:
        """Each term in the solver's plan and now."""
        return {name: (self.original_terms.get(name, 0), v) for name, v in self.terms.items()}

    def score_change(self) -> int:
        return self.judge.score(self.terms) - self.judge.score(self.original_terms)

    # --- changes --------------------------------------------------------------------------------

    def location(self, company_id: str) -> str | None:
        if company_id not in self.where:
            raise BadRequest(f"no company {company_id} in this plan", 404)
        return self.where[company_id]

    def new_group_id(self) -> str:
        used = set(self.groups) | {m.to_group for m in self.store.moves() if m.to_group}
        used |= {g.group_id for g in self.plan.groups}
        number = 1
        while f"{NEW_PREFIX}{number}" in used:
            number += 1
        return f"{NEW_PREFIX}{number}"

    def planned_move(
        self,
        company_id: str,
        from_group: str | None,
        to_group: str | None,
        new: bool = False,
        theme: str | None = None,
        facilitator_id: str | None = None,
    ) -> Move:
        """A move checked against the plan as it stands: the company is where the page says,
        and goes to a group that exists (or a new one, of a theme among its goals)."""
        here = self.location(company_id)
        if here != from_group:
            raise BadRequest(
                f"{company_id} is in {here or 'no group'}, not in {from_group or 'no group'}",
                409,
            )
        if new:
            company = self.problem.by_id[company_id]
            theme = theme or company.goals[0]
            if theme not in company.goals:
                raise BadRequest(f"{theme} is not among the goals of {company_id}")
            return Move(company_id, here, self.new_group_id(), theme, facilitator_id)
        if to_group is not None and to_group not in self.groups:
            raise BadRequest(f"no group {to_group} in this plan", 404)
        if to_group == here:
            raise BadRequest(f"{company_id} is already in {here or 'no group'}")
        target = self.groups.get(to_group or "")
        return Move(
            company_id,
            here,
            to_group,
            None if target is None else target.theme,
            None if target is None else target.facilitator_id,
        )

    def move(
        self, version: int, moves: list[Move], note: str = "", reviewer: str | None = None
    ) -> Verdict:
        """Apply one batch of moves on `version` (Stale if the store moved on), made by
        `reviewer` (by default the one who started the review)."""
        who = reviewer or self.reviewer
        with self.lock, self.store.write(version):
            self.store.add_moves(
                [Move(**{**m.__dict__, "note": m.note or note}) for m in moves], who
            )
            for m in moves:
                self._apply(
                    Move(
                        m.company_id,
                        m.from_group,
                        m.to_group,
                        m.theme,
                        m.facilitator_id,
                        reviewer=who,
                    )
                )
        changed = {g for m in moves for g in (m.from_group, m.to_group) if g}
        verdict = self._judge_now([m.company_id for m in moves], sorted(changed), full=False)
        verdict.unassigned_changed = any(None in (m.from_group, m.to_group) for m in moves)
        return verdict

    def undo(self, version: int) -> Verdict:
        return self._replay(version, self.store.undo)

    def redo(self, version: int) -> Verdict:
        return self._replay(version, self.store.redo)

    def _replay(self, version: int, step: Callable[[], list[Move]]) -> Verdict:
        with self.lock, self.store.write(version):
            moves = step()
            if not moves:
                raise BadRequest("nothing to undo or redo", 409)
            self._rebuild()
        changed = {g for m in moves for g in (m.from_group, m.to_group) if g}
        return self._judge_now([m.company_id for m in moves], sorted(changed))

    def comment(
        self,
        version: int,
        text: str,
        company_id: str | None,
        group_id: str | None,
        reviewer: str | None = None,
    ) -> Comment:
        text = text.strip()
        if not text:
            raise BadRequest("a comment needs some text")
        if len(text) > 2000:
            raise BadRequest("a comment holds at most 2000 characters")
        if company_id is not None:
            self.location(company_id)
        if group_id is not None and group_id not in self.groups:
            raise BadRequest(f"no group {group_id} in this plan", 404)
        if (company_id is None) == (group_id is None):
            raise BadRequest("a comment is on one company or one group")
        comment = Comment(now(), reviewer or self.reviewer, company_id, group_id, text)
        with self.lock, self.store.write(version):
            self.store.add_comment(comment)
        return comment

    def set_lock(self, version: int, group_id: str, locked: bool) -> None:
        if group_id not in self.groups:
            raise BadRequest(f"no group {group_id} in this plan", 404)
        with self.lock, self.store.write(version):
            self.store.set_lock(group_id, locked)

    # --- the review log -------------------------------------------------------------------------

    def log_rows(self) -> list[dict[str, str]]:
        """One row per move in force and per comment, in time order (review_log.csv)."""
        rows = [
            {
                "time": m.time,
                "reviewer": m.reviewer,
                "company_id": m.company_id,
                "from_group": m.from_group or "",
                "to_group": m.to_group or "",
                "comment": m.note,
            }
            for m in self.store.moves()
        ]
        rows += [
            {
                "time": c.time,
                "reviewer": c.reviewer,
                "company_id": c.company_id or "",
                "from_group": c.group_id or "",
                "to_group": c.group_id or "",
                "comment": c.text,
            }
            for c in self.store.comments()
        ]
        return sorted(rows, key=lambda row: row["time"])

    # --- re-optimising the unlocked groups -----------------------------------------------------

    def start_reoptimise(self) -> "Reoptimisation":
        if self.judge.reoptimise is None:
            raise BadRequest("re-optimising is not available here", 409)
        if self.job is not None and self.job.state == "running":
            raise BadRequest("a re-optimisation is already running", 409)
        self.job = Reoptimisation(self, self.version)
        self.job.start()
        return self.job

    def stop(self) -> None:
        """End a running re-optimisation (the server is stopping)."""
        if self.job is not None and self.job.state == "running":
            self.job.state = "discarded"
            self.judge.stop()
            self.job.thread.join(timeout=30)


class Reoptimisation:
    """The solver re-optimising the unlocked groups in a thread; `diff` once it is done."""

    def __init__(self, review: Review, version: int) -> None:
        self.review, self.version = review, version
        self.locked = frozenset(review.locks())
        self.grouping = review.grouping()
        self.state = "running"
        self.started = time.monotonic()
        self.progress = "starting"
        self.error: str | None = None
        self.moves: list[Move] = []
        self.terms: dict[str, tuple[int, int]] = {}
        self.thread = threading.Thread(target=self._run, name="reoptimise", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def _run(self) -> None:
        try:
            found = self.review.judge.reoptimise(self.grouping, self.locked, self._progress)
        except Exception as error:  # the page says what went wrong; the server stays up
            if self.state == "running":
                self.state, self.error = "failed", str(error)
            return
        if self.state != "running":
            return
        self.moves = moves_between(self.grouping, found, self.locked)
        after = self.review.judge.terms(renamed(self.grouping, found, self.locked))
        before = self.review.judge.terms(self.grouping)
        self.terms = {name: (before.get(name, 0), after[name]) for name in after}
        self.state = "done"

    def _progress(self, text: str) -> None:
        self.progress = text

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


def renamed(before: Grouping, after: Grouping, locked: frozenset[str]) -> Grouping:
    """`after` with each group named as the unlocked group of `before` it shares most members
    and its theme with (so that the difference reads as moves, not as new names); groups
    that match none are named N1, N2 ..."""
    old = {g.group_id: g for g in before.groups}
    pairs = sorted(
        (
            (-len(set(new.members) & set(old[gid].members)), gid, index)
            for index, new in enumerate(after.groups)
            if new.group_id not in locked
            for gid in old
            if gid not in locked
            and old[gid].theme == new.theme
            and set(new.members) & set(old[gid].members)
        ),
    )
    names: dict[int, str] = {}
    for _, gid, index in pairs:
        if index not in names and gid not in names.values():
            names[index] = gid
    taken = set(old) | set(names.values())
    number = 0
    groups = []
    for index, new in enumerate(after.groups):
        if new.group_id in locked:
            groups.append(old[new.group_id])
            continue
        if index in names:
            source = old[names[index]]
            groups.append(
                new.model_copy(
                    update={
                        "group_id": source.group_id,
                        "facilitator_id": source.facilitator_id,
                        "chair": source.chair if source.chair in new.members else None,
                        "scribe": source.scribe if source.scribe in new.members else None,
                    }
                )
            )
            continue
        number += 1
        while f"{NEW_PREFIX}{number}" in taken:
            number += 1
        groups.append(new.model_copy(update={"group_id": f"{NEW_PREFIX}{number}"}))
    return Grouping(groups=tuple(groups), unassigned=after.unassigned)


def moves_between(before: Grouping, after: Grouping, locked: frozenset[str]) -> list[Move]:
    """The moves that turn `before` into `after` (renamed), in an order that never empties a
    group that still has members to come: leavers first, then joiners."""
    target = renamed(before, after, locked)
    was = {cid: g.group_id for g in before.groups for cid in g.members}
    now_ = {cid: g for g in target.groups for cid in g.members}
    moves = []
    for cid in sorted(set(was) | set(now_)):
        old, new = was.get(cid), now_.get(cid)
        if old != (None if new is None else new.group_id):
            moves.append(
                Move(
                    cid,
                    old,
                    None if new is None else new.group_id,
                    None if new is None else new.theme,
                    None if new is None else new.facilitator_id,
                    note="re-optimised",
                )
            )
    return moves


def _natural(text: str) -> list[tuple[int, int | str]]:
    return [
        (0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part
    ]
