"""The comparison plot of a sweep: per instance, each scenario's mean over seeds.

Two panels: the share of companies placed (comparable across instances, unlike the raw
objective) and the gap to the bound (how sure each run is of its plan). Saved as PNG and
SVG (no dates: the same rows give the same SVG bytes)."""

from pathlib import Path

import matplotlib as mpl
from matplotlib.figure import Figure


def comparison_figure(rows: list[dict], png: Path, svg: Path) -> None:
    """Grouped bars: instances along x, one bar per scenario, mean over seeds."""
    instances = sorted({row["instance"] for row in rows})
    scenarios = sorted({row["scenario"] for row in rows})

    def mean(scenario: str, instance: str, value) -> float:
        picked = [value(r) for r in rows if r["scenario"] == scenario and r["instance"] == instance]
        return sum(picked) / len(picked) if picked else 0.0

    with mpl.rc_context({"svg.hashsalt": "peergroups-sweep", "font.size": 8}):
        figure = Figure(figsize=(max(5.0, 1.6 * len(instances) + 2), 5.5))
        placed, gaps = figure.subplots(2, 1, sharex=True)
        width = 0.8 / max(1, len(scenarios))
        for number, scenario in enumerate(scenarios):
            xs = [i + (number - (len(scenarios) - 1) / 2) * width for i in range(len(instances))]
            placed.bar(
                xs,
                [
                    100 * mean(scenario, inst, lambda r: r["placed"] / r["companies"])
                    for inst in instances
                ],
                width,
                label=scenario,
            )
            gaps.bar(
                xs,
                [mean(scenario, inst, lambda r: 100 * (r["gap"] or 0)) for inst in instances],
                width,
            )
        placed.set_ylabel("placed (% of companies)")
        placed.legend(loc="lower right", fontsize=7)
        gaps.set_ylabel("gap to bound (%)")
        gaps.set_xticks(range(len(instances)), instances, rotation=20, ha="right")
        figure.tight_layout()
        figure.savefig(png, dpi=120)
        figure.savefig(svg, metadata={"Date": None, "Creator": None})
