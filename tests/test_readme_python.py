"""The README's "From Python" example runs as it is shown, from the project root."""

import contextlib
import io
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_from_python_example_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = readme.split("## From Python", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    printed = io.StringIO()
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(printed):
            exec(compile(code, "README.md", "exec"), {})
    finally:
        os.chdir(here)
    lines = printed.getvalue().splitlines()
    status, placed, _, total, _ = lines[0].split()
    assert status in ("optimal", "feasible") and 0 < int(placed) <= int(total)
    assert "maturity_spread" in lines[1]
    assert "maturity" in lines[-1] and "row" in lines[-1]
