"""The report's pictures as inline SVG strings: a maturity strip per group, the conflict graph.

Figures are drawn on `matplotlib.figure.Figure` objects directly (no pyplot, no global backend
or state) and saved as SVG with a fixed hash salt, no date and text kept as `<text>` elements
(which matplotlib escapes), so the same input always gives the same bytes. The XML prolog,
DOCTYPE, namespaces and metadata are removed: the SVG is meant to sit inside an HTML page,
whose parser gives it the SVG namespace, and it must name no external address.
"""

import io
import re

import matplotlib as mpl
import networkx as nx
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from peergroups.model import Grouping, Problem

SCALE = (0.0, 100.0)
"""The DMA maturity scale."""
INK = "#222222"
BAND = "#4c78a8"
MUTED = "#9a9a9a"
UNASSIGNED = "#d9d9d9"
PALETTE = (
    "#4c78a8",
    "#f58518",
    "#54a24b",
    "#e45756",
    "#72b7b2",
    "#eeca3b",
    "#b279a2",
    "#ff9da6",
    "#9d755d",
    "#bab0ac",
    "#1f77b4",
    "#8c564b",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#17becf",
    "#bcbd22",
    "#e377c2",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#e6550d",
)
"""Group colours, cycled in group order; grey is kept for the unassigned."""
LAYOUT_SEED = 7

_RC = {
    "svg.hashsalt": "peergroups-report",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.linewidth": 0.6,
    "path.simplify": True,
}


def _svg(figure: Figure) -> str:
    """The figure as an SVG fragment for inline use in HTML."""
    buffer = io.StringIO()
    with mpl.rc_context(_RC):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    text = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)
    return text.strip() + "\n"


def scope_ids(svg: str, prefix: str) -> str:
    """Prefix every id in an SVG (and every reference to it), so that several SVGs inlined in
    one HTML page never share an id."""
    ids = set(re.findall(r'\bid="([^"]+)"', svg))
    if not ids:
        return svg
    pattern = re.compile(r'(\bid="|#)(' + "|".join(re.escape(i) for i in sorted(ids)) + r")\b")
    return pattern.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


def maturity_strip(members: list[float], band: tuple[float, float], limit: float | None) -> str:
    """A small strip chart on the 0-100 maturity scale: one tick per member, the group's band
    shaded, and (with a spread limit) the window a new member's maturity could fall in."""
    with mpl.rc_context(_RC):
        figure = Figure(figsize=(4.2, 0.75))
        axes = figure.add_axes((0.03, 0.38, 0.94, 0.58))
        low, high = band
        if limit is not None:
            window = (max(SCALE[0], high - limit), min(SCALE[1], low + limit))
            if window[1] > window[0]:
                axes.axvspan(*window, ymin=0.15, ymax=0.85, color=BAND, alpha=0.10, lw=0)
                for edge in window:
                    axes.axvline(edge, ymin=0.15, ymax=0.85, color=BAND, lw=0.6, ls=(0, (2, 2)))
        axes.axvspan(low, high, ymin=0.25, ymax=0.75, color=BAND, alpha=0.30, lw=0)
        axes.vlines(sorted(members), 0.2, 0.8, color=INK, lw=1.2)
        axes.set_xlim(*SCALE)
        axes.set_ylim(0, 1)
        axes.set_yticks([])
        axes.set_xticks([0, 25, 50, 75, 100])
        axes.tick_params(axis="x", length=2, pad=1.5, labelsize=7, colors="#555555")
        for side in ("left", "right", "top"):
            axes.spines[side].set_visible(False)
        axes.spines["bottom"].set_color(MUTED)
        axes.set_facecolor("none")
        figure.patch.set_alpha(0)
        return _svg(figure)


def group_colours(grouping: Grouping) -> dict[str, str]:
    """Group id -> the colour the conflict picture gives it (the report shows the same key)."""
    return {g.group_id: PALETTE[i % len(PALETTE)] for i, g in enumerate(grouping.groups)}


def conflict_picture(
    problem: Problem, grouping: Grouping, unassigned_label: str = "unassigned"
) -> str:
    """The hard-conflict graph: companies that must never share a group, joined by a line and
    coloured by their group (grey: unassigned); companies without hard conflicts are left out.
    Nodes are labelled with company ids (names are long and confidential in print)."""
    graph = nx.Graph()
    pairs = sorted(problem.hard_pairs)
    graph.add_nodes_from(sorted({cid for pair in pairs for cid in pair}))
    graph.add_edges_from(pairs)
    with mpl.rc_context(_RC):
        figure = Figure(figsize=(9.0, 7.0))
        axes = figure.add_axes((0.01, 0.01, 0.98, 0.98))
        axes.set_axis_off()
        figure.patch.set_alpha(0)
        if graph.number_of_nodes() == 0:
            axes.text(0.5, 0.5, "-", ha="center", va="center", color=MUTED)
            figure.set_size_inches(2.0, 0.5)
            return _svg(figure)
        position = nx.spring_layout(graph, seed=LAYOUT_SEED, k=0.9 / graph.number_of_nodes() ** 0.5)
        nodes = list(graph.nodes)
        together = [
            (a, b)
            for a, b in graph.edges
            if a in grouping.group_of and grouping.group_of.get(b) is grouping.group_of[a]
        ]
        apart = [edge for edge in graph.edges if edge not in together]
        axes.add_collection(
            LineCollection(
                [(position[a], position[b]) for a, b in apart], colors=MUTED, linewidths=0.7
            )
        )
        if together:  # a broken rule (an edited plan): drawn red and thick
            axes.add_collection(
                LineCollection(
                    [(position[a], position[b]) for a, b in together],
                    colors="#d62728",
                    linewidths=2.4,
                )
            )
        colours = group_colours(grouping)
        fill = [
            colours[grouping.group_of[cid].group_id] if cid in grouping.group_of else UNASSIGNED
            for cid in nodes
        ]
        xy = [position[cid] for cid in nodes]
        axes.scatter(
            [p[0] for p in xy], [p[1] for p in xy], s=70, c=fill, edgecolors=INK, linewidths=0.5
        )
        for cid in nodes:
            x, y = position[cid]
            axes.text(x, y - 0.045, cid, ha="center", va="top", fontsize=6, color=INK)
        axes.set_aspect("equal", adjustable="datalim")
        axes.autoscale_view()
        axes.margins(0.04)
        shown = [g for g in grouping.groups if any(cid in graph for cid in g.members)]
        handles = [
            Line2D([], [], ls="", marker="o", mfc=colours[g.group_id], mec=INK, mew=0.5)
            for g in shown
        ]
        labels = [g.group_id for g in shown]
        if any(cid not in grouping.group_of for cid in nodes):
            handles.append(Line2D([], [], ls="", marker="o", mfc=UNASSIGNED, mec=INK, mew=0.5))
            labels.append(unassigned_label)
        axes.legend(
            handles,
            labels,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize=7,
            handletextpad=0.2,
            borderaxespad=0.2,
        )
        figure.set_size_inches(9.0 + 0.0, 7.0)
        axes.set_position((0.01, 0.01, 0.88, 0.98))
        return _svg(figure)
