"""Reading and writing peergroups' files: inputs (CSV, XLSX or DataFrames) and plans.

The column contract of every file is `peergroups.io.columns`; the writers are in
`peergroups.io.writers` (imported on their own: they draw the report).
"""

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
    "InputIssue",
    "InputWarning",
    "InvalidInput",
    "Loaded",
    "read_assignments",
    "read_changes",
    "read_inputs",
    "read_problem",
]
