"""Research code, kept apart from the product: nothing here is needed to form groups.

- `bench` and `baselines`: the benchmark of peergroups against a coordinator's sweep and a
  first CP-SAT model (docs/benchmarking.md);
- `sweep`: every scenario on every instance with every seed, for comparing scenarios;
- `pairwise` and `mdgp_bench`: the MDGP tabu search and its MDGPLIB benchmark (docs/mdgp.md).
"""

import importlib
from types import ModuleType


class Unavailable(Exception):
    """A research run cannot start: an optional package or the benchmark data is missing."""


def needs(module: str, extra: str, purpose: str) -> ModuleType:
    """`module`, imported; when it is not installed, Unavailable naming the extra that brings
    it. The product installs without numba and ray, so their absence is a message, not a
    traceback."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as missing:
        if missing.name != module:
            raise  # installed but broken: its own error says more
        raise Unavailable(
            f"{purpose} needs {module}, which is not installed: pip install 'peergroups[{extra}]'"
        ) from None
