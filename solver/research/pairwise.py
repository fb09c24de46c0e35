"""Maximally Diverse Grouping: iterated tabu search with move and swap neighbourhoods.

The MDGP splits n elements into G groups, group g holding a_g..b_g members, and maximises

    f(x) = sum over groups g of  sum over i < j both in g  of  d_ij,

the pure form of the engine's pairwise objective terms, with published instances (MDGPLIB) to
measure against. CP-SAT is not the tool: a model of the pairs is quadratic in n and its bound
stays far from the best-known values (docs/mdgp.md). The records are held by local searches
with incremental evaluation, and this is one:

- Start: a random grouping whose sizes maximise sum_g s_g^2 within the bounds (minimise it
  when the mean distance is negative). A random grouping is worth mean(d) * sum_g s_g (s_g - 1)
  / 2 on average, and a search rarely leaves its start's size vector: reaching another extreme
  point takes several moves that each lose.
- State: the group g_i of each element and D[i, h] = sum of d_ij over j in group h. Moving i
  from p to q gains D[i, q] - D[i, p]; swapping i in p with j in q gains
  D[i, q] - D[i, p] + D[j, p] - D[j, q] - 2 d_ij. Each gain costs O(1), an update O(n).
- Tabu search: each iteration makes the best admissible move or swap (ties at random), skipping
  blocks and rows whose bound cannot beat the best so far. An element may not re-enter the
  group it left for a random tenure, unless that beats the best solution (aspiration).
- Iterated: a phase that has not improved for `stall_per_n * n` iterations ends; the next
  starts from the best solution, perturbed by `perturb_per_n * n` random swaps and moves.
- `workers` independent searches in separate processes, seeds derived from `seed`; the best is
  kept (ties to the lowest worker).

The loop is compiled with numba (the `research` extra) and runs in chunks between reads of the
clock. All randomness comes from one array drawn from the seed, so under an `iterations` budget
the result depends only on the input, the seed and `workers`. The objective returned is
recomputed exactly (`math.fsum` over the pairs), as `peergroups.research.mdgp.objective` sums it.
"""

import math
import multiprocessing
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from solver.research import needs

njit = needs("numba", "research", "the MDGP tabu search").njit

RETURN_MARGIN = 0.05
"""Seconds kept back from the time limit to gather the workers' results."""
CHUNK_SECONDS = 0.02
"""Wall time between two reads of the clock."""
RANDOM_POOL = 1 << 20
"""Uniform draws made up front from the seed; the search cycles through them."""
EPS = 1e-9


@dataclass(frozen=True)
class Settings:
    """Tuning of the iterated tabu search.

    The defaults were tuned on MDGPLIB RanReal n = 120 (`ss` and `ds`, 3 s per run) and checked
    at n = 240 (20 s); a shorter tenure or a weaker perturbation did clearly worse there.
    """

    tenure_min: int = 5
    """Tabu tenure of (element, group it left): tenure_min + a random 0..tenure_span."""
    tenure_span_per_n: float = 0.05
    """tenure_span = tenure_span_per_n * n."""
    stall_per_n: float = 100.0
    """A phase ends after stall_per_n * n iterations without improving its own best."""
    perturb_per_n: float = 0.4
    """Random changes applied to the best solution to start the next phase."""
    perturb_move_share: float = 0.5
    """Share of those random changes that are moves (where the size bounds allow) not swaps."""


DEFAULT = Settings()


def solve_mdgp(
    distance: np.ndarray | Sequence[Sequence[float]],
    bounds: Sequence[tuple[int, int]],
    seconds: float,
    seed: int = 0,
    *,
    iterations: int | None = None,
    workers: int = 1,
    settings: Settings = DEFAULT,
) -> tuple[list[int], float]:
    """The best grouping found: the group index (0..G-1) of each element, and its objective.

    `distance` is a symmetric n x n matrix (the diagonal is ignored); `bounds` holds (a_g, b_g)
    per group. The search stops after `seconds` of wall time or, if given, after `iterations`
    tabu-search iterations per worker, whichever comes first. `workers` > 1 runs that many
    independent searches in parallel processes and keeps the best.
    """
    started = time.monotonic()
    d = np.array(distance, dtype=np.float64)
    low, high = _check(d, bounds)
    np.fill_diagonal(d, 0.0)
    warm_up()
    deadline = started + max(0.0, seconds)
    seeds = [np.random.SeedSequence([seed, worker]) for worker in range(max(1, workers))]
    if len(seeds) == 1:
        results = [_search(d, low, high, deadline, seeds[0], iterations, settings)]
    else:
        context = multiprocessing.get_context(
            "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
        )
        worker_deadline = deadline - RETURN_MARGIN
        with ProcessPoolExecutor(len(seeds), mp_context=context) as pool:
            futures = [
                pool.submit(_search, d, low, high, worker_deadline, s, iterations, settings)
                for s in seeds
            ]
            results = [future.result() for future in futures]
    scored = [(_objective(d, found), -worker, found) for worker, found in enumerate(results)]
    value, _, group_of = max(scored, key=lambda item: item[:2])
    return [int(group) for group in group_of], value


_warm = False


def warm_up() -> None:
    """Compile the search loop now (a few seconds the first time, cached on disk after)."""
    global _warm
    if not _warm:
        d = np.ones((4, 4)) - np.eye(4)
        low = high = np.array([2, 2], dtype=np.int64)
        _search(d, low, high, math.inf, np.random.SeedSequence(0), 2, DEFAULT)
        _warm = True


def _check(d: np.ndarray, bounds: Sequence[tuple[int, int]]) -> tuple[np.ndarray, np.ndarray]:
    if d.ndim != 2 or d.shape[0] != d.shape[1]:
        raise ValueError(f"distance must be a square matrix, got shape {d.shape}")
    if not np.all(np.isfinite(d)):
        raise ValueError("distance has non-finite entries")
    if not np.allclose(d, d.T):
        raise ValueError("distance must be symmetric")
    n = d.shape[0]
    if len(bounds) == 0:
        raise ValueError("at least one group is needed")
    low = np.array([a for a, _ in bounds], dtype=np.int64)
    high = np.array([b for _, b in bounds], dtype=np.int64)
    if np.any(low < 0) or np.any(low > high):
        raise ValueError(f"every group needs 0 <= a_g <= b_g, got {list(bounds)}")
    if not low.sum() <= n <= high.sum():
        raise ValueError(f"size bounds {list(bounds)} cannot hold exactly n={n} elements")
    return low, high


def _objective(d: np.ndarray, group_of: np.ndarray) -> float:
    """The exact objective: fsum over the pairs of every group, as `peergroups.research.mdgp`
    sums it."""
    total = []
    for group in np.unique(group_of):
        members = np.flatnonzero(group_of == group)
        block = d[np.ix_(members, members)]
        total.extend(block[np.triu_indices(len(members), 1)].tolist())
    return math.fsum(total)


def _search(
    d: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    deadline: float,
    seed: np.random.SeedSequence,
    iterations: int | None,
    settings: Settings,
) -> np.ndarray:
    """One iterated tabu search, run in chunks between reads of the clock; its best grouping."""
    rng = np.random.default_rng(seed)
    n, groups = d.shape[0], len(low)
    sign = 1.0 if d.sum() >= 0 else -1.0
    group_of = _initial_assignment(rng, low, high, n, sign)
    if groups == 1 or n < 2:
        return group_of
    moves = bool(np.any(low != high)) and low.sum() < n < high.sum()
    params = np.array(
        [
            settings.tenure_min,
            max(0, round(settings.tenure_span_per_n * n)),
            max(50, round(settings.stall_per_n * n)),
            max(2, round(settings.perturb_per_n * n)),
            int(moves),
            round(1000 * settings.perturb_move_share),
        ],
        dtype=np.int64,
    )
    state = _State.start(d, group_of, groups, rng)
    chunk = 16
    while iterations is None or state.counters[0] < iterations:
        now = time.monotonic()
        if now >= deadline:
            break
        limit = state.counters[0] + chunk
        if iterations is not None:
            limit = min(limit, iterations)
        _run(d, low, high, params, limit, *state.arrays())
        spent = time.monotonic() - now
        # Aim at CHUNK_SECONDS per chunk, never far past the deadline.
        rate = chunk / max(spent, 1e-6)
        chunk = int(max(1, min(rate * CHUNK_SECONDS, rate * (deadline - time.monotonic()))))
    return state.best_group_of


@dataclass
class _State:
    """Everything the compiled loop carries from one chunk to the next."""

    group_of: np.ndarray
    D: np.ndarray
    sizes: np.ndarray
    tabu_until: np.ndarray
    best_group_of: np.ndarray
    values: np.ndarray
    """f, best f, the phase's best f."""
    counters: np.ndarray
    """iteration, iterations since the phase's best improved, next draw in `draws`."""
    draws: np.ndarray

    @classmethod
    def start(cls, d, group_of, groups, rng):
        D = d @ np.eye(groups)[group_of]
        f = float(D[np.arange(len(group_of)), group_of].sum() / 2.0)
        return cls(
            group_of=group_of.copy(),
            D=D,
            sizes=np.bincount(group_of, minlength=groups).astype(np.int64),
            tabu_until=np.zeros((len(group_of), groups), dtype=np.int64),
            best_group_of=group_of.copy(),
            values=np.array([f, f, f]),
            counters=np.zeros(3, dtype=np.int64),
            draws=rng.random(RANDOM_POOL),
        )

    def arrays(self):
        return (
            self.group_of,
            self.D,
            self.sizes,
            self.tabu_until,
            self.best_group_of,
            self.values,
            self.counters,
            self.draws,
        )


def _start_sizes(rng: np.random.Generator, low: np.ndarray, high: np.ndarray, n: int, sign: float):
    """Group sizes within the bounds, summing to n, that maximise sign * sum_g s_g^2.

    A random grouping with sizes s has expected objective mean(d) * sum_g s_g (s_g - 1) / 2, so
    with sign = sign of mean(d) these are the sizes that promise most. A knapsack-style dynamic
    programme over the groups, taken in a random order so that ties fall differently per seed.
    """
    groups = len(low)
    order = rng.permutation(groups)
    # best[k, t]: the best score of the first k groups in `order` holding t elements together.
    best = np.full((groups + 1, n + 1), -np.inf)
    pick = np.zeros((groups + 1, n + 1), dtype=np.int64)
    best[0, 0] = 0.0
    for k, g in enumerate(order):
        for size in range(int(low[g]), int(min(high[g], n)) + 1):
            score = best[k, : n + 1 - size] + sign * size * size
            better = score > best[k + 1, size:]
            best[k + 1, size:][better] = score[better]
            pick[k + 1, size:][better] = size
    sizes = np.zeros(groups, dtype=np.int64)
    total = n
    for k in range(groups, 0, -1):
        sizes[order[k - 1]] = pick[k, total]
        total -= pick[k, total]
    return sizes


def _initial_assignment(rng: np.random.Generator, low, high, n: int, sign: float):
    """A uniformly shuffled assignment with the sizes of `_start_sizes`."""
    sizes = _start_sizes(rng, low, high, n, sign)
    group_of = np.repeat(np.arange(len(low)), sizes).astype(np.int64)
    rng.shuffle(group_of)
    return group_of


@njit(cache=True)
def _draw(draws, counters):
    """The next uniform draw in [0, 1)."""
    k = counters[2]
    counters[2] = k + 1
    return draws[k % draws.shape[0]]


@njit(cache=True)
def _recompute(d, group_of, D, sizes):
    """D, the group sizes and f from scratch."""
    n = D.shape[0]
    D[:, :] = 0.0
    sizes[:] = 0
    for i in range(n):
        sizes[group_of[i]] += 1
        for j in range(n):
            D[i, group_of[j]] += d[i, j]
    f = 0.0
    for i in range(n):
        f += D[i, group_of[i]]
    return f / 2.0


@njit(cache=True)
def _relocate(d, D, group_of, i, q):
    """Put element i in group q, updating the two columns of D that change."""
    p = group_of[i]
    for k in range(D.shape[0]):
        D[k, p] -= d[k, i]
        D[k, q] += d[k, i]
    group_of[i] = q


@njit(cache=True)
def _perturb(d, low, high, group_of, D, sizes, strength, moves, share, draws, counters):
    """`strength` random changes: swaps of elements in different groups, or feasible moves."""
    n, groups = D.shape
    for _ in range(strength):
        i = int(_draw(draws, counters) * n)
        p = group_of[i]
        if moves and _draw(draws, counters) < share:
            q = int(_draw(draws, counters) * groups)
            if q != p and sizes[p] > low[p] and sizes[q] < high[q]:
                _relocate(d, D, group_of, i, q)
                sizes[p] -= 1
                sizes[q] += 1
                continue
        j = int(_draw(draws, counters) * n)
        q = group_of[j]
        if q != p:
            _relocate(d, D, group_of, i, q)
            _relocate(d, D, group_of, j, p)


@njit(cache=True)
def _run(
    d, low, high, params, limit, group_of, D, sizes, tabu_until, best_group_of, values,
    counters, draws,
):  # fmt: skip
    """Tabu-search iterations until iteration `limit`; perturbs and restarts phases itself."""
    n, groups = D.shape
    tenure_min, tenure_span, stall, strength, moves = (
        params[0], params[1], params[2], params[3], params[4] != 0,
    )  # fmt: skip
    share = params[5] / 1000.0
    f, best_f, phase_best = values[0], values[1], values[2]
    step, since = counters[0], counters[1]
    d_min = 0.0
    for i in range(n):
        for j in range(i + 1, n):
            d_min = min(d_min, d[i, j]) if i + j > 1 else d[i, j]
    members = np.empty((groups, n), dtype=np.int64)
    count = np.zeros(groups, dtype=np.int64)
    a = np.empty(n)
    b = np.empty(n)
    while step < limit:
        if since >= stall:
            group_of[:] = best_group_of
            f = _recompute(d, group_of, D, sizes)
            _perturb(d, low, high, group_of, D, sizes, strength, moves, share, draws, counters)
            f = _recompute(d, group_of, D, sizes)
            tabu_until[:, :] = 0
            phase_best, since = f, 0
        step += 1
        since += 1
        needed = best_f - f + EPS  # a tabu change is admissible when it gains more
        best = -np.inf
        best_i, best_j, best_q, ties = -1, -1, -1, 0
        count[:] = 0
        for i in range(n):
            h = group_of[i]
            members[h, count[h]] = i
            count[h] += 1
        # Swaps, one block of groups (p, q) at a time: delta = a_i + b_j - 2 d_ij with
        # a_i = D[i, q] - D[i, p] and b_j = D[j, p] - D[j, q]; a block or a row whose bound
        # a_i + max b - 2 min d cannot reach the best so far is skipped.
        for p in range(groups):
            for q in range(p + 1, groups):
                a_max = -np.inf
                for k in range(count[p]):
                    i = members[p, k]
                    a[k] = D[i, q] - D[i, p]
                    a_max = max(a_max, a[k])
                b_max = -np.inf
                for k in range(count[q]):
                    j = members[q, k]
                    b[k] = D[j, p] - D[j, q]
                    b_max = max(b_max, b[k])
                reach = b_max - 2.0 * d_min
                if a_max + reach < best - EPS:
                    continue
                for ki in range(count[p]):
                    if a[ki] + reach < best - EPS:
                        continue
                    i = members[p, ki]
                    for kj in range(count[q]):
                        j = members[q, kj]
                        delta = a[ki] + b[kj] - 2.0 * d[i, j]
                        if delta < best - EPS:
                            continue
                        if delta <= needed and (tabu_until[i, q] > step or tabu_until[j, p] > step):
                            continue
                        if delta > best + EPS:
                            best, best_i, best_j, best_q, ties = delta, i, j, -1, 1
                        else:
                            ties += 1
                            if _draw(draws, counters) * ties < 1.0:
                                best_i, best_j, best_q = i, j, -1
        if moves:
            for i in range(n):
                p = group_of[i]
                if sizes[p] <= low[p]:
                    continue
                own_i = D[i, p]
                for q in range(groups):
                    if q == p or sizes[q] >= high[q]:
                        continue
                    delta = D[i, q] - own_i
                    if delta < best - EPS:
                        continue
                    if tabu_until[i, q] > step and delta <= needed:
                        continue
                    if delta > best + EPS:
                        best, best_i, best_j, best_q, ties = delta, i, -1, q, 1
                    else:
                        ties += 1
                        if _draw(draws, counters) * ties < 1.0:
                            best_i, best_j, best_q = i, -1, q
        if best_i < 0:
            since = stall  # nothing admissible: start the next phase
            continue
        p = group_of[best_i]
        if best_j >= 0:
            q = group_of[best_j]
            _relocate(d, D, group_of, best_i, q)
            _relocate(d, D, group_of, best_j, p)
            tenure = tenure_min + int(_draw(draws, counters) * (tenure_span + 1))
            tabu_until[best_j, q] = step + tenure
        else:
            q = best_q
            _relocate(d, D, group_of, best_i, q)
            sizes[p] -= 1
            sizes[q] += 1
        tabu_until[best_i, p] = step + tenure_min + int(_draw(draws, counters) * (tenure_span + 1))
        f += best
        if f > phase_best + EPS:
            phase_best, since = f, 0
        if f > best_f + EPS:
            best_f = f
            best_group_of[:] = group_of
    values[0], values[1], values[2] = f, best_f, phase_best
    counters[0], counters[1] = step, since
