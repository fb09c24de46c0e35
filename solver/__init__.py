"""solver: optimisation over the peergroups domain; the only package that imports OR-Tools.

The public API, as the command line and a researcher's notebook use it:

    scenario = Scenario.default().with_solver(time_limit=20, seed=1)
    result = solve(problem, scenario)            # a checked plan and how good it is
    violations = check(problem, result.grouping, scenario.active_rules)
"""

from solver.checks import ObjectiveChange, TermChange, check, check_changed, objective_change
from solver.diagnose import diagnose
from solver.explain import Explanation, Infeasible, explain_company
from solver.hints import placement_hints, with_hints
from solver.interrupt import STOP, stop_on_signals
from solver.keep import reoptimise_keeping
from solver.lexicographic import Progress
from solver.objective import RememberingObjective
from solver.pipeline import NoPlanInTime, SolverBug, TooLarge, refuse_if_too_large, solve
from solver.programme import screening
from solver.proof import Proof, ScoreReader
from solver.repair import Move, apply_changes, repair_diff
from solver.result import LevelReport, Result, Status
from solver.rounds import Rounds, meetings_again, plan_rounds
from solver.rules import REGISTRY, Rule, Violation
from solver.scenario import (
    DEFAULT_ORDER,
    DEFAULT_WORKERS,
    MAX_WORKERS,
    Scenario,
    Shortcut,
    shortcuts,
)

__all__ = [
    "DEFAULT_ORDER",
    "DEFAULT_WORKERS",
    "MAX_WORKERS",
    "REGISTRY",
    "STOP",
    "Explanation",
    "Infeasible",
    "LevelReport",
    "Move",
    "NoPlanInTime",
    "ObjectiveChange",
    "Progress",
    "Proof",
    "RememberingObjective",
    "Result",
    "Rounds",
    "Rule",
    "Scenario",
    "ScoreReader",
    "Shortcut",
    "SolverBug",
    "Status",
    "TermChange",
    "TooLarge",
    "Violation",
    "apply_changes",
    "check",
    "check_changed",
    "diagnose",
    "explain_company",
    "meetings_again",
    "objective_change",
    "placement_hints",
    "plan_rounds",
    "refuse_if_too_large",
    "reoptimise_keeping",
    "repair_diff",
    "screening",
    "shortcuts",
    "solve",
    "stop_on_signals",
    "with_hints",
]
