"""peergroups: the domain of peer-learning group formation (types, vocabularies, files).

From Python::

    from peergroups import read_problem
    problem = read_problem("companies.csv", relations=relations_frame)

`read_problem` takes paths (CSV or XLSX) or pandas DataFrames with the same columns and
returns the validated `Problem`, or raises `InvalidInput` whose `issues` list every problem
in every input. `read_plan` reads a plan directory again. The solver is the `solver` package.
"""

__version__ = "0.1.0"

from peergroups.io import (
    InputIssue,
    InputWarning,
    InvalidInput,
    Plan,
    read_plan,
    read_problem,
)
from peergroups.model import (
    Company,
    Facilitator,
    Group,
    GroupFacts,
    Grouping,
    Meeting,
    Mode,
    Pin,
    PinKind,
    Problem,
    Relation,
    RelationKind,
    Severity,
    Unassigned,
)
from peergroups.roles import Role

__all__ = [
    "Company",
    "Facilitator",
    "Group",
    "GroupFacts",
    "Grouping",
    "InputIssue",
    "InputWarning",
    "InvalidInput",
    "Meeting",
    "Mode",
    "Pin",
    "PinKind",
    "Plan",
    "Problem",
    "Relation",
    "RelationKind",
    "Role",
    "Severity",
    "Unassigned",
    "__version__",
    "read_plan",
    "read_problem",
]
