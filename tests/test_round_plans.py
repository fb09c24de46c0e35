"""A plan of several rounds (`form-groups --rounds`) read again (issue 13): `check` checks
each round (with the rounds before it as history) and lists the pairs that meet again,
`report` shows every round, `explain` answers round by round or for `--round N`, `repair`
repairs the round `--round N` names, and `--pseudonymise` hides every round alike."""

import csv
import re

import pytest

from tests.test_cli import invoke

ALIKE = 12
"""Alike companies in groups of exactly 4: three rounds in which nobody is left out."""


@pytest.fixture(scope="module")
def cohort(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rounds")
    companies = folder / "companies.csv"
    rows = ["company_id,name,maturity,role,goals"]
    rows += [f"P{i:02d},Peer {i:02d} Oy,50,ceo,erp" for i in range(ALIKE)]
    companies.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder, companies


THREE_ROUNDS_OF_FOURS = ("--min-size", 4, "--max-size", 4, "--rounds", 3, "--time-limit", 4)


def formed(folder, companies, *extra):
    out = folder / "plan"
    if not out.exists():
        invoke("form-groups", companies, *THREE_ROUNDS_OF_FOURS, "--workers", "2", "--quiet",
               "--out", out, *extra, expect=0)  # fmt: skip
    return out


def rows_of(out):
    with (out / "assignments.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def meeting_again(rows) -> int:
    """Meetings that repeat an earlier one, counted from the file itself."""
    groups: dict[tuple[str, str], list[str]] = {}
    for row in rows:
        groups.setdefault((row["round"], row["group_id"]), []).append(row["company_id"])
    seen: set[tuple[str, str]] = set()
    again = 0
    for number in sorted({r for r, _ in groups}):
        pairs = {
            (a, b)
            for (r, _), members in groups.items()
            if r == number
            for a in members
            for b in members
            if a < b
        }
        again += len(pairs & seen)
        seen |= pairs
    return again


def test_check_checks_each_round_and_counts_meetings_again(cohort):
    out = formed(*cohort)
    shown = invoke("check", out, expect=0)
    for number in (1, 2, 3):
        assert f"round {number}: 0 violation(s); 3 groups, 12 placed, 0 unassigned" in shown.stderr
    again = meeting_again(rows_of(out))
    assert f"{again} meeting(s) repeat an earlier one" in shown.stderr


def test_check_finds_a_broken_rule_in_a_later_round(cohort, tmp_path):
    out = formed(*cohort)
    rows = rows_of(out)
    # Move one company of round 2 into another group: one group of 5, one of 3.
    second = [row for row in rows if row["round"] == "2"]
    target = next(row["group_id"] for row in second if row["group_id"] != second[0]["group_id"])
    second[0]["group_id"] = target
    second[0]["role_in_group"] = "member"
    edited = tmp_path / "edited.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    shown = invoke("check", out, "--edited", edited, expect=1)
    assert "round 1: 0 violation(s)" in shown.stderr
    assert re.search(r"round 2: .*group_size", shown.stderr)
    assert "round 2: objective change (edited - plan):" in shown.stderr


def test_a_file_missing_a_round_is_an_input_problem(cohort, tmp_path):
    out = formed(*cohort)
    rows = [row for row in rows_of(out) if row["round"] != "3"]
    edited = tmp_path / "two.csv"
    with edited.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    shown = invoke("check", out, "--edited", edited, expect=1)
    assert "the plan has rounds 1-3; the file holds round(s) 1, 2" in shown.output


def test_report_shows_every_round_and_the_meetings_again(cohort, tmp_path):
    out = formed(*cohort)
    target = tmp_path / "report.html"
    invoke("report", out, "--out", target, expect=0)
    html = target.read_text(encoding="utf-8")
    assert 'id="round-2"' in html and 'id="round-3"' in html
    assert html.count('class="card group-card') == 9
    anchors = re.findall(r'<article [^>]*id="([^"]+)"', html)
    assert len(anchors) == len(set(anchors)) == 9
    again = meeting_again(rows_of(out))
    assert re.search(rf'data-key="repeated">.*?<dd>{again} \(', html)
    # The report form-groups wrote shows every round too.
    assert 'id="round-3"' in (out / "report.html").read_text(encoding="utf-8")


def test_explain_answers_round_by_round_or_for_one_round(cohort):
    out = formed(*cohort)
    every = invoke("explain", out, "P00", expect=0).output
    assert [line for line in every.splitlines() if line.startswith("round")] == [
        "round 1:",
        "round 2:",
        "round 3:",
    ]
    one = invoke("explain", out, "P00", "--round", "2", expect=0).output
    assert one.splitlines()[0] == "round 2:"
    home = next(
        r["group_id"] for r in rows_of(out) if r["round"] == "2" and r["company_id"] == "P00"
    )
    assert f"in {home}: theme erp" in one
    missing = invoke("explain", out, "P00", "--round", "4", expect=2)
    assert "no round 4: it holds rounds 1-3" in missing.output


def test_repair_asks_for_a_round_and_repairs_the_one_named(cohort, tmp_path):
    out = formed(*cohort)
    changes = tmp_path / "changes.csv"
    changes.write_text("change,company_id,partner,relation,severity,maturity\nleave,P00,,,,\n")
    refused = invoke("repair", out, "--changes", changes, "--out", tmp_path / "r", expect=2)
    assert "holds 3 rounds: pass --round N" in refused.output
    repaired = tmp_path / "repaired"
    invoke(
        "repair",
        out,
        "--changes",
        changes,
        "--out",
        repaired,
        "--round",
        "2",
        "--time-limit",
        "3",
        "--quiet",
        expect=0,
    )
    rows = rows_of(repaired)
    assert "round" not in rows[0]
    assert "P00" not in {row["company_id"] for row in rows}
    before = {r["company_id"]: r["group_id"] for r in rows_of(out) if r["round"] == "2"}
    with (repaired / "diff.csv").open(encoding="utf-8") as handle:
        diff = {row["company_id"]: row for row in csv.DictReader(handle)}
    assert diff["P00"]["before"] == before["P00"]


def test_pseudonymised_rounds_hide_every_round_and_read_back_with_the_key(tmp_path, cohort):
    companies = cohort[1]
    key = tmp_path / "key.json"
    out = tmp_path / "plan"
    invoke("form-groups", companies, *THREE_ROUNDS_OF_FOURS, "--quiet", "--out", out,
           "--pseudonymise", key, expect=0)  # fmt: skip
    for name in ("assignments.csv", "groups.csv", "summary.json", "report.html"):
        text = (out / name).read_text(encoding="utf-8")
        assert "P00" not in text and "Peer 00" not in text, name
    rows = rows_of(out)
    assert {row["round"] for row in rows} == {"1", "2", "3"}
    # One pseudonym per company in every round.
    assert all(
        sorted(r["company_id"] for r in rows if r["round"] == n)
        == sorted(r["company_id"] for r in rows if r["round"] == "1")
        for n in ("2", "3")
    )
    checked = invoke("check", out, "--key", key, expect=0)
    assert "round 3: 0 violation(s)" in checked.stderr
    explained = invoke("explain", out, "P00", "--key", key, "--round", "1", expect=0)
    assert "P00 Peer 00 Oy" in explained.output
