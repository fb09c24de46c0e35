"""The review web app (Starlette): the page, its JSON API, and the guards every request passes.

Guards, in order, on every request: the Host header must name the bound host (400: DNS
rebinding); the secret token must come with it, in the link's `?token=` once and then in an
HttpOnly SameSite=Strict cookie (403); a write must carry the page's CSRF token and come from
the page's own origin (403). A facilitator's token sees and changes only that facilitator's
groups (403 otherwise); the coordinator's token sees everything.

Every write names the version it was made on; a stale one gets 409 and changes nothing. A
request the plan cannot take (unknown company or group, a company placed twice, malformed
JSON) gets a 4xx with a plain message; the server stays up.
"""

import contextlib
import hashlib
import hmac
import ipaddress
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route

from peergroups.io.writers import OutputDirectoryInUse, write_plan, write_review_log
from peergroups.model import Problem
from peergroups.report.data import group_cards, maturity_limit, natural_key, theme_name
from peergroups.report.data import unassigned_rows as report_unassigned
from peergroups.report.figures import PALETTE
from peergroups.report.html import decorate_cards, environment
from peergroups.report.labels import Labels
from peergroups.review.plan import BadRequest, Review, Verdict
from peergroups.review.store import Stale, now

COOKIE = "peergroups_review"
MAX_BODY = 100_000
"""Bytes a change may carry (a comment holds at most 2,000 characters)."""
STATIC = Path(__file__).parent / "static"


@dataclass(frozen=True)
class Access:
    """Who a token lets in: the coordinator (facilitator_id None) or one facilitator."""

    token: str
    facilitator_id: str | None = None
    name: str = ""

    @property
    def reviewer(self) -> str:
        """Who the review log names for this link's changes."""
        if self.facilitator_id is None:
            return self.name
        return f"{self.name} ({self.facilitator_id})"


@dataclass
class Site:
    """What the server is bound to and who may come in."""

    hosts: Callable[[str], bool]
    """Is this Host header (without the port) ours?"""
    port: int | None
    """The bound port, which the Host header must carry (None: any, for in-process tests)."""
    accesses: list[Access] = field(default_factory=list)
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32))

    def find(self, token: str | None) -> Access | None:
        if not token:
            return None
        found = None
        for access in self.accesses:  # compare with every token, in constant time each
            if hmac.compare_digest(access.token.encode(), token.encode()):
                found = access
        return found

    def csrf(self, access: Access) -> str:
        return hmac.new(self.secret, access.token.encode(), hashlib.sha256).hexdigest()


def host_check(bound: str) -> Callable[[str], bool]:
    """Which Host names reach us without DNS rebinding: the bound address (and localhost
    for a loopback one); bound to every interface, any IP literal and this machine's names."""
    import socket

    loopback = {"localhost", "127.0.0.1", "::1", "[::1]"}
    if bound in ("0.0.0.0", "::", ""):
        names = {socket.gethostname().lower(), socket.getfqdn().lower()} | loopback

        def any_interface(name: str) -> bool:
            try:
                ipaddress.ip_address(name.strip("[]"))
                return True
            except ValueError:
                return name.lower() in names

        return any_interface
    allowed = {bound.lower(), f"[{bound.lower()}]"}
    if bound in loopback or bound.startswith("127."):
        allowed |= loopback
    return lambda name: name.lower() in allowed


@dataclass
class ReviewServer:
    """A review and what the page needs to show it."""

    review: Review
    summary: dict[str, Any]
    site: Site
    lang: str = "en"
    out: Path = Path("reviewed")
    original: Path | None = None
    """The solver's plan directory, which a save never writes over."""
    cards: dict[str, str] = field(default_factory=dict)
    shown: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """The violations each cached card shows."""
    colours: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.labels = Labels(self.lang)
        ids = sorted((g.group_id for g in self.review.plan.groups), key=natural_key)
        self.colours = {gid: PALETTE[i % len(PALETTE)] for i, gid in enumerate(ids)}

    @property
    def problem(self) -> Problem:
        return self.review.problem

    # --- what an access may see ---------------------------------------------------------------

    def visible_groups(self, access: Access) -> list[str]:
        ids = sorted(self.review.groups, key=natural_key)
        if access.facilitator_id is None:
            return ids
        return [g for g in ids if self.review.groups[g].facilitator_id == access.facilitator_id]

    def sees_group(self, access: Access, group_id: str | None) -> bool:
        if access.facilitator_id is None or group_id is None:
            return True
        group = self.review.groups.get(group_id)
        return group is not None and group.facilitator_id == access.facilitator_id

    def visible_unassigned(self, access: Access) -> list[str]:
        """The unassigned companies; for a facilitator, those that could join one of their
        groups (the group's theme is among their goals)."""
        out = [c for c in self.problem.companies if c.company_id in self.review.unassigned]
        if access.facilitator_id is not None:
            themes = {self.review.groups[g].theme for g in self.visible_groups(access)}
            out = [c for c in out if themes & set(c.goals)]
        return [c.company_id for c in out]

    def sees_company(self, access: Access, company_id: str) -> bool:
        where = self.review.location(company_id)
        if where is None:
            return access.facilitator_id is None or company_id in self.visible_unassigned(access)
        return self.sees_group(access, where)

    # --- rendering ------------------------------------------------------------------------------

    def violations(self) -> list[str]:
        return [
            f"{gid}: {f['message']} [{f['rule']}]"
            for gid, found in self.review.findings.items()
            for f in found
        ]

    def card_html(self, group_ids: set[str]) -> dict[str, str]:
        """Each group's card as HTML (kept until the group changes)."""
        missing = {g for g in group_ids if g not in self.cards and g in self.review.groups}
        if missing:
            grouping = self.review.grouping()
            cards = group_cards(
                self.problem, grouping, self.summary, self.violations(), self.lang, missing
            )
            for index, card in enumerate(cards):
                gid = card["group_id"]
                if gid not in self.colours:
                    self.colours[gid] = PALETTE[(len(self.colours) + index) % len(PALETTE)]
            decorate_cards(cards, self.colours, maturity_limit(self.summary))
            locks = self.review.locks()
            comments = self.review.store.comments()
            template = _env().get_template("_review_card.html.j2")
            for card in cards:
                gid = card["group_id"]
                members = set(self.review.groups[gid].members)
                card["locked"] = gid in locks
                card["comments"] = [
                    c.__dict__ for c in comments if c.group_id == gid or (c.company_id in members)
                ]
                self.cards[gid] = template.render(card=card, L=self.labels.table)
                self.shown[gid] = self.review.findings.get(gid, [])
        return {g: self.cards[g] for g in group_ids if g in self.cards}

    def forget(self, group_ids: set[str]) -> None:
        for gid in group_ids:
            self.cards.pop(gid, None)

    def unassigned_html(self, access: Access) -> str:
        visible = set(self.visible_unassigned(access))
        rows = [
            row
            for row in report_unassigned(self.problem, self.review.grouping(), self.lang)
            if row["company_id"] in visible
        ]
        return (
            _env()
            .get_template("_review_unassigned.html.j2")
            .render(unassigned=rows, L=self.labels.table)
        )

    def page(self, access: Access) -> str:
        ids = self.visible_groups(access)
        cards = self.card_html(set(ids))
        themes = sorted({self.review.groups[g].theme for g in ids})
        facilitators = sorted(
            {self.review.groups[g].facilitator_id for g in ids} - {None}  # type: ignore[arg-type]
        )
        names = {f.facilitator_id: f.name for f in self.problem.facilitators}
        return (
            _env()
            .get_template("review.html.j2")
            .render(
                L=self.labels.table,
                lang=self.lang,
                cards=[cards[g] for g in ids],
                groups=[
                    {"id": g, "theme": theme_name(self.review.groups[g].theme, self.lang)}
                    for g in ids
                ],
                themes=[{"code": t, "name": theme_name(t, self.lang)} for t in themes],
                facilitators=[{"id": f, "name": names.get(f, f)} for f in facilitators],
                unassigned_html=self.unassigned_html(access),
                csrf=self.site.csrf(access),
                scope=None
                if access.facilitator_id is None
                else {"id": access.facilitator_id, "name": access.name},
                coordinator=access.facilitator_id is None,
                reoptimise=self.review.judge.reoptimise is not None,
                state=self.state(access),
            )
        )

    def state(self, access: Access, verdict: Verdict | None = None) -> dict[str, Any]:
        visible = set(self.visible_groups(access))
        review = self.review
        terms = review.term_changes()
        return {
            "version": review.version,
            "findings": {g: f for g, f in review.findings.items() if g in visible},
            "plan_findings": review.plan_findings if access.facilitator_id is None else [],
            "violations": sum(len(f) for f in review.findings.values()) + len(review.plan_findings),
            "terms": [
                {"name": name, "plan": a, "now": b, "change": b - a}
                for name, (a, b) in terms.items()
            ],
            "score_change": review.score_change(),
            "moves": review.store.count_moves(),
            "can_undo": review.store.can_undo(),
            "can_redo": review.store.can_redo(),
            "locks": sorted(review.locks() & visible),
            "groups": [
                {"id": g, "theme": theme_name(review.groups[g].theme, self.lang)}
                for g in self.visible_groups(access)
            ],
        }

    def answer(self, access: Access, verdict: Verdict, extra: set[str] = frozenset()) -> dict:
        """The page's update after a change: changed cards (None: gone), the unassigned list,
        and the state."""
        touched = set(verdict.changed) | set(extra)
        # A card shows its violations: re-render every group whose violations changed too.
        touched |= {
            g
            for g in self.review.groups
            if g in self.cards and self.shown.get(g) != self.review.findings.get(g, [])
        }
        self.forget(touched)
        visible = set(self.visible_groups(access))
        html = self.card_html(touched & visible)
        changed = {g: html.get(g) for g in touched if g in visible or g not in self.review.groups}
        changed = {g: h for g, h in changed.items() if self.sees_group(access, g) or h is None}
        unassigned = verdict.unassigned_changed or any(g not in self.review.groups for g in touched)
        return {
            "changed": changed,
            "unassigned_html": self.unassigned_html(access) if unassigned else None,
            "moved": verdict.moved,
            "step": {
                name: {"before": a, "after": b} for name, (a, b) in verdict.terms.items() if a != b
            },
            "step_score": verdict.score_change,
            "state": self.state(access, verdict),
        }

    # --- saving ---------------------------------------------------------------------------------

    def save(self, out: Path | None = None) -> Path:
        target = (out or self.out).resolve()
        if self.original is not None and target == self.original.resolve():
            raise BadRequest("a review never writes over the solver's plan")
        review = self.review
        grouping = review.grouping()
        violations = [
            f"{f.group_id}: {f.message} [{f.rule}]" if f.group_id else f"{f.message} [{f.rule}]"
            for f in review.full_check()
        ]
        summary = dict(self.summary)
        summary.update(
            {
                "edited": True,
                "objective": review.judge.score(review.terms),
                "bound": None,
                "gap": None,
                "placed": sum(len(g.members) for g in grouping.groups),
                "unassigned": len(grouping.unassigned),
                "groups": len(grouping.groups),
                "terms": dict(review.terms),
                "violations": violations,
                "review": {
                    "of": str((self.original or Path(".")).resolve()),
                    "reviewer": review.reviewer,
                    "saved_at": now(),
                    "moves": len(review.store.moves()),
                    "comments": len(review.store.comments()),
                    "version": review.version,
                },
            }
        )
        rows = review.log_rows()
        write_plan(
            target,
            self.problem,
            grouping,
            summary,
            self.lang,
            lambda staging: write_review_log(staging / "review_log.csv", rows),
            violations,
        )
        return target


@cache
def _env() -> Environment:
    return environment(
        ChoiceLoader(
            [
                PackageLoader("peergroups.review", "templates"),
                PackageLoader("peergroups.report", "templates"),
            ]
        )
    )


# --- the web layer ------------------------------------------------------------------------------


def plain(status: int, message: str) -> Response:
    return PlainTextResponse(message + "\n", status_code=status)


def create_app(server: ReviewServer) -> Starlette:
    site = server.site
    review = server.review

    def admitted(request: Request, write: bool = False) -> Access | Response:
        host = request.headers.get("host", "")
        name, _, port = host.rpartition(":") if not host.endswith("]") else (host, "", "")
        if not name:
            name, port = host, ""
        if not site.hosts(name) or (site.port is not None and port != str(site.port)):
            return plain(400, "Bad request: this server does not answer to that Host name")
        access = site.find(request.cookies.get(COOKIE) or request.query_params.get("token"))
        if access is None:
            return plain(
                403, "Forbidden: open the link `peergroups review` printed, with its token"
            )
        if write:
            given = request.headers.get("x-csrf-token", "")
            if not hmac.compare_digest(given.encode(), site.csrf(access).encode()):
                return plain(403, "Forbidden: a change needs the page's CSRF token")
            origin = request.headers.get("origin")
            if origin is not None and origin != f"{request.url.scheme}://{host}":
                return plain(403, "Forbidden: a change must come from the review page itself")
            if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
                return plain(403, "Forbidden: a change must come from the review page itself")
        return access

    def reader(handler):
        async def endpoint(request: Request) -> Response:
            access = admitted(request)
            if isinstance(access, Response):
                return access
            try:
                return handler(request, access)
            except BadRequest as error:
                return plain(error.status, str(error))

        return endpoint

    def writer(handler):
        async def endpoint(request: Request) -> Response:
            access = admitted(request, write=True)
            if isinstance(access, Response):
                return access
            raw = await request.body()
            if len(raw) > MAX_BODY:
                return plain(413, "Request too large")
            try:
                body = json.loads(raw or b"{}")
            except (json.JSONDecodeError, UnicodeDecodeError):
                return plain(400, "Bad request: the body is not JSON")
            if not isinstance(body, dict):
                return plain(400, "Bad request: the body must be a JSON object")
            version = body.get("version")
            if not isinstance(version, int) or isinstance(version, bool):
                return plain(400, "Bad request: every change names the version it was made on")
            try:
                with review.lock:
                    if version != review.version:
                        raise Stale(version, review.version)
                    return handler(body, access, version)
            except Stale as stale:
                return JSONResponse(
                    {
                        "error": "stale",
                        "message": f"The plan changed meanwhile (version {stale.actual}, "
                        f"your page has {stale.expected}); nothing was changed.",
                        "version": stale.actual,
                    },
                    status_code=409,
                )
            except BadRequest as error:
                return plain(error.status, str(error))

        return endpoint

    def text(body: dict, key: str, required: bool = True) -> str | None:
        value = body.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value:
            raise BadRequest(f"Bad request: {key} must be a non-empty string")
        return value

    async def index(request: Request) -> Response:
        access = admitted(request)
        if isinstance(access, Response):
            return access
        if "token" in request.query_params:  # the token moves to a cookie, out of the URL
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(COOKIE, access.token, httponly=True, samesite="strict", path="/")
            return response
        with review.lock:
            html = server.page(access)
        return HTMLResponse(html, headers=_SECURITY_HEADERS)

    def state(request: Request, access: Access) -> Response:
        with review.lock:
            return JSONResponse(server.state(access))

    def group(request: Request, access: Access) -> Response:
        gid = request.path_params["group_id"]
        if gid not in review.groups:
            raise BadRequest(f"no group {gid} in this plan", 404)
        if not server.sees_group(access, gid):
            return plain(403, f"Forbidden: group {gid} is not one of yours")
        with review.lock:
            return JSONResponse(
                {
                    "group_id": gid,
                    "html": server.card_html({gid})[gid],
                    "findings": review.findings.get(gid, []),
                }
            )

    def move(body: dict, access: Access, version: int) -> Response:
        company = text(body, "company")
        if company not in review.where:
            raise BadRequest(f"no company {company} in this plan", 404)
        source = text(body, "from", required=False)
        target = text(body, "to", required=False)
        new = body.get("new", False) is True
        if not server.sees_company(access, company):
            return plain(403, f"Forbidden: {company} is not in one of your groups")
        if target is not None and target in review.groups and not server.sees_group(access, target):
            return plain(403, f"Forbidden: group {target} is not one of yours")
        planned = review.planned_move(
            company,
            source,
            None if new else target,
            new,
            text(body, "theme", required=False),
            access.facilitator_id,
        )
        note = str(body.get("note") or "")[:500]
        verdict = review.move(version, [planned], note, access.reviewer)
        return JSONResponse(server.answer(access, verdict) | {"target": planned.to_group})

    def undo_or_redo(step: str):
        def handler(body: dict, access: Access, version: int) -> Response:
            if access.facilitator_id is not None:
                moves = review.store.moves() if step == "undo" else []
                last = [m for m in moves if m.batch == moves[-1].batch] if moves else []
                if step == "redo" or not all(
                    server.sees_group(access, g) for m in last for g in (m.from_group, m.to_group)
                ):
                    return plain(403, "Forbidden: that change is not in your groups")
            verdict = review.undo(version) if step == "undo" else review.redo(version)
            return JSONResponse(server.answer(access, verdict))

        return handler

    def comment(body: dict, access: Access, version: int) -> Response:
        company = text(body, "company", required=False)
        gid = text(body, "group", required=False)
        content = body.get("text")
        if not isinstance(content, str):
            raise BadRequest("Bad request: text must be a string")
        if (
            company is not None
            and company in review.where
            and not server.sees_company(access, company)
        ):
            return plain(403, f"Forbidden: {company} is not in one of your groups")
        if gid is not None and gid in review.groups and not server.sees_group(access, gid):
            return plain(403, f"Forbidden: group {gid} is not one of yours")
        review.comment(version, content, company, gid, access.reviewer)
        home = gid or review.where.get(company or "")
        touched = {home} if home else set()
        server.forget(touched)
        verdict = Verdict(sorted(touched), review.findings, review.plan_findings, {}, 0)
        return JSONResponse(server.answer(access, verdict))

    def lock(body: dict, access: Access, version: int) -> Response:
        gid = text(body, "group")
        if gid in review.groups and not server.sees_group(access, gid):
            return plain(403, f"Forbidden: group {gid} is not one of yours")
        locked = body.get("locked")
        if not isinstance(locked, bool):
            raise BadRequest("Bad request: locked must be true or false")
        review.set_lock(version, gid, locked)
        server.forget({gid})
        verdict = Verdict([gid], review.findings, review.plan_findings, {}, 0)
        return JSONResponse(server.answer(access, verdict))

    def coordinator_only(access: Access) -> Response | None:
        if access.facilitator_id is not None:
            return plain(403, "Forbidden: only the coordinator's link can do this")
        return None

    def reoptimise(body: dict, access: Access, version: int) -> Response:
        refused = coordinator_only(access)
        if refused:
            return refused
        review.start_reoptimise()
        return JSONResponse(_job(review))

    def reoptimise_status(request: Request, access: Access) -> Response:
        refused = coordinator_only(access)
        return refused or JSONResponse(_job(review))

    def reoptimise_accept(body: dict, access: Access, version: int) -> Response:
        refused = coordinator_only(access)
        if refused:
            return refused
        job = review.job
        if job is None or job.state != "done":
            raise BadRequest("no finished re-optimisation to accept", 409)
        if job.version != version:
            raise Stale(job.version, version)
        review.job = None
        if not job.moves:
            return JSONResponse(
                server.answer(access, Verdict([], review.findings, review.plan_findings, {}, 0))
            )
        verdict = review.move(version, job.moves, "re-optimised")
        server.cards.clear()
        return JSONResponse(server.answer(access, verdict, set(review.groups)))

    def reoptimise_discard(body: dict, access: Access, version: int) -> Response:
        refused = coordinator_only(access)
        if refused:
            return refused
        if review.job is not None:
            review.stop()
            review.job = None
        return JSONResponse(_job(review))

    def save(body: dict, access: Access, version: int) -> Response:
        refused = coordinator_only(access)
        if refused:
            return refused
        try:
            path = server.save()
        except (OutputDirectoryInUse, OSError) as error:
            return plain(409, f"Not saved: {error}")
        return JSONResponse({"path": str(path), "version": review.version})

    async def static(request: Request) -> Response:
        access = admitted(request)
        if isinstance(access, Response):
            return access
        name = request.path_params["name"]
        if name not in _STATIC_FILES:
            return plain(404, "Not found")
        return FileResponse(STATIC / name, headers={"Cache-Control": "no-cache"})

    routes = [
        Route("/", index),
        Route("/api/state", reader(state)),
        Route("/api/group/{group_id}", reader(group)),
        Route("/api/move", writer(move), methods=["POST"]),
        Route("/api/undo", writer(undo_or_redo("undo")), methods=["POST"]),
        Route("/api/redo", writer(undo_or_redo("redo")), methods=["POST"]),
        Route("/api/comment", writer(comment), methods=["POST"]),
        Route("/api/lock", writer(lock), methods=["POST"]),
        Route("/api/reoptimise", writer(reoptimise), methods=["POST"]),
        Route("/api/reoptimise", reader(reoptimise_status), methods=["GET"]),
        Route("/api/reoptimise/accept", writer(reoptimise_accept), methods=["POST"]),
        Route("/api/reoptimise/discard", writer(reoptimise_discard), methods=["POST"]),
        Route("/api/save", writer(save), methods=["POST"]),
        Route("/static/{name}", static),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        yield
        review.stop()  # a running re-optimisation ends with the server

    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.server = server
    return app


_STATIC_FILES = frozenset(p.name for p in STATIC.iterdir() if p.is_file())

_SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _job(review: Review) -> dict[str, Any]:
    job = review.job
    if job is None:
        return {"state": "none"}
    answer: dict[str, Any] = {
        "state": job.state,
        "progress": job.progress,
        "seconds": round(job.seconds, 1),
        "locked": sorted(job.locked),
    }
    if job.state == "failed":
        answer["error"] = job.error
    if job.state == "done":
        answer["moves"] = [
            {"company": m.company_id, "from": m.from_group, "to": m.to_group} for m in job.moves
        ]
        answer["terms"] = [
            {"name": n, "before": a, "after": b} for n, (a, b) in job.terms.items() if a != b
        ]
    return answer
