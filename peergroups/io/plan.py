"""Reading a plan directory again (DESIGN.md "Output directory"): its summary, the input files
its manifest records, and its assignments, as `check`, `report`, `explain` and `repair` need.

The manifest is summary.json's `inputs`: each input file's absolute path and SHA-256, written
by `manifest` when the plan is made. An input may be overridden (say a corrected companies
file); a recorded one is read only when it is still the file the plan was made from (its
SHA-256 matches): one that changed or is gone is refused, so an edited summary.json cannot make
a command read some other file. A summary.json that is not a plan's is an input problem.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peergroups.io.readers import (
    InputIssue,
    InvalidInput,
    read_assignments,
    read_facilitators_of_groups,
    read_inputs,
)
from peergroups.io.safety import Unreadable, read_bytes
from peergroups.model import Grouping, Problem
from peergroups.pseudonyms import PseudonymKey, pseudonymise, reveal

INPUTS = ("companies", "relations", "facilitators", "pins", "history")
"""The input files a plan is made from, as `read_problem` takes them."""


class NotAPlan(Exception):
    """The directory is not a plan, or an input it records cannot be found (a usage error)."""


@dataclass(frozen=True)
class Plan:
    """A plan read again, with the problem it was made for."""

    problem: Problem
    grouping: Grouping
    """The assignments (or an edited copy of them), with each group's facilitator."""
    summary: dict[str, Any]
    inputs: dict[str, Path | None]
    """Each input's file as read: the recorded one or its override; None when not given."""
    warnings: list[str]
    """What reading noticed (an input changed since the plan was made, a column ignored)."""


def sha256(path: Path) -> str:
    """The SHA-256 of a regular file of at most MAX_BYTES (else Unreadable)."""
    return hashlib.sha256(read_bytes(Path(path))).hexdigest()


def manifest(inputs: Mapping[str, Path | None]) -> dict[str, dict[str, str]]:
    """Where each input file is and its hash: summary.json's `inputs`, what `read_plan` reads."""
    return {
        name: {"path": str(Path(path).resolve()), "sha256": sha256(path)}
        for name, path in inputs.items()
        if path is not None
    }


def read_plan(
    plan_dir: Path,
    overrides: Mapping[str, Path | None] | None = None,
    assignments: Path | None = None,
    key: PseudonymKey | None = None,
) -> Plan:
    """The plan in `plan_dir`, read with the inputs it records (or `overrides`, by input name),
    from its assignments.csv or the edited copy `assignments`.

    Raises NotAPlan when the directory or its inputs cannot be found, and InvalidInput (its
    `warnings` too) when the inputs or the assignments do not hold.
    """
    plan_dir = Path(plan_dir)
    summary_path = plan_dir / "summary.json"
    if not summary_path.exists():
        raise NotAPlan(f"{plan_dir} has no summary.json: is it a plan directory?")
    summary, recorded = _summary(summary_path)
    if summary.get("pseudonymised") and key is None:
        raise NotAPlan(f"{plan_dir} is a pseudonymised plan; pass its key file with --key")
    if isinstance(summary.get("rounds"), dict) and assignments is None:
        count = summary["rounds"].get("rounds")
        raise NotAPlan(
            f"{plan_dir} holds {count} rounds (form-groups --rounds); this command reads a "
            "plan of one round"
        )
    overrides = overrides or {}
    warnings: list[str] = []

    def path_of(name: str) -> Path | None:
        if overrides.get(name) is not None:
            return Path(overrides[name])
        if name not in recorded:
            return None
        path = Path(recorded[name]["path"])
        if not path.exists():
            raise NotAPlan(f"the plan's {name} file {path} is gone; pass --{name}")
        try:
            same = sha256(path) == recorded[name]["sha256"]
        except (OSError, Unreadable):
            same = False
        if not same:
            raise NotAPlan(
                f"the plan's {name} file {path} is not the file the plan was made from (it "
                f"changed since, or summary.json was edited); pass --{name} to read a file "
                "anyway"
            )
        return path

    paths = {name: path_of(name) for name in INPUTS}
    if paths["companies"] is None:
        raise NotAPlan("the plan does not record its companies file; pass --companies")
    try:
        loaded = read_inputs(**paths)
        warnings += map(str, loaded.warnings)
        if summary.get("pseudonymised") and key is not None:
            hidden, _ = pseudonymise(loaded.problem, Grouping(), key)
            grouping = read_assignments(assignments or plan_dir / "assignments.csv", hidden)
            grouping = reveal(grouping, key, loaded.problem)
        else:
            grouping = read_assignments(assignments or plan_dir / "assignments.csv", loaded.problem)
        staff = read_facilitators_of_groups(plan_dir / "groups.csv")
    except InvalidInput as invalid:
        raise InvalidInput(invalid.issues, warnings) from None
    groups = tuple(
        g.model_copy(update={"facilitator_id": staff.get(g.group_id)}) for g in grouping.groups
    )
    grouping = grouping.model_copy(update={"groups": groups})
    return Plan(loaded.problem, grouping, summary, paths, warnings)


def _summary(path: Path) -> tuple[dict[str, Any], dict[str, dict[str, str]]]:
    """summary.json and its `inputs`, or InvalidInput saying what is wrong with it."""

    def invalid(message: str) -> InvalidInput:
        return InvalidInput([InputIssue(str(path), None, None, message)])

    try:
        summary = json.loads(read_bytes(path).decode("utf-8"))
    except Unreadable as error:
        raise invalid(str(error)) from None
    except UnicodeDecodeError:
        raise invalid("is not UTF-8 text: is it a plan's summary.json?") from None
    except ValueError as error:
        raise invalid(f"is not valid JSON ({error}): is it a plan's summary.json?") from None
    if not isinstance(summary, dict):
        raise invalid("is not a JSON object: is it a plan's summary.json?")
    recorded = summary.get("inputs", {})
    if not isinstance(recorded, dict) or not all(
        name in INPUTS
        and isinstance(entry, dict)
        and isinstance(entry.get("path"), str)
        and Path(entry["path"]).is_absolute()
        and isinstance(entry.get("sha256"), str)
        for name, entry in recorded.items()
    ):
        raise invalid("inputs: each input needs an absolute path and a sha256")
    return summary, recorded
