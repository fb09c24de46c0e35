"""The conflict graph and its analysis, on problems small enough to check by hand."""

import itertools
import random

import networkx as nx
import pytest

from peergroups.conflicts import (
    ConflictAnalysis,
    analyse,
    conflict_graph,
    summary_lines,
    write_graphml,
)
from peergroups.model import Company, Problem, Relation


def company(cid: str, goals: str = "erp", **fields) -> Company:
    values = {"company_id": cid, "name": f"Oy {cid}", "maturity": 50, "role": "ceo"}
    return Company(**(values | {"goals": goals} | fields))


def relation(a: str, b: str, kind: str = "competitor", **fields) -> Relation:
    return Relation(company_a=a, company_b=b, kind=kind, **fields)


@pytest.fixture
def problem() -> Problem:
    """C1, C2, C3: mutual competitors in erp; C4 competes with C3 in cybersecurity only;
    C5-C6 a separate same-owner pair; C7-C8 competitors who both accept that (soft)."""
    return Problem(
        companies=(
            company("C1", "erp|cybersecurity"),
            company("C2", "erp"),
            company("C3", "erp|cybersecurity"),
            company("C4", "cybersecurity"),
            company("C5", "crm_customer_data"),
            company("C6", "erp"),
            company("C7", "erp", competitor_ok=True),
            company("C8", "erp", competitor_ok=True),
            company("C9", "erp"),
        ),
        relations=(
            relation("C1", "C2"),
            relation("C2", "C3"),
            relation("C3", "C1"),
            relation("C4", "C3"),
            relation("C5", "C6", "same_owner"),
            relation("C8", "C7"),
        ),
    )


def test_graph_has_every_company_with_its_attributes(problem):
    graph = conflict_graph(problem)
    assert list(graph) == [f"C{i}" for i in range(1, 10)]
    assert graph.nodes["C1"] == {
        "name": "Oy C1",
        "maturity": 50.0,
        "role": "ceo",
        "tier": 2,
        "region": "",
        "goals": "erp|cybersecurity",
        "mode": "hybrid",
        "languages": "fi",
        "competitor_ok": False,
    }


def test_competitors_who_both_accept_it_are_a_soft_edge(problem):
    graph = conflict_graph(problem)
    assert graph.edges["C7", "C8"] == {"relations": "competitor", "hard": False, "soft_cost": 1}
    assert graph.edges["C1", "C2"] == {"relations": "competitor", "hard": True, "soft_cost": 0}


def test_several_relations_on_one_pair_fold_into_one_edge():
    problem = Problem(
        companies=(company("A"), company("B")),
        relations=(
            relation("B", "A", "other"),
            relation("A", "B", "customer_supplier"),
            relation("A", "B", "other"),
        ),
    )
    graph = conflict_graph(problem)
    assert graph.number_of_edges() == 1
    assert graph.edges["A", "B"] == {
        "relations": "customer_supplier|other",
        "hard": False,
        "soft_cost": 2,
    }


def test_components_are_hard_only_largest_first(problem):
    assert analyse(problem).components == [["C1", "C2", "C3", "C4"], ["C5", "C6"]]


def test_theme_cliques_count_only_companies_sharing_the_theme(problem):
    # erp: C1-C2-C3 pairwise; cybersecurity: C1-C3 and C3-C4 are edges but C1-C4 is not.
    # C6 has erp but its only hard partner (C5) does not.
    assert analyse(problem).theme_cliques == [
        ("erp", ["C1", "C2", "C3"]),
        ("cybersecurity", ["C1", "C3"]),
    ]


def test_theme_clique_ties_go_to_the_smallest_ids():
    problem = Problem(
        companies=tuple(company(cid) for cid in ("A", "B", "C", "D")),
        relations=(relation("C", "D"), relation("A", "B")),
    )
    assert analyse(problem).theme_cliques == [("erp", ["A", "B"])]


@pytest.mark.parametrize("seed", range(40))
def test_the_analysis_matches_networkx(seed):
    """The pruned search finds what enumerating every maximal clique finds: the largest
    clique of each theme, the smallest ids among equals; components and degrees are
    networkx's. Random graphs of 14 companies and two themes, dense enough that cliques of
    3 to 6 tie."""
    rng = random.Random(seed)
    ids = [f"C{n:02}" for n in range(14)]
    goals = {cid: rng.choice(["erp", "cybersecurity", "erp|cybersecurity"]) for cid in ids}
    density = rng.choice([0.2, 0.4, 0.6])
    pairs = [(a, b) for a, b in itertools.combinations(ids, 2) if rng.random() < density]
    problem = Problem(
        companies=tuple(company(cid, goals[cid]) for cid in ids),
        relations=tuple(relation(a, b, "conflict") for a, b in pairs),
    )
    hard = nx.Graph(pairs)
    expected = []
    for theme in ("erp", "cybersecurity"):
        members = [cid for cid in sorted(hard) if theme in goals[cid].split("|")]
        cliques = [sorted(c) for c in nx.find_cliques(hard.subgraph(members))]
        largest = min(cliques, key=lambda clique: (-len(clique), clique), default=[])
        if len(largest) >= 2:
            expected.append((theme, largest))
    expected.sort(key=lambda item: (-len(item[1]), item[0]))
    analysis = analyse(problem)
    assert analysis.theme_cliques == expected
    components = [sorted(c) for c in nx.connected_components(hard)]
    assert analysis.components == sorted(components, key=lambda c: (-len(c), c))
    degrees = sorted(hard.degree, key=lambda item: (-item[1], item[0]))
    assert analysis.most_conflicted == degrees[:10]


def test_the_same_problem_is_analysed_once(problem):
    """The CLI, the pre-check and the report ask in turn: the analysis is remembered for the
    problem, and an equal but different problem is analysed afresh."""
    first = analyse(problem)
    assert analyse(problem) is first
    copy = problem.model_copy()
    assert analyse(copy) is not first
    assert analyse(copy) == first


def test_most_conflicted_by_degree_then_id(problem):
    assert analyse(problem).most_conflicted == [
        ("C3", 3),
        ("C1", 2),
        ("C2", 2),
        ("C4", 1),
        ("C5", 1),
        ("C6", 1),
    ]


def test_larger_components_and_cliques_come_first_even_with_later_ids():
    problem = Problem(
        companies=(
            company("A", "robotics_automation"),
            company("B", "robotics_automation"),
            *(company(cid) for cid in ("X", "Y", "Z")),
        ),
        relations=(relation("A", "B"), relation("X", "Y"), relation("Y", "Z"), relation("Z", "X")),
    )
    analysis = analyse(problem)
    assert analysis.components == [["X", "Y", "Z"], ["A", "B"]]
    assert analysis.theme_cliques == [("erp", ["X", "Y", "Z"]), ("robotics_automation", ["A", "B"])]


def test_equal_sizes_and_degrees_are_ordered_by_theme_and_id():
    # Ids and themes are chosen so that insertion order (A, Z, B, C; robotics first) is wrong.
    problem = Problem(
        companies=(
            company("A", "robotics_automation"),
            company("Z", "robotics_automation"),
            company("B"),
            company("C"),
        ),
        relations=(relation("A", "Z"), relation("B", "C")),
    )
    analysis = analyse(problem)
    assert analysis.components == [["A", "Z"], ["B", "C"]]
    assert analysis.theme_cliques == [("erp", ["B", "C"]), ("robotics_automation", ["A", "Z"])]
    assert analysis.most_conflicted == [("A", 1), ("B", 1), ("C", 1), ("Z", 1)]


def test_most_conflicted_keeps_the_top_ten():
    hub = company("H")
    spokes = [company(f"S{i:02}") for i in range(12)]
    problem = Problem(
        companies=(hub, *spokes),
        relations=tuple(relation("H", s.company_id) for s in spokes),
    )
    most = analyse(problem).most_conflicted
    assert most[0] == ("H", 12)
    assert most[1:] == [(f"S{i:02}", 1) for i in range(9)]


def test_no_hard_conflicts():
    problem = Problem(companies=(company("A"), company("B")))
    analysis = analyse(problem)
    assert analysis == ConflictAnalysis(components=[], theme_cliques=[], most_conflicted=[])
    assert summary_lines(analysis) == ["no hard conflicts"]


def test_summary_lines(problem):
    assert summary_lines(analyse(problem)) == [
        "2 clusters of hard conflicts (largest: 4 companies)",
        "erp: 3 companies in mutual conflict (C1, C2, C3) need 3 different erp groups",
        # The cybersecurity pair (C1, C3) is plain and not listed.
        "most conflicts: C3 (3), C1 (2), C2 (2), C4 (1), C5 (1)",
    ]


def test_summary_of_a_single_cluster_is_singular():
    problem = Problem(companies=(company("A"), company("B")), relations=(relation("A", "B"),))
    assert summary_lines(analyse(problem))[0] == "1 cluster of hard conflicts (2 companies)"


def test_summary_lines_respect_the_limit(problem):
    lines = summary_lines(analyse(problem), limit=2)
    assert lines[1] == (
        "erp: 3 companies in mutual conflict (C1, C2, +1 more) need 3 different erp groups"
    )
    assert lines[-1] == "most conflicts: C3 (3), C1 (2)"
    assert len(lines) == 3


def test_graphml_round_trips_a_nasty_name(tmp_path):
    nasty = "<script>&\"'ä"
    problem = Problem(
        companies=(company("A", name=nasty, region="Uusimaa"), company("B", competitor_ok=True)),
        relations=(relation("A", "B"),),
    )
    path = tmp_path / "conflicts.graphml"
    write_graphml(problem, path)
    assert b"<script>" not in path.read_bytes()
    graph = nx.read_graphml(path)
    assert graph.nodes["A"]["name"] == nasty
    assert graph.nodes["A"]["region"] == "MK01"
    assert graph.nodes["A"]["maturity"] == 50.0
    assert graph.nodes["A"]["tier"] == 2
    assert graph.nodes["B"]["competitor_ok"] is True
    assert graph.edges["A", "B"] == {"relations": "competitor", "hard": True, "soft_cost": 0}


def test_graphml_bytes_do_not_depend_on_input_order(tmp_path, problem):
    shuffled = Problem(
        companies=tuple(reversed(problem.companies)),
        relations=tuple(reversed(problem.relations)),
    )
    write_graphml(problem, tmp_path / "a.graphml")
    write_graphml(shuffled, tmp_path / "b.graphml")
    assert (tmp_path / "a.graphml").read_bytes() == (tmp_path / "b.graphml").read_bytes()
