"""Reading and writing peergroups' files: inputs (CSV, XLSX or DataFrames) and plan directories.

The column contract of every file is `peergroups.io.columns`; the writers are in
`peergroups.io.writers` (imported on their own: they draw the report).
"""

from peergroups.io.plan import INPUTS, NotAPlan, Plan, manifest, read_plan
from peergroups.io.readers import (
    InputIssue,
    InputWarning,
    InvalidInput,
    Loaded,
    read_assignments,
    read_changes,
    read_inputs,
    read_problem,
)

__all__ = [
    "INPUTS",
    "InputIssue",
    "InputWarning",
    "InvalidInput",
    "Loaded",
    "NotAPlan",
    "Plan",
    "manifest",
    "read_assignments",
    "read_changes",
    "read_inputs",
    "read_plan",
    "read_problem",
]
