"""The MDGPLIB reader and evaluator: a hand-scored instance, malformed files, published results.

The published-results tests read `../shared/benchmarks` and skip when it is absent; no benchmark
data is copied into the repository.
"""

from functools import cache
from itertools import product
from pathlib import Path

import pytest

from peergroups.research.mdgp import (
    MdgpInstance,
    benchmark_root,
    best_known,
    feasible,
    instance_file,
    objective,
    read_instance,
    read_solution,
)

ROOT = benchmark_root()
needs_benchmarks = pytest.mark.skipif(ROOT is None, reason="../shared/benchmarks is absent")
SOLUTIONS = sorted((ROOT / "solutions").glob("*.sol.txt")) if ROOT else []
SMALL = [
    f"{family}_n{n:03}_{kind}_01"
    for family in ("RanInt", "RanReal")
    for n in (10, 12)
    for kind in ("ss", "ds")
]

# Four elements, two groups of exactly two. Powers of two make every grouping's score distinct:
#   {0,1}{2,3}: d01 + d23 = 1 + 32.5 = 33.5
#   {0,2}{1,3}: d02 + d13 = 2 + 16   = 18
#   {0,3}{1,2}: d03 + d12 = 4 + 8    = 12
TINY_PAIRS = "0 1 1\n0 2 2\n0 3 4\n1 2 8\n1 3 16\n2 3 32.5\n"
TINY = "4 2 ss 2 2 2 2\n" + TINY_PAIRS


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


@cache
def load(path: Path) -> MdgpInstance:
    """Each instance once per session: the n=480 files take a few tenths of a second each."""
    return read_instance(path)


# --- a hand-written instance ----------------------------------------------------------------


def test_reads_a_tiny_instance(tmp_path):
    instance = read_instance(write(tmp_path / "RanReal_n004_ss_01.txt", TINY))
    assert (instance.name, instance.family, instance.kind) == (
        "RanReal_n004_ss_01",
        "RanReal",
        "ss",
    )
    assert (instance.n, instance.groups, instance.bounds) == (4, 2, ((2, 2), (2, 2)))
    assert instance.distance == [
        [0.0, 1.0, 2.0, 4.0],
        [1.0, 0.0, 8.0, 16.0],
        [2.0, 8.0, 0.0, 32.5],
        [4.0, 16.0, 32.5, 0.0],
    ]


def test_a_name_outside_the_mdgplib_pattern_has_no_family(tmp_path):
    instance = read_instance(write(tmp_path / "tiny.txt", TINY))
    assert (instance.name, instance.family) == ("tiny", "")


def test_accepts_windows_line_ends_and_blank_lines(tmp_path):
    path = tmp_path / "tiny.txt"
    path.write_bytes(TINY.replace("\n", "\r\n").encode() + b"\r\n\r\n")
    assert read_instance(path).distance[2][3] == 32.5


@pytest.mark.parametrize(
    ("group_of", "value"),
    [((0, 0, 1, 1), 33.5), ((0, 1, 0, 1), 18.0), ((1, 0, 0, 1), 12.0)],
)
def test_objective_sums_within_group_distances(tmp_path, group_of, value):
    instance = read_instance(write(tmp_path / "tiny.txt", TINY))
    assert objective(instance, group_of) == value
    assert feasible(instance, group_of) == []


def test_objective_needs_one_group_per_element(tmp_path):
    instance = read_instance(write(tmp_path / "tiny.txt", TINY))
    with pytest.raises(ValueError, match="3 elements assigned"):
        objective(instance, (0, 0, 1))


def test_feasible_lists_every_violation(tmp_path):
    # ds: group 0 takes 1..3 elements, group 1 takes 1..2.
    instance = read_instance(write(tmp_path / "tiny.txt", "4 2 ds 1 3 1 2\n" + TINY_PAIRS))
    assert feasible(instance, (0, 0, 0, 1)) == []
    assert objective(instance, (0, 0, 0, 1)) == 1 + 2 + 8
    assert feasible(instance, (0, 0, 0, 0)) == [
        "group 0 has 4 members, bounds are 1..3",
        "group 1 has 0 members, bounds are 1..2",
    ]
    assert feasible(instance, (0, 1, 1, 2)) == ["group indices [2] outside 0..1"]
    assert feasible(instance, (0, 1)) == ["2 elements assigned, instance has n=4"]


# --- malformed instances --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "empty file"),
        ("4 2\n", 1, "expected 'n G type"),
        ("4 x ss 2 2 2 2\n" + TINY_PAIRS, 1, "expected integers"),
        ("4 2 xs 2 2 2 2\n" + TINY_PAIRS, 1, "type must be"),
        ("4 2 ss 2 2 2\n" + TINY_PAIRS, 1, "expected 4 size bounds"),
        ("4 2 ss 1 2 2 2\n" + TINY_PAIRS, 1, "type ss but group 0"),
        ("4 2 ds 0 2 2 2\n" + TINY_PAIRS, 1, "need 1 <= a_g <= b_g"),
        ("4 2 ds 1 1 1 1\n" + TINY_PAIRS, 1, "cannot hold exactly n=4"),
        ("4 2 ss 2 2 2 2\n0 1\n", 2, "expected 'i j d_ij'"),
        ("4 2 ss 2 2 2 2\n0 1 far\n", 2, "expected a number, got 'far'"),
        ("4 2 ss 2 2 2 2\n0 1 nan\n", 2, "finite"),
        ("4 2 ss 2 2 2 2\n0 1 1\n1 0 1\n", 3, "need 0 <= i < j < 4"),
        ("4 2 ss 2 2 2 2\n0 4 1\n", 2, "need 0 <= i < j < 4"),
        (TINY + "1 2 8\n", 8, "pair (1, 2) appears twice"),
        (TINY.replace("1 3 16\n", ""), 6, "1 pairs missing at end of file, first (1, 3)"),
    ],
)
def test_malformed_instances_name_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path / "bad.txt", text)
    with pytest.raises(ValueError) as caught:
        read_instance(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)


def test_header_must_agree_with_the_file_name(tmp_path):
    with pytest.raises(ValueError, match=r":1: header says n=4 ss"):
        read_instance(write(tmp_path / "RanInt_n004_ds_01.txt", TINY))


# --- solution files -------------------------------------------------------------------------

TINY_SOLUTION = (
    ".\\benchmark\\RanReal\\RanReal_n004_ss_01.txt   33.500000   20.000000   12.000000\r\n"
    "N = 4  G = 2  f = 33.500000\r\n"
    "   02      02      02 \r\n"
    "   02      02      02 \r\n"
    "  000      00\r\n"
    "  001      00\r\n"
    "  002      01\r\n"
    "  003      01\r\n"
)


def test_reads_a_solution_file(tmp_path):
    solution = read_solution(write(tmp_path / "tiny.sol.txt", TINY_SOLUTION))
    assert solution.instance_path == ".\\benchmark\\RanReal\\RanReal_n004_ss_01.txt"
    assert solution.instance_name == "RanReal_n004_ss_01"
    assert (solution.best, solution.average, solution.worst, solution.f) == (33.5, 20, 12, 33.5)
    assert solution.bounds == ((2, 2), (2, 2))
    assert solution.sizes == (2, 2)
    assert solution.group_of == (0, 0, 1, 1)
    instance = read_instance(write(tmp_path / "tiny.txt", TINY))
    assert objective(instance, solution.group_of) == solution.f


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("   33.500000   20.000000   12.000000", "", 1, "expected 'instance best average"),
        ("N = 4", "n = 4", 2, "expected 'N = .. G = .. f = ..'"),
        ("f = 33.500000", "f = lots", 2, "expected a number"),
        ("  003      01\r\n", "", 7, "expected 2 group lines and 4 element lines"),
        ("  002      01", "  005      01", 7, "expected element 2, got 5"),
        ("  002      01", "  002      02", 7, "group 2 is outside 0..1"),
        ("  002      01", "  002      00", 3, "group 0 lists size 2, 3 are assigned"),
        ("   02      02      02 \r\n   02", "   02      02 \r\n   02", 3, "expected 'a_g b_g"),
    ],
)
def test_malformed_solutions_name_file_and_line(tmp_path, old, new, line, message):
    assert old in TINY_SOLUTION
    path = write(tmp_path / "bad.sol.txt", TINY_SOLUTION.replace(old, new, 1))
    with pytest.raises(ValueError) as caught:
        read_solution(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)


# --- the published benchmark (skipped without ../shared/benchmarks) -------------------------


@needs_benchmarks
def test_the_shared_folder_holds_published_solutions():
    assert len(SOLUTIONS) >= 26  # the README's n=120-480 TPSDP solutions


@needs_benchmarks
@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda path: path.name)
def test_published_solution_is_reproduced(path):
    solution = read_solution(path)
    instance = load(instance_file(ROOT, solution.instance_name))
    assert instance.bounds == solution.bounds
    assert feasible(instance, solution.group_of) == []
    value = objective(instance, solution.group_of)
    assert value == pytest.approx(solution.f, abs=1e-3)
    assert value == pytest.approx(solution.best, abs=1e-3)
    bkv = best_known().get(instance.name)
    if bkv is not None:
        assert value == pytest.approx(bkv, abs=1e-3)


@needs_benchmarks
@pytest.mark.parametrize("name", SMALL)
def test_small_instances_parse_and_have_a_best_known_value(name):
    instance = load(instance_file(ROOT, name))
    assert instance.n == int(name.split("_")[1][1:])
    assert name in best_known()


@needs_benchmarks
@pytest.mark.parametrize("name", [name for name in SMALL if "_n010_" in name])
def test_n10_best_known_is_the_enumerated_optimum(name):
    """All 2^10 assignments of the two-group n=10 instances: the proven optimum is the bkv."""
    instance = load(instance_file(ROOT, name))
    values = (
        objective(instance, group_of)
        for group_of in product(range(instance.groups), repeat=instance.n)
        if not feasible(instance, group_of)
    )
    assert max(values) == pytest.approx(best_known()[name], abs=1e-3)
