"""One interrupt story for every phase (issue 16): SIGINT or SIGTERM at start-up, while
reading, in the pre-check, during the search or while writing ends the command with exit 130
and one plain line, never a traceback; --out then holds the earlier plan untouched, or (a
signal while writing, or during the search) a complete new plan; never a hidden directory.

Each test runs the real command in a subprocess. The child is told where it is by a tiny
patch that announces a phase on stderr and lingers in it, so the signal lands in that phase
and nowhere else.
"""

import json
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from peergroups.generate import generate, write_problem
from peergroups.io.swap import read_marker

ROOT = Path(__file__).parent.parent
SIGNALS = pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])


@pytest.fixture(scope="module")
def instance(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("instance")
    write_problem(generate(60, 5), directory)
    return directory


@pytest.fixture(scope="module")
def earlier(instance, tmp_path_factory) -> Path:
    """A plan made by the command, to be kept or replaced whole."""
    out = tmp_path_factory.mktemp("earlier") / "plan"
    done = subprocess.run(
        [*child("pass", "form_groups_command"), *arguments(instance, out, "2")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return out


def child(patch: str, command: str, module: str = "cli") -> list[str]:
    """A Python child that applies `patch` and then runs `module.command()`."""
    prelude = (
        "import sys, time\n"
        "def announce(phase):\n"
        "    sys.stderr.write(phase + '\\n')\n"
        "    sys.stderr.flush()\n"
    )
    code = f"{prelude}{textwrap.dedent(patch)}\nimport {module}\n{module}.{command}()\n"
    return [sys.executable, "-c", code]


def arguments(instance: Path, out: Path, time_limit: str = "5") -> list[str]:
    return [
        str(instance / "companies.csv"),
        "--relations",
        str(instance / "relations.csv"),
        "--out",
        str(out),
        "--time-limit",
        time_limit,
        "--workers",
        "1",
    ]


def files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


def as_a_background_job() -> None:
    """Start the child with SIGINT ignored, as a shell starts a script's background jobs:
    a SIGINT sent to it must stop it all the same."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def run_until(command: list[str], phase: str, sig: int) -> tuple[int, str]:
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=as_a_background_job,
    )
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.strip() == phase:
            break
    else:
        raise AssertionError(f"the child never reached {phase}: {''.join(seen)}")
    process.send_signal(sig)
    rest = process.communicate(timeout=120)[1]
    return process.returncode, "".join(seen) + rest


PHASES = {
    # The import of the command line itself (pandas, OR-Tools), under the console script.
    "start-up": (
        """
        import importlib.abc
        class Slow(importlib.abc.MetaPathFinder):
            def find_spec(self, name, path, target=None):
                if name == "pandas":
                    announce("start-up")
                    time.sleep(60)
        sys.meta_path.insert(0, Slow())
        """,
        "form_groups_command",
        "cli",
    ),
    "reading": (
        """
        import peergroups.io.readers as readers
        original = readers._csv_rows
        def slow(path):
            announce("reading")
            time.sleep(60)
            return original(path)
        readers._csv_rows = slow
        """,
        "form_groups_command",
        "cli",
    ),
    "pre-check": (
        """
        import cli
        original = cli.diagnose
        def slow(*args):
            announce("pre-check")
            time.sleep(60)
            return original(*args)
        cli.diagnose = slow
        """,
        "form_groups_command",
        "cli",
    ),
}


@SIGNALS
@pytest.mark.parametrize("phase", list(PHASES))
def test_a_signal_before_the_search_keeps_the_earlier_plan(instance, earlier, tmp_path, phase, sig):
    out = tmp_path / "plan"
    shutil.copytree(earlier, out)
    before = files(out)
    patch, command, module = PHASES[phase]

    code, stderr = run_until(
        [*child(textwrap.dedent(patch), command, module), *arguments(instance, out)], phase, sig
    )

    assert code == 130, stderr
    assert "Traceback" not in stderr and "Aborted" not in stderr
    assert "Interrupted" in stderr
    assert files(out) == before
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


@SIGNALS
def test_a_signal_while_writing_completes_the_new_plan(instance, earlier, tmp_path, sig):
    out = tmp_path / "plan"
    shutil.copytree(earlier, out)
    patch = """
    import peergroups.io.writers as writers
    original = writers.write_report
    def slow(*args, **kwargs):
        announce("writing")
        time.sleep(2)
        return original(*args, **kwargs)
    writers.write_report = slow
    """
    command = child(textwrap.dedent(patch), "form_groups_command")
    code, stderr = run_until([*command, *arguments(instance, out, "3")], "writing", sig)

    assert code == 130, stderr
    assert "Traceback" not in stderr and "Interrupted" in stderr
    marker = read_marker(out)
    assert marker is not None
    assert sorted(p.name for p in out.iterdir()) == sorted([*marker["files"], "manifest.json"])
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["inputs"]["companies"]["path"] == str(instance / "companies.csv")
    assert (out / "report.html").stat().st_size > 0
    assert (out / "conflicts.graphml").stat().st_size > 0
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


@SIGNALS
def test_a_signal_while_generating_leaves_nothing_half_written(tmp_path, sig):
    patch = """
    import peergroups.generate as generating
    original = generating.write_problem
    def slow(*args, **kwargs):
        announce("writing")
        time.sleep(2)
        return original(*args, **kwargs)
    generating.write_problem = slow
    import cli
    cli.write_problem = slow
    """
    out = tmp_path / "instance"
    command = [*child(textwrap.dedent(patch), "main"), "generate", "30", "--out", str(out)]
    code, stderr = run_until(command, "writing", sig)

    assert code == 130, stderr
    assert "Traceback" not in stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "companies.csv",
        "facilitators.csv",
        "manifest.json",
        "relations.csv",
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["instance"]
