"""`peergroups.read_plan`: a plan directory read again is the plan that was written."""

import shutil
from pathlib import Path

import pytest

from peergroups import InvalidInput, read_plan, read_problem
from peergroups.io import NotAPlan, manifest
from peergroups.io.writers import write_plan
from peergroups.model import Group, Grouping, Unassigned

SAMPLE = Path(__file__).resolve().parents[1] / "datasets" / "sample"


@pytest.fixture
def written(tmp_path):
    """A plan of the sample (two groups, one with a facilitator) and the inputs it records."""
    inputs = {}
    for name in ("companies", "relations", "facilitators"):
        inputs[name] = tmp_path / f"{name}.csv"
        shutil.copy(SAMPLE / f"{name}.csv", inputs[name])
    problem = read_problem(**inputs)
    ids = [c.company_id for c in problem.companies]
    grouping = Grouping(
        groups=(
            Group(group_id="G1", theme="erp", members=tuple(ids[:5]), facilitator_id="F001"),
            Group(group_id="G2", theme="erp", members=tuple(ids[5:10]), chair=ids[6]),
        ),
        unassigned=tuple(Unassigned(company_id=cid, reason="left out") for cid in ids[10:]),
    )
    summary = {"status": "feasible", "inputs": manifest(inputs)}
    write_plan(tmp_path / "plan", problem, grouping, summary)
    return tmp_path / "plan", inputs, problem, grouping, summary


def test_a_plan_read_again_is_the_plan_written(written):
    plan_dir, inputs, problem, grouping, summary = written

    plan = read_plan(plan_dir)

    assert plan.problem.model_dump() == problem.model_dump()
    assert plan.grouping == grouping
    assert plan.summary == summary
    assert plan.inputs == {**inputs, "pins": None, "history": None}
    assert plan.warnings == []


def test_an_override_replaces_the_recorded_input(written, tmp_path):
    plan_dir, *_ = written
    fewer = tmp_path / "fewer_relations.csv"
    fewer.write_text("company_a,company_b,relation\n", encoding="utf-8")

    plan = read_plan(plan_dir, {"relations": fewer})

    assert plan.inputs["relations"] == fewer
    assert plan.problem.relations == ()


def test_an_input_changed_since_the_plan_is_not_read(written):
    # issue 16: a plan's inputs are read only when their hashes match its manifest
    plan_dir, inputs, *_ = written
    with inputs["relations"].open("a", encoding="utf-8") as handle:
        handle.write("C0001,C0002,other,soft\n")

    with pytest.raises(NotAPlan, match=r"relations file .* is not the file the plan was made"):
        read_plan(plan_dir)

    assert read_plan(plan_dir, {"relations": inputs["relations"]}).warnings == []


def test_an_edited_copy_of_the_assignments_is_read_instead(written, tmp_path):
    plan_dir, *_ = written
    edited = tmp_path / "edited.csv"
    lines = (plan_dir / "assignments.csv").read_text(encoding="utf-8").splitlines()
    # the first company leaves G1 (out, with a reason); the file names it first
    edited.write_text("\n".join([lines[0], "C0001,,,,moved out", *lines[2:]]) + "\n")

    plan = read_plan(plan_dir, assignments=edited)

    assert "C0001" not in plan.grouping.group_of
    assert plan.grouping.groups[0].facilitator_id == "F001"


def test_what_is_not_a_plan_is_refused(written, tmp_path):
    plan_dir, inputs, *_ = written
    with pytest.raises(NotAPlan, match=r"has no summary\.json"):
        read_plan(tmp_path)
    inputs["facilitators"].unlink()
    with pytest.raises(NotAPlan, match=r"facilitators file .* is gone"):
        read_plan(plan_dir)


def test_invalid_assignments_list_their_issues(written):
    plan_dir, *_ = written
    (plan_dir / "assignments.csv").write_text(
        "company_id,group_id,theme\nC9999,G1,erp\n", encoding="utf-8"
    )

    with pytest.raises(InvalidInput) as raised:
        read_plan(plan_dir)

    [issue] = raised.value.issues
    assert (issue.line, issue.column) == (2, "company_id")
