"""The rule registry: importing this package registers every rule module in it."""

from solver.rules import (  # noqa: F401  (imported to register)
    common_language,
    forbidden_pairs,
    group_size,
    maturity_spread,
    meeting_mode,
    role_tier,
    shared_theme,
)
from solver.rules.base import REGISTRY, Rule, Violation, register

__all__ = ["REGISTRY", "Rule", "Violation", "register"]
