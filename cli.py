"""Command line: `form-groups` and the `peergroups` command group.

Results go to files; progress, summaries and errors go to stderr. Exit codes (DESIGN.md):
0 a plan was written, 1 invalid input (or, for `check`, a plan that breaks a rule),
2 usage error, 3 no company could be placed, 5 the operating system refused a file (read-only,
full disk, no permission), 130 interrupted.
"""

import os
import platform
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click
import pandas as pd
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
from peergroups.io.mdgp import benchmark_root
from peergroups.io.mdgp import best_known as mdgp_best_known
from peergroups.io.swap import (
    OutputDirectoryInUse,
    deferred_signals,
    output_directory,
    output_file,
)
from peergroups.io.writers import ensure_plan_directory, write_diff, write_plan
from peergroups.model import Problem
from peergroups.pseudonyms import BadKey, PseudonymKey
from peergroups.pseudonyms import pseudonymise as pseudonymised
from peergroups.report import is_report, write_report
from peergroups.report.comparison import comparison_figure
from solver import (
    REGISTRY,
    Infeasible,
    NoPlanInTime,
    Progress,
    Result,
    Scenario,
    TooLarge,
    apply_changes,
    bench,
    check,
    diagnose,
    explain_company,
    mdgp_bench,
    objective_change,
    refuse_if_too_large,
    repair_diff,
    shortcuts,
    solve,
    stop_on_signals,
    sweep,
)
from solver.bench import METHODS, SUITES
from solver.scenario import DEFAULT_WORKERS, MAX_WORKERS

EXIT_INVALID_INPUT = 1
EXIT_NOBODY_PLACED = 3
EXIT_OS_ERROR = 5
EXIT_INTERRUPTED = 130
REASONS_SHOWN = 10

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


def _interrupt(number: int, frame: Any) -> None:
    raise KeyboardInterrupt


class _Guarded:
    """What every command shares from its first line to its last byte written: SIGTERM acts as
    SIGINT, and either ends the command with exit 130 and a plain line, never a traceback.
    Writers hold signals back until their output is complete (`peergroups.io.swap`), so an
    output is whole or the earlier one is untouched; the search stops and writes its best
    plan (`solver.stop_on_signals`)."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        if threading.current_thread() is not threading.main_thread():
            return super().main(*args, **kwargs)  # type: ignore[misc]
        previous = signal.signal(signal.SIGTERM, _interrupt)
        try:
            return super().main(*args, **kwargs)  # type: ignore[misc]
        finally:
            signal.signal(signal.SIGTERM, previous)

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


def time_limit_option(default: float) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--time-limit",
        type=click.FloatRange(min=0, min_open=True),
        default=default,
        show_default=True,
        help="Seconds for the whole run.",
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
lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "fi"]),
    default="en",
    show_default=True,
    help="Language of the report.",
)
quiet_option = click.option("--quiet", is_flag=True, help="Only the final summary on stderr.")


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


def _progress_printer() -> Callable[[Progress], None]:
    """Print improving plans at most twice a second (the final one shows in the summary)."""
    last = [-1.0]

    def show(progress: Progress) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.5:
            last[0] = now
            _say(
                f"  {progress.seconds:6.1f} s  {progress.level:14s} placed {progress.placed}"
                f" (at most {progress.placed_bound})  objective {progress.objective:.6g}"
                f"  bound {progress.bound:.6g}  gap {100 * progress.gap:.2f} %"
            )

    return show


def _print_summary(result: Result, out: Path) -> None:
    summary = result.summary()
    gap = summary["gap"]
    _say(f"Plan written to {out}/")
    gap_text = "" if gap is None else f" (gap {100 * gap:.2f} %)"
    _say(f"  status      {summary['status']}{gap_text}")
    _say(f"  time        {summary['runtime_s']:.1f} s")
    _say(f"  groups      {summary['groups']}")
    _say(f"  placed      {summary['placed']} of {summary['placed'] + summary['unassigned']}")
    _say(f"  unassigned  {summary['unassigned']}")
    for entry in result.grouping.unassigned[:REASONS_SHOWN]:
        _say(f"    {entry.company_id}: {entry.reason}")
    hidden = len(result.grouping.unassigned) - REASONS_SHOWN
    if hidden > 0:
        _say(f"    ... and {hidden} more (see assignments.csv)")
    if result.unstaffed:
        _say(f"  without a facilitator: {len(result.unstaffed)}")
        for group_id, reason in sorted(result.unstaffed.items()):
            _say(f"    {group_id}: {reason}")


def _form_groups(
    out: Path,
    time_limit: float,
    seed: int,
    workers: int | None,
    strategy: str,
    lang: str,
    quiet: bool,
    scenario_file: Path | None,
    pseudonymise: Path | None,
    sheet: str | None,
    **inputs_and_shortcuts: Any,
) -> None:
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
        solver={"time_limit": time_limit, "seed": seed, "strategy": strategy, "workers": workers},
    )
    _ready(out)
    problem = loaded.problem
    _within_limits(problem, scenario)
    if not quiet:
        _say(f"Read {len(problem.companies)} companies and {len(problem.relations)} relations.")
        for line in summary_lines(analyse(problem)):
            _say(f"  {line}")
    result = _solved(problem, scenario, quiet)
    summary = result.summary() | {"inputs": manifest(inputs)}
    _write(out, problem, result, summary, lang, pseudonymise)


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


def _solved(problem: Problem, scenario: Scenario, quiet: bool) -> Result:
    """Solve with progress on stderr; pins the rules cannot keep are explained (exit 1)."""
    if not quiet:
        for line in diagnose(problem, scenario):
            _say(f"  check: {line}")
        limit, seed = scenario.solver.time_limit, scenario.solver.seed
        _say(f"Solving (time limit {limit:g} s, seed {seed}) ...")
    try:
        with stop_on_signals():
            return solve(problem, scenario, None if quiet else _progress_printer())
    except Infeasible as infeasible:
        raise Failure(
            "the pins and the rules cannot all hold; nothing was written.",
            details=infeasible.explanation.lines(),
        ) from None
    except NoPlanInTime as missing:
        raise Failure(f"{missing}; nothing was written.", EXIT_NOBODY_PLACED) from None


def _write(
    out: Path,
    problem: Problem,
    result: Result,
    summary: dict[str, Any],
    lang: str,
    pseudonymise: Path | None,
    extra: Callable[[Path], None] | None = None,
) -> None:
    """Write the plan (pseudonymised if asked), print its summary, exit with its code."""
    shared_problem, shared_grouping = problem, result.grouping
    if pseudonymise is not None:
        key = _key(pseudonymise)
        assert key is not None
        shared_problem, shared_grouping = pseudonymised(problem, result.grouping, key)
        summary = summary | {"pseudonymised": True}
        try:
            key.save(problem)
        except OSError as error:
            untouched = " Nothing was written."
            raise _os_failure(error, f"the key file {pseudonymise}", untouched) from None
        _say(f"Pseudonyms: key file {pseudonymise} (keep it private; it is not in the plan)")
    try:
        with deferred_signals(deliver=False) as arrived:
            write_plan(out, shared_problem, shared_grouping, summary, lang, extra)
    except OutputDirectoryInUse as error:
        raise click.UsageError(str(error)) from None
    except OSError as error:
        untouched = " An earlier plan there is untouched."
        raise _os_failure(error, f"the plan to {out}", untouched) from None
    _print_summary(result, out)
    if result.status == "interrupted" or arrived:
        raise Failure(
            "the best plan found so far was written.", EXIT_INTERRUPTED, heading="Interrupted"
        )
    if result.placed == 0:
        raise Failure("no company could be placed under these rules.", EXIT_NOBODY_PLACED)


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
        click.option(
            "--strategy",
            type=click.Choice(["auto", "cpsat", "lns"]),
            default="auto",
            show_default=True,
            help="cpsat: one model, with proofs; lns: neighbourhood search; auto: by size.",
        ),
        lang_option,
        click.option(
            "--pseudonymise",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Replace company ids and names in every output by pseudonyms, for sharing "
            "outside the programme office; the key file (created if absent) maps them back.",
        ),
        quiet_option,
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
@click.option("--relations", type=InputFile)
@click.option("--facilitators", type=InputFile)
@click.option("--pins", type=InputFile)
@click.option("--history", type=InputFile)
@sheet_option
def validate(sheet: str | None, **inputs: Path | None) -> None:
    """Report every problem in the input files; change nothing."""
    problem = _load(inputs, sheet).problem
    _say(
        f"ok: {len(problem.companies)} companies, {len(problem.relations)} relations, "
        f"{len(problem.facilitators)} facilitators, {len(problem.pins)} pins, "
        f"{len(problem.history)} history rows"
    )
    for line in summary_lines(analyse(problem)):
        _say(f"  {line}")


@main.command("generate")
@click.argument("n", type=click.IntRange(1))
@seed_option
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), required=True, help="Directory."
)
def generate_command(n: int, seed: int, out: Path) -> None:
    """Write a synthetic programme of N companies (companies, relations, facilitators) into
    --out: a new or empty directory, or one that `generate` wrote before (replaced whole)."""
    problem = generate(n, seed)
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


def _open_plan(plan_dir: Path, overrides: dict[str, Path | None], assignments: Path | None) -> Plan:
    """`read_plan` with its warnings printed; a usage error, or every problem listed (exit 1)."""
    key = _key(overrides.get("key"))
    inputs = {name: overrides.get(name) for name in INPUTS}
    try:
        plan = read_plan(plan_dir, inputs, assignments, key)
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
    violations; exit 1 when a rule breaks."""
    plan = _open_plan(plan_dir, overrides, edited)
    scenario = _plan_scenario(plan, plan_dir)
    violations = check(plan.problem, plan.grouping, scenario.active_rules)
    for violation in violations:
        _say(str(violation))
    placed = sum(len(g.members) for g in plan.grouping.groups)
    _say(
        f"{len(violations)} violation(s); {len(plan.grouping.groups)} groups, {placed} placed, "
        f"{len(plan.grouping.unassigned)} unassigned"
    )
    if edited is not None:
        original = _open_plan(plan_dir, overrides, None).grouping
        change = objective_change(plan.problem, scenario, original, plan.grouping)
        _say("objective change (edited - plan):")
        for term in change.terms:
            better = "more is better" if term.more_is_better else "less is better"
            moved = f"{term.before} -> {term.after} ({term.after - term.before:+d}, {better})"
            _say(f"  {term.term:15s} {moved}")
        _say(f"  {'score':15s} {change.score:+d}")
    if violations:
        raise Failure(f"the plan breaks {len(violations)} rule(s).")


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
    """Write the HTML review report of a plan (one self-contained file)."""
    plan = _open_plan(plan_dir, overrides, assignments)
    scenario = _plan_scenario(plan, plan_dir)
    problem, grouping = plan.problem, plan.grouping
    key = _key(overrides.get("key"))
    if plan.summary.get("pseudonymised") and key is not None:  # it may leave the office
        problem, grouping = pseudonymised(problem, grouping, key)
    violations = [str(v) for v in check(problem, grouping, scenario.active_rules)]
    target = out or plan_dir / "report.html"
    try:
        with output_file(target, is_report) as temporary:
            write_report(temporary, problem, grouping, plan.summary, violations, lang)
    except OutputDirectoryInUse as error:
        raise click.UsageError(str(error)) from None
    except OSError as error:
        raise _os_failure(error, f"the report to {target}") from None
    _say(f"wrote {target}")


@main.command("bench")
@click.option(
    "--suite", type=click.Choice(sorted([*SUITES, "mdgp"])), default="default", show_default=True
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
@click.option("--seeds", default="1", show_default=True, help="mdgp: seeds, 1-5 or 1,3,7.")
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
    seeds: str,
    time_scale: float,
    data: Path | None,
) -> None:
    """Run a benchmark suite and print its table (docs/benchmarking.md and docs/mdgp.md have
    the protocols)."""
    if suite == "mdgp":
        _bench_mdgp(data or benchmark_root(), out, _seeds(seeds), workers or 2, time_scale)
        return
    chosen = [m.strip() for m in methods.split(",") if m.strip()]
    unknown = sorted(set(chosen) - set(METHODS))
    if unknown:
        raise click.UsageError(f"unknown method(s): {', '.join(unknown)}")
    threads = workers or Scenario.default().solver.workers
    cases = SUITES[suite]
    if only:
        wanted = [name.strip() for name in only.split(",") if name.strip()]
        unknown = sorted(set(wanted) - {case.name for case in cases})
        if unknown:
            raise click.UsageError(f"suite {suite} has no instance {', '.join(unknown)}")
        cases = tuple(case for case in cases if case.name in wanted)
    out.mkdir(parents=True, exist_ok=True)
    if reference:
        rows = []
        for case in cases:
            _say(f"{case.name}: reference run, {4 * case.time_limit:g} s ...")
            rows.append(bench.run(case, "peergroups", threads, 4 * case.time_limit))
        table = pd.DataFrame([bench.as_dict(r) for r in rows])
        recorded = table[["instance", "n", "objective", "placed", "primary", "total_s"]]
        path = out / "reference.csv"
        if path.exists():  # the instances not run now keep their reference
            kept = pd.read_csv(path)
            recorded = pd.concat([kept[~kept["instance"].isin(recorded["instance"])], recorded])
        recorded.sort_values("n", kind="stable").to_csv(path, index=False)
        click.echo(_markdown(table))
        return
    rows = []
    for case in cases:
        for method in chosen:
            _say(f"{case.name}: {method} ({case.time_limit:g} s limit) ...")
            rows.append(bench.run(case, method, threads))
    table = pd.DataFrame([bench.as_dict(r) for r in rows])
    references = out / "reference.csv"
    if references.exists():
        best = pd.read_csv(references).set_index("instance")["objective"]
        table["ref_gap_pct"] = [
            100 * (best[i] - o) / best[i] if i in best.index and pd.notna(o) else None
            for i, o in zip(table["instance"], table["objective"], strict=True)
        ]
    table.to_csv(out / f"{suite}.csv", index=False)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    markdown = f"Suite `{suite}`, {threads} workers, {machine}.\n\n{_markdown(table)}"
    (out / f"{suite}.md").write_text(markdown + "\n", encoding="utf-8")
    click.echo(markdown)


def _bench_mdgp(
    root: Path | None, out: Path, seeds: list[int], workers: int, time_scale: float
) -> None:
    """Every MDGPLIB instance once per seed; the rows, a summary and the machine, written as
    benchmarks/mdgp.csv and mdgp.md."""
    names = mdgp_bench.instances(root) if root else []
    if not names:
        raise Failure(
            f"no MDGPLIB instances under {root or '../shared/benchmarks'}: nothing to run"
        )
    known = mdgp_best_known(root)
    rows = []
    for name in names:
        for seed in seeds:
            row = mdgp_bench.run(name, root, seed, workers, time_scale, known)
            _say(f"  {name} seed {seed}: gap {row['gap_pct']:.3f} % in {row['time_s']:.1f} s")
            rows.append(row)
    out.mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame(rows)
    table.to_csv(out / "mdgp.csv", index=False)
    summary = pd.DataFrame(
        [
            line | {"n": line["n"] or "", "kind": line["kind"] or ""}
            for line in mdgp_bench.summary(rows)
        ]
    )
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    markdown = (
        f"MDGPLIB suite, {workers} workers, time limits x{time_scale:g}, seeds {seeds}, "
        f"{machine}.\n\n{_markdown(summary)}\n\nPer run:\n\n{_markdown(table)}"
    )
    (out / "mdgp.md").write_text(markdown + "\n", encoding="utf-8")
    click.echo(_markdown(summary))


def _markdown(table: "pd.DataFrame") -> str:
    """A Markdown table; numbers rounded for reading (the CSV keeps them whole)."""
    shown = table.copy()
    for column in shown.columns:
        if shown[column].dtype.kind == "f":
            digits = 2 if column.endswith(("_s", "_pct", "_mib")) else 0
            shown[column] = shown[column].map(
                lambda v, d=digits: "" if pd.isna(v) else f"{v:,.{d}f}"
            )
    header = "| " + " | ".join(shown.columns) + " |"
    rule = "| " + " | ".join("---" for _ in shown.columns) + " |"
    body = ["| " + " | ".join(str(v) for v in row) + " |" for row in shown.itertuples(index=False)]
    return "\n".join([header, rule, *body])


@main.command("rules")
def rules_command() -> None:
    """List every registered rule: its kind, what it means and its parameters."""
    default = {rule.kind for rule in Scenario.default().rules}
    for kind, rule in sorted(REGISTRY.items()):
        spec = rule()
        params = ", ".join(f"{name}={value!r}" for name, value in spec.model_dump().items())
        in_default = "in the default scenario" if kind in default else "not in the default"
        click.echo(f"{kind}  [{rule.stage}; {in_default}]")
        click.echo(f"    {rule.summary}")
        click.echo(f"    parameters: {params}")


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
    **overrides: Path | None,
) -> None:
    """Re-optimise a plan after changes, moving as few companies as the rules allow; the new
    plan holds diff.csv: what happened to every company and why. A joining company must be
    in the companies file (pass an updated one with --companies)."""
    _ready(out)
    plan = _open_plan(plan_dir, overrides, None)
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
@_input_overrides
def explain_command(plan_dir: Path, company_id: str, **overrides: Path | None) -> None:
    """Why COMPANY_ID is in its group, or why it is unassigned, in the plan PLAN_DIR."""
    plan = _open_plan(plan_dir, overrides, None)
    key = _key(overrides.get("key"))
    if key is not None and company_id not in plan.problem.by_id:  # a pseudonym
        company_id = key.original(company_id) or company_id
    if company_id not in plan.problem.by_id:
        raise click.UsageError(f"{company_id} is not a company of the plan")
    scenario = _plan_scenario(plan, plan_dir)
    for line in explain_company(plan.problem, scenario, plan.grouping, company_id):
        click.echo(line)


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
@click.option("--seeds", default="1", show_default=True, help="Seeds: 1-5 or 1,3,7.")
@time_limit_option(10.0)
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True)
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
    seeds: str,
    time_limit: float,
    engine: str,
    processes: int | None,
    out: Path,
) -> None:
    """Solve every scenario on every instance with every seed; write a tidy results table
    (results.csv), a comparison plot (comparison.png, .svg) and print a summary."""
    files = [first_scenario, *more_scenarios]
    try:
        scenarios = {path.stem: Scenario.load(path) for path in files}
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    found = sorted(
        directory
        for directory in [instances, *instances.iterdir()]
        if directory.is_dir() and (directory / "companies.csv").exists()
    )
    if not found:
        raise click.UsageError(f"{instances} holds no companies.csv (nor do its subdirectories)")
    problems = {
        d.name: _load(
            {"companies": d / "companies.csv", "relations": _if_exists(d / "relations.csv")}
        ).problem
        for d in found
    }
    for scenario in scenarios.values():
        for problem in problems.values():
            _within_limits(problem, scenario)
    parallel = processes or os.cpu_count() or 1
    todo = sweep.jobs(
        scenarios, problems, _seeds(seeds), time_limit, max(1, (os.cpu_count() or 1) // parallel)
    )
    _say(
        f"{len(todo)} runs ({len(scenarios)} scenarios x {len(problems)} instances"
        f" x seeds {seeds}) ..."
    )
    rows = sweep.run_all(
        todo,
        engine,
        parallel,
        lambda row: _say(
            f"  {row['scenario']} {row['instance']} seed {row['seed']}:"
            f" placed {row['placed']} in {row['time_s']:.1f} s"
        ),
    )
    out.mkdir(parents=True, exist_ok=True)
    table = pd.DataFrame(rows)
    table.to_csv(out / "results.csv", index=False)
    comparison_figure(rows, out / "comparison.png", out / "comparison.svg")
    table["gap_pct"] = 100 * pd.to_numeric(table["gap"])
    measures = ["placed", "term_goal_rank", "term_spread", "gap_pct", "time_s"]
    summary = (
        table.groupby(["scenario", "instance"], sort=True)[[m for m in measures if m in table]]
        .mean()
        .reset_index()
    )
    click.echo(_markdown(summary))
    _say(f"wrote {out / 'results.csv'}, {out / 'comparison.png'}, {out / 'comparison.svg'}")


def _if_exists(path: Path) -> Path | None:
    return path if path.exists() else None


def _seeds(text: str) -> list[int]:
    """'1-5' or '1,3,7' -> the seeds."""
    try:
        if "-" in text:
            first, last = (int(part) for part in text.split("-", 1))
            return list(range(first, last + 1))
        return [int(part) for part in text.split(",")]
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a seed range like 1-5 or a list like 1,3,7"
        ) from None
