"""`peergroups.read_problem` from Python: paths or DataFrames, one validation for both."""

from pathlib import Path

import pandas as pd
import pytest

import peergroups
from peergroups import InputWarning, InvalidInput, Problem, read_problem

SAMPLE = Path(__file__).resolve().parents[1] / "datasets" / "sample"
FILES = {
    "companies": SAMPLE / "companies.csv",
    "relations": SAMPLE / "relations.csv",
    "facilitators": SAMPLE / "facilitators.csv",
}


def test_dataframes_give_the_same_problem_as_the_files():
    from_files = read_problem(**FILES)
    frames = {name: pd.read_csv(path) for name, path in FILES.items()}

    from_frames = read_problem(**frames)

    assert isinstance(from_frames, Problem)
    assert from_frames.model_dump() == from_files.model_dump()


def test_text_frames_and_mixed_inputs_give_the_same_problem():
    # dtype=str keeps every cell as written; companies from a file, the rest from frames.
    frames = {name: pd.read_csv(path, dtype=str) for name, path in FILES.items()}
    frames["companies"] = FILES["companies"]

    assert read_problem(**frames).model_dump() == read_problem(**FILES).model_dump()


def test_a_frame_takes_aliases_lists_and_missing_values():
    frame = pd.DataFrame(
        {
            "Yritys_ID": ["Y1", "Y2"],
            "Nimi": ["Konepaja Ääri Oy", "Valimo Oy"],
            "Kypsyys": [42.5, 60],
            "Rooli": ["toimitusjohtaja", "ceo"],
            "Tavoitteet": [["erp", "cybersecurity"], ("erp",)],
            "maakunta": ["Pirkanmaa", None],
            "employees": [12, float("nan")],
        }
    )

    first, second = read_problem(frame).companies

    assert (first.company_id, first.maturity, first.role, first.region) == (
        "Y1",
        42.5,
        "ceo",
        "MK06",
    )
    assert first.goals == ("erp", "cybersecurity")
    assert (second.goals, second.region, second.employees) == (("erp",), None, None)


def test_frame_errors_name_the_input_the_row_and_the_column():
    frame = pd.read_csv(FILES["companies"]).head(4)
    frame.loc[2, "maturity"] = 120
    frame.loc[3, "role"] = "janitor"
    relations = pd.DataFrame({"company_a": ["C0001"], "company_b": ["C9999"], "relation": ["x"]})

    with pytest.raises(InvalidInput) as raised:
        read_problem(frame, relations=relations)

    issues = raised.value.issues
    assert [(i.file, i.line, i.column, i.unit) for i in issues] == [
        ("companies", 2, "maturity", "row"),
        ("companies", 3, "role", "row"),
        ("relations", 0, "company_b", "row"),
        ("relations", 0, "relation", "row"),
    ]
    assert str(issues[0]) == "companies row 2: maturity: must be at most 100, not '120'"
    assert str(issues[2]).startswith("relations row 0: company_b: unknown company 'C9999'")


def test_a_frame_without_a_required_column_is_refused_as_a_whole():
    frame = pd.DataFrame({"company_id": ["C1"], "name": ["A"], "role": ["ceo"], "goals": ["erp"]})

    with pytest.raises(InvalidInput) as raised:
        read_problem(frame)

    [issue] = raised.value.issues
    assert str(issue) == (
        "companies: missing required column: maturity (also accepted: dma_overall, overall, "
        "kypsyys, digikypsyys) or all of dma_strategy, dma_readiness, dma_human, dma_data, "
        "dma_automation_ai, dma_green"
    )


def test_what_the_reader_adjusts_is_a_python_warning():
    frame = pd.DataFrame(
        {"company_id": ["C1"], "name": ["A"], "role": ["ceo"], "goals": ["erp"], "maturity": [0.4]}
    )

    with pytest.warns(InputWarning, match="0-1 scale"):
        [company] = read_problem(frame).companies

    assert company.maturity == 40.0


def test_the_package_exports_its_reading_api_and_types():
    assert {"read_problem", "read_plan", "Problem", "Grouping", "Company"} <= set(
        peergroups.__all__
    )
    assert all(hasattr(peergroups, name) for name in peergroups.__all__)
