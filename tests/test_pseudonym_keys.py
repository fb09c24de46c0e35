"""The pseudonym key file (issue 16): checked before any work, created 0600, merged across
cohorts; and a pseudonymised plan read again with its key by check, explain, report, repair."""

import csv
import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from peergroups.generate import generate, write_problem
from peergroups.pseudonyms import BadKey, PseudonymKey


def invoke(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, [str(a) for a in args])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, repr(result.exception)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("inputs")
    write_problem(generate(40, 4), directory)
    return directory


def form_groups(inputs: Path, out: Path, key: Path) -> tuple[int, str]:
    return invoke(
        "form-groups",
        inputs / "companies.csv",
        "--out",
        out,
        "--pseudonymise",
        key,
        "--time-limit",
        "2",
        "--workers",
        "1",
        "--quiet",
    )


@pytest.mark.parametrize(
    "text",
    ['{"groups": []}', "company_id,name\nC1,x\n", '{"secret": "short"}', "[1, 2]"],
    ids=["other-json", "csv", "bad-secret", "list"],
)
def test_a_file_that_is_not_a_key_is_refused_before_solving(inputs, tmp_path, text):
    key = tmp_path / "key.json"
    key.write_text(text, encoding="utf-8")

    code, output = form_groups(inputs, tmp_path / "plan", key)

    assert code == 1, output
    assert f"{key}: not a pseudonym key file" in output
    assert "Solving" not in output and "Traceback" not in output
    assert not (tmp_path / "plan").exists()
    assert key.read_text(encoding="utf-8") == text


def test_the_key_is_created_owner_only_from_the_start(tmp_path, monkeypatch):
    written_wide = []
    original = Path.write_text

    def watched(self, *args, **kwargs):  # a write then chmod leaves a moment of 0644
        result = original(self, *args, **kwargs)
        written_wide.append(oct(self.stat().st_mode & 0o777))
        return result

    monkeypatch.setattr(Path, "write_text", watched)
    old = os.umask(0)
    try:
        PseudonymKey.open(tmp_path / "key.json").save(generate(5, 1))
    finally:
        os.umask(old)

    assert written_wide == []
    assert (tmp_path / "key.json").stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["key.json"]


def test_a_key_reused_for_another_cohort_keeps_the_earlier_mappings(tmp_path):
    path = tmp_path / "key.json"
    first, second = generate(30, 1), generate(20, 2)
    PseudonymKey.open(path).save(first)
    before = {e["company_id"]: e for e in json.loads(path.read_text())["companies"]}

    key = PseudonymKey.open(path)
    key.save(second)

    after = {e["company_id"]: e for e in json.loads(path.read_text())["companies"]}
    assert set(after) == {c.company_id for c in (*first.companies, *second.companies)}
    newer = {c.company_id for c in second.companies}
    assert all(after[cid] == entry for cid, entry in before.items() if cid not in newer)
    assert all(after[c.company_id]["name"] == c.name for c in second.companies)


def test_opening_a_broken_key_names_the_file(tmp_path):
    path = tmp_path / "key.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(BadKey, match=re.escape(str(path))):
        PseudonymKey.open(path)


@pytest.fixture(scope="module")
def hidden_plan(inputs, tmp_path_factory) -> tuple[Path, Path]:
    directory = tmp_path_factory.mktemp("hidden")
    key, out = directory / "key.json", directory / "plan"
    code, output = form_groups(inputs, out, key)
    assert code == 0, output
    return out, key


def real_ids(inputs: Path) -> list[str]:
    with (inputs / "companies.csv").open(encoding="utf-8") as handle:
        return [row["company_id"] for row in csv.DictReader(handle)]


def test_a_pseudonymised_plan_needs_its_key(hidden_plan):
    out, _ = hidden_plan
    code, output = invoke("check", out)
    assert code == 2 and "pass its key file with --key" in output, output


def test_check_and_explain_work_on_a_pseudonymised_plan_with_its_key(hidden_plan, inputs):
    out, key = hidden_plan
    code, output = invoke("check", out, "--key", key)
    assert code == 0, output
    assert "unknown company" not in output

    company = real_ids(inputs)[0]
    code, by_id = invoke("explain", out, company, "--key", key)
    assert code == 0, by_id
    pseudonym = PseudonymKey.open(key).pseudonym(company)
    code, by_pseudonym = invoke("explain", out, pseudonym, "--key", key)
    assert code == 0 and by_pseudonym == by_id


def test_report_and_repair_of_a_pseudonymised_plan_stay_pseudonymised(
    hidden_plan, inputs, tmp_path
):
    out, key = hidden_plan
    ids = real_ids(inputs)
    report = tmp_path / "report.html"
    code, output = invoke("report", out, "--key", key, "--out", report)
    assert code == 0, output
    words = set(re.findall(r"[A-Z]\d{4}\b", report.read_text(encoding="utf-8")))
    assert not words & set(ids)

    changes = tmp_path / "changes.csv"
    changes.write_text(f"change,company_id\nleave,{ids[0]}\n", encoding="utf-8")
    repaired = tmp_path / "repaired"
    code, output = invoke(
        "repair", out, "--changes", changes, "--out", repaired, "--key", key, "--time-limit", "2"
    )
    assert code == 0, output
    for name in ("assignments.csv", "diff.csv", "summary.json"):
        text = (repaired / name).read_text(encoding="utf-8")
        assert not set(re.findall(r"\b[A-Z]\d{4}\b", text)) & set(ids), name
