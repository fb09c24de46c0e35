"""Registry-wide promises: every rule, including one added later, is documented, tested and
serialisable. (Its Python check agreeing with its CP-SAT encoding: tests/test_rule_agreement.py.)"""

import importlib
import json
import re
from pathlib import Path

import pytest

from solver.rules import REGISTRY
from solver.scenario import Scenario

RULE_TESTS = Path(__file__).parent / "rules"
MATHS = re.compile(r"<=|>=|=>|≤|≥|Σ|∩|≠|·|\+|=")


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_every_rule_module_states_its_maths(kind):
    module = importlib.import_module(REGISTRY[kind].__module__)
    doc = module.__doc__ or ""
    assert len(doc.strip().splitlines()) >= 3, f"{module.__name__} needs a docstring with maths"
    assert MATHS.search(doc), f"{module.__name__}'s docstring states no formula"
    assert REGISTRY[kind].summary.strip()


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_every_rule_has_its_own_test_file(kind):
    path = RULE_TESTS / f"test_{kind}.py"
    assert path.exists(), f"add {path.relative_to(RULE_TESTS.parent.parent)}"
    assert "def test_" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_every_rule_round_trips_through_toml_and_json(kind, tmp_path):
    spec = REGISTRY[kind]()
    scenario = Scenario.from_dict({"rules": [{"kind": kind, **spec.model_dump()}]})
    path = tmp_path / "scenario.toml"
    path.write_text(scenario.to_toml(), encoding="utf-8")

    assert Scenario.load(path).rule(kind) == spec
    assert Scenario.from_dict(json.loads(json.dumps(scenario.to_dict()))).rule(kind) == spec


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_every_rule_can_be_switched_off_or_says_why_not(kind):
    field = REGISTRY[kind].model_fields["enforce"]
    try:
        off = REGISTRY[kind](enforce="off")
    except ValueError:
        assert field.description, f"{kind} cannot be switched off: its enforce field says why"
    else:
        assert (
            kind
            not in Scenario.from_dict(
                {"rules": [{"kind": kind, "enforce": "off"}]}
            ).effective_rules()["in_force"]
        )
        assert off.enforce == "off"


@pytest.mark.parametrize("kind", sorted(REGISTRY))
def test_every_rule_names_itself_and_its_knobs_in_both_report_languages(kind):
    rule = REGISTRY[kind]
    assert set(rule.label) == {"en", "fi"} and all(rule.label.values()), kind
    fields = set(rule.model_fields)
    for name, words in rule.parameter_labels.items():
        assert name in fields and set(words) == {"en", "fi"}, (kind, name)
    assert set(rule.shortcuts.values()) <= fields, kind
    if rule.relaxation is not None:
        assert rule.relaxation.parameter in fields, kind
