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
    "#0067a5",
    "#f38400",
    "#008856",
    "#be0032",
    "#875692",
    "#a1caf1",
    "#f3c300",
    "#e68fac",
    "#654522",
    "#8db600",
    "#f032e6",
    "#42d4f4",
    "#2b3d26",
    "#b3446c",
    "#c2b280",
    "#e25822",
    "#00a3a3",
    "#1a1a6e",
)
"""Group colours, cycled in group order; grey is kept for the unassigned. Kelly's colours of
maximum contrast (without white, black and grey) and two more: no two are alike."""
LAYOUT_SEED = 7
STRIP_SIZE = (420, 56)
STRIP_LEFT, STRIP_WIDTH = 12.0, 396.0
MAX_DRAWN = 400
"""The conflict picture shows at most this many companies (the most conflicted): a spring
layout of thousands of nodes takes minutes and shows nothing readable."""

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
    referenced = set(re.findall(r'#([\w.-]+)(?=["\)])', text))
    text = re.sub(
        r'\s+id="([^"]+)"', lambda m: m.group(0) if m.group(1) in referenced else "", text
    )
    return text.strip() + "\n"


def scope_ids(svg: str, prefix: str) -> str:
    """Prefix every id in an SVG (and every reference to it), so that several SVGs inlined in
    one HTML page never share an id."""
    ids = sorted(set(re.findall(r'\bid="([^"]+)"', svg)), key=lambda i: (-len(i), i))
    if not ids:
        return svg
    pattern = re.compile(r'(\bid="|#)(' + "|".join(map(re.escape, ids)) + r')(?=["\)])')
    return pattern.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", svg)


def maturity_strip(members: list[float], band: tuple[float, float], limit: float | None) -> str:
    """A small strip chart on the 0-100 maturity scale: one tick per member, the group's band
    shaded, and (with a spread limit) the window a new member's maturity could fall in.

    Written as SVG by hand rather than drawn with matplotlib: a plan of 10,000 companies has
    over a thousand groups, and a matplotlib strip took 50 ms and 3 KB each."""

    def x(maturity: float) -> str:
        return f"{STRIP_LEFT + maturity / SCALE[1] * STRIP_WIDTH:.1f}"

    low, high = band
    width, height = STRIP_SIZE
    parts = [f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">']
    if limit is not None:
        start, end = max(SCALE[0], high - limit), min(SCALE[1], low + limit)
        if end > start:
            parts.append(
                f'<rect x="{x(start)}" y="6" width="{float(x(end)) - float(x(start)):.1f}" '
                f'height="26" fill="{BAND}" fill-opacity="0.10" stroke="{BAND}" '
                'stroke-width="0.6" stroke-dasharray="2 2"/>'
            )
    parts.append(
        f'<rect x="{x(low)}" y="10" width="{max(1.0, float(x(high)) - float(x(low))):.1f}" '
        f'height="18" fill="{BAND}" fill-opacity="0.30"/>'
    )
    parts += [
        f'<line x1="{x(m)}" x2="{x(m)}" y1="8" y2="30" stroke="{INK}" stroke-width="1.2"/>'
        for m in sorted(members)
    ]
    axis = f'stroke="{MUTED}" stroke-width="0.6"'
    parts.append(f'<line x1="{x(0)}" x2="{x(100)}" y1="36" y2="36" {axis}/>')
    for tick in (0, 25, 50, 75, 100):
        parts.append(
            f'<line x1="{x(tick)}" x2="{x(tick)}" y1="36" y2="40" {axis}/>'
            f'<text x="{x(tick)}" y="50" font-size="9" text-anchor="middle" '
            f'fill="#555555">{tick}</text>'
        )
    parts.append("</svg>")
    return "".join(parts) + "\n"


def group_colours(grouping: Grouping) -> dict[str, str]:
    """Group id -> the colour the conflict picture gives it, in group-id order."""
    ids = sorted(g.group_id for g in grouping.groups)
    return {gid: PALETTE[i % len(PALETTE)] for i, gid in enumerate(ids)}


def _packed_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Each connected component laid out on its own (spring layout, fixed seed) in a square
    whose side grows with its size, the squares packed in rows, largest first: one big
    cluster does not squeeze the others, and pairs do not spread over the whole picture."""
    components = sorted(
        (sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c)
    )
    boxes = []
    for members in components:
        side = max(1.0, len(members) ** 0.5)
        # A new graph in sorted order: a subgraph view would iterate a set of nodes, whose
        # order changes with the hash seed, and so would the layout.
        sub = nx.Graph()
        sub.add_nodes_from(members)
        sub.add_edges_from(sorted(tuple(sorted(edge)) for edge in graph.edges(members)))
        if len(members) == 1:
            raw = {members[0]: (0.0, 0.0)}
        else:
            raw = nx.spring_layout(sub, seed=LAYOUT_SEED, k=1.4 / len(members) ** 0.5)
        xs = [float(raw[c][0]) for c in members]
        ys = [float(raw[c][1]) for c in members]
        span = max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
        inner = 0.5 if len(members) == 2 else side - 0.6
        local = {
            c: (
                0.3 + (float(raw[c][0]) - min(xs)) / span * inner,
                0.3 + (float(raw[c][1]) - min(ys)) / span * inner,
            )
            for c in members
        }
        width = max(x for x, _ in local.values()) + 0.3
        height = max(y for _, y in local.values()) + 0.3
        boxes.append((local, width, height))
    total = sum(w * h for _, w, h in boxes)
    row_width = max(max(w for _, w, _ in boxes), 1.25 * total**0.5)
    position: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for local, width, height in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for cid, (lx, ly) in local.items():
            position[cid] = (x + lx, -(y + height - ly))
        x += width
        row_height = max(row_height, height)
    return position


def conflict_picture(
    problem: Problem, grouping: Grouping, unassigned_label: str = "unassigned"
) -> str:
    """The hard-conflict graph: companies that must never share a group, joined by a line and
    coloured by their group (grey: unassigned); companies without hard conflicts are left out.
    A pair that shares a group anyway (an edited plan) is drawn thick and red. Nodes are
    labelled with the company's id and the start of its name, which matplotlib escapes in
    the SVG."""
    graph = nx.Graph()
    pairs = sorted(problem.hard_pairs)
    graph.add_nodes_from(sorted({cid for pair in pairs for cid in pair}))
    graph.add_edges_from(pairs)
    everyone = graph.number_of_nodes()
    if everyone > MAX_DRAWN:
        shown = sorted(graph.nodes, key=lambda cid: (-graph.degree[cid], cid))[:MAX_DRAWN]
        graph = nx.Graph(graph.subgraph(sorted(shown)).edges)
        graph.add_nodes_from(sorted(shown))
    with mpl.rc_context(_RC):
        figure = Figure(figsize=(9.0, 7.0))
        axes = figure.add_axes((0.01, 0.01, 0.86, 0.98))
        axes.set_axis_off()
        figure.patch.set_alpha(0)
        if graph.number_of_nodes() == 0:
            figure.set_size_inches(2.0, 0.3)
            return _svg(figure)
        position = _packed_layout(graph)
        width = max(x for x, _ in position.values()) + 0.3
        height = -min(y for _, y in position.values()) + 0.3
        scale = min(8.0 / width, 10.0 / height, 1.1)
        margin = LABEL_MARGIN / scale  # half a label's width each side, in layout units
        figure.set_size_inches(width * scale + 2 * LABEL_MARGIN + 0.2, max(height * scale, 1.2))
        nodes = list(graph.nodes)
        group_of = grouping.group_of
        together = [
            (a, b) for a, b in graph.edges if a in group_of and group_of.get(b) is group_of[a]
        ]
        apart = [edge for edge in graph.edges if edge not in together]
        axes.add_collection(
            LineCollection(
                [(position[a], position[b]) for a, b in apart], colors=MUTED, linewidths=0.7
            )
        )
        if together:
            axes.add_collection(
                LineCollection(
                    [(position[a], position[b]) for a, b in together],
                    colors="#d62728",
                    linewidths=2.4,
                )
            )
        colours = group_colours(grouping)
        fill = [colours[group_of[cid].group_id] if cid in group_of else UNASSIGNED for cid in nodes]
        axes.scatter(
            [position[cid][0] for cid in nodes],
            [position[cid][1] for cid in nodes],
            s=60,
            c=fill,
            edgecolors=INK,
            linewidths=0.5,
            zorder=3,
        )
        names = {c.company_id: c.name for c in problem.companies}
        for cid in nodes:
            x, y = position[cid]
            axes.text(
                x,
                y - 0.09,
                node_label(cid, names.get(cid, "")),
                ha="center",
                va="top",
                fontsize=5.5,
                color=INK,
                zorder=4,
                linespacing=1.0,
            )
        axes.set_xlim(-margin, width + margin)
        axes.set_ylim(-height, 0)
        shown = sorted({group_of[cid].group_id for cid in nodes if cid in group_of})
        handles = [
            Line2D([], [], ls="", marker="o", mfc=colours[gid], mec=INK, mew=0.5) for gid in shown
        ]
        labels = list(shown)
        if any(cid not in group_of for cid in nodes):
            handles.append(Line2D([], [], ls="", marker="o", mfc=UNASSIGNED, mec=INK, mew=0.5))
            labels.append(unassigned_label)
        # The legend sits right of the graph, in columns that fit the height: the canvas
        # grows by their width, so no label is cut off.
        graph_width, tall = figure.get_size_inches()
        rows = max(1, int(tall * 72 / (LEGEND_FONT * 1.75)))
        columns = -(-len(labels) // rows)
        widest = max((len(label) for label in labels), default=0)
        legend_width = columns * (0.3 + widest * LEGEND_FONT * 0.62 / 72)
        figure.set_size_inches(graph_width + legend_width, tall)
        axes.set_position((0.01, 0.01, (graph_width - 0.1) / (graph_width + legend_width), 0.98))
        axes.legend(
            handles,
            labels,
            ncol=columns,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
            fontsize=LEGEND_FONT,
            columnspacing=0.8,
            handletextpad=0.2,
            borderaxespad=0.2,
        )
        return _svg(figure)


LEGEND_FONT = 7
LABEL_MARGIN = 0.5
"""Inches left and right of the graph, so that a node's label at the edge is not cut."""
NAME_SHOWN = 14
"""Characters of a company's name under its node: enough to recognise it."""


def node_label(company_id: str, name: str) -> str:
    """A node's label: the company's id and the start of its name."""
    name = " ".join(name.split())
    if len(name) > NAME_SHOWN:
        name = name[: NAME_SHOWN - 1].rstrip() + "\u2026"
    return f"{company_id} {name}" if name and name != company_id else company_id
