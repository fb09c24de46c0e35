"""`peergroups review`: facilitators move companies in the browser and the solver's own rules
answer each move (`plan`), the state kept in SQLite in the plan directory (`store`), served
by a small Starlette app with its own templates and static files (`app`, `serve`).

The solver's functions come in as plain callables (`Judge`), so this package, like the rest
of `peergroups`, never imports the solver.
"""

from peergroups.review.app import Access, ReviewServer, Site, create_app, host_check
from peergroups.review.launch import Served, open_review, serve
from peergroups.review.plan import BadRequest, Judge, Review
from peergroups.review.store import OtherPlan, Stale, Store

__all__ = [
    "Access",
    "BadRequest",
    "Judge",
    "OtherPlan",
    "Review",
    "ReviewServer",
    "Served",
    "Site",
    "Stale",
    "Store",
    "create_app",
    "host_check",
    "open_review",
    "serve",
]
