"""The README is part of the interface: every command it shows exists and answers --help,
every command the program has is in it, and its options are real (the sqlite-utils and
Datasette habit)."""

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _synopsis() -> list[list[str]]:
    """The command lines of the README's "Commands" block, continuation lines joined."""
    block = README.split("## Commands", 1)[1].split("```", 2)[1]
    lines: list[str] = []
    for line in block.splitlines()[1:]:
        text = line.split("  #", 1)[0].strip()
        if not text:
            continue
        if line.startswith(" ") and lines:
            lines[-1] += " " + text
        else:
            lines.append(text)
    return [shlex.split(line.replace("[", " ").replace("]", " ")) for line in lines]


def _command(words: list[str]) -> list[str]:
    """`form-groups ...` -> ['form-groups']; `peergroups check ...` -> ['check']."""
    return ["form-groups"] if words[0] == "form-groups" else [words[1]]


SYNOPSIS = _synopsis()


@pytest.mark.parametrize("words", SYNOPSIS, ids=lambda words: " ".join(words[:2]))
def test_every_readme_command_exists_and_knows_its_options(words):
    command = _command(words)
    result = CliRunner().invoke(cli.main, [*command, "--help"])
    assert result.exit_code == 0, result.output
    for option in (word for word in words if word.startswith("--")):
        assert re.search(rf"{re.escape(option)}\b", result.output), (command, option)


def test_every_command_of_the_program_is_in_the_readme():
    shown = {_command(words)[0] for words in SYNOPSIS}
    assert set(cli.main.commands) <= shown, set(cli.main.commands) - shown
