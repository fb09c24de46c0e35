"""The rule registry: every module in this package is imported, and its `@register`ed rules
become available to scenarios by `kind`. A new rule variant is one new module here."""

import importlib
import pkgutil

from solver.rules.base import REGISTRY, FacilitationRule, Rule, RuleSet, Violation, register

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name != "base"):
    importlib.import_module(f"{__name__}.{_module}")

__all__ = ["REGISTRY", "FacilitationRule", "Rule", "RuleSet", "Violation", "register"]
