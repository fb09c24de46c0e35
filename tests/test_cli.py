"""The command line in-process: exit codes, the output directory contract and `check`.

Solves use short time limits and two workers; the sample plan is solved once per module.
"""

import csv
import json
import re
import shutil
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result

import cli
from peergroups.io import writers
from peergroups.io.readers import read_problem
from peergroups.roles import TIER

TESTS = Path(__file__).parent
SAMPLE = TESTS.parent / "datasets" / "sample"
INPUTS = TESTS / "data" / "inputs"
CLI_DATA = TESTS / "data" / "cli"
THREE = CLI_DATA / "three_companies.csv"
FIVE = CLI_DATA / "five_companies.csv"

FAST = ("--time-limit", "5", "--workers", "2")
QUICK = ("--time-limit", "2", "--workers", "2")
PLAN_FILES = (
    "assignments.csv",
    "groups.csv",
    "summary.json",
    "conflicts.graphml",
    "report.html",
    "plan.xlsx",
    "manifest.json",
)
ASSIGNMENT_COLUMNS = [
    "company_id",
    "name",
    "business_id",
    "group_id",
    "theme",
    "role_in_group",
    "reason",
    "contact",
    "email",
]
GROUP_COLUMNS = [
    "group_id",
    "theme",
    "theme_name",
    "size",
    "maturity_min",
    "maturity_max",
    "maturity_spread",
    "mode",
    "region",
    "region_name",
    "meeting_place",
    "language",
    "facilitator_id",
    "members",
]
SUMMARY_KEYS = {"status", "objective", "bound", "gap", "placed", "unassigned", "runtime_s"}
SUMMARY_KEYS |= {"seed", "rules"}
RULE_KEYS = {"min_size", "max_size", "max_maturity_spread", "max_role_gap"}
LOCATED_ISSUE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<column>[^:]+): (?P<message>.+)$")
PROGRESS_LINE = re.compile(r"^\s+\d+\.\d s\s+\w[\w ]*?\s+placed \d+ \(at most \d+\)", re.MULTILINE)


def invoke(*args: object, expect: int, command=cli.main) -> Result:
    """Run a command in-process and insist on its exit code; a traceback is never an exit."""
    result = CliRunner().invoke(command, [str(arg) for arg in args])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    shown = "".join(traceback.format_exception(*result.exc_info)) if crashed else ""
    assert result.exit_code == expect and not crashed, (
        f"exit {result.exit_code}, expected {expect}\n{result.output}\n{shown}"
    )
    return result


def sample_args(out: Path) -> list[object]:
    return [
        SAMPLE / "companies.csv",
        "--relations",
        SAMPLE / "relations.csv",
        "--facilitators",
        SAMPLE / "facilitators.csv",
        "--out",
        out,
    ]


def generated_args(directory: Path, out: Path) -> list[object]:
    return [
        directory / "companies.csv",
        "--relations",
        directory / "relations.csv",
        "--facilitators",
        directory / "facilitators.csv",
        "--out",
        out,
    ]


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ASSIGNMENT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def summary_of(plan: Path) -> dict:
    return json.loads((plan / "summary.json").read_text(encoding="utf-8"))


def hidden_entries(directory: Path) -> list[str]:
    """Staging or retired directories a plan write may leave next to its target."""
    return sorted(p.name for p in directory.iterdir() if p.name.startswith("."))


def input_ids(path: Path) -> list[str]:
    return [row["company_id"] for row in read_rows(path)[1]]


@pytest.fixture(scope="module")
def sample_plan(tmp_path_factory) -> tuple[Path, Result]:
    """The shipped sample solved once through the standalone `form-groups` entry point."""
    out = tmp_path_factory.mktemp("sample") / "plan"
    result = invoke(*sample_args(out), *FAST, expect=0, command=cli.form_groups_command)
    return out, result


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """A 60-company instance written by `peergroups generate` (fast to solve to optimality)."""
    directory = tmp_path_factory.mktemp("generated") / "g60"
    invoke("generate", 60, "--seed", 3, "--out", directory, expect=0)
    return directory


# --- form-groups on the sample ------------------------------------------------------------------


def test_sample_plan_has_every_file_and_nothing_on_stdout(sample_plan):
    plan, result = sample_plan

    assert sorted(p.name for p in plan.iterdir()) == sorted(PLAN_FILES)
    assert result.stdout == ""
    graph = nx.read_graphml(plan / "conflicts.graphml")
    assert set(graph.nodes) == set(input_ids(SAMPLE / "companies.csv"))


def test_sample_assignments_list_every_company_once_in_input_order(sample_plan):
    plan, _ = sample_plan

    header, rows = read_rows(plan / "assignments.csv")

    assert header == ASSIGNMENT_COLUMNS
    assert [row["company_id"] for row in rows] == input_ids(SAMPLE / "companies.csv")
    for row in rows:
        if row["group_id"]:
            assert row["theme"] and row["role_in_group"] in {"member", "chair", "scribe"}, row
            assert row["reason"] == "", row
        else:
            assert (row["theme"], row["role_in_group"]) == ("", ""), row
            assert row["reason"].strip(), row


def test_sample_groups_follow_the_contract_and_the_default_rules(sample_plan):
    plan, _ = sample_plan
    _, assignments = read_rows(plan / "assignments.csv")
    members = Counter(row["group_id"] for row in assignments if row["group_id"])
    themes = {row["group_id"]: row["theme"] for row in assignments if row["group_id"]}

    header, groups = read_rows(plan / "groups.csv")

    assert header == GROUP_COLUMNS
    assert groups, "the sample should form some groups"
    assert {g["group_id"] for g in groups} == set(members)
    for group in groups:
        assert 5 <= int(group["size"]) <= 15, group
        assert int(group["size"]) == members[group["group_id"]], group
        assert group["theme"] == themes[group["group_id"]], group
        low, high = float(group["maturity_min"]), float(group["maturity_max"])
        assert float(group["maturity_spread"]) == pytest.approx(high - low, abs=0.11), group
        assert float(group["maturity_spread"]) <= 25.0, group


def test_sample_summary_has_the_contract_keys(sample_plan):
    plan, _ = sample_plan
    _, assignments = read_rows(plan / "assignments.csv")

    summary = summary_of(plan)

    assert set(summary) >= SUMMARY_KEYS
    assert summary["status"] in {"optimal", "feasible"}
    assert summary["placed"] == sum(1 for row in assignments if row["group_id"])
    assert summary["placed"] + summary["unassigned"] == len(assignments) == 150
    assert summary["seed"] == 0
    assert summary["bound"] >= summary["objective"]
    assert summary["gap"] >= 0 and summary["runtime_s"] > 0
    rules = summary["rules"]
    assert {key: rules[key] for key in RULE_KEYS} == {
        "min_size": 5,
        "max_size": 15,
        "max_maturity_spread": 25.0,
        "max_role_gap": 1,
    }


def test_sample_run_reports_progress_and_a_summary_table_on_stderr(sample_plan):
    plan, result = sample_plan
    summary = summary_of(plan)

    stderr = result.stderr

    assert "Read 150 companies and 158 relations." in stderr
    assert PROGRESS_LINE.search(stderr), stderr
    assert re.search(rf"^\s+status\s+{summary['status']}", stderr, re.MULTILINE), stderr
    assert re.search(rf"^\s+placed\s+{summary['placed']} of 150$", stderr, re.MULTILINE), stderr
    assert re.search(rf"^\s+unassigned\s+{summary['unassigned']}$", stderr, re.MULTILINE)


def test_a_very_large_plan_seeks_no_hints_and_its_report_says_so(generated, tmp_path, monkeypatch):
    """Above FULL_OUTPUT_COMPANIES (here lowered to 10 companies) the run writes no hints and a
    summarised report; a plan of the usual size has its hints."""
    small = tmp_path / "small"
    invoke(*generated_args(generated, small), *QUICK, expect=0, command=cli.form_groups_command)
    assert summary_of(small)["hints"] is True
    assert "hints-skipped" not in (small / "report.html").read_text(encoding="utf-8")

    monkeypatch.setattr(cli, "FULL_OUTPUT_COMPANIES", 10)
    monkeypatch.setattr(writers, "FULL_OUTPUT_COMPANIES", 10)
    large = tmp_path / "large"
    invoke(*generated_args(generated, large), *QUICK, expect=0, command=cli.form_groups_command)
    assert summary_of(large)["hints"] is False
    _, rows = read_rows(large / "assignments.csv")
    assert len(rows) == 60 and not any("would fit" in row["reason"] for row in rows)
    report = (large / "report.html").read_text(encoding="utf-8")
    assert "hints-skipped" in report and 'class="conflict-picture"' not in report
    assert "plan.xlsx" not in {p.name for p in large.iterdir()}


def test_check_accepts_the_plan_form_groups_wrote(sample_plan):
    plan, _ = sample_plan

    result = invoke("check", plan, expect=0)

    assert "0 violation(s)" in result.stderr


# --- options, determinism, replacing a plan ------------------------------------------------------


def test_options_change_the_rules(generated, tmp_path):
    out = tmp_path / "plan"
    options = ("--min-size", 6, "--max-size", 8, "--max-spread", 20, "--max-role-gap", 0)

    invoke("form-groups", *generated_args(generated, out), *options, *QUICK, expect=0)

    rules = summary_of(out)["rules"]
    assert {key: rules[key] for key in RULE_KEYS} == {
        "min_size": 6,
        "max_size": 8,
        "max_maturity_spread": 20.0,
        "max_role_gap": 0,
    }
    companies = read_problem(generated / "companies.csv").by_id
    _, assignments = read_rows(out / "assignments.csv")
    _, groups = read_rows(out / "groups.csv")
    assert groups, "these rules still allow some groups on this instance"
    for group in groups:
        members = [
            companies[row["company_id"]]
            for row in assignments
            if row["group_id"] == group["group_id"]
        ]
        assert 6 <= int(group["size"]) == len(members) <= 8, group
        maturities = [c.maturity for c in members]
        assert max(maturities) - min(maturities) <= 20.0, group
        assert float(group["maturity_spread"]) <= 20.0, group
        assert len({TIER[c.role] for c in members}) == 1, group
    invoke("check", out, expect=0)


def test_same_seed_gives_identical_files(tmp_path):
    instance, first, second = tmp_path / "g40", tmp_path / "first", tmp_path / "second"
    invoke("generate", 40, "--seed", 7, "--out", instance, expect=0)

    for out in (first, second):
        invoke("form-groups", *generated_args(instance, out), "--seed", 3, *FAST, expect=0)

    summaries = [summary_of(out) for out in (first, second)]
    assert all(s["stats"]["reproducible"] == 1 for s in summaries), summaries
    for name in ("assignments.csv", "groups.csv", "conflicts.graphml", "report.html"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    # Only the measured times differ (DESIGN.md wants runtime_s in summary.json).
    for summary in summaries:
        del summary["runtime_s"], summary["stats"]["first_plan_s"]
    assert summaries[0] == summaries[1]
    assert summaries[0]["seed"] == 3
    assert set(summaries[0]["versions"]) == {"peergroups", "ortools", "python"}
    assert all(len(entry["sha256"]) == 64 for entry in summaries[0]["inputs"].values())


def test_an_earlier_plan_is_replaced_whole_without_leftovers(tmp_path):
    out = tmp_path / "plan"
    invoke("form-groups", FIVE, "--out", out, "--seed", 1, *QUICK, expect=0)
    (out / "report.html").write_text("<p>an older report</p>", encoding="utf-8")

    invoke("form-groups", FIVE, "--out", out, "--seed", 2, *QUICK, expect=0)

    assert summary_of(out)["seed"] == 2
    assert "an older report" not in (out / "report.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == sorted(PLAN_FILES)
    assert hidden_entries(tmp_path) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


# --- invalid input: exit 1, every problem listed, nothing written --------------------------------


@pytest.mark.parametrize(
    ("arguments", "located"),
    [
        (
            ["bad_many.csv"],
            [
                ("bad_many.csv", 2, "business_id"),
                ("bad_many.csv", 2, "role"),
                ("bad_many.csv", 3, "maturity"),
                ("bad_many.csv", 4, "company_id"),
                ("bad_many.csv", 4, "region"),
                ("bad_many.csv", 4, "goals"),
            ],
        ),
        (["bad_role.csv"], [("bad_role.csv", 4, "role")]),
        (["bad_maturity_text.csv"], [("bad_maturity_text.csv", 3, "maturity")]),
        (["bad_duplicate_id.csv"], [("bad_duplicate_id.csv", 4, "company_id")]),
        (
            ["companies.csv", "--relations", "bad_relation_unknown_company.csv"],
            [("bad_relation_unknown_company.csv", 3, "company_b")],
        ),
        (
            [
                "bad_many.csv",
                "--relations",
                "bad_relation_kind.csv",
                "--facilitators",
                "bad_facilitators.csv",
            ],
            [
                ("bad_many.csv", line, column)
                for line, column in (
                    (2, "business_id"),
                    (2, "role"),
                    (3, "maturity"),
                    (4, "company_id"),
                    (4, "region"),
                    (4, "goals"),
                )
            ]
            + [("bad_relation_kind.csv", 3, c) for c in ("company_a", "company_b", "relation")]
            + [
                ("bad_facilitators.csv", 2, "conflicts"),
                ("bad_facilitators.csv", 3, "facilitator_id"),
                ("bad_facilitators.csv", 3, "capacity"),
            ],
        ),
    ],
    ids=["many", "role", "maturity", "duplicate", "unknown-company", "three-files"],
)
def test_invalid_input_lists_every_problem_and_writes_nothing(tmp_path, arguments, located):
    out = tmp_path / "plan"
    args = [INPUTS / a if a.endswith(".csv") else a for a in arguments]

    result = invoke("form-groups", *args, "--out", out, *QUICK, expect=1)

    lines = result.stderr.splitlines()
    assert lines[-1] == f"Error: {len(located)} problem(s) in the input; nothing was written."
    issues = [LOCATED_ISSUE.match(line) for line in lines[:-1]]
    assert all(issues), lines
    found = [(Path(m["file"]).name, int(m["line"]), m["column"]) for m in issues]
    assert found == located
    assert all(Path(m["file"]).parent == INPUTS for m in issues)
    assert not out.exists()


def test_a_missing_required_column_is_reported_for_the_file(tmp_path):
    out = tmp_path / "plan"

    result = invoke("form-groups", INPUTS / "bad_missing_column.csv", "--out", out, expect=1)

    assert result.stderr.startswith(f"{INPUTS / 'bad_missing_column.csv'}: missing required")
    assert not out.exists()


def test_invalid_input_leaves_an_earlier_plan_untouched(sample_plan, tmp_path):
    out = tmp_path / "plan"
    shutil.copytree(sample_plan[0], out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    invoke("form-groups", INPUTS / "bad_many.csv", "--out", out, expect=1)

    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert hidden_entries(tmp_path) == []


# --- usage errors: exit 2 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "Missing argument 'COMPANIES'"),
        (["{tmp}/nope.csv"], "does not exist"),
        ([THREE, "--relations", "{tmp}/nope.csv"], "does not exist"),
        ([THREE, "--min-size", 10, "--max-size", 5], "min_size 10 exceeds max_size 5"),
        ([THREE, "--min-size", 1], "--min-size"),
        ([THREE, "--max-role-gap", 3], "--max-role-gap"),
        ([THREE, "--time-limit", 0], "--time-limit"),
        ([THREE, "--bogus"], "--bogus"),
    ],
    ids=[
        "no-file",
        "nonexistent",
        "nonexistent-relations",
        "min-above-max",
        "min-size-1",
        "role-gap-3",
        "time-limit-0",
        "unknown-option",
    ],
)
def test_usage_errors_exit_2_and_write_nothing(tmp_path, arguments, message):
    out = tmp_path / "plan"
    args = [str(a).format(tmp=tmp_path) for a in arguments]

    result = invoke("form-groups", "--out", out, "--workers", 2, *args, expect=2)

    normalised = result.stderr.replace("'", "").replace('"', "")
    assert "Error:" in result.stderr
    assert message.replace("'", "") in normalised, result.stderr
    assert not out.exists()


def test_min_size_above_max_size_is_one_plain_error_line(tmp_path):
    result = invoke("form-groups", THREE, "--min-size", 10, "--max-size", 5, *QUICK, expect=2)

    [error] = [line for line in result.stderr.splitlines() if "min_size" in line]
    assert error.startswith("Error:")
    assert "pydantic" not in result.stderr and "input_value" not in result.stderr


def test_out_pointing_to_a_file_is_a_usage_error(tmp_path):
    target = tmp_path / "plan"
    target.write_text("not a directory", encoding="utf-8")

    invoke("form-groups", THREE, "--out", target, *QUICK, expect=2)

    assert target.read_text(encoding="utf-8") == "not a directory"


def test_out_holding_unrelated_files_is_refused_and_left_untouched(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("do not lose me\n", encoding="utf-8")

    result = invoke("form-groups", FIVE, "--out", out, *QUICK, expect=2)

    assert "notes.txt" in result.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    assert (out / "notes.txt").read_text(encoding="utf-8") == "do not lose me\n"
    assert hidden_entries(tmp_path) == []


def test_out_holding_unrelated_files_is_refused_before_solving(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("do not lose me\n", encoding="utf-8")

    result = invoke("form-groups", FIVE, "--out", out, *QUICK, expect=2)

    assert "Solving" not in result.stderr


def test_out_as_the_current_directory_does_not_crash(tmp_path, monkeypatch):
    here = tmp_path / "empty"
    here.mkdir()
    monkeypatch.chdir(here)

    result = CliRunner().invoke(cli.main, ["form-groups", str(FIVE), "--out", ".", *QUICK])

    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 2), result.output
    assert hidden_entries(here) == [] and hidden_entries(tmp_path) == []


# --- nobody placed: exit 3, the plan still written ----------------------------------------------


def test_nobody_placed_exits_3_and_still_writes_the_plan(tmp_path):
    out = tmp_path / "plan"

    result = invoke("form-groups", THREE, "--out", out, *QUICK, expect=3)

    assert "no company could be placed" in result.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(PLAN_FILES)
    header, rows = read_rows(out / "assignments.csv")
    assert header == ASSIGNMENT_COLUMNS
    assert [row["company_id"] for row in rows] == ["K1", "K2", "K3"]
    for row in rows:
        assert (row["group_id"], row["theme"], row["role_in_group"]) == ("", "", ""), row
        assert "needs 5" in row["reason"], row
    assert read_rows(out / "groups.csv") == (GROUP_COLUMNS, [])
    summary = summary_of(out)
    assert (summary["placed"], summary["unassigned"]) == (0, 3)


def test_an_input_above_the_size_limit_is_refused_before_any_work(tmp_path):
    # The limit (100,000 by default) is a solver setting; here a scenario lowers it to 4.
    scenario = tmp_path / "small.toml"
    scenario.write_text("[solver]\nmax_companies = 4\n", encoding="utf-8")
    out = tmp_path / "plan"

    result = invoke("form-groups", FIVE, "--scenario", scenario, "--out", out, *QUICK, expect=1)

    assert "5 companies is more than one run handles (4" in result.stderr
    assert "split the cohort" in result.stderr
    assert "Solving" not in result.stderr
    assert not out.exists()


# --- validate and generate ----------------------------------------------------------------------


def test_validate_the_sample():
    args = ["--relations", SAMPLE / "relations.csv", "--facilitators", SAMPLE / "facilitators.csv"]

    result = invoke("validate", SAMPLE / "companies.csv", *args, expect=0)

    assert (
        "ok: 150 companies, 158 relations, 6 facilitators, 0 pins, 0 history rows"
        in result.stderr.splitlines()
    )


def test_validate_a_bad_file_lists_its_problems():
    result = invoke("validate", INPUTS / "bad_theme.csv", expect=1)

    [issue, error] = result.stderr.splitlines()
    assert issue.startswith(f"{INPUTS / 'bad_theme.csv'}:3: goals: ")
    assert error.startswith("Error: 1 problem(s)")
    assert "ok:" not in result.stderr


def test_generate_writes_three_valid_files_reproducibly(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"

    for out in (first, second):
        invoke("generate", 40, "--seed", 7, "--out", out, expect=0)

    names = ["companies.csv", "facilitators.csv", "manifest.json", "relations.csv"]
    assert sorted(p.name for p in first.iterdir()) == names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    assert len(input_ids(first / "companies.csv")) == 40
    args = ["--relations", first / "relations.csv", "--facilitators", first / "facilitators.csv"]
    result = invoke("validate", first / "companies.csv", *args, expect=0)
    assert "ok: 40 companies" in result.stderr


def test_generate_with_another_seed_differs(tmp_path):
    invoke("generate", 40, "--seed", 7, "--out", tmp_path / "a", expect=0)
    invoke("generate", 40, "--seed", 8, "--out", tmp_path / "b", expect=0)

    a, b = ((tmp_path / d / "companies.csv").read_bytes() for d in "ab")
    assert a != b


# --- check on an edited plan --------------------------------------------------------------------


@pytest.fixture
def plan_rows(sample_plan) -> tuple[Path, list[dict[str, str]]]:
    plan, _ = sample_plan
    return plan, read_rows(plan / "assignments.csv")[1]


def move(rows: list[dict[str, str]], company_id: str, group_id: str, theme: str) -> None:
    for row in rows:
        if row["company_id"] == company_id:
            row.update(group_id=group_id, theme=theme, role_in_group="member", reason="")


def into_a_theme_it_lacks(rows: list[dict[str, str]]) -> str:
    goals = {c.company_id: c.goals for c in read_problem(SAMPLE / "companies.csv").companies}
    themes = {row["group_id"]: row["theme"] for row in rows if row["group_id"]}
    company_id, group_id = next(
        (row["company_id"], group_id)
        for row in rows
        for group_id, theme in sorted(themes.items())
        if theme not in goals[row["company_id"]]
    )
    move(rows, company_id, group_id, themes[group_id])
    return f"{group_id}: {company_id} does not have {themes[group_id]} among its goals"


def next_to_a_forbidden_partner(rows: list[dict[str, str]]) -> str:
    problem = read_problem(SAMPLE / "companies.csv", SAMPLE / "relations.csv")
    placed = {row["company_id"]: row for row in rows if row["group_id"]}
    a, b = next(
        (a, b)
        for a, b in sorted(problem.hard_pairs)
        if b in placed and placed.get(a, {}).get("group_id") != placed[b]["group_id"]
    )
    move(rows, a, placed[b]["group_id"], placed[b]["theme"])
    return f"{placed[b]['group_id']}: {a} and {b} must not share a group"


def out_of_a_smallest_group(rows: list[dict[str, str]]) -> str:
    sizes = Counter(row["group_id"] for row in rows if row["group_id"])
    group_id, size = min(sorted(sizes.items()), key=lambda item: item[1])
    leaving = next(row for row in rows if row["group_id"] == group_id)
    leaving.update(group_id="", theme="", role_in_group="", reason="moved out by hand")
    if size - 1 >= 5:
        pytest.fail(f"no group of the minimum size 5 in the sample plan: {sizes}")
    return f"{group_id}: {size - 1} members, fewer than the minimum 5"


def deleting_a_row(rows: list[dict[str, str]]) -> str:
    removed = rows.pop(7)
    return f"{removed['company_id']} is missing"


@pytest.mark.parametrize(
    "edit",
    [into_a_theme_it_lacks, next_to_a_forbidden_partner, out_of_a_smallest_group, deleting_a_row],
)
def test_check_lists_what_a_hand_edit_breaks(
    plan_rows, tmp_path, edit: Callable[[list[dict[str, str]]], str]
):
    plan, rows = plan_rows
    expected = edit(rows)
    edited = write_rows(tmp_path / "edited.csv", rows)

    result = invoke("check", plan, "--assignments", edited, expect=1)

    assert expected in result.stderr, result.stderr
    assert re.search(r"^[1-9]\d* violation\(s\)", result.stderr, re.MULTILINE), result.stderr


def test_check_of_an_unedited_copy_passes(plan_rows, tmp_path):
    plan, rows = plan_rows
    copy = write_rows(tmp_path / "copy.csv", rows)

    result = invoke("check", plan, "--assignments", copy, expect=0)

    assert "0 violation(s)" in result.stderr


def test_check_of_a_directory_that_is_no_plan_is_a_usage_error(tmp_path):
    result = invoke("check", tmp_path, expect=2)

    assert "summary.json" in result.stderr


def test_check_accepts_a_plan_whose_ids_were_neutralised(tmp_path):
    out = tmp_path / "plan"
    invoke("form-groups", CLI_DATA / "formula_ids.csv", "--out", out, *QUICK, expect=0)
    assert input_ids(out / "assignments.csv")[:4] == ["'=K1", "'+K2", "'-K3", "'@K4"]

    invoke("check", out, expect=0)


# --- help ---------------------------------------------------------------------------------------


def test_form_groups_help_lists_its_options():
    for result in (
        invoke("--help", expect=0, command=cli.form_groups_command),
        invoke("form-groups", "--help", expect=0),
    ):
        for option in (
            "COMPANIES",
            "--relations",
            "--facilitators",
            "--out",
            "--min-size",
            "--max-size",
            "--max-spread",
            "--max-role-gap",
            "--time-limit",
            "--seed",
            "--workers",
            "--quiet",
        ):
            assert option in result.output, option


def test_peergroups_help_lists_its_commands():
    result = invoke("--help", expect=0)

    commands = result.output.split("Commands:")[1]
    for command in ("validate", "generate", "check", "form-groups"):
        assert re.search(rf"^\s+{command}\s", commands, re.MULTILINE), command


# --- report ---------------------------------------------------------------------------------------


def test_report_command_rewrites_the_report_in_finnish(sample_plan, tmp_path):
    plan, _ = sample_plan
    target = tmp_path / "raportti.html"

    result = invoke("report", plan, "--lang", "fi", "--out", target, expect=0)

    html = target.read_text(encoding="utf-8")
    assert f"wrote {target}" in result.stderr
    assert '<html lang="fi"' in html
    assert html.count('class="card') >= len(read_rows(plan / "groups.csv")[1])
    assert "http://" not in html and "https://" not in html


def test_form_groups_writes_the_report_in_the_chosen_language(tmp_path):
    out = tmp_path / "plan"
    invoke("form-groups", FIVE, "--out", out, "--lang", "fi", *QUICK, expect=0)

    assert '<html lang="fi"' in (out / "report.html").read_text(encoding="utf-8")


def test_check_edited_reports_the_objective_change_of_a_valid_edit(plan_rows, tmp_path):
    plan, rows = plan_rows
    sizes = Counter(row["group_id"] for row in rows if row["group_id"])
    group_id = max(sorted(sizes), key=lambda g: sizes[g])  # the largest group can spare one
    leaving = next(
        row for row in rows if row["group_id"] == group_id and row["role_in_group"] == "member"
    )
    leaving.update(group_id="", theme="", role_in_group="", reason="moved out by hand")
    edited = write_rows(tmp_path / "edited.csv", rows)

    result = invoke("check", plan, "--edited", edited, expect=0)

    assert "0 violation(s)" in result.stderr
    assert re.search(r"placed +\d+ -> \d+ \(-1, more is better\)", result.stderr), result.stderr
    assert re.search(r"score +-\d+", result.stderr), result.stderr


def test_check_edited_exits_non_zero_when_a_hard_rule_breaks(plan_rows, tmp_path):
    plan, rows = plan_rows
    expected = next_to_a_forbidden_partner(rows)
    edited = write_rows(tmp_path / "edited.csv", rows)

    result = invoke("check", plan, "--edited", edited, expect=1)

    assert expected in result.stderr
    assert "objective change (edited - plan):" in result.stderr
