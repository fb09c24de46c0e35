"""The coordinator's commands over time, end to end: pins, history, repair, explain."""

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

QUICK = ("--time-limit", "4", "--workers", "2", "--quiet")


def run(*args: object, expect: int, command=cli.main):
    result = CliRunner().invoke(command, [str(a) for a in args])
    assert result.exit_code == expect, result.output
    return result


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def programme(tmp_path_factory) -> tuple[Path, Path]:
    """60 generated companies and a plan of them."""
    root = tmp_path_factory.mktemp("programme")
    run("generate", 60, "--seed", 5, "--out", root / "data", expect=0)
    run("form-groups", root / "data" / "companies.csv", "--out", root / "plan", *QUICK, expect=0)
    return root / "data", root / "plan"


def test_explain_says_where_a_company_sits_and_why(programme):
    _, plan = programme
    placed = next(r for r in rows(plan / "assignments.csv") if r["group_id"])
    result = run("explain", plan, placed["company_id"], expect=0)
    assert f"in {placed['group_id']}: theme {placed['theme']}" in result.output
    assert "possible partners:" in result.output

    out = next((r for r in rows(plan / "assignments.csv") if not r["group_id"]), None)
    if out is not None:
        assert (
            f"unassigned: {out['reason']}"
            in run("explain", plan, out["company_id"], expect=0).output
        )
    run("explain", plan, "NOPE", expect=2)


def test_repair_after_a_drop_out_moves_at_most_the_companies_it_must(programme, tmp_path):
    _, plan = programme
    groups = rows(plan / "groups.csv")
    largest = max(groups, key=lambda g: int(g["size"]))
    leaver = next(
        r["company_id"]
        for r in rows(plan / "assignments.csv")
        if r["group_id"] == largest["group_id"]
    )
    changes = write(tmp_path / "changes.csv", f"change,company_id\nleave,{leaver}\n")

    result = run(
        "repair", plan, "--changes", changes, "--out", tmp_path / "repaired", *QUICK, expect=0
    )

    diff = rows(tmp_path / "repaired" / "diff.csv")
    assert [d["change"] for d in diff if d["company_id"] == leaver] == ["leaves"]
    # The largest group stays valid without one member: nobody has to move.
    assert [d for d in diff if d["change"] == "moves"] == []
    summary = json.loads((tmp_path / "repaired" / "summary.json").read_text(encoding="utf-8"))
    assert summary["repair"]["counts"]["leaves"] == 1
    assert summary["terms"]["moves"] == 0
    assert "Changes: " in result.output
    assert 'id="changes"' in (tmp_path / "repaired" / "report.html").read_text(encoding="utf-8")


def test_repair_lists_every_new_company_as_joining(programme, tmp_path):
    data, plan = programme
    # The same generator and seed, four companies more: the first 60 are the programme's.
    run("generate", 64, "--seed", 5, "--out", tmp_path / "more", expect=0)
    updated = tmp_path / "more" / "companies.csv"
    assert rows(updated)[:60] == rows(data / "companies.csv")
    changes = write(tmp_path / "changes.csv", "change,company_id\njoin,C0061\n")

    run(
        "repair", plan, "--changes", changes, "--companies", updated, "--out", tmp_path / "r",
        *QUICK, expect=0,
    )  # fmt: skip

    diff = {d["company_id"]: d for d in rows(tmp_path / "r" / "diff.csv")}
    assert sorted(diff) == [f"C{i:04d}" for i in range(1, 65)]
    after = {r["company_id"]: r for r in rows(tmp_path / "r" / "assignments.csv")}
    for cid in ("C0061", "C0062", "C0063", "C0064"):
        assert diff[cid]["change"] == "joins", diff[cid]
        assert diff[cid]["after"] == after[cid]["group_id"]
        if not after[cid]["group_id"]:
            assert diff[cid]["reason"] == after[cid]["reason"]  # why it is still out
        elif cid != "C0061":
            assert diff[cid]["reason"] == "new in the companies file"
        else:  # listed in changes.csv: the reason says where it joined
            assert (
                diff[cid]["reason"] == f"joins {after[cid]['group_id']}, where it keeps every rule"
            )


def test_repair_refuses_changes_naming_unknown_companies(programme, tmp_path):
    _, plan = programme
    changes = write(tmp_path / "changes.csv", "change,company_id\njoin,NEWCO\n")
    result = run("repair", plan, "--changes", changes, "--out", tmp_path / "r", *QUICK, expect=1)
    assert "NEWCO" in result.output


def test_conflicting_pins_are_explained_and_nothing_is_written(programme, tmp_path):
    data, plan = programme
    # Two companies that each have a group, but too far apart in maturity to share one.
    placed = {r["company_id"] for r in rows(plan / "assignments.csv") if r["group_id"]}
    companies = [c for c in rows(data / "companies.csv") if c["company_id"] in placed]
    low = min(companies, key=lambda c: float(c["maturity"]))
    high = max(companies, key=lambda c: float(c["maturity"]))
    assert float(high["maturity"]) - float(low["maturity"]) > 25
    pins = write(
        tmp_path / "pins.csv",
        f"kind,company_id,group_id\ngroup,{low['company_id']},PINNED\n"
        f"group,{high['company_id']},PINNED\n",
    )
    out = tmp_path / "plan"
    result = run(
        "form-groups",
        data / "companies.csv",
        "--pins",
        pins,
        "--out",
        out,
        "--time-limit",
        "4",
        expect=1,
    )
    assert "These cannot all hold at once:" in result.output
    assert f"the pin: {low['company_id']} in group PINNED" in result.output
    assert f"the pin: {high['company_id']} in group PINNED" in result.output
    assert not out.exists()


def test_history_costs_repeat_pairs(programme, tmp_path):
    data, plan = programme
    history = tmp_path / "history.csv"
    with history.open("w", encoding="utf-8") as handle:
        handle.write("round,group_id,company_id\n")
        for row in rows(plan / "assignments.csv"):
            if row["group_id"]:
                handle.write(f"1,{row['group_id']},{row['company_id']}\n")
    out = tmp_path / "again"
    run("form-groups", data / "companies.csv", "--history", history, "--out", out, *QUICK, expect=0)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert "repeat_pairs" in summary["terms"]
    assert "repeat_pairs" in summary["rules"]["in_force"]


def test_a_group_pin_keeps_its_group_id(programme, tmp_path):
    data, plan = programme
    member = next(r for r in rows(plan / "assignments.csv") if r["group_id"])
    pins = write(
        tmp_path / "pins.csv", f"kind,company_id,group_id\ngroup,{member['company_id']},KEEP\n"
    )
    out = tmp_path / "pinned"
    run("form-groups", data / "companies.csv", "--pins", pins, "--out", out, *QUICK, expect=0)
    placed = {r["company_id"]: r["group_id"] for r in rows(out / "assignments.csv")}
    assert placed[member["company_id"]] == "KEEP"
