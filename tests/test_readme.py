"""The README is part of the interface: every command it shows exists and answers --help,
every command the program has is in it, and its options are real (the sqlite-utils and
Datasette habit)."""

import re
import shlex
from pathlib import Path

import click
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


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((" ".join((*path, name)), command))
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
    return found


@pytest.mark.parametrize(("name", "command"), _commands(cli.main), ids=lambda v: str(v))
def test_every_option_says_what_it_does(name, command):
    """`--help` is the first documentation a user reads: no option without a description."""
    silent = [
        option.opts[0]
        for option in command.params
        if isinstance(option, click.Option) and not option.hidden and not option.help
    ]
    assert silent == [], f"{name}: {silent}"
