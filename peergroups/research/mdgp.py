"""MDGPLIB instances and published solutions, and an exact evaluator for them.

The Maximally Diverse Grouping Problem (MDGP) splits n elements into G groups, group g holding
between a_g and b_g elements, and maximises the sum over groups of the within-group sum of the
pairwise distances d_ij. Gallego et al. (2013) published the RanReal and RanInt instances; the
heuristics that hold the best-known values (TPSDP, Yang et al. 2022) published their
assignments. This module reads both formats and scores an assignment exactly, so the engine's
results can be compared with the literature on the literature's own terms.

The data lives outside the repository, in `../shared/benchmarks` (see its README for the
formats); it is never copied in. Everything here is plain Python: no solver is needed to read an
instance or to judge an assignment.
"""

import csv
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path, PureWindowsPath

_INSTANCE_NAME = re.compile(r"(?P<family>[A-Za-z]+)_n(?P<n>\d+)_(?P<kind>ss|ds)_\d+")
_SOLUTION_COUNTS = re.compile(r"N\s*=\s*(\S+)\s+G\s*=\s*(\S+)\s+f\s*=\s*(\S+)")


@dataclass(frozen=True)
class MdgpInstance:
    """One MDGPLIB instance.

    `distance` is a full symmetric n x n list of lists with a zero diagonal, so a lookup is
    `distance[i][j]` in either order. Both halves share the same float objects; at n = 480 the
    matrix costs about 5 MB, and about 20 MB at n = 960, the largest published size.
    """

    name: str
    """The file name without `.txt`, e.g. `RanReal_n120_ss_01`."""
    family: str
    """`RanReal` or `RanInt` from the file name; empty when the name is not MDGPLIB's pattern."""
    n: int
    groups: int
    kind: str
    """`ss` (every group has exactly n/G members) or `ds` (group g has a_g..b_g members)."""
    bounds: tuple[tuple[int, int], ...]
    """(a_g, b_g) for each group g, in the order of the file's header."""
    distance: list[list[float]]


@dataclass(frozen=True)
class MdgpSolution:
    """One published assignment, in the layout of TPSDP's `.sol.txt` files.

    Line 1: the instance path as TPSDP wrote it (a Windows path) and the best, average and worst
    objective over its 20 runs. Line 2: `N = .. G = .. f = ..`, f being the objective of this
    assignment. Then one line `a_g b_g size_g` per group, then one line `i group_of[i]` per
    element, both 0-based.
    """

    instance_path: str
    best: float
    average: float
    worst: float
    f: float
    bounds: tuple[tuple[int, int], ...]
    sizes: tuple[int, ...]
    group_of: tuple[int, ...]

    @property
    def instance_name(self) -> str:
        """The instance's name, e.g. `RanReal_n120_ds_01`, to look it up with `instance_file`."""
        return PureWindowsPath(self.instance_path).stem


def _error(path: Path, line: int, message: str) -> ValueError:
    return ValueError(f"{path}:{line}: {message}")


def _ints(path: Path, line: int, tokens: Sequence[str]) -> list[int]:
    try:
        return [int(token) for token in tokens]
    except ValueError:
        raise _error(path, line, f"expected integers, got {' '.join(tokens)!r}") from None


def _number(path: Path, line: int, token: str) -> float:
    try:
        value = float(token)
    except ValueError:
        raise _error(path, line, f"expected a number, got {token!r}") from None
    if not math.isfinite(value):
        raise _error(path, line, f"expected a finite number, got {token!r}")
    return value


def _read_header(path: Path, text: str) -> tuple[int, int, str, tuple[tuple[int, int], ...]]:
    tokens = text.split()
    if len(tokens) < 3:
        raise _error(path, 1, f"expected 'n G type a_1 b_1 ... a_G b_G', got {text.strip()!r}")
    n, groups = _ints(path, 1, tokens[:2])
    kind = tokens[2]
    if kind not in ("ss", "ds"):
        raise _error(path, 1, f"type must be 'ss' or 'ds', got {kind!r}")
    if n < 1 or groups < 1:
        raise _error(path, 1, f"n and G must be positive, got n={n}, G={groups}")
    if len(tokens) != 3 + 2 * groups:
        raise _error(path, 1, f"expected {2 * groups} size bounds for G={groups}")
    sizes = _ints(path, 1, tokens[3:])
    bounds = tuple(zip(sizes[0::2], sizes[1::2], strict=True))
    for g, (low, high) in enumerate(bounds):
        if not 1 <= low <= high:
            raise _error(path, 1, f"group {g} has bounds {low}..{high}; need 1 <= a_g <= b_g")
        if kind == "ss" and low != high:
            raise _error(path, 1, f"type ss but group {g} has bounds {low}..{high}")
    if not sum(low for low, _ in bounds) <= n <= sum(high for _, high in bounds):
        raise _error(path, 1, f"the size bounds cannot hold exactly n={n} elements")
    return n, groups, kind, bounds


def read_instance(path: Path) -> MdgpInstance:
    """Read an MDGPLIB instance: a header `n G type a_1 b_1 ... a_G b_G`, then `i j d_ij` lines.

    Every pair i < j must appear exactly once; anything else raises ValueError naming the file
    and line, because a silently missing distance would read as 0 and skew every comparison
    with the published values.
    """
    path = Path(path)
    lines = path.read_text().splitlines()
    if not lines:
        raise _error(path, 1, "empty file")
    n, groups, kind, bounds = _read_header(path, lines[0])
    name = path.stem
    named = _INSTANCE_NAME.fullmatch(name)
    if named and (int(named["n"]), named["kind"]) != (n, kind):
        raise _error(path, 1, f"header says n={n} {kind}, the file name says otherwise")

    # NaN marks a pair not yet read: it tells duplicates from first reads and finds gaps.
    distance = [[math.nan] * n for _ in range(n)]
    for i in range(n):
        distance[i][i] = 0.0
    for number, text in enumerate(lines[1:], start=2):
        tokens = text.split()
        if not tokens:
            continue
        if len(tokens) != 3:
            raise _error(path, number, f"expected 'i j d_ij', got {text.strip()!r}")
        i, j = _ints(path, number, tokens[:2])
        if not 0 <= i < j < n:
            raise _error(path, number, f"need 0 <= i < j < {n}, got i={i}, j={j}")
        if not math.isnan(distance[i][j]):
            raise _error(path, number, f"pair ({i}, {j}) appears twice")
        distance[i][j] = distance[j][i] = _number(path, number, tokens[2])

    missing = [(i, j) for i, j in combinations(range(n), 2) if math.isnan(distance[i][j])]
    if missing:
        raise _error(
            path, len(lines), f"{len(missing)} pairs missing at end of file, first {missing[0]}"
        )
    return MdgpInstance(
        name=name,
        family=named["family"] if named else "",
        n=n,
        groups=groups,
        kind=kind,
        bounds=bounds,
        distance=distance,
    )


def read_solution(path: Path) -> MdgpSolution:
    """Read a TPSDP `.sol.txt` file (layout in `MdgpSolution`).

    The file's own counts and group sizes are checked against its assignment lines, so a
    truncated or garbled file fails here rather than as a puzzling objective mismatch later.
    """
    path = Path(path)
    lines = path.read_text().splitlines()
    if len(lines) < 2:
        raise _error(path, len(lines) or 1, "expected a summary line and an 'N = .. G = ..' line")
    summary = lines[0].rsplit(maxsplit=3)
    if len(summary) != 4:
        raise _error(path, 1, f"expected 'instance best average worst', got {lines[0]!r}")
    best, average, worst = (_number(path, 1, token) for token in summary[1:])
    counts = _SOLUTION_COUNTS.fullmatch(lines[1].strip())
    if not counts:
        raise _error(path, 2, f"expected 'N = .. G = .. f = ..', got {lines[1]!r}")
    n, groups = _ints(path, 2, counts.groups()[:2])
    f = _number(path, 2, counts[3])

    body = [(number, text.split()) for number, text in enumerate(lines[2:], start=3)]
    body = [(number, tokens) for number, tokens in body if tokens]
    if len(body) != groups + n:
        raise _error(path, len(lines), f"expected {groups} group lines and {n} element lines")
    bounds, sizes = [], []
    for number, tokens in body[:groups]:
        if len(tokens) != 3:
            raise _error(path, number, f"expected 'a_g b_g size_g', got {' '.join(tokens)!r}")
        low, high, size = _ints(path, number, tokens)
        bounds.append((low, high))
        sizes.append(size)
    group_of = []
    for element, (number, tokens) in enumerate(body[groups:]):
        if len(tokens) != 2:
            raise _error(path, number, f"expected 'element group', got {' '.join(tokens)!r}")
        index, group = _ints(path, number, tokens)
        if index != element:
            raise _error(path, number, f"expected element {element}, got {index}")
        if not 0 <= group < groups:
            raise _error(path, number, f"group {group} is outside 0..{groups - 1}")
        group_of.append(group)

    counted = Counter(group_of)
    for g, size in enumerate(sizes):
        if counted[g] != size:
            raise _error(path, 3 + g, f"group {g} lists size {size}, {counted[g]} are assigned")
    return MdgpSolution(
        instance_path=summary[0],
        best=best,
        average=average,
        worst=worst,
        f=f,
        bounds=tuple(bounds),
        sizes=tuple(sizes),
        group_of=tuple(group_of),
    )


def objective(instance: MdgpInstance, group_of: Sequence[int]) -> float:
    """The MDGP objective: the sum over groups of the within-group sum of d_ij, i < j.

    Summed with `math.fsum`, correctly rounded, so comparisons with published values to 1e-3
    measure the assignment and not the order of floating-point additions.
    """
    if len(group_of) != instance.n:
        raise ValueError(f"{len(group_of)} elements assigned, instance has n={instance.n}")
    members = defaultdict(list)
    for element, group in enumerate(group_of):
        members[group].append(element)
    distance = instance.distance
    return math.fsum(
        distance[i][j] for group in members.values() for i, j in combinations(group, 2)
    )


def feasible(instance: MdgpInstance, group_of: Sequence[int]) -> list[str]:
    """Every way `group_of` breaks the instance's rules; empty when it is a valid grouping.

    Checked: one group per element, group indices in 0..G-1, and each group's size within its
    bounds (so, since a_g >= 1, exactly G non-empty groups).
    """
    problems = []
    if len(group_of) != instance.n:
        problems.append(f"{len(group_of)} elements assigned, instance has n={instance.n}")
    outside = sorted({group for group in group_of if not 0 <= group < instance.groups})
    if outside:
        problems.append(f"group indices {outside} outside 0..{instance.groups - 1}")
    sizes = Counter(group_of)
    for g, (low, high) in enumerate(instance.bounds):
        if not low <= sizes[g] <= high:
            problems.append(f"group {g} has {sizes[g]} members, bounds are {low}..{high}")
    return problems


def benchmark_root() -> Path | None:
    """The shared benchmark folder, `../shared/benchmarks` next to the repository, if present.

    None when absent (a fresh clone): benchmarks and their tests then skip instead of failing.
    """
    root = Path(__file__).resolve().parents[2].parent / "shared" / "benchmarks"
    return root if root.is_dir() else None


def instance_file(root: Path, name: str) -> Path:
    """Where instance `name` (e.g. `RanInt_n240_ds_01`) lives under the benchmark root."""
    family = name.split("_", 1)[0]
    return root / "mdgp" / family / f"{name}.txt"


def best_known(root: Path | None = None) -> dict[str, float]:
    """Instance name -> best-known objective from `mdgp_best_known.csv` under `root` (by
    default `benchmark_root()`); empty when absent.

    Includes rows for instances whose files are not in the folder (n = 960).
    """
    root = root or benchmark_root()
    table = root / "mdgp_best_known.csv" if root else None
    if table is None or not table.is_file():
        return {}
    with table.open(newline="") as handle:
        return {row["instance"]: float(row["bkv"]) for row in csv.DictReader(handle)}
