"""The review report: one self-contained HTML file (inline CSS and SVG, no script, no address
outside the file), rendered by Jinja2 with autoescaping from `report_data` and `figures`.

The only markup that is not escaped is the SVG that `figures` draws; matplotlib escapes the
text in it (company ids) itself.
"""

from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import BaseLoader, Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from peergroups.model import Grouping, Problem
from peergroups.report.data import RoundsShown, maturity_limit, report_data
from peergroups.report.figures import (
    MAX_DRAWN,
    conflict_picture,
    group_colours,
    maturity_strip,
    scope_ids,
)

TEMPLATE = "report.html.j2"
SHOWN = 1_000
"""Group cards and unassigned rows a report shows at most: a plan of 100,000 companies would
otherwise take a minute to draw and a browser longer to open; the CSVs hold every one."""
SHOWN_SUMMARISED = 200
"""The same in a report that is not `full` (a very large plan, or a stopped run that is to
end within moments): its cards are most of the time it takes."""


@cache
def _environment() -> Environment:
    return environment(PackageLoader("peergroups.report", "templates"))


def compile_templates() -> None:
    """Compile the report's templates now (a fifth of a second): a run that is stopped
    then renders its report within the moments it has."""
    environment = _environment()
    for name in environment.list_templates():
        environment.get_template(name)


class _DataEnvironment(Environment):
    """Jinja looks `card.name` up as an attribute first, and the report's data are plain
    dicts: each lookup raised and caught an AttributeError before it tried the key (a third
    of the time of 200 cards). Here a dict's key comes first; no key of the data shadows a
    dict method the templates call, and anything else is looked up as Jinja does."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute in obj:
            return obj[attribute]
        return super().getattr(obj, attribute)


def environment(loader: BaseLoader) -> Environment:
    """The Jinja environment of the report (and of the review page, which shares its
    templates): autoescaping, strict about undefined names."""
    return _DataEnvironment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_report(
    problem: Problem,
    grouping: Grouping,
    summary: dict[str, Any],
    violations: Sequence[str] = (),
    lang: str = "en",
    rounds: RoundsShown | None = None,
    full: bool = True,
) -> str:
    """The report as one HTML document; the same inputs always give the same text. A plan of
    several rounds (`rounds`) shows round 1 as its plan, then a section per later round; a
    very large plan's report shows its first SHOWN groups and unassigned companies. Not
    `full` (a very large plan, or a run that was stopped and is to end within moments): no
    conflict picture, SHOWN_SUMMARISED groups and unassigned companies, and the conflict
    clusters name as many companies at most."""
    shown = SHOWN if full else SHOWN_SUMMARISED
    data = report_data(problem, grouping, summary, violations, lang, rounds, shown, full)
    decorate_cards(data["groups"], group_colours(grouping), maturity_limit(summary))
    for later in (data["rounds"] or {}).get("later", []):
        colours = group_colours(later.pop("grouping"))
        decorate_cards(later["groups"], colours, maturity_limit(summary))
    conflicts = data["conflicts"]
    conflicts["in_conflict"] = conflicts["companies"]
    conflicts["drawn"] = min(conflicts["in_conflict"], MAX_DRAWN)
    conflicts["picture_svg"] = (
        Markup(
            scope_ids(conflict_picture(problem, grouping, data["labels"]["kept_unassigned"]), "cg")
        )
        if conflicts["pairs"] and full
        else None
    )
    return _environment().get_template(TEMPLATE).render(**data)


def decorate_cards(
    cards: list[dict[str, Any]], colours: dict[str, str], limit: float | None
) -> None:
    """Give each card its colour (the conflict picture's) and its maturity strip."""
    for card in cards:
        card["colour"] = colours.get(card["group_id"], "#d9d9d9")
        band = card["maturity"]
        card["strip_svg"] = (
            None
            if band["min"] is None
            else Markup(
                scope_ids(
                    maturity_strip(card["maturities"], (band["min"], band["max"]), limit),
                    f"s-{card['anchor']}",
                )
            )
        )


GENERATOR = b'<meta name="generator" content="peergroups">'
"""The line that marks a report as ours: `report --out` replaces only such a file."""


def is_report(path: Path) -> bool:
    """Whether `path` is a report peergroups wrote (its head holds the generator line)."""
    try:
        with Path(path).open("rb") as handle:
            return GENERATOR in handle.read(4096)
    except OSError:
        return False


def write_report(
    path: Path,
    problem: Problem,
    grouping: Grouping,
    summary: dict[str, Any],
    violations: Sequence[str] = (),
    lang: str = "en",
    rounds: RoundsShown | None = None,
    full: bool = True,
) -> None:
    """Write the report as UTF-8 with LF line ends on every platform."""
    text = render_report(problem, grouping, summary, violations, lang, rounds, full)
    Path(path).write_bytes(text.encode("utf-8"))
