"""The optional extras: the product runs without numba and ray, and research code that needs
one says which extra to install instead of failing with a traceback.

Absence is simulated with `sys.modules[name] = None`, which makes `import name` fail exactly
as when the package is not installed.
"""

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from peergroups.generate import generate, write_problem
from solver.research import Unavailable, needs
from tests.test_cli import invoke

ROOT = Path(__file__).parents[2]


def test_a_missing_package_names_the_extra_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)
    with pytest.raises(Unavailable) as refused:
        needs("numba", "research", "the MDGP tabu search")
    assert str(refused.value) == (
        "the MDGP tabu search needs numba, which is not installed: "
        "pip install 'peergroups[research]'"
    )


def test_the_mdgp_search_refuses_to_import_without_numba(monkeypatch):
    monkeypatch.setitem(sys.modules, "numba", None)
    monkeypatch.delitem(sys.modules, "solver.research.pairwise", raising=False)
    with pytest.raises(Unavailable, match=r"peergroups\[research\]"):
        importlib.import_module("solver.research.pairwise")


def test_form_groups_runs_without_numba_and_ray(tmp_path):
    write_problem(generate(30, seed=1), tmp_path / "in")
    run = "import sys; sys.modules.update(numba=None, ray=None); import cli; cli.main(sys.argv[1:])"
    done = subprocess.run(
        [sys.executable, "-c", run, "form-groups", tmp_path / "in" / "companies.csv",
         "--relations", tmp_path / "in" / "relations.csv", "--out", tmp_path / "plan",
         "--time-limit", "5", "--quiet"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "plan" / "assignments.csv").exists()


def test_bench_mdgp_without_numba_says_which_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "numba", None)
    monkeypatch.delitem(sys.modules, "solver.research.pairwise", raising=False)
    result = invoke(
        "bench", "--suite", "mdgp", "--data", tmp_path, "--out", tmp_path / "out", expect=1
    )
    assert "Error: the MDGP tabu search needs numba" in result.output
    assert "pip install 'peergroups[research]'" in result.output
    assert not (tmp_path / "out").exists()


def test_a_sweep_on_ray_without_ray_says_which_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)
    invoke("generate", 10, "--seed", 1, "--out", tmp_path / "one", expect=0)
    result = invoke(
        "sweep", "--scenarios", ROOT / "datasets" / "scenarios" / "default.toml",
        "--instances", tmp_path, "--engine", "ray", "--out", tmp_path / "out", expect=1,
    )  # fmt: skip
    assert "Error: sweep --engine ray needs ray" in result.output
    assert "pip install 'peergroups[ray]'" in result.output
    assert not (tmp_path / "out").exists()


def test_form_groups_on_ray_without_ray_says_which_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)
    invoke("generate", 10, "--seed", 1, "--out", tmp_path / "cohort", expect=0)
    result = invoke(
        "form-groups", tmp_path / "cohort" / "companies.csv", "--engine", "ray",
        "--out", tmp_path / "plan", expect=1,
    )  # fmt: skip
    assert "Error: form-groups --engine ray needs ray" in result.output
    assert "pip install 'peergroups[ray]'" in result.output
    assert not (tmp_path / "plan").exists()
