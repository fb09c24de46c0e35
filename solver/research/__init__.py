"""Research code, kept apart from the product: nothing here is needed to form groups.

- `bench` and `baselines`: the benchmark of peergroups against a coordinator's sweep and a
  first CP-SAT model (docs/benchmarking.md);
- `sweep`: every scenario on every instance with every seed, for comparing scenarios;
- `pairwise` and `mdgp_bench`: the MDGP tabu search and its MDGPLIB benchmark (docs/mdgp.md).

They may need packages the product does not: numba (the `research` extra) for the MDGP search
and ray (the `ray` extra) for sweeps on a cluster. `needs` imports one where it is used, or
raises `Unavailable` naming the extra to install (`solver.extras`); the command line prints
that and exits 1.
"""

from solver.extras import Unavailable, needs

__all__ = ["BadRequest", "Unavailable", "needs", "parse_seeds", "silent"]


class BadRequest(ValueError):
    """A request no run can serve: an unknown method or instance, a malformed seed list."""


def parse_seeds(text: str) -> list[int]:
    """'1-5' or '1,3,7' -> the seeds."""
    try:
        if "-" in text:
            first, last = (int(part) for part in text.split("-", 1))
            return list(range(first, last + 1))
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise BadRequest(f"{text!r} is not a seed range like 1-5 or a list like 1,3,7") from None


def silent(line: str) -> None:
    """The default progress of the runners here: print nothing."""
