"""The MDGP tabu search (solver.research.pairwise): optimal on small instances, always feasible,
deterministic under an iteration budget, strict about its input, exact about its objective.

Small random instances are solved to optimality by enumerating all G^n assignments. The MDGPLIB
tests read `../shared/benchmarks` and skip when it is absent; no benchmark data is copied in.
The search is compiled with numba: without the research extra the whole module skips.
"""

import itertools
from collections import Counter

import numpy as np
import pytest

from peergroups.research.mdgp import (
    MdgpInstance,
    benchmark_root,
    best_known,
    feasible,
    instance_file,
    objective,
    read_instance,
)
from solver.research.mdgp_bench import gap_pct

pytest.importorskip("numba", reason="the MDGP search needs the research extra")
from solver.research.pairwise import _start_sizes, solve_mdgp

ROOT = benchmark_root()
needs_benchmarks = pytest.mark.skipif(ROOT is None, reason="../shared/benchmarks is absent")
BUDGET = 3000
"""Iterations per search on the small instances: far more than they need, well under a second."""


def random_distance(n: int, seed: int, low: float = 0.0, high: float = 100.0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    upper = np.triu(rng.uniform(low, high, (n, n)), 1)
    return upper + upper.T


def brute_force(d: np.ndarray, bounds: list[tuple[int, int]]) -> float:
    """The optimum over all G^n labelled assignments that respect the size bounds."""
    n, groups = d.shape[0], len(bounds)
    labels = np.array(list(itertools.product(range(groups), repeat=n)), dtype=np.int8)
    sizes = np.stack([(labels == g).sum(axis=1) for g in range(groups)], axis=1)
    low = np.array([a for a, _ in bounds])
    high = np.array([b for _, b in bounds])
    labels = labels[np.all((sizes >= low) & (sizes <= high), axis=1)]
    value = np.zeros(len(labels))
    for i, j in itertools.combinations(range(n), 2):
        value += d[i, j] * (labels[:, i] == labels[:, j])
    return float(value.max())


def as_instance(d: np.ndarray, bounds: list[tuple[int, int]]) -> MdgpInstance:
    kind = "ss" if all(a == b for a, b in bounds) else "ds"
    return MdgpInstance(
        name="test",
        family="",
        n=len(d),
        groups=len(bounds),
        kind=kind,
        bounds=tuple(bounds),
        distance=d.tolist(),
    )


def assert_valid(group_of: list[int], n: int, bounds: list[tuple[int, int]]) -> None:
    assert len(group_of) == n  # every element exactly once
    assert all(isinstance(g, int) and 0 <= g < len(bounds) for g in group_of)
    sizes = Counter(group_of)
    for g, (a, b) in enumerate(bounds):
        assert a <= sizes[g] <= b, (g, sizes[g], (a, b))


SMALL = [
    # (n, bounds, seed of the distances)
    (8, [(4, 4), (4, 4)], 1),
    (9, [(3, 3)] * 3, 2),
    (12, [(4, 4)] * 3, 3),
    (8, [(2, 6), (1, 3)], 4),
    (10, [(2, 5), (3, 4), (2, 5)], 5),
    (10, [(1, 4), (2, 3), (2, 4), (1, 5)], 6),
    (12, [(3, 6), (2, 4), (3, 5)], 7),
]


@pytest.mark.parametrize(("n", "bounds", "seed"), SMALL)
def test_finds_the_enumerated_optimum(n, bounds, seed):
    d = random_distance(n, seed)
    group_of, value = solve_mdgp(d, bounds, 30.0, seed=seed, iterations=BUDGET)
    assert_valid(group_of, n, bounds)
    assert value == pytest.approx(brute_force(d, bounds), abs=1e-9)
    assert value == objective(as_instance(d, bounds), group_of)


def test_finds_the_optimum_with_mixed_signs():
    # Negative mean distance: even sizes are the natural start, uneven ones may still win.
    d = random_distance(10, 8, low=-100.0, high=60.0)
    bounds = [(1, 6), (2, 5), (1, 4)]
    group_of, value = solve_mdgp(d, bounds, 30.0, seed=0, iterations=BUDGET)
    assert_valid(group_of, 10, bounds)
    assert value == pytest.approx(brute_force(d, bounds), abs=1e-9)


@pytest.mark.parametrize("seed", range(6))
def test_always_feasible(seed):
    rng = np.random.default_rng(100 + seed)
    groups = int(rng.integers(2, 6))
    low = rng.integers(1, 5, groups)
    high = low + rng.integers(0, 4, groups)
    n = int(rng.integers(low.sum(), high.sum() + 1))
    bounds = list(zip(low.tolist(), high.tolist(), strict=True))
    d = random_distance(n, seed, low=-50.0, high=100.0)
    for iterations in (1, 50, 500):
        group_of, value = solve_mdgp(d, bounds, 30.0, seed=seed, iterations=iterations)
        assert_valid(group_of, n, bounds)
        assert value == objective(as_instance(d, bounds), group_of)


def test_one_group_and_a_single_element():
    d = random_distance(5, 0)
    group_of, value = solve_mdgp(d, [(5, 5)], 1.0, iterations=10)
    assert group_of == [0] * 5
    assert value == objective(as_instance(d, [(5, 5)]), group_of)
    assert solve_mdgp([[0.0]], [(0, 1), (0, 1)], 1.0, iterations=10) in (([0], 0.0), ([1], 0.0))


def test_start_sizes_maximise_the_sum_of_squares():
    rng = np.random.default_rng(0)
    low, high = np.array([2, 3, 1, 2]), np.array([5, 4, 6, 3])
    sizes = _start_sizes(rng, low, high, 12, 1.0)
    best = max(
        sum(s * s for s in combo)
        for combo in itertools.product(*(range(a, b + 1) for a, b in zip(low, high, strict=True)))
        if sum(combo) == 12
    )
    assert sizes.sum() == 12 and np.all((low <= sizes) & (sizes <= high))
    assert (sizes * sizes).sum() == best
    even = _start_sizes(rng, np.zeros(3, dtype=np.int64), np.full(3, 10), 12, -1.0)
    assert even.tolist() == [4, 4, 4]


@pytest.mark.parametrize("workers", [1, 2])
def test_deterministic_under_an_iteration_budget(workers):
    d = random_distance(40, 9)
    bounds = [(6, 12), (8, 10), (5, 15), (7, 9)]
    first = solve_mdgp(d, bounds, 60.0, seed=5, iterations=2000, workers=workers)
    again = solve_mdgp(d, bounds, 60.0, seed=5, iterations=2000, workers=workers)
    assert first == again
    assert_valid(first[0], 40, bounds)


def test_seeds_differ():
    d = random_distance(40, 9)
    bounds = [(10, 10)] * 4
    runs = {tuple(solve_mdgp(d, bounds, 60.0, seed=s, iterations=1)[0]) for s in range(4)}
    assert len(runs) > 1


def test_rejects_bad_input():
    d = random_distance(6, 0)
    with pytest.raises(ValueError, match="square"):
        solve_mdgp(d[:, :5], [(3, 3), (3, 3)], 1.0)
    with pytest.raises(ValueError, match="square"):
        solve_mdgp(np.zeros(6), [(3, 3), (3, 3)], 1.0)
    asymmetric = d.copy()
    asymmetric[0, 1] += 1.0
    with pytest.raises(ValueError, match="symmetric"):
        solve_mdgp(asymmetric, [(3, 3), (3, 3)], 1.0)
    nan = d.copy()
    nan[0, 1] = nan[1, 0] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        solve_mdgp(nan, [(3, 3), (3, 3)], 1.0)
    with pytest.raises(ValueError, match="cannot hold"):
        solve_mdgp(d, [(4, 5), (3, 4)], 1.0)  # at least 7 members for 6 elements
    with pytest.raises(ValueError, match="cannot hold"):
        solve_mdgp(d, [(1, 2), (1, 3)], 1.0)  # at most 5 members for 6 elements
    with pytest.raises(ValueError, match="a_g <= b_g"):
        solve_mdgp(d, [(4, 2), (2, 4)], 1.0)
    with pytest.raises(ValueError, match="at least one group"):
        solve_mdgp(d, [], 1.0)


# --- MDGPLIB ----------------------------------------------------------------------------------

SMALL_MDGPLIB = [
    f"{family}_n{n:03}_{kind}_01"
    for family in ("RanInt", "RanReal")
    for n in (10, 12)
    for kind in ("ss", "ds")
]


@needs_benchmarks
@pytest.mark.parametrize("name", SMALL_MDGPLIB)
def test_reaches_the_proven_optima(name):
    instance = read_instance(instance_file(ROOT, name))
    group_of, value = solve_mdgp(instance.distance, instance.bounds, 30.0, iterations=BUDGET)
    assert feasible(instance, group_of) == []
    assert value == objective(instance, group_of)
    assert value == pytest.approx(best_known()[name], abs=1e-3)  # the CSV rounds to 1e-3


@needs_benchmarks
def test_n120_ds_within_two_percent_in_a_second():
    # The size-varying instances are the harder ones; one search at a third of the 3 s limit.
    name = "RanReal_n120_ds_01"
    instance = read_instance(instance_file(ROOT, name))
    group_of, value = solve_mdgp(instance.distance, instance.bounds, 1.0, seed=1)
    assert feasible(instance, group_of) == []
    assert value == objective(instance, group_of)
    assert gap_pct(value, best_known()[name]) <= 2.0
