"""Command line: `form-groups` and the `peergroups` command group.

Results go to files; progress, summaries and errors go to stderr. Exit codes (DESIGN.md):
0 a plan was written, 1 invalid input (or, for `check`, a plan that breaks a rule),
2 usage error, 3 no company could be placed, 4 some company unassigned under --require-all,
5 the operating system refused a file (read-only, full disk, no permission), 130 interrupted.

This module is also the console scripts' entry point, so it takes signals from its first line:
importing pandas and OR-Tools takes a moment, and a Ctrl-C or SIGTERM in that moment ends the
run with exit 130 and one plain line, as it does later, instead of a traceback or a kill.
"""

import signal
import sys
import threading

EXIT_INTERRUPTED = 130


def _interrupt(number: int, frame: object) -> None:
    raise KeyboardInterrupt


# Both signals explicitly: a process started with SIGINT ignored (a background job of a
# script) still stops on a SIGINT sent to it, as it does during the search.
_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_starting = threading.current_thread() is threading.main_thread()
_previous = [signal.signal(number, _interrupt) for number in _SIGNALS] if _starting else []
try:
    import contextlib
    import gc
    import getpass
    import json
    import os
    import time
    import traceback
    from collections import Counter
    from collections.abc import Callable, Iterable
    from dataclasses import asdict
    from pathlib import Path
    from typing import Any

    import click
    from click.core import ParameterSource
    from pydantic import ValidationError

    from peergroups import __version__
    from peergroups.conflicts import analyse, summary_lines
    from peergroups.generate import generate, write_problem
    from peergroups.io import (
        INPUTS,
        InvalidInput,
        Loaded,
        NotAPlan,
        Plan,
        manifest,
        read_inputs,
        read_plan,
    )
    from peergroups.io.changes import read_changes_for
    from peergroups.io.swap import (
        OutputDirectoryInUse,
        deferred_signals,
        output_directory,
        output_file,
    )
    from peergroups.io.writers import (
        FULL_OUTPUT_COMPANIES,
        ensure_plan_directory,
        prepare_writing,
        replace_packs,
        write_diff,
        write_plan,
        write_rounds,
    )
    from peergroups.model import Grouping, Problem
    from peergroups.modes import MODES
    from peergroups.modes import SPELLINGS as MODE_SPELLINGS
    from peergroups.outcome import Outcome
    from peergroups.programme import screen
    from peergroups.pseudonyms import (
        BadKey,
        PseudonymKey,
        pseudonymise_rounds,
        pseudonymise_summary,
    )
    from peergroups.pseudonyms import pseudonymise as pseudonymised
    from peergroups.report import RoundsShown, is_report, write_report
    from peergroups.review import Judge, OtherPlan, open_review, serve
    from peergroups.roles import TIER, TITLES, Role
    from peergroups.wording import localise
    from solver import (
        DEFAULT_WORKERS,
        MAX_WORKERS,
        REGISTRY,
        STOP,
        Infeasible,
        NoPlanInTime,
        Progress,
        RememberingObjective,
        Result,
        Rounds,
        Scenario,
        ScoreReader,
        SolverBug,
        TooLarge,
        apply_changes,
        check,
        check_changed,
        diagnose,
        explain_company,
        meetings_again,
        objective_change,
        plan_rounds,
        refuse_if_too_large,
        reoptimise_keeping,
        repair_diff,
        screening,
        shortcuts,
        solve,
        stop_on_signals,
        with_hints,
    )
    from solver.extras import Unavailable, needs
    from solver.research import BadRequest, bench, mdgp_bench, parse_seeds, sweep
    from solver.research.bench import METHODS, SUITES
except KeyboardInterrupt:
    print("Interrupted: stopped while starting; nothing was written.", file=sys.stderr)
    raise SystemExit(EXIT_INTERRUPTED) from None
finally:
    for _number, _handler in zip(_SIGNALS, _previous, strict=False):
        signal.signal(_number, _handler)

EXIT_INVALID_INPUT = 1
EXIT_NOBODY_PLACED = 3
EXIT_SOME_UNASSIGNED = 4
EXIT_OS_ERROR = 5
REASONS_SHOWN = 10
PAIRS_LISTED = 20
"""Most pairs meeting again that `check` lists by name (the count is always given)."""

InputFile = click.Path(exists=True, dir_okay=False, path_type=Path)
PlanDirectory = click.Path(exists=True, file_okay=False, path_type=Path)


def _say(message: str = "") -> None:
    click.echo(message, err=True)


class Failure(click.ClickException):
    """The one way a command ends without success: the lines that explain it, then
    `Error: message` (or another heading) on stderr, and the exit code of DESIGN.md."""

    def __init__(
        self,
        message: str,
        exit_code: int = EXIT_INVALID_INPUT,
        details: Iterable[str] = (),
        heading: str = "Error",
    ) -> None:
        super().__init__(message)
        self.exit_code = exit_code
        self.details = list(details)
        self.heading = heading

    def show(self, file: Any = None) -> None:
        for line in self.details:
            _say(line)
        _say(f"{self.heading}: {self.message}")


def _os_failure(error: OSError, what: str, untouched: str = "") -> Failure:
    """An error of the operating system (read-only, full disk, no permission) in plain words,
    naming the path (exit 5)."""
    reason = error.strerror or str(error)
    where = f" ({error.filename})" if error.filename else ""
    return Failure(f"cannot write {what}: {reason}{where}.{untouched}", EXIT_OS_ERROR)


class _Guarded:
    """What every command shares from its first line to its last byte written: SIGTERM acts as
    SIGINT (whatever handlers the process inherited), and either ends the command with exit
    130 and a plain line, never a traceback.
    Writers hold signals back until their output is complete (`peergroups.io.swap`), so an
    output is whole or the earlier one is untouched; the search stops and writes its best
    plan (`solver.stop_on_signals`)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():
            return super().main(*args, **kwargs)  # type: ignore[misc]
        previous = [signal.signal(number, _interrupt) for number in _SIGNALS]
        try:
            return super().main(*args, **kwargs)  # type: ignore[misc]
        finally:
            for number, handler in zip(_SIGNALS, previous, strict=True):
                signal.signal(number, handler)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """A console script's run (tests call `main`, not this): once everything is written
        and flushed, the process ends without the interpreter's teardown, which frees a
        large plan's millions of objects one by one (seconds at 100,000 companies)."""
        try:
            self.main(*args, **kwargs)
            code: Any = 0
        except SystemExit as exit:
            code = exit.code
        if code is not None and not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a closed pipe (| head)
                stream.flush()
        os._exit(code or 0)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except KeyboardInterrupt:
            raise Failure(
                "stopped on request; nothing was left half written (an output is whole or "
                "as it was before).",
                EXIT_INTERRUPTED,
                heading="Interrupted",
            ) from None


class GuardedCommand(_Guarded, click.Command):
    pass


class GuardedGroup(_Guarded, click.Group):
    pass


# --- options shared by several commands ----------------------------------------------------------


def time_limit_option(
    default: float, help: str = "Seconds for the whole run."
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--time-limit",
        type=click.FloatRange(min=0, min_open=True),
        default=default,
        show_default=True,
        help=help,
    )


seed_option = click.option(
    "--seed", type=click.IntRange(0), default=0, show_default=True, help="Random seed."
)
workers_option = click.option(
    "--workers",
    type=click.IntRange(1, MAX_WORKERS),
    default=None,
    help=f"Solver threads, 1-{MAX_WORKERS} [default: {DEFAULT_WORKERS}, on any machine]. "
    "Another count can give another plan.",
)


def engine_option(default: str | None, help: str) -> Callable[[Any], Any]:
    return click.option(
        "--engine",
        type=click.Choice(["local", "ray"]),
        default=default,
        show_default=default is not None,
        help=help + " ray: the Ray cluster of RAY_ADDRESS, or a local one (the ray extra).",
    )


lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "fi"]),
    default="en",
    show_default=True,
    help="Language of the report, the workbook and the reasons.",
)
quiet_option = click.option("--quiet", is_flag=True, help="Only the final summary on stderr.")
packs_option = click.option(
    "--packs",
    is_flag=True,
    help="Also write packs/<facilitator>/: a report and a workbook of that facilitator's "
    "groups only.",
)


def _load(inputs: dict[str, Path | None], sheet: str | None = None) -> Loaded:
    """Read and validate the inputs, or list every problem and exit 1."""
    try:
        loaded = read_inputs(**{name: inputs.get(name) for name in INPUTS}, sheet=sheet)
    except InvalidInput as invalid:
        raise _invalid(invalid, "the input") from None
    for warning in loaded.warnings:
        _say(f"warning: {warning}")
    return loaded


def _invalid(invalid: InvalidInput, what: str) -> Failure:
    """Every problem of an input file, one per line, and nothing written."""
    count = len(invalid.issues)
    return Failure(
        f"{count} problem(s) in {what}; nothing was written.",
        details=[f"warning: {w}" for w in invalid.warnings] + [str(i) for i in invalid.issues],
    )


def _progress_printer(reader: ScoreReader | None = None) -> Callable[[Progress], None]:
    """Print improving plans at most twice a second (the final one shows in the summary), in
    the terms of the levels: placed, then the goal ranks, the maturity spread ..."""
    last = [-1.0]

    def show(progress: Progress) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5:
            last[0] = now
            # Levels before the one being optimised are settled: in words. The current one
            # from the model itself, with its own bound and gap (a later level's term is tiny
            # against the score). The levels after it are not tightened yet: left out.
            words, this_level = "", ""
            if reader is not None:
                levels = list(reader.levels_of(progress.objective).items())
                names = [name for name, _ in levels]
                current = names.index(progress.level) if progress.level in names else 1
                words = "".join(f"; {_level_words(n, v)}" for n, v in levels[1:current])
            if progress.value is not None and progress.level != "placed":
                bound = progress.value_bound
                this_level = f"; {progress.level} {progress.value}" + (
                    " (bound open, level gap open)"
                    if bound is None
                    else f" (bound {bound:.6g}), level gap "
                    f"{100 * abs(progress.value - bound) / max(1.0, abs(progress.value)):.2f} %"
                )
            _say(
                f"  {progress.seconds:6.1f} s  {progress.level:14s} placed {progress.placed}"
                f" (at most {progress.placed_bound}){words}{this_level}"
            )

    return show


def _of_round(show: Callable[[Progress], None]) -> Callable[[int, Progress], None]:
    """Progress of one round's search, with a line when the next round starts."""
    current = [0]

    def of_round(number: int, progress: Progress) -> None:
        if number != current[0]:
            current[0] = number
            _say(f"  round {number}:")
        show(progress)

    return of_round


def _level_words(name: str, value: int) -> str:
    """One level's value as the progress line says it."""
    if name == "goal_rank":
        return f"goal ranks {value} (0: all on their first goal)"
    if name == "spread":
        return f"maturity spread {value / 10:g} points over all groups"
    return f"{name.replace('_', ' ')} {value}"


def _print_summary(result: Result, out: Path, problem: Problem) -> None:
    summary = result.summary()
    _say(f"Plan written to {out}/")
    _say(f"  status       {_status_words(result, problem)}")
    for level in result.levels:
        bound = "open" if level.bound is None else f"{level.bound:g}"
        verdict = "proven" if level.proven else "not proven"
        _say(f"    {level.name:14s} {level.value:>8}  bound {bound:>8}  {verdict}")
    _say(f"  time         {summary['runtime_s']:.1f} s")
    _say(f"  groups       {summary['groups']}")
    for line in Outcome.of(problem, result.grouping).lines():
        _say(f"  {line}")
    _say(f"  unassigned   {summary['unassigned']}")
    for entry in result.grouping.unassigned[:REASONS_SHOWN]:
        _say(f"    {entry.company_id}: {entry.reason}")
    hidden = len(result.grouping.unassigned) - REASONS_SHOWN
    if hidden > 0:
        _say(f"    ... and {hidden} more (see assignments.csv)")
    if result.unstaffed:
        _say(f"  without a facilitator: {len(result.unstaffed)}")
        for group_id, reason in sorted(result.unstaffed.items())[:REASONS_SHOWN]:
            _say(f"    {group_id}: {reason}")
        hidden = len(result.unstaffed) - REASONS_SHOWN
        if hidden > 0:
            _say(f"    ... and {hidden} more (see summary.json)")


def _status_words(result: Result, problem: Problem) -> str:
    """The status and which levels are proven, so that it agrees with the report."""
    reader = ScoreReader.of(problem, result.scenario)
    proof = reader.proof(result.terms, result.bound, result.is_optimal())
    words = {"goal_rank": "goals", "placed": "placed"}
    proven = ", ".join(words.get(n, n.replace("_", " ")) for n in proof.proven)
    open_ = ", ".join(words.get(n, n.replace("_", " ")) for n in proof.open)
    if result.is_optimal():
        return f"optimal: every level proven ({proven})"
    text = f"{result.status.value}, not proven optimal"
    text += f"; levels proven optimal: {proven or 'none'}"
    if open_:
        text += f"; open: {open_}"
    if proof.placed_at_most is not None and "placed" in proof.open:
        text += f" (no plan places more than {proof.placed_at_most})"
    return text


def _form_groups(
    out: Path,
    time_limit: float,
    seed: int,
    workers: int | None,
    strategy: str,
    engine: str | None,
    lang: str,
    packs: bool,
    quiet: bool,
    scenario_file: Path | None,
    pseudonymise: Path | None,
    debug: bool = False,
    require_all: bool = False,
    rounds: int = 1,
    sheet: str | None = None,
    **inputs_and_shortcuts: Any,
) -> None:
    started = time.perf_counter()
    if pseudonymise is not None and pseudonymise.resolve().is_relative_to(out.resolve()):
        raise click.UsageError("the pseudonym key file must not be inside the plan directory")
    _key(pseudonymise)
    rules: dict[str, dict[str, Any]] = {}
    for shortcut in shortcuts():
        value = inputs_and_shortcuts.pop(_parameter_name(shortcut.option))
        rules.setdefault(shortcut.kind, {})[shortcut.parameter] = value
    inputs: dict[str, Path | None] = inputs_and_shortcuts
    loaded = _load(inputs, sheet)
    scenario = _scenario(
        scenario_file,
        rules=rules,
        solver={
            "time_limit": time_limit,
            "seed": seed,
            "strategy": strategy,
            "workers": workers,
            "engine": engine,
        },
    )
    if scenario.solver.engine == "ray":
        try:
            needs("ray", "ray", "form-groups --engine ray")
        except Unavailable as missing:
            raise Failure(f"{missing}; nothing was written.") from None
    _ready(out)
    problem = loaded.problem
    # What was read lives until the run ends: out of the cycle collector's passes, which
    # would otherwise walk its million objects again and again (a second of a stopped run's
    # tail at 100,000 companies).
    gc.freeze()
    _within_limits(problem, scenario)
    if not quiet:
        _say(f"Read {len(problem.companies)} companies and {len(problem.relations)} relations.")
        for line in summary_lines(analyse(problem)):
            _say(f"  {line}")
    if rounds > 1:
        planned = _solved(problem, scenario, quiet, debug, rounds)
        _write_rounds(out, problem, planned, manifest(inputs), lang, require_all, pseudonymise)
        return
    # The time limit is the whole run's: the search ends early enough to write the plan. But
    # however long reading took, the search keeps a quarter of the limit: a plan that runs
    # late is better than a plan of nobody.
    reserve = _writing_seconds(len(problem.companies), time_limit)
    end = max(started + time_limit - reserve, time.perf_counter() + time_limit / 4)
    # What the plan's summary says of the inputs, and what writing it needs, worked out
    # before the search rather than in a stopped run's last moments.
    read, findings = manifest(inputs), diagnose(problem, scenario)
    prepare_writing(problem)
    result = _solved(problem, scenario, quiet, debug, end=end, findings=findings)
    gc.freeze()  # and so is the plan, while it is written
    # Hints cost seconds a stopped run does not have, and in a very large plan they would
    # reach only its first few thousand unassigned companies: the report says they were
    # not sought.
    hints = result.status != "interrupted" and len(problem.companies) <= FULL_OUTPUT_COMPANIES
    if hints:
        hinted = with_hints(problem, scenario, result.grouping)
        result = result.model_copy(update={"grouping": hinted})
    summary = result.summary() | {"inputs": read, "findings": findings, "hints": hints}
    _write(out, problem, result, summary, lang, pseudonymise, require_all=require_all, packs=packs)


def _write_rounds(
    out: Path,
    problem: Problem,
    planned: Rounds,
    inputs: dict[str, dict[str, str]],
    lang: str,
    require_all: bool,
    pseudonymise: Path | None = None,
) -> None:
    """Write several rounds as one plan (pseudonymised if asked), print how they mix, exit
    with their code."""
    results = planned.results
    summary = planned.plan_summary() | {"inputs": inputs}
    status = summary["status"]
    shared, groupings = problem, [r.grouping for r in results]
    if pseudonymise is not None:
        key = _key(pseudonymise)
        assert key is not None
        shared, groupings = pseudonymise_rounds(problem, groupings, key)
        summary = pseudonymise_summary(summary, problem, key) | {"pseudonymised": True}
        _save_key(key, problem, pseudonymise)
    try:
        write_rounds(out, shared, groupings, summary, lang, planned.meetings_again())
    except OutputDirectoryInUse as error:
        raise click.UsageError(str(error)) from None
    except OSError as error:
        untouched = " An earlier plan there is untouched."
        raise _os_failure(error, f"the plan to {out}", untouched) from None
    _say(f"Plan of {len(results)} rounds written to {out}/")
    _say(f"  status      {status}")
    for number, result in enumerate(results, start=1):
        _say(
            f"  round {number}     {len(result.grouping.groups)} groups, placed {result.placed}"
            f" of {len(problem.companies)}, {result.status}"
        )
    proven = " (proven minimal)" if planned.proven else ""
    _say(
        f"  repeated    {planned.repeats} meetings repeat an earlier one{proven};"
        f" round by round: {planned.seed_repeats} ({planned.method})"
    )
    if status == "interrupted":
        raise Failure(
            "the best rounds found so far were written.", EXIT_INTERRUPTED, heading="Interrupted"
        )
    if any(r.placed == 0 for r in results):
        message = "no company could be placed under these rules." + _most_blocking(results[0])
        raise Failure(message, EXIT_NOBODY_PLACED)
    if require_all and any(r.grouping.unassigned for r in results):
        raise Failure(
            "some company is unassigned in some round (--require-all).", EXIT_SOME_UNASSIGNED
        )


def _ready(out: Path) -> None:
    """Refuse an output directory that holds other files, or one the system will not let us
    write, before any work is done."""
    try:
        target = ensure_plan_directory(out)
    except OutputDirectoryInUse as error:
        raise click.UsageError(str(error)) from None
    existing = next(p for p in [target, *target.parents] if p.exists())
    if not existing.is_dir() or not os.access(existing, os.W_OK | os.X_OK):
        error = OSError(13, "no permission to write there (or it is read-only)", str(existing))
        raise _os_failure(error, f"the plan to {out}", " Nothing was solved.")


def _within_limits(problem: Problem, scenario: Scenario) -> None:
    """Refuse an input too large for one run before any work on it (exit 1)."""
    try:
        refuse_if_too_large(problem, scenario)
    except TooLarge as large:
        raise Failure(f"{large}; nothing was written.") from None


def _writing_seconds(companies: int, time_limit: float) -> float:
    """Seconds kept after the search for the final check, staffing, hints and writing the
    plan, measured on a quiet 2-core machine from the search's end to exit, with a margin:
    10,000 companies, with hints, the workbook and the graph, about 15 s; 100,000,
    summarised and without hints, about 7 s. At most a third of the limit is kept, so that
    a short limit still leaves time to search."""
    if companies <= FULL_OUTPUT_COMPANIES:
        return min(2.0 + 0.0019 * companies, time_limit / 3)
    return min(2.0 + 0.0001 * companies, time_limit / 3)


def _save_key(key: PseudonymKey, problem: Problem, path: Path) -> None:
    """Save the pseudonym key before any plan is written: a plan nobody can map back is
    not written at all."""
    try:
        key.save(problem)
    except OSError as error:
        raise _os_failure(error, f"the key file {path}", " Nothing was written.") from None
    _say(f"Pseudonyms: key file {path} (keep it private; it is not in the plan)")


def _solved(
    problem: Problem,
    scenario: Scenario,
    quiet: bool,
    debug: bool = False,
    rounds: int = 1,
    end: float | None = None,
    findings: list[str] | None = None,
) -> Any:
    """Solve with progress on stderr; pins the rules cannot keep are explained (exit 1), and
    a plan that fails its final check is never written (exit 1; traceback with --debug).
    `findings`: `diagnose`'s, when worked out already."""
    if not quiet:
        findings = diagnose(problem, scenario) if findings is None else findings
        if findings:
            _say(
                f"Pre-check: {len(findings)} finding(s), not errors: some companies may not "
                "fit (details in the report, under Summary)"
            )
        limit, seed = scenario.solver.time_limit, scenario.solver.seed
        _say(f"Solving (time limit {limit:g} s, seed {seed}) ...")
    progress = None if quiet else _progress_printer(ScoreReader.of(problem, scenario))
    try:
        with stop_on_signals():
            if rounds > 1:
                return plan_rounds(
                    problem, scenario, rounds, None if progress is None else _of_round(progress)
                )
            return solve(problem, scenario, progress, end)
    except Infeasible as infeasible:
        raise Failure(
            "the pins and the rules cannot all hold; nothing was written.",
            details=infeasible.explanation.lines(),
        ) from None
    except NoPlanInTime as missing:
        raise Failure(f"{missing}; nothing was written.", EXIT_NOBODY_PLACED) from None
    except SolverBug as bug:
        if debug:
            traceback.print_exc()
        raise Failure(
            f"{bug}\nThis is a bug in peergroups, not in your input: nothing was written. "
            "Please report it (--debug shows the traceback)."
        ) from None


def _write(
    out: Path,
    problem: Problem,
    result: Result,
    summary: dict[str, Any],
    lang: str,
    pseudonymise: Path | None,
    extra: Callable[[Path], None] | None = None,
    require_all: bool = False,
    packs: bool = False,
) -> None:
    """Write the plan (pseudonymised if asked), print its summary, exit with its code."""
    shared_problem, shared_grouping = problem, result.grouping
    if pseudonymise is not None:
        key = _key(pseudonymise)
        assert key is not None
        shared_problem, shared_grouping = pseudonymised(problem, result.grouping, key)
        summary = pseudonymise_summary(summary, problem, key)
        ids = list(problem.by_id)
        findings = [key.in_text(text, ids) for text in summary.get("findings", [])]
        summary = summary | {"findings": findings} if "findings" in summary else summary
        summary = summary | {"pseudonymised": True}
        _save_key(key, problem, pseudonymise)
    try:
        with deferred_signals(deliver=False) as arrived:
            write_plan(out, shared_problem, shared_grouping, summary, lang, extra, packs=packs)
    except OutputDirectoryInUse as error:
        raise click.UsageError(str(error)) from None
    except OSError as error:
        untouched = " An earlier plan there is untouched."
        raise _os_failure(error, f"the plan to {out}", untouched) from None
    _print_summary(result, out, problem)
    if result.status == "interrupted" or arrived:
        raise Failure(
            "the best plan found so far was written.", EXIT_INTERRUPTED, heading="Interrupted"
        )
    if result.placed == 0:
        message = "no company could be placed under these rules." + _most_blocking(result)
        raise Failure(message, EXIT_NOBODY_PLACED)
    if require_all and result.grouping.unassigned:
        count = len(result.grouping.unassigned)
        who = f"{count} compan{'y is' if count == 1 else 'ies are'}"
        raise Failure(
            f"{who} unassigned (--require-all); the plan was written.", EXIT_SOME_UNASSIGNED
        )


def _most_blocking(result: Result) -> str:
    """The rule that left most companies without any possible group, in words."""
    if not result.blocked_by:
        return ""
    kind, count = min(result.blocked_by.items(), key=lambda kv: (-kv[1], kv[0]))
    total = len(result.grouping.unassigned)
    return f" The rule that blocks most companies: {kind} ({count} of {total})."


def _scenario(
    path: Path | None, rules: dict[str, dict[str, Any]], solver: dict[str, Any]
) -> Scenario:
    """The scenario file (or the programme default) with the options given on the command
    line applied on top; without a file, every option's value applies."""
    context = click.get_current_context()
    option_of = {s.parameter: _parameter_name(s.option) for s in shortcuts()}

    def given(values: dict[str, Any]) -> dict[str, Any]:
        return {
            key: value
            for key, value in values.items()
            if value is not None
            and (
                path is None
                or context.get_parameter_source(option_of.get(key, key))
                is ParameterSource.COMMANDLINE
            )
        }

    try:
        scenario = Scenario.load(path) if path else Scenario.default()
        for kind, params in rules.items():
            if given(params):
                scenario = scenario.with_rule(kind, **given(params))
        return scenario.with_solver(**given(solver))
    except ValueError as error:
        raise click.UsageError(str(error)) from None


def _parameter_name(option: str) -> str:
    """The Python name click gives an option: 'max-spread' -> 'max_spread'."""
    return option.replace("-", "_")


def _shortcut_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """One option per rule shortcut (`Rule.shortcuts`), typed and bounded by its field."""
    for shortcut in reversed(shortcuts()):
        field = shortcut.field
        bounds = {
            "min": next((m.ge for m in field.metadata if hasattr(m, "ge")), None),
            "max": next((m.le for m in field.metadata if hasattr(m, "le")), None),
        }
        kind = click.IntRange if field.annotation is int else click.FloatRange
        command = click.option(
            f"--{shortcut.option}",
            type=kind(**bounds),
            default=field.default,
            show_default=True,
            help=field.description,
        )(command)
    return command


sheet_option = click.option(
    "--sheet",
    help="The sheet of a companies workbook to read [default: its only visible sheet].",
)


def _form_groups_options(command: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.argument("companies", type=InputFile),
        sheet_option,
        click.option(
            "--scenario",
            "scenario_file",
            type=InputFile,
            help="A scenario file (TOML; presets in datasets/scenarios/). Options given here "
            "override it.",
        ),
        click.option("--relations", type=InputFile, help="relations.csv (competitors ...)."),
        click.option("--facilitators", type=InputFile, help="facilitators.csv."),
        click.option(
            "--pins",
            type=InputFile,
            help="pins.csv: companies fixed to a group, kept together or kept apart.",
        ),
        click.option(
            "--history",
            type=InputFile,
            help="history.csv of earlier rounds: repeated pairs cost (rule repeat_pairs).",
        ),
        click.option(
            "--out",
            type=click.Path(file_okay=False, path_type=Path),
            default=Path("plan"),
            show_default=True,
            help="Output directory (new, empty, or an earlier plan; replaced atomically).",
        ),
        _shortcut_options,
        time_limit_option(60.0),
        seed_option,
        workers_option,
        engine_option(
            None,
            "Where the pieces of an input cut into pieces (larger than the solver's "
            "piece_companies) are searched [default: local processes, or the scenario's].",
        ),
        click.option(
            "--strategy",
            type=click.Choice(["auto", "cpsat", "lns"]),
            default="auto",
            show_default=True,
            help="cpsat: one model, with proofs; lns: neighbourhood search; auto: by size.",
        ),
        lang_option,
        packs_option,
        click.option(
            "--pseudonymise",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Replace company ids and names in every output by pseudonyms, for sharing "
            "outside the programme office; the key file (created if absent) maps them back.",
        ),
        quiet_option,
        click.option(
            "--rounds",
            type=click.IntRange(1),
            default=1,
            show_default=True,
            help="Plan this many rounds of the same cohort at once, so that pairs meet again "
            "as seldom as possible; assignments.csv gains a round column.",
        ),
        click.option(
            "--require-all",
            is_flag=True,
            help="Exit 4 (after writing the plan) when some company is unassigned.",
        ),
        click.option("--debug", is_flag=True, help="Show the traceback of an internal error."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.command("form-groups", cls=GuardedCommand)
@_form_groups_options
def form_groups_command(**options: Any) -> None:
    """Form peer groups from COMPANIES (CSV or XLSX) and write the plan to --out."""
    _form_groups(**options)


@click.group(cls=GuardedGroup)
@click.version_option(__version__, prog_name="peergroups")
def main() -> None:
    """Form, check and explore peer-learning groups of industrial SMEs."""


main.add_command(form_groups_command)


@main.command()
@click.argument("companies", type=InputFile)
@click.option("--relations", type=InputFile, help="relations.csv (competitors ...).")
@click.option("--facilitators", type=InputFile, help="facilitators.csv.")
@click.option("--pins", type=InputFile, help="pins.csv: fixed groups, together, apart.")
@click.option("--history", type=InputFile, help="history.csv of earlier rounds.")
@sheet_option
@click.option(
    "--scenario",
    "scenario_file",
    type=InputFile,
    help="A scenario file whose eligibility settings the screening uses.",
)
def validate(scenario_file: Path | None, sheet: str | None, **inputs: Path | None) -> None:
    """Report every problem in the input files, and every company outside the programme's
    target group (findings, not refusals); change nothing. A column that is not in the
    contract but resembles one ('did you mean competitor_ok?') is an error here."""
    loaded = _load(inputs, sheet)
    if loaded.doubtful_columns:
        raise Failure(
            f"{len(loaded.doubtful_columns)} column(s) resemble contract columns but were not "
            "read; rename them (form-groups would ignore them).",
            details=[str(issue) for issue in loaded.doubtful_columns],
        )
    problem = loaded.problem
    _say(
        f"ok: {len(problem.companies)} companies, {len(problem.relations)} relations, "
        f"{len(problem.facilitators)} facilitators, {len(problem.pins)} pins, "
        f"{len(problem.history)} history rows"
    )
    for line in summary_lines(analyse(problem)):
        _say(f"  {line}")
    try:
        scenario = Scenario.load(scenario_file) if scenario_file else Scenario.default()
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    findings = screen(problem, screening(scenario))
    if findings:
        counts = Counter(f.criterion.value for f in findings)
        listed = ", ".join(f"{n} {criterion}" for criterion, n in sorted(counts.items()))
        companies = len({f.company_id for f in findings})
        _say(f"eligibility: {companies} companies outside the target group ({listed}):")
        for finding in findings:
            _say(f"  {finding}")


@main.command("generate")
@click.argument("n", type=click.IntRange(1))
@seed_option
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Directory."
)
@click.option(
    "--programme",
    is_flag=True,
    help="Also draw the programme's columns: turnover, balance sheet, founding year, project "
    "stage, subsidy requests and digiagents.",
)
def generate_command(n: int, seed: int, out: Path, programme: bool) -> None:
    """Write a synthetic programme of N companies (companies, relations, facilitators) into
    --out: a new or empty directory, or one that `generate` wrote before (replaced whole)."""
    problem = generate(n, seed, programme=programme)
    try:
        with output_directory(out, "instance") as staging:
            written = write_problem(problem, staging)
    except OutputDirectoryInUse as error:
        raise click.UsageError(str(error)) from None
    except OSError as error:
        raise _os_failure(error, f"the instance to {out}") from None
    for path in written:
        _say(f"wrote {out / path.name}")


def _key(path: Path | None) -> PseudonymKey | None:
    """The pseudonym key file, checked before any work (exit 1 when it is not one)."""
    try:
        return None if path is None else PseudonymKey.open(path)
    except BadKey as error:
        raise Failure(f"{error}; nothing was written.") from None


def _open_plan(
    plan_dir: Path,
    overrides: dict[str, Path | None],
    assignments: Path | None,
    several_rounds: bool = False,
) -> Plan:
    """`read_plan` with its warnings printed; a usage error, or every problem listed (exit 1)."""
    key = _key(overrides.get("key"))
    inputs = {name: overrides.get(name) for name in INPUTS}
    try:
        plan = read_plan(plan_dir, inputs, assignments, key, several_rounds)
    except NotAPlan as error:
        raise click.UsageError(str(error)) from None
    except InvalidInput as invalid:
        raise _invalid(invalid, "the plan") from None
    for warning in plan.warnings:
        _say(f"warning: {warning}")
    return plan


def _plan_scenario(plan: Plan, plan_dir: Path) -> Scenario:
    """The scenario a plan records in its summary.json, or a plain error (exit 1)."""
    try:
        return Scenario.from_dict(plan.summary["scenario"])
    except (KeyError, TypeError, ValueError) as error:
        detail = "it records none" if isinstance(error, KeyError) else str(error).splitlines()[0]
        raise Failure(f"{plan_dir / 'summary.json'}: no usable scenario ({detail}).") from None


def _input_overrides(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--key",
        type=InputFile,
        help="The key file of a pseudonymised plan (--pseudonymise): read it with company ids.",
    )(command)
    for name in reversed(INPUTS):
        command = click.option(
            f"--{name}", type=InputFile, help=f"Override the {name} file the plan records."
        )(command)
    return command


@main.command("check")
@click.argument("plan_dir", type=PlanDirectory)
@click.option(
    "--edited",
    "--assignments",
    "edited",
    type=InputFile,
    help="An edited copy of the plan's assignments.csv: lists what the edit breaks and how "
    "it changes the objective.",
)
@_input_overrides
def check_command(plan_dir: Path, edited: Path | None, **overrides: Path | None) -> None:
    """Run every rule of a plan over its assignments (or an edited copy) and list the
    violations; exit 1 when a rule breaks. A plan of several rounds is checked round by
    round (each with the rounds before it as history), then for pairs that meet again."""
    plan = _open_plan(plan_dir, overrides, edited, several_rounds=True)
    scenario = _plan_scenario(plan, plan_dir)
    rounds = plan.each_round()
    original = _open_plan(plan_dir, overrides, None, True).each_round() if edited else []
    broken = 0
    for number, one in enumerate(rounds, start=1):
        heading = f"round {number}: " if plan.rounds else ""
        violations = check(one.problem, one.grouping, scenario.active_rules)
        broken += len(violations)
        for violation in violations:
            _say(heading + str(violation))
        placed = sum(len(g.members) for g in one.grouping.groups)
        _say(
            f"{heading}{len(violations)} violation(s); {len(one.grouping.groups)} groups, "
            f"{placed} placed, {len(one.grouping.unassigned)} unassigned"
        )
        if edited is None:
            continue
        change = objective_change(
            one.problem, scenario, original[number - 1].grouping, one.grouping
        )
        _say(f"{heading}objective change (edited - plan):")
        for term in change.terms:
            better = "more is better" if term.more_is_better else "less is better"
            moved = f"{term.before} -> {term.after} ({term.after - term.before:+d}, {better})"
            _say(f"  {term.term:15s} {moved}")
        _say(
            f"  {'score':15s} {change.score:+d} (all levels in one number, each outweighing "
            "every later one: positive means the edit is better, negative worse)"
        )
    if plan.rounds:
        again = meetings_again(plan.problem, plan.rounds)
        count = sum(len(numbers) for numbers in again.values())
        _say(f"{count} meeting(s) repeat an earlier one ({len(again)} pair(s) meet again)")
        for (a, b), numbers in sorted(again.items())[:PAIRS_LISTED]:
            _say(f"  {a} and {b} meet again in round {', '.join(map(str, numbers))}")
        if len(again) > PAIRS_LISTED:
            _say(f"  ... and {len(again) - PAIRS_LISTED} more pair(s)")
    if broken:
        raise Failure(f"the plan breaks {broken} rule(s).")


@main.command("report")
@click.argument("plan_dir", type=PlanDirectory)
@click.option(
    "--assignments", type=InputFile, help="Report on this assignments.csv (e.g. an edited one)."
)
@lang_option
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the report [default: PLAN_DIR/report.html].",
)
@_input_overrides
def report_command(
    plan_dir: Path, assignments: Path | None, lang: str, out: Path | None, **overrides: Path | None
) -> None:
    """Write the HTML review report of a plan (one self-contained file); of a plan of several
    rounds, a section per round and the meetings that repeat an earlier one."""
    plan = _open_plan(plan_dir, overrides, assignments, several_rounds=True)
    scenario = _plan_scenario(plan, plan_dir)
    key = _key(overrides.get("key"))
    hide = plan.summary.get("pseudonymised") and key is not None  # it may leave the office
    shown_rounds = []
    for one in plan.each_round():
        problem, grouping = (
            pseudonymised(one.problem, one.grouping, key)
            if hide
            else (
                one.problem,
                one.grouping,
            )
        )
        violations = [str(v) for v in check(problem, grouping, scenario.active_rules)]
        shown_rounds.append((problem, localise(grouping, lang), tuple(violations)))
    problem, grouping, violations = shown_rounds[0]
    rounds = None
    if plan.rounds:
        again = meetings_again(problem, [g for _, g, _ in shown_rounds])
        repeated = sum(len(numbers) for numbers in again.values())
        groupings = tuple(g for _, g, _ in shown_rounds)
        rounds = RoundsShown(groupings, tuple(v for _, _, v in shown_rounds), repeated, len(again))
    target = out or plan_dir / "report.html"
    summary = plan.summary | ({"edited": True} if assignments else {})  # no longer the solver's
    try:
        with output_file(target, is_report) as temporary:
            write_report(temporary, problem, grouping, summary, violations, lang, rounds)
    except OutputDirectoryInUse as error:
        raise click.UsageError(str(error)) from None
    except OSError as error:
        raise _os_failure(error, f"the report to {target}") from None
    _say(f"wrote {target}")


def _seed_list(context: click.Context, parameter: click.Parameter, text: str) -> list[int]:
    """--seeds, '1-5' or '1,3,7', as the seeds."""
    try:
        return parse_seeds(text)
    except BadRequest as error:
        raise click.BadParameter(str(error)) from None


@main.command("bench")
@click.option(
    "--suite",
    type=click.Choice(sorted([*SUITES, "mdgp"])),
    default="default",
    show_default=True,
    help="Which instances: generated cohorts by size (quick, default ...) or MDGPLIB's (mdgp).",
)
@click.option(
    "--methods",
    default=",".join(METHODS),
    show_default=True,
    help="Comma-separated: peergroups, heuristic, sweep, anonymous.",
)
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("benchmarks"),
    show_default=True,
    help="Where the CSV and Markdown tables go.",
)
@workers_option
@click.option(
    "--reference",
    is_flag=True,
    help="Long peergroups runs (4x each time limit) recorded as the reference best.",
)
@click.option(
    "--instances",
    "only",
    default=None,
    help="Only these instances of the suite, comma-separated (e.g. gen-150,gen-1000).",
)
@click.option(
    "--seeds",
    default="1",
    show_default=True,
    callback=_seed_list,
    help="mdgp: seeds, 1-5 or 1,3,7.",
)
@click.option(
    "--time-scale",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="mdgp: multiply the state-of-the-art time limits (3/20/120 s) by this.",
)
@click.option(
    "--data",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="mdgp: the shared benchmark folder [default: ../shared/benchmarks beside the code].",
)
def bench_command(
    suite: str,
    methods: str,
    out: Path,
    workers: int | None,
    reference: bool,
    only: str | None,
    seeds: list[int],
    time_scale: float,
    data: Path | None,
) -> None:
    """Run a benchmark suite and print its table (docs/benchmarking.md and docs/mdgp.md have
    the protocols)."""
    listed = only.split(",") if only else None
    try:
        if suite == "mdgp":
            table = mdgp_bench.run_suite(data, out, seeds, workers or 2, time_scale, _say)
        elif reference:
            table = bench.record_reference(suite, out, listed, workers, _say)
        else:
            table = bench.run_suite(suite, out, methods.split(","), listed, workers, _say)
    except BadRequest as error:
        raise click.UsageError(str(error)) from None
    except Unavailable as error:
        raise Failure(str(error)) from None
    click.echo(table)


@main.command("rules")
def rules_command() -> None:
    """List every registered rule: its kind, what it means and its parameters."""
    default = {rule.kind for rule in Scenario.default().rules}
    for kind, rule in sorted(REGISTRY.items()):
        spec = rule()
        values = spec.model_dump()
        enforce = values.pop("enforce", "hard")
        if enforce == "off":
            position = "off"
        elif spec.is_preference():
            position = "a preference: costs in the objective, never broken"
        else:
            position = "a hard rule: never broken"
        params = ", ".join(f"{name}={value!r}" for name, value in values.items()) or "none"
        in_default = "in the default scenario" if kind in default else "not in the default"
        click.echo(f"{kind}  [{rule.stage}; {in_default}]")
        click.echo(f"    {rule.summary}")
        click.echo(f"    {position}; parameters: {params}")


@main.command("repair")
@click.argument("plan_dir", type=PlanDirectory)
@click.option("--changes", type=InputFile, required=True, help="changes.csv: leave, join, ...")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory for the repaired plan (new, empty, or an earlier plan).",
)
@time_limit_option(60.0)
@seed_option
@workers_option
@lang_option
@quiet_option
@click.option(
    "--round",
    "round_number",
    type=click.IntRange(1),
    default=None,
    help="The round to repair in a plan of several rounds (required there).",
)
@_input_overrides
def repair_command(
    plan_dir: Path,
    changes: Path,
    out: Path,
    time_limit: float,
    seed: int,
    workers: int | None,
    lang: str,
    quiet: bool,
    round_number: int | None,
    **overrides: Path | None,
) -> None:
    """Re-optimise a plan after changes, moving as few companies as the rules allow; the new
    plan holds diff.csv: what happened to every company and why. A joining company must be
    in the companies file (pass an updated one with --companies). Of a plan of several
    rounds, one round is repaired (--round N, with the rounds before it as history) into a
    plan of that round alone."""
    _ready(out)
    plan = _open_plan(plan_dir, overrides, None, several_rounds=True)
    if plan.rounds and round_number is None:
        raise click.UsageError(
            f"{plan_dir} holds {len(plan.rounds)} rounds: pass --round N to repair one of them"
        )
    try:
        plan = plan.of_round(round_number or 1)
    except NotAPlan as error:
        raise click.UsageError(str(error)) from None
    try:
        listed = read_changes_for(changes, plan.problem)
    except InvalidInput as invalid:
        raise _invalid(invalid, "the changes") from None
    scenario = _plan_scenario(plan, plan_dir).with_solver(
        time_limit=time_limit, seed=seed, **({"workers": workers} if workers else {})
    )
    try:
        changed = apply_changes(plan.problem, plan.grouping, listed)
    except ValidationError as error:  # what only the changes and the plan together show
        problems = [f"{changes}: {e['msg'].removeprefix('Value error, ')}" for e in error.errors()]
        raise Failure(
            "the changes do not fit the plan; nothing was written.", details=problems
        ) from None
    except ValueError as error:
        raise Failure(f"{changes}: {error}; nothing was written.") from None
    _within_limits(changed, scenario)
    result = _solved(changed, scenario, quiet)
    moves = repair_diff(changed, plan.grouping, result.grouping, listed, scenario)
    rows = [asdict(move) for move in moves]
    key = _key(overrides.get("key")) if plan.summary.get("pseudonymised") else None
    if key is not None:  # the repaired plan is pseudonymised as its original was
        rows = [row | {"company_id": key.pseudonym(row["company_id"])} for row in rows]
    counts = Counter(move.change for move in moves)
    summary = result.summary() | {
        "inputs": manifest(plan.inputs | {"changes": changes}),
        "repair": {
            "of": str(plan_dir.resolve()),
            **({"round": round_number} if round_number else {}),
            "counts": dict(sorted(counts.items())),
            "diff": rows,
        },
    }
    _say("Changes: " + ", ".join(f"{n} {what}" for what, n in sorted(counts.items())))
    for move in moves:
        if move.change in ("moves", "left out", "placed"):
            where = f"{move.before or '-'} -> {move.after or '-'}"
            _say(f"  {move.company_id}: {move.change} {where} ({move.reason})")

    def with_diff(staging: Path) -> None:
        write_diff(staging / "diff.csv", rows)

    _write(out, changed, result, summary, lang, key and key.path, with_diff)


@main.command("explain")
@click.argument("plan_dir", type=PlanDirectory)
@click.argument("company_id")
@click.option(
    "--round",
    "round_number",
    type=click.IntRange(1),
    default=None,
    help="In a plan of several rounds, this round only [default: every round].",
)
@_input_overrides
def explain_command(
    plan_dir: Path, company_id: str, round_number: int | None, **overrides: Path | None
) -> None:
    """Why COMPANY_ID is in its group, or why it is unassigned, in the plan PLAN_DIR (in a
    plan of several rounds: round by round, or in the round given with --round)."""
    plan = _open_plan(plan_dir, overrides, None, several_rounds=True)
    key = _key(overrides.get("key"))
    if key is not None and company_id not in plan.problem.by_id:  # a pseudonym
        company_id = key.original(company_id) or company_id
    if company_id not in plan.problem.by_id:
        raise click.UsageError(f"{company_id} is not a company of the plan")
    scenario = _plan_scenario(plan, plan_dir)
    try:
        rounds = [plan.of_round(round_number)] if round_number else plan.each_round()
    except NotAPlan as error:
        raise click.UsageError(str(error)) from None
    for number, one in enumerate(rounds, start=1):
        if plan.rounds:
            click.echo(f"round {round_number or number}:")
        lines = explain_company(one.problem, scenario, one.grouping, company_id)
        for line in lines:
            click.echo(f"  {line}" if plan.rounds else line)


@main.command("sweep")
@click.option(
    "--scenarios",
    "first_scenario",
    type=InputFile,
    required=True,
    help="Scenario files (TOML) to compare: --scenarios A.toml B.toml ...",
)
@click.argument("more_scenarios", nargs=-1, type=InputFile)
@click.option(
    "--instances",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    required=True,
    help="A directory of instances: each subdirectory (or the directory itself) holding "
    "companies.csv and optionally relations.csv.",
)
@click.option(
    "--seeds",
    default="1",
    show_default=True,
    callback=_seed_list,
    help="Seeds: 1-5 or 1,3,7.",
)
@time_limit_option(10.0)
@engine_option("local", "Where the runs go. local: processes on this machine;")
@click.option("--processes", type=click.IntRange(1), default=None, help="Parallel runs (local).")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("sweep"),
    show_default=True,
    help="Where results.csv and the comparison plot go.",
)
def sweep_command(
    first_scenario: Path,
    more_scenarios: tuple[Path, ...],
    instances: Path,
    seeds: list[int],
    time_limit: float,
    engine: str,
    processes: int | None,
    out: Path,
) -> None:
    """Solve every scenario on every instance with every seed; write a tidy results table
    (results.csv), a comparison plot (comparison.png, .svg) and print a summary."""
    try:
        scenarios = {path.stem: Scenario.load(path) for path in [first_scenario, *more_scenarios]}
        found = sweep.instance_files(instances)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    problems = {name: _load(files).problem for name, files in found.items()}
    for scenario in scenarios.values():
        for problem in problems.values():
            _within_limits(problem, scenario)
    try:
        table = sweep.run_sweep(
            scenarios, problems, seeds, time_limit, out, engine, processes, _say
        )
    except Unavailable as error:
        raise click.ClickException(str(error)) from None
    click.echo(table)
    _say(f"wrote {out / 'results.csv'}, {out / 'comparison.png'}, {out / 'comparison.svg'}")


@main.group("vocab")
def vocab_command() -> None:
    """List the values a cell may hold: job titles (roles) or meeting modes."""


@vocab_command.command("roles")
def vocab_roles() -> None:
    """Every accepted job title (Finnish, Swedish, English) and the role and tier it means."""
    for role in Role:
        click.echo(f"{role.value} (tier {TIER[role]})")
        for language in ("code", "fi", "sv", "en"):
            titles = [t for t, r, lang in TITLES if r == role and lang == language]
            if titles and language != "code":
                click.echo(f"    {language}: {', '.join(titles)}")


@vocab_command.command("modes")
def vocab_modes() -> None:
    """Every accepted spelling of the meeting modes."""
    for mode in MODES:
        click.echo(mode)
        for language in ("fi", "sv", "en"):
            spellings = [s for s, m, lang in MODE_SPELLINGS if m == mode and lang == language]
            if spellings:
                click.echo(f"    {language}: {', '.join(spellings)}")


@main.command("packs")
@click.argument("plan_dir", type=PlanDirectory)
@lang_option
@_input_overrides
def packs_command(plan_dir: Path, lang: str, **overrides: Path | None) -> None:
    """Write PLAN_DIR/packs/<facilitator>/: each facilitator's groups only (a report and a
    workbook), to send to that facilitator."""
    plan = _open_plan(plan_dir, overrides, None)
    grouping = localise(plan.grouping, lang)
    written = replace_packs(plan_dir, plan.problem, grouping, plan.summary, lang)
    for folder in written:
        _say(f"wrote {folder}/")
    if not written:
        _say("no group has a facilitator: no pack written")


@main.command("review")
@click.argument("plan_dir", type=PlanDirectory)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=0,
    show_default=True,
    help="Port on --host; 0 picks a free one.",
)
@lang_option
@click.option("--reviewer", default=None, help="Who reviews [default: the login name].")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where Save writes the reviewed plan [default: PLAN_DIR/reviewed/].",
)
@click.option("--links", is_flag=True, help="Also print one link per facilitator.")
@time_limit_option(30.0, "Seconds for a re-optimisation of the unlocked groups.")
@_input_overrides
def review_command(
    plan_dir: Path,
    host: str,
    port: int,
    lang: str,
    reviewer: str | None,
    out: Path | None,
    links: bool,
    time_limit: float,
    **overrides: Path | None,
) -> None:
    """Review PLAN_DIR in the browser: move companies, and the plan's rules answer each move.
    Prints a link with a secret token; the review is kept in PLAN_DIR/review.sqlite, Save
    writes a new plan (PLAN_DIR/reviewed/). On a reviewed plan, carries on its review."""
    summary = json.loads((plan_dir / "summary.json").read_text(encoding="utf-8"))
    reviewed = plan_dir
    if (summary.get("review") or {}).get("of"):  # a reviewed plan: carry on its review
        plan_dir = Path(summary["review"]["of"])
        out = out or reviewed
    plan = _open_plan(plan_dir, overrides, None)
    scenario = Scenario.from_dict(plan.summary["scenario"])
    problem = plan.problem
    objective = RememberingObjective(problem, scenario.grouping_rules, scenario.priorities)
    reoptimising = threading.Lock()

    def terms(grouping: Grouping) -> dict[str, int]:
        return objective.evaluate([(g.theme, list(g.members)) for g in grouping.groups])

    def reoptimise(grouping: Grouping, locked: frozenset[str], progress) -> Grouping:
        with reoptimising:
            STOP.clear()
            return reoptimise_keeping(
                problem,
                scenario.with_solver(time_limit=time_limit),
                grouping,
                locked,
                lambda p: progress(f"placed {p.placed}, objective {p.objective:.6g}"),
            )

    judge = Judge(
        check=lambda grouping: check(problem, grouping, scenario.active_rules),
        terms=terms,
        score=objective.score,
        reoptimise=reoptimise,
        stop=STOP.request,
        check_changed=lambda grouping, changed: check_changed(
            problem, grouping, scenario.active_rules, changed
        ),
    )
    try:
        served = open_review(
            plan_dir,
            problem,
            plan.grouping,
            plan.summary,
            judge,
            reviewer=reviewer or _login_name(),
            lang=lang,
            out=out,
            host=host,
            port=port,
        )
    except (OtherPlan, OSError) as error:
        raise click.UsageError(str(error)) from None
    if host not in ("127.0.0.1", "localhost", "::1"):
        _say(f"warning: listening on {host}: anyone on the network who has a link can open it")
    for access, url in served.links:
        if access.facilitator_id is None:
            click.echo(url)
        elif links:
            click.echo(f"{access.facilitator_id} ({access.name}): {url}")
    _say(f"Reviewing {plan_dir}; Save writes {served.server.out}. Ctrl-C stops the server.")
    serve(served)


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in a container, say
        return "reviewer"
