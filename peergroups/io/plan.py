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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from peergroups.io.readers import (
    InputIssue,
    InvalidInput,
    read_assignment_rounds,
    read_assignments,
    read_facilitators_of_groups,
    read_inputs,
)
from peergroups.io.safety import Unreadable, read_bytes
from peergroups.model import Grouping, Meeting, Problem
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
    rounds: tuple[Grouping, ...] = ()
    """Every round of a plan of several rounds (`form-groups --rounds`), in order, round 1
    being `grouping`; empty for a plan of one round."""

    def each_round(self) -> list["Plan"]:
        """The plan round by round: itself for a plan of one round, else one plan per round
        (`of_round`)."""
        return [self.of_round(number) for number in range(1, len(self.rounds) + 1)] or [self]

    def of_round(self, number: int) -> "Plan":
        """Round `number` (from 1) as a plan of one round, the way it was formed: its
        problem holds the rounds before it as history, so a pair meeting again counts."""
        if not self.rounds and number == 1:
            return self
        if not 1 <= number <= len(self.rounds):
            held = f"rounds 1-{len(self.rounds)}" if self.rounds else "one round"
            raise NotAPlan(f"the plan has no round {number}: it holds {held}")
        first = max((seat.round for seat in self.problem.history), default=0) + 1
        seats = tuple(
            Meeting(round=first + index, group_id=f"R{index + 1}-{group.group_id}", company_id=cid)
            for index, grouping in enumerate(self.rounds[: number - 1])
            for group in grouping.groups
            for cid in group.members
        )
        fields = {name: getattr(self.problem, name) for name in type(self.problem).model_fields}
        problem = Problem(**fields | {"history": self.problem.history + seats})
        return replace(self, problem=problem, grouping=self.rounds[number - 1], rounds=())


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
    several_rounds: bool = False,
) -> Plan:
    """The plan in `plan_dir`, read with the inputs it records (or `overrides`, by input name),
    from its assignments.csv or the edited copy `assignments`. A plan of several rounds is
    read (into `Plan.rounds`) only by a caller that says it handles them (`several_rounds`).

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
    count = _round_count(summary)
    if count and not several_rounds:
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
        source = assignments or plan_dir / "assignments.csv"
        hidden = loaded.problem
        if summary.get("pseudonymised") and key is not None:
            hidden, _ = pseudonymise(loaded.problem, Grouping(), key)
        if count:
            rounds = read_assignment_rounds(source, hidden)
            _all_rounds(source, rounds, count)
        else:
            rounds = {0: read_assignments(source, hidden)}
        if hidden is not loaded.problem:
            rounds = {n: reveal(g, key, loaded.problem) for n, g in rounds.items()}
    except InvalidInput as invalid:
        raise InvalidInput(invalid.issues, warnings) from None
    staffed = []
    for number, grouping in sorted(rounds.items()):
        staff = read_facilitators_of_groups(plan_dir / "groups.csv", number or None)
        groups = tuple(
            g.model_copy(update={"facilitator_id": staff.get(g.group_id)}) for g in grouping.groups
        )
        staffed.append(grouping.model_copy(update={"groups": groups}))
    several = tuple(staffed) if count else ()
    return Plan(loaded.problem, staffed[0], summary, paths, warnings, several)


def _round_count(summary: dict[str, Any]) -> int:
    """How many rounds a plan of several rounds holds (0 for a plan of one round)."""
    rounds = summary.get("rounds")
    count = rounds.get("rounds") if isinstance(rounds, dict) else None
    return count if isinstance(count, int) and count > 1 else 0


def _all_rounds(source: Path, rounds: dict[int, Grouping], count: int) -> None:
    """InvalidInput unless the assignments hold exactly the rounds 1..count of the plan."""
    if sorted(rounds) != list(range(1, count + 1)):
        found = ", ".join(map(str, sorted(rounds))) or "none"
        message = f"the plan has rounds 1-{count}; the file holds round(s) {found}"
        raise InvalidInput([InputIssue(str(source), None, "round", message)])


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
