"""The console scripts (`peergroups`, `form-groups`): signals are handled from the first line.

Importing the command line takes a moment (pandas, OR-Tools); a Ctrl-C or SIGTERM in that
moment ends the run with exit 130 and one plain line, as it does later (cli.py's commands),
instead of a traceback or a kill. This module imports nothing heavy before its handlers are in
place.
"""

import signal
import sys

EXIT_INTERRUPTED = 130


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt


def _run(command: str) -> None:
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        import cli
    except KeyboardInterrupt:
        print("Interrupted: stopped while starting; nothing was written.", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
    getattr(cli, command)()


def main() -> None:
    _run("main")


def form_groups() -> None:
    _run("form_groups_command")
