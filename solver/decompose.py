"""Split a problem into parts no group can span, so each part is solved on its own.

Two companies can share a group only if they share a theme in which both are placeable and,
for every rule that partitions companies (`Rule.partition_keys`, e.g. the common-language
rule by language), a key. Companies are joined through (theme, key, ...) buckets with a
union-find, so parts are exact supersets of who could meet whom: solving the parts separately
loses nothing, and every objective term adds up over them.
"""

from itertools import product

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
