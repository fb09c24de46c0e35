"""solver: optimisation over the peergroups domain; the only package that imports OR-Tools."""

from solver.check import check
from solver.result import Result
from solver.scenario import Scenario
from solver.solve import SolverBug, solve

__all__ = ["Result", "Scenario", "SolverBug", "check", "solve"]
