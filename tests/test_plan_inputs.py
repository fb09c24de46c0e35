"""Files read with a plan (issue 16): changes.csv, summary.json and the inputs a plan records
are validated like the main inputs: every problem at once as file:line: column, exit 1, no
pydantic dump, no traceback; an edited summary.json cannot point a command at another file."""

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

SAMPLE = Path(__file__).parent.parent / "datasets" / "sample"


def invoke(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, [str(a) for a in args])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, repr(result.exception)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    """A plan of the sample programme (its companies have the six dma_* columns)."""
    directory = tmp_path_factory.mktemp("made")
    shutil.copy(SAMPLE / "companies.csv", directory / "companies.csv")
    out = directory / "plan"
    code, output = invoke(
        "form-groups", directory / "companies.csv", "--out", out, "--time-limit", "3", "--quiet"
    )
    assert code == 0, output
    return out


@pytest.fixture
def copy(plan, tmp_path) -> Path:
    target = tmp_path / "plan"
    shutil.copytree(plan, target)
    return target


def repair(plan: Path, tmp_path: Path, text: str, *more: object) -> tuple[int, str, Path]:
    changes = tmp_path / "changes.csv"
    changes.write_text(text, encoding="utf-8")
    out = tmp_path / "repaired"
    code, output = invoke(
        "repair", plan, "--changes", changes, "--out", out, "--time-limit", "3", "--quiet", *more
    )
    return code, output, changes


def test_every_bad_change_is_listed_at_once_with_its_line(plan, tmp_path):
    code, output, changes = repair(
        plan,
        tmp_path,
        "change,company_id,partner,relation,severity,maturity\n"
        "leave,NOPE,,,,\n"  # 2: unknown company, once silently ignored
        "join,GHOST,,,,\n"  # 3: not in the companies file
        "relation,C0003,C0003,competitor,hard,\n"  # 4: a self-relation
        "relation,C0004,C9999,competitor,hard,\n"  # 5: an unknown partner
        "leave,C0002,,,,\n"
        "leave,C0002,,,,\n"  # 7: leaves twice
        "join,C0002,,,,\n",  # 8: and joins
    )

    assert code == 1, output
    for expected in (
        f"{changes}:2: company_id: unknown company 'NOPE'",
        f"{changes}:3: company_id: unknown company 'GHOST'",
        f"{changes}:4: partner: is the company itself",
        f"{changes}:5: partner: unknown company 'C9999'",
        f"{changes}:7: company_id: C0002 already leaves on line 6",
        f"{changes}:8: company_id: C0002 already leaves on line 6",
    ):
        assert expected in output, output
    assert "validation error" not in output and "pydantic" not in output
    assert not (tmp_path / "repaired").exists()


def test_a_maturity_change_for_a_company_with_dma_columns_repairs(plan, tmp_path):
    code, output, _ = repair(
        plan,
        tmp_path,
        "change,company_id,partner,relation,severity,maturity\nmaturity,C0001,,,,40\n",
    )

    assert code == 0, output
    diff = (tmp_path / "repaired" / "diff.csv").read_text(encoding="utf-8")
    assert "C0001" in diff


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{not json", "is not valid JSON"),
        ("[]", "is not a JSON object"),
        (
            '{"inputs": {"companies": {"path": "relative.csv", "sha256": "x"}}}',
            "inputs: each input needs an absolute path",
        ),
        ("\xff\xfe", "is not valid JSON"),
    ],
)
def test_a_corrupt_summary_is_a_plain_error(copy, text, expected):
    (copy / "summary.json").write_text(text, encoding="utf-8")
    for command in (["check", copy], ["explain", copy, "C0001"], ["report", copy]):
        code, output = invoke(*command)
        assert code == 1, output
        assert f"{copy / 'summary.json'}: {expected}" in output


def test_a_summary_without_a_scenario_is_a_plain_error(copy):
    summary = json.loads((copy / "summary.json").read_text(encoding="utf-8"))
    del summary["scenario"]
    (copy / "summary.json").write_text(json.dumps(summary), encoding="utf-8")

    code, output = invoke("check", copy)

    assert code == 1 and "no usable scenario" in output, output


def test_an_edited_summary_cannot_point_at_another_file(copy, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("company_id,name\nroot,x:0:0:secret\n", encoding="utf-8")
    summary = json.loads((copy / "summary.json").read_text(encoding="utf-8"))
    summary["inputs"]["companies"]["path"] = str(secret)
    (copy / "summary.json").write_text(json.dumps(summary), encoding="utf-8")

    code, output = invoke("check", copy)

    assert code == 2, output
    assert "is not the file the plan was made from" in output
    assert "secret" not in output.replace(str(secret), "")


def test_a_device_recorded_as_an_input_is_not_read(copy):
    summary = json.loads((copy / "summary.json").read_text(encoding="utf-8"))
    summary["inputs"]["companies"]["path"] = "/dev/zero"
    (copy / "summary.json").write_text(json.dumps(summary), encoding="utf-8")

    code, output = invoke("explain", copy, "C0001")

    assert code == 2 and "not the file the plan was made from" in output, output


def test_a_changed_input_is_read_only_when_given_again(copy):
    summary = json.loads((copy / "summary.json").read_text(encoding="utf-8"))
    companies = Path(summary["inputs"]["companies"]["path"])
    original = companies.read_bytes()
    try:
        companies.write_bytes(original + b"\n")
        assert invoke("check", copy)[0] == 2
        code, output = invoke("check", copy, "--companies", companies)
        assert code == 0, output
    finally:
        companies.write_bytes(original)


def test_bad_pins_and_history_are_listed_with_their_lines(tmp_path):
    pins = tmp_path / "pins.csv"
    pins.write_text("kind,company_id,group_id\ngroup,C0001,G1\nnope,C0002,G1\ngroup,C9999,G2\n")
    history = tmp_path / "history.csv"
    history.write_text("round,group_id,company_id\n1,G1,C0001\nx,G1,\n")

    code, output = invoke(
        "validate", SAMPLE / "companies.csv", "--pins", pins, "--history", history
    )

    assert code == 1, output
    assert f"{pins}:3: kind:" in output and f"{pins}:4: company_id: unknown company" in output
    assert f"{history}:3: round:" in output and f"{history}:3: company_id:" in output
    assert "Traceback" not in output and "validation error" not in output
