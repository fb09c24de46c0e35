"""An upper bound on how many companies can be placed, for parts too large to prove.

The pre-check bounds each company alone: it is placeable if some group could hold it. Many
companies fail together instead: the in-person companies of one region all need the same few
hybrid partners of that region. For any block A of companies, every group holding a member
of A consists of A's members and companies compatible with one of them (the pool Q). So the
most members of A that a small CP-SAT model over A + Q can place bounds how many of A any plan
of the whole part places, and

    placed <= Σ_blocks best(A) + (placeable companies in no block).

Blocks come from the rules (`Rule.locality`: in-person companies of a region); a block whose
model would be too large keeps its pre-check bound, |A|.
"""

import math
import time

from peergroups.model import Company
from solver import cpsat
from solver.interrupt import STOP
from solver.nearest import ByMaturity
from solver.space import SearchSpace

MAX_BLOCK_MODEL = 400
"""Companies (block and pool) in one bound model: larger ones take too long to prove."""


def placed_bound(space: SearchSpace, work: float, deadline: float) -> int:
    """No plan places more of the space's companies than this."""
    problem, rules, themes_of = space.problem, space.rules, space.themes_of
    blocks: dict[str, list[str]] = {}
    for cid in sorted(themes_of):
        for rule in rules:
            key = rule.locality(problem.by_id[cid])
            if key is not None:
                blocks.setdefault(f"{rule.kind}:{key}", []).append(cid)
                break
    bound = len(themes_of) - sum(len(block) for block in blocks.values())
    if STOP.requested:  # a stopped run does not wait for the index below (seconds, at scale)
        return len(themes_of)
    by_theme: dict[str, list[Company]] = {}
    for cid, themes in themes_of.items():
        for theme in themes:
            by_theme.setdefault(theme, []).append(problem.by_id[cid])
    index = {theme: ByMaturity(companies) for theme, companies in by_theme.items()}
    for number, (_, block) in enumerate(sorted(blocks.items())):
        if time.perf_counter() >= deadline or STOP.requested:
            bound += len(block)
            continue
        share = work / (len(blocks) - number)
        best, used = _block_bound(space, index, block, share, deadline)
        bound += best
        work -= used
    return bound


def _block_bound(
    space: SearchSpace,
    index: dict[str, ByMaturity],
    block: list[str],
    work: float,
    deadline: float,
) -> tuple[int, float]:
    """(the most of `block` any plan places, the work it took to prove it)."""
    problem, themes_of = space.problem, space.themes_of
    pool = set(block)
    for cid in block:
        company = problem.by_id[cid]
        for theme in themes_of[cid]:
            pool.update(
                other.company_id
                for other in index[theme].within(company, space.maturity_window)
                if space.rules.compatible(company, other)
            )
        if len(pool) > MAX_BLOCK_MODEL or time.perf_counter() >= deadline:
            return len(block), 0.0
    part = {cid: themes_of[cid] for cid in sorted(pool)}
    ctx = cpsat.build(space.rules, cpsat.plan_slots(space.narrowed(part)))
    inside = [var for slot in ctx.slots for cid, var in slot.x.items() if cid in set(block)]
    ctx.model.maximize(sum(inside))
    outcome = cpsat.run(ctx, work=work, seconds=deadline - time.perf_counter(), seed=0, workers=1)
    if outcome.bound is None:
        return len(block), outcome.work
    return min(len(block), math.floor(outcome.bound + 1e-6)), outcome.work
