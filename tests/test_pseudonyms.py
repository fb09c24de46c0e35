"""--pseudonymise: plans that can leave the programme office without naming a company."""

import json
import re
import stat
from pathlib import Path

from click.testing import CliRunner

import cli
from peergroups.io.readers import read_problem

SAMPLE = Path(__file__).parent.parent / "datasets" / "sample"
PLAN_FILES = ("assignments.csv", "groups.csv", "summary.json", "conflicts.graphml", "report.html")


def form(out: Path, key: Path):
    args = [
        str(SAMPLE / "companies.csv"),
        "--relations",
        str(SAMPLE / "relations.csv"),
        "--facilitators",
        str(SAMPLE / "facilitators.csv"),
        "--out",
        str(out),
        "--time-limit",
        "3",
        "--workers",
        "2",
        "--quiet",
        "--pseudonymise",
        str(key),
    ]
    return CliRunner().invoke(cli.form_groups_command, args)


def test_no_company_id_or_name_leaves_in_the_plan(tmp_path):
    key = tmp_path / "private" / "key.json"
    result = form(tmp_path / "plan", key)
    assert result.exit_code == 0, result.output
    companies = read_problem(SAMPLE / "companies.csv").companies

    for name in PLAN_FILES:
        text = (tmp_path / "plan" / name).read_text(encoding="utf-8")
        # Whole words only: a hex pseudonym like K-2C0012AB may contain "C0012" by chance.
        leaked = [c.company_id for c in companies if re.search(rf"\b{c.company_id}\b", text)]
        leaked += [c.name for c in companies if c.name in text]
        leaked += [c.business_id for c in companies if c.business_id and c.business_id in text]
        assert leaked == [], (name, leaked[:3])

    entries = json.loads(key.read_text(encoding="utf-8"))["companies"]
    assert {e["company_id"] for e in entries} == {c.company_id for c in companies}
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assigned = (tmp_path / "plan" / "assignments.csv").read_text(encoding="utf-8")
    assert all(e["pseudonym"] in assigned for e in entries)


def test_the_same_key_gives_the_same_pseudonyms_and_a_new_key_others(tmp_path):
    key = tmp_path / "key.json"
    form(tmp_path / "first", key)
    form(tmp_path / "second", key)
    form(tmp_path / "third", tmp_path / "other-key.json")

    first, second, third = (
        (tmp_path / name / "assignments.csv").read_text(encoding="utf-8")
        for name in ("first", "second", "third")
    )
    assert first == second
    assert first.splitlines()[1].split(",")[0] != third.splitlines()[1].split(",")[0]


def test_the_key_file_may_not_sit_in_the_plan_it_would_expose(tmp_path):
    result = form(tmp_path / "plan", tmp_path / "plan" / "key.json")
    assert result.exit_code == 2
    assert "must not be inside the plan directory" in result.output
