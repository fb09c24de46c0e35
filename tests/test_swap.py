"""The output swap (issue 16): atomic, locked, marked, and only ever over the tool's own output.

- Several processes writing one --out at once: no error, no stray directory, a complete plan.
- Without renameat2 the fallback replaces file by file: --out exists, with every file, at
  every instant, and ends as the new plan.
- A staging directory left by a killed run is removed by the next writer.
- Directories are recognised by the manifest the tool writes, not by file names: a user's own
  summary.json or diff.csv, a user's companies.csv, an input given as `report --out` are
  never overwritten.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from peergroups.generate import generate, write_problem
from peergroups.io import swap
from peergroups.io.swap import MARKER, STAGING, read_marker, write_marker
from peergroups.io.writers import OutputDirectoryInUse, plan_directory

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "datasets" / "sample"

WRITER = """
import sys
from pathlib import Path
from peergroups.generate import generate
from peergroups.io.writers import write_plan
from peergroups.model import Grouping, Unassigned

problem = generate(30, int(sys.argv[2]))
grouping = Grouping(unassigned=tuple(
    Unassigned(company_id=c.company_id, reason="writer " + sys.argv[2])
    for c in problem.companies
))
for _ in range(int(sys.argv[3])):
    write_plan(Path(sys.argv[1]), problem, grouping, {"status": "feasible", "writer": sys.argv[2]})
"""


def test_several_processes_writing_one_out_leave_one_complete_plan(tmp_path):
    out = tmp_path / "plan"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(out), str(seed), "12"],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in range(1, 5)
    ]
    errors = [w.communicate(timeout=600)[1] for w in writers]

    assert [w.returncode for w in writers] == [0, 0, 0, 0], errors
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]
    marker = read_marker(out)
    assert marker is not None
    assert sorted(p.name for p in out.iterdir()) == sorted([*marker["files"], MARKER])
    writer = (out / "summary.json").read_text(encoding="utf-8").split('"writer": "')[1][0]
    assert f"writer {writer}" in (out / "assignments.csv").read_text(encoding="utf-8")


def test_without_an_atomic_exchange_every_file_stays_reachable(tmp_path, monkeypatch):
    target = tmp_path / "plan"
    target.mkdir()
    (target / "assignments.csv").write_text("old\n", encoding="utf-8")
    (target / "gone.csv").write_text("old only\n", encoding="utf-8")
    (target / "packs").mkdir()
    (target / "packs" / "F1.csv").write_text("old pack\n", encoding="utf-8")
    write_marker(target, "plan")
    monkeypatch.setattr(swap, "exchange", lambda first, second: False)
    seen = []
    real_replace = swap.os.replace

    def watched(source, destination):  # the target and its marker exist at every step
        seen.append(sorted(p.name for p in target.iterdir()))
        assert (target / MARKER).exists() and (target / "assignments.csv").exists()
        real_replace(source, destination)

    monkeypatch.setattr(swap.os, "replace", watched)

    with plan_directory(target) as staging:
        (staging / "assignments.csv").write_text("new\n", encoding="utf-8")
        (staging / "packs").mkdir()
        (staging / "packs" / "F1.csv").write_text("new pack\n", encoding="utf-8")

    assert sorted(p.name for p in target.iterdir()) == ["assignments.csv", MARKER, "packs"]
    assert (target / "assignments.csv").read_text(encoding="utf-8") == "new\n"
    assert (target / "packs" / "F1.csv").read_text(encoding="utf-8") == "new pack\n"
    assert len(seen) >= 3
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


def test_the_exchange_is_one_step_where_the_system_has_it(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "x").write_text("a", encoding="utf-8")
    (second / "x").write_text("b", encoding="utf-8")

    if not swap.exchange(first, second):
        pytest.skip("renameat2(RENAME_EXCHANGE) is not available here")

    assert (first / "x").read_text(encoding="utf-8") == "b"
    assert (second / "x").read_text(encoding="utf-8") == "a"


def test_a_killed_runs_staging_is_removed_by_the_next_writer(tmp_path):
    stale = tmp_path / f".plan{STAGING}x1y2"
    stale.mkdir()
    (stale / "graph.graphml").write_text("", encoding="utf-8")
    mine = tmp_path / ".plan.notes"  # a user's hidden directory is not ours
    mine.mkdir()

    with plan_directory(tmp_path / "plan") as staging:
        (staging / "groups.csv").write_text("new\n", encoding="utf-8")

    assert sorted(p.name for p in tmp_path.iterdir()) == [".plan.notes", "plan"]


def invoke(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, [str(a) for a in args])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.output


def test_a_users_summary_and_diff_are_not_taken_for_a_plan(tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "summary.json").write_text('{"my": "notes"}\n', encoding="utf-8")
    (out / "diff.csv").write_text("my,diff\n", encoding="utf-8")

    code, output = invoke(
        "form-groups", SAMPLE / "companies.csv", "--out", out, "--time-limit", "1"
    )

    assert code == 2, output
    assert "not a plan made by peergroups" in output
    assert (out / "summary.json").read_text(encoding="utf-8") == '{"my": "notes"}\n'
    assert sorted(p.name for p in out.iterdir()) == ["diff.csv", "summary.json"]


def test_a_user_file_added_to_a_plan_is_not_deleted(tmp_path):
    out = tmp_path / "plan"
    with plan_directory(out) as staging:
        (staging / "groups.csv").write_text("new\n", encoding="utf-8")
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")

    with pytest.raises(OutputDirectoryInUse, match=r"notes\.txt"), plan_directory(out):
        pass

    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine\n"


def test_generate_does_not_overwrite_a_users_inputs(tmp_path):
    out = tmp_path / "programme"
    out.mkdir()
    for name in ("companies.csv", "relations.csv", "facilitators.csv"):
        (out / name).write_text(f"my {name}\n", encoding="utf-8")

    code, output = invoke("generate", 10, "--out", out)

    assert code == 2, output
    assert (out / "companies.csv").read_text(encoding="utf-8") == "my companies.csv\n"


def test_generate_replaces_its_own_output_and_not_a_plan(tmp_path):
    out = tmp_path / "programme"
    assert invoke("generate", 10, "--out", out)[0] == 0
    assert invoke("generate", 12, "--out", out)[0] == 0
    assert read_marker(out)["kind"] == "instance"

    plan = tmp_path / "plan"
    with plan_directory(plan) as staging:
        (staging / "groups.csv").write_text("new\n", encoding="utf-8")
    code, output = invoke("generate", 10, "--out", plan)
    assert code == 2 and "(plan, not instance)" in output.replace("\n", " ")


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("plan")
    write_problem(generate(40, 3), directory / "inputs")
    out = directory / "plan"
    code, output = invoke(
        "form-groups",
        directory / "inputs" / "companies.csv",
        "--out",
        out,
        "--time-limit",
        "2",
        "--workers",
        "1",
    )
    assert code == 0, output
    return out


def test_report_out_does_not_replace_an_input(plan, tmp_path):
    victim = plan.parent / "inputs" / "companies.csv"
    before = victim.read_bytes()

    code, output = invoke("report", plan, "--out", victim)

    assert code == 2, output
    assert "not written by peergroups" in output
    assert victim.read_bytes() == before


def test_report_out_replaces_its_own_report(plan, tmp_path):
    target = tmp_path / "review.html"
    assert invoke("report", plan, "--out", target)[0] == 0
    assert invoke("report", plan, "--out", target, "--lang", "fi")[0] == 0
    assert 'lang="fi"' in target.read_text(encoding="utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.html"]


def test_repair_out_does_not_replace_a_users_directory(plan, tmp_path):
    changes = tmp_path / "changes.csv"
    changes.write_text("change,company_id\nleave,C0001\n", encoding="utf-8")
    out = tmp_path / "repaired"
    out.mkdir()
    (out / "diff.csv").write_text("mine\n", encoding="utf-8")

    code, output = invoke("repair", plan, "--changes", changes, "--out", out)

    assert code == 2, output
    assert (out / "diff.csv").read_text(encoding="utf-8") == "mine\n"


def test_workers_beyond_the_limit_are_a_usage_error(tmp_path):
    code, output = invoke(
        "form-groups", SAMPLE / "companies.csv", "--out", tmp_path / "p", "--workers", "100000"
    )
    assert code == 2 and "100000" in output and "1<=x<=64" in output.replace(" ", "")


def test_the_default_worker_count_is_fixed_not_the_machines(monkeypatch):
    from solver import Scenario

    monkeypatch.setattr("os.cpu_count", lambda: 32)
    assert Scenario.default().solver.workers == 2


def test_a_staging_writer_run_in_a_thread_does_not_touch_signals(tmp_path):
    code = textwrap.dedent(
        f"""
        import threading
        from pathlib import Path
        from peergroups.io.writers import plan_directory
        def write():
            with plan_directory(Path({str(tmp_path / "plan")!r})) as staging:
                (staging / "a.csv").write_text("a", encoding="utf-8")
        thread = threading.Thread(target=write)
        thread.start()
        thread.join()
        """
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "plan" / "a.csv").exists()


def test_a_symbolic_link_as_out_is_refused_and_its_target_untouched(tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (real / "mine.txt").write_text("mine\n", encoding="utf-8")
    link = tmp_path / "plan"
    link.symlink_to(real)

    with pytest.raises(OutputDirectoryInUse, match="symbolic link"), plan_directory(link):
        pass

    assert [p.name for p in real.iterdir()] == ["mine.txt"]


def test_several_form_groups_runs_into_one_out_all_succeed(tmp_path):
    write_problem(generate(30, 6), tmp_path / "inputs")
    out = tmp_path / "plan"
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                "import cli; cli.form_groups_command()",
                str(tmp_path / "inputs" / "companies.csv"),
                "--out",
                str(out),
                "--time-limit",
                "1",
                "--workers",
                "1",
                "--seed",
                str(seed),
                "--quiet",
            ],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed in range(3)
    ]
    errors = [run.communicate(timeout=300)[1] for run in runs]

    assert [run.returncode for run in runs] == [0, 0, 0], errors
    assert all("Traceback" not in error for error in errors)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inputs", "plan"]
    marker = read_marker(out)
    assert marker is not None and "summary.json" in marker["files"]
    assert sorted(p.name for p in out.iterdir()) == sorted([*marker["files"], MARKER])
