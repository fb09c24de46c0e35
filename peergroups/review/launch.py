"""Opening a review (the store, the plan, the tokens) and serving it with uvicorn on a socket
bound before the URLs are printed (so `--port 0` prints the port the OS chose)."""

import hashlib
import secrets
import socket
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from peergroups.model import Grouping, Problem
from peergroups.review.app import Access, ReviewServer, Site, create_app, host_check
from peergroups.review.plan import Judge, Review
from peergroups.review.store import Store

STATE_FILE = "review.sqlite"


@dataclass
class Served:
    server: ReviewServer
    app: Any
    sock: socket.socket
    host: str
    port: int

    def url(self, access: Access) -> str:
        host = self.host
        if host in ("0.0.0.0", "::", ""):
            host = socket.gethostname()
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/?token={access.token}"

    @property
    def links(self) -> list[tuple[Access, str]]:
        return [(access, self.url(access)) for access in self.server.site.accesses]


def open_review(
    plan_dir: Path,
    problem: Problem,
    plan: Grouping,
    summary: dict[str, Any],
    judge: Judge,
    *,
    reviewer: str,
    lang: str = "en",
    out: Path | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> Served:
    """A review of the plan in `plan_dir` (the solver's), its state in plan_dir/review.sqlite
    (carried on if it is there), bound to host:port and ready to serve."""
    fingerprint = hashlib.sha256((plan_dir / "assignments.csv").read_bytes()).hexdigest()
    store = Store(plan_dir / STATE_FILE, fingerprint)
    review = Review(problem, plan, store, judge, reviewer)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    bound = sock.getsockname()[1]
    names = {f.facilitator_id: f.name for f in problem.facilitators}
    running = sorted({g.facilitator_id for g in review.groups.values()} - {None})  # type: ignore[arg-type]
    accesses = [Access(secrets.token_urlsafe(24), None, reviewer)] + [
        Access(secrets.token_urlsafe(24), fid, names.get(fid, fid)) for fid in running
    ]
    site = Site(hosts=host_check(host), port=bound, accesses=accesses)
    server = ReviewServer(
        review, summary, site, lang, out or plan_dir / "reviewed", original=plan_dir
    )
    server.card_html(set(review.groups))  # the first page is ready as soon as it is asked for
    return Served(server, create_app(server), sock, host, bound)


def serve(served: Served) -> None:
    """Serve until interrupted (Ctrl-C, SIGTERM); a running re-optimisation is stopped and
    the store closed on the way out. Access logs are off: their paths would name groups."""
    config = uvicorn.Config(
        served.app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    try:
        uvicorn.Server(config).run(sockets=[served.sock])
    finally:
        served.server.review.stop()
        served.server.review.store.close()
        served.sock.close()
