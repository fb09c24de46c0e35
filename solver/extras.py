"""Optional packages: the product installs without numba and ray.

`needs` imports one where it is used, or raises `Unavailable` naming the extra to install;
the command line prints that and exits 1, a message rather than a traceback.
"""

import importlib
from types import ModuleType


class Unavailable(Exception):
    """A run cannot start: an optional package (or, for a benchmark, its data) is missing."""


def needs(module: str, extra: str, purpose: str) -> ModuleType:
    """`module`, imported; when it is not installed, Unavailable naming the extra that brings
    it."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as missing:
        if missing.name != module:
            raise  # installed but broken: its own error says more
        raise Unavailable(
            f"{purpose} needs {module}, which is not installed: pip install 'peergroups[{extra}]'"
        ) from None
