"""The conflict graph: which companies may not, or should not, share a group, and what that costs.

The hard graph (pairs that must never meet) explains infeasibility before any solver runs: its
connected components show how conflicts chain, and a clique among companies sharing a theme is
a lower bound on how many groups of that theme are needed to place them all.
"""

from collections import defaultdict
from collections.abc import Iterator
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


_last_analysis: list[tuple[Problem, ConflictAnalysis]] = []
"""The problem analysed last with its analysis (none yet: empty)."""


def analyse(problem: Problem) -> ConflictAnalysis:
    """Components, per-theme maximum cliques and degrees of the hard graph.

    The answer for the problem analysed last is remembered (a problem is immutable): the
    CLI's summary, the pre-check and the report each ask about the same problem.
    """
    for analysed, analysis in _last_analysis[-1:]:
        if analysed is problem:
            return analysis
    analysis = _analysis(problem)
    _last_analysis[:] = [(problem, analysis)]
    return analysis


def _analysis(problem: Problem) -> ConflictAnalysis:
    hard: dict[str, set[str]] = defaultdict(set)
    for a, b in problem.hard_pairs:
        hard[a].add(b)
        hard[b].add(a)
    components = sorted(
        (sorted(component) for component in _components(hard)),
        key=lambda members: (-len(members), members),
    )
    theme_cliques = []
    for theme, adjacency in _theme_graphs(problem).items():
        largest = _largest_clique(adjacency)
        if len(largest) >= 2:
            theme_cliques.append((theme, largest))
    theme_cliques.sort(key=lambda item: (-len(item[1]), item[0]))
    degrees = sorted(
        ((company, len(partners)) for company, partners in hard.items()),
        key=lambda item: (-item[1], item[0]),
    )
    return ConflictAnalysis(
        components=components,
        theme_cliques=theme_cliques,
        most_conflicted=[(cid, degree) for cid, degree in degrees[:MOST_CONFLICTED]],
    )


def _components(graph: dict[str, set[str]]) -> Iterator[set[str]]:
    """The connected components of a graph given as node -> neighbours."""
    seen: set[str] = set()
    for start in graph:
        if start in seen:
            continue
        component, frontier = {start}, [start]
        while frontier:
            for other in graph[frontier.pop()]:
                if other not in component:
                    component.add(other)
                    frontier.append(other)
        seen |= component
        yield component


def _theme_graphs(problem: Problem) -> dict[str, dict[str, set[str]]]:
    """Per theme, the hard conflicts between companies that both have it among their goals
    (company -> its partners in conflict); a company with none in a theme is left out."""
    graphs: dict[str, dict[str, set[str]]] = defaultdict(dict)
    for a, b in problem.hard_pairs:
        goals_b = problem.by_id[b].goals
        for theme in problem.by_id[a].goals:
            if theme in goals_b:
                graphs[theme].setdefault(a, set()).add(b)
                graphs[theme].setdefault(b, set()).add(a)
    return graphs


def _largest_clique(adjacency: dict[str, set[str]]) -> list[str]:
    """The largest set of companies in pairwise conflict, sorted; among equally large ones
    the first as sorted lists compare.

    A depth-first search over cliques in ascending id order meets them in that order, so the
    first clique of the largest size is the answer; a branch that cannot grow beyond the
    best so far is cut, which keeps sparse conflicts (the usual case) cheap.
    """
    best: list[str] = []

    def extend(clique: list[str], candidates: list[str]) -> None:
        nonlocal best
        if len(clique) > len(best):
            best = list(clique)
        for n, company in enumerate(candidates):
            if len(clique) + len(candidates) - n <= len(best):
                return
            partners = adjacency[company]
            clique.append(company)
            extend(clique, [other for other in candidates[n + 1 :] if other in partners])
            clique.pop()

    for company in sorted(adjacency):
        higher = sorted(other for other in adjacency[company] if other > company)
        if 1 + len(higher) > len(best):
            extend([company], higher)
    return best


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
