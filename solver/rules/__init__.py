"""The rule registry: importing this package registers every rule module in it."""

from solver.rules import (  # noqa: F401  (imported to register)
    common_language,
    facilitator_capacity,
    facilitator_expertise,
    facilitator_impartiality,
    facilitator_language,
    facilitator_region,
    forbidden_pairs,
    group_size,
    maturity_spread,
    meeting_mode,
    role_tier,
    shared_theme,
)
from solver.rules.base import REGISTRY, FacilitationRule, Rule, Violation, register

__all__ = ["REGISTRY", "FacilitationRule", "Rule", "Violation", "register"]
