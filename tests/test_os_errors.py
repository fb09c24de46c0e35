"""When the operating system refuses (a read-only place, a full disk, no permission): one plain
line naming the path, exit 5, and nothing lost (issue 16). The disk tests mount a small tmpfs
and run only as root; without root, read-only is a directory without write permission."""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from peergroups.generate import generate, write_problem

ROOT_ONLY = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
EXIT_OS_ERROR = 5


def invoke(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli.main, [str(a) for a in args])
    crashed = result.exception is not None and not isinstance(result.exception, SystemExit)
    assert not crashed, repr(result.exception)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("inputs")
    write_problem(generate(40, 8), directory)
    return directory


def form_groups(inputs: Path, out: Path, seed: int = 0) -> tuple[int, str]:
    return invoke(
        "form-groups",
        inputs / "companies.csv",
        "--out",
        out,
        "--time-limit",
        "2",
        "--workers",
        "1",
        "--seed",
        seed,
        "--quiet",
    )


def files(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir())}


@pytest.fixture
def tmpfs(tmp_path) -> Iterator[Path]:
    mounted: list[Path] = []

    def mount(size: str, *options: str) -> Path:
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        option = ",".join([f"size={size}", *options])
        subprocess.run(["mount", "-t", "tmpfs", "-o", option, "tmpfs", str(point)], check=True)
        mounted.append(point)
        return point

    yield mount  # type: ignore[misc]
    for point in reversed(mounted):
        subprocess.run(["umount", str(point)], check=False)


def read_only_place(tmp_path: Path, tmpfs) -> Path:
    if os.geteuid() == 0:
        return tmpfs("1m", "ro")
    place = tmp_path / "locked"
    place.mkdir()
    place.chmod(0o500)
    return place


def test_a_read_only_place_is_refused_before_solving(inputs, tmp_path, tmpfs):
    place = read_only_place(tmp_path, tmpfs)

    code, output = form_groups(inputs, place / "plan")

    assert code == EXIT_OS_ERROR, output
    assert "Traceback" not in output
    assert f"cannot write the plan to {place / 'plan'}" in output
    assert "Nothing was solved" in output
    assert list(place.iterdir()) == []


def test_a_report_to_a_read_only_place_names_the_path(inputs, tmp_path, tmpfs):
    assert form_groups(inputs, tmp_path / "plan")[0] == 0
    place = read_only_place(tmp_path, tmpfs)

    code, output = invoke("report", tmp_path / "plan", "--out", place / "review.html")

    assert code == EXIT_OS_ERROR, output
    assert str(place) in output and "Traceback" not in output


@ROOT_ONLY
def test_a_full_disk_keeps_the_earlier_plan(inputs, tmpfs):
    disk = tmpfs("2m")
    out = disk / "plan"
    assert form_groups(inputs, out)[0] == 0
    before = files(out)
    free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
    (disk / "filler").write_bytes(b"\0" * (free - 16 * 1024))  # room for a file or two

    code, output = form_groups(inputs, out, seed=1)

    assert code == EXIT_OS_ERROR, output
    assert "No space left on device" in output and str(out) in output
    assert "earlier plan there is untouched" in output
    assert files(out) == before
    assert sorted(p.name for p in disk.iterdir()) == ["filler", "plan"]


@ROOT_ONLY
def test_a_full_disk_while_generating_leaves_nothing(tmpfs):
    disk = tmpfs("64k")

    code, output = invoke("generate", 2000, "--out", disk / "instance")

    assert code == EXIT_OS_ERROR, output
    assert "No space left on device" in output
    assert list(disk.iterdir()) == []


@pytest.mark.parametrize("rounds", ["1", "2"])
def test_a_key_file_that_cannot_be_saved_writes_no_plan(inputs, tmp_path, rounds):
    # The key's folder is a file: saving fails for root too. A plan nobody can map back
    # must not be written, for one round as for several.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    out = tmp_path / "plan"
    code, output = invoke(
        "form-groups", inputs / "companies.csv", "--out", out, "--time-limit", "2",
        "--rounds", rounds, "--pseudonymise", blocker / "key.json",
    )  # fmt: skip
    assert code == EXIT_OS_ERROR, output
    assert f"cannot write the key file {blocker / 'key.json'}" in output
    assert "Nothing was written." in output and not out.exists()
