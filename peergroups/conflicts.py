"""The conflict graph: which companies may not, or should not, share a group, and what that costs.

The hard graph (pairs that must never meet) explains infeasibility before any solver runs: its
connected components show how conflicts chain, and a clique among companies sharing a theme is
a lower bound on how many groups of that theme are needed to place them all.
"""

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from peergroups.model import Problem

MOST_CONFLICTED = 10


def conflict_graph(problem: Problem) -> nx.Graph:
    """Every company and every related pair, sorted so the same problem gives the same graph.

    Attributes are plain str/int/float/bool so the graph writes to GraphML as it is.
    """
    graph = nx.Graph()
    for company in sorted(problem.companies, key=lambda c: c.company_id):
        graph.add_node(
            company.company_id,
            name=company.name,
            maturity=float(company.maturity),
            role=str(company.role),
            tier=company.tier,
            region=company.region or "",
            goals="|".join(company.goals),
            mode=str(company.mode),
            languages="|".join(company.languages),
            competitor_ok=company.competitor_ok,
        )
    kinds: dict[tuple[str, str], list[str]] = defaultdict(list)
    for relation in problem.relations:
        kinds[relation.pair].append(str(relation.kind))
    for pair in sorted(kinds):
        graph.add_edge(
            *pair,
            relations="|".join(sorted(kinds[pair])),
            hard=pair in problem.hard_pairs,
            soft_cost=problem.soft_pairs.get(pair, 0),
        )
    return graph


@dataclass(frozen=True)
class ConflictAnalysis:
    """What the hard conflicts imply for grouping, ready to print or report."""

    components: list[list[str]]
    """Clusters (connected components) of hard conflicts, largest first, members sorted."""
    theme_cliques: list[tuple[str, list[str]]]
    """Per theme, the largest set of its companies in pairwise hard conflict (>= 2): placing
    them all in that theme takes as many different groups. Largest first, then by theme."""
    most_conflicted: list[tuple[str, int]]
    """Companies with the most hard conflicts, most first, ties by id."""


def analyse(problem: Problem) -> ConflictAnalysis:
    """Components, per-theme maximum cliques and degrees of the hard graph."""
    hard = nx.Graph(sorted(problem.hard_pairs))
    components = sorted(
        (sorted(component) for component in nx.connected_components(hard)),
        key=lambda members: (-len(members), members),
    )
    by_theme: dict[str, list[str]] = defaultdict(list)
    for company_id in sorted(hard):
        for theme in problem.by_id[company_id].goals:
            by_theme[theme].append(company_id)
    theme_cliques = []
    for theme, members in by_theme.items():
        cliques = (sorted(c) for c in nx.find_cliques(hard.subgraph(members)))
        largest = min(cliques, key=lambda clique: (-len(clique), clique))
        if len(largest) >= 2:
            theme_cliques.append((theme, largest))
    theme_cliques.sort(key=lambda item: (-len(item[1]), item[0]))
    degrees = sorted(hard.degree, key=lambda item: (-item[1], item[0]))
    return ConflictAnalysis(
        components=components,
        theme_cliques=theme_cliques,
        most_conflicted=[(cid, degree) for cid, degree in degrees[:MOST_CONFLICTED]],
    )


def write_graphml(problem: Problem, path: Path) -> None:
    """The conflict graph for Gephi or yEd; the same problem always gives the same bytes."""
    nx.write_graphml(conflict_graph(problem), path)


def _ids(members: list[str], limit: int) -> str:
    shown = ", ".join(members[:limit])
    return shown if len(members) <= limit else f"{shown}, +{len(members) - limit} more"


def summary_lines(analysis: ConflictAnalysis, limit: int = 5) -> list[str]:
    """A few lines for the CLI's stderr, at most `limit` themes and companies each."""
    if not analysis.components:
        return ["no hard conflicts"]
    count = len(analysis.components)
    largest = len(analysis.components[0])
    if count == 1:
        lines = [f"1 cluster of hard conflicts ({largest} companies)"]
    else:
        lines = [f"{count} clusters of hard conflicts (largest: {largest} companies)"]
    # A pair in conflict is plain; three or more mutual conflicts constrain the plan.
    cliques = [(theme, clique) for theme, clique in analysis.theme_cliques if len(clique) >= 3]
    for theme, clique in cliques[:limit]:
        lines.append(
            f"{theme}: {len(clique)} companies in mutual conflict ({_ids(clique, limit)}) "
            f"need {len(clique)} different {theme} groups"
        )
    top = ", ".join(f"{cid} ({degree})" for cid, degree in analysis.most_conflicted[:limit])
    lines.append(f"most conflicts: {top}")
    return lines
