"""Split a problem into parts no group can span, so each part is solved on its own.

Two companies can share a group only if they share a theme in which both are placeable and,
for every rule that partitions companies (`Rule.partition_keys`, e.g. the common-language
rule by language), a key. Companies are joined through (theme, key, ...) buckets with a
union-find, so parts are exact supersets of who could meet whom: solving the parts separately
loses nothing, and every objective term adds up over them.

A part too large to search well in one piece is cut further by `pieces`: by primary theme,
then maturity. That cut is a heuristic (groups across it are lost until the pipeline's seam
pass searches the whole part again), so it is only made above a size.
"""

from itertools import pairwise, product

from solver.space import SearchSpace


def parts(space: SearchSpace) -> list[SearchSpace]:
    """The independent parts of the space, smallest first (then by first company id)."""
    problem, themes_of = space.problem, space.themes_of
    parent = {cid: cid for cid in themes_of}

    def root(cid: str) -> str:
        while parent[cid] != cid:
            parent[cid] = parent[parent[cid]]
            cid = parent[cid]
        return cid

    first_in_bucket: dict[tuple, str] = {}
    for cid in sorted(themes_of):
        company = problem.by_id[cid]
        keyings = [
            sorted(keys) for r in space.rules if (keys := r.partition_keys(company)) is not None
        ]
        for theme in themes_of[cid]:
            for keys in product(*keyings):
                bucket = (theme, *keys)
                other = first_in_bucket.setdefault(bucket, cid)
                parent[root(cid)] = root(other)

    grouped: dict[str, dict[str, tuple[str, ...]]] = {}
    for cid in sorted(themes_of):
        grouped.setdefault(root(cid), {})[cid] = themes_of[cid]
    ordered = sorted(grouped.values(), key=lambda part: (len(part), min(part)))
    return [space.narrowed(part) for part in ordered]


def pieces(part: SearchSpace, largest: int) -> list[SearchSpace]:
    """The part cut into pieces of at most `largest` companies of about equal size: companies
    ordered by their first theme, then maturity, then id, and cut into runs. Companies of a
    theme and a maturity band stay together, so most good groups stay inside one piece."""
    themes_of = part.themes_of
    if len(themes_of) <= largest:
        return [part]
    by_id = part.problem.by_id
    ordered = sorted(themes_of, key=lambda cid: (themes_of[cid][0], by_id[cid].maturity, cid))
    count = -(-len(ordered) // largest)
    bounds = [len(ordered) * number // count for number in range(count + 1)]
    return [
        part.narrowed({cid: themes_of[cid] for cid in sorted(ordered[low:high])})
        for low, high in pairwise(bounds)
    ]
