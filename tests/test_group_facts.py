"""A group's facts are computed once (`GroupFacts`): groups.csv and the report agree."""

import csv

from peergroups.generate import generate
from peergroups.io.writers import write_groups
from peergroups.model import Group, GroupFacts, Grouping, group_facts
from peergroups.outcome import Outcome
from peergroups.report import report_data
from peergroups.wording import localise


def test_groups_csv_and_report_cards_show_the_same_facts(tmp_path):
    problem = generate(60, seed=5)
    ids = [c.company_id for c in problem.companies]
    groups = tuple(
        Group(group_id=f"G{i}", theme=problem.by_id[ids[i * 6]].goals[0], members=ids[i * 6 :][:6])
        for i in range(10)
    )
    grouping = Grouping(groups=groups)
    write_groups(tmp_path / "groups.csv", problem, grouping)
    with (tmp_path / "groups.csv").open(newline="", encoding="utf-8") as handle:
        rows = {row["group_id"]: row for row in csv.DictReader(handle)}
    cards = {card["group_id"]: card for card in report_data(problem, grouping, {})["groups"]}

    assert set(rows) == set(cards) == {g.group_id for g in groups}
    for group_id, row in rows.items():
        card = cards[group_id]
        assert int(row["size"]) == card["size"] == 6
        assert float(row["maturity_min"]) == card["maturity"]["min"]
        assert float(row["maturity_max"]) == card["maturity"]["max"]
        assert float(row["maturity_spread"]) == card["maturity"]["spread"]
        assert row["mode"] == card["mode"]["code"]
        assert (row["region"] or None) == card["region"]["code"]
        assert (row["language"] or None) == (card["language"] or {}).get("code")


def test_facts_of_a_group_with_a_member_unknown_to_the_problem():
    # A hand-edited plan may name a company the problem lacks: it counts in the size only.
    problem = generate(3, seed=1)
    first = problem.companies[0]
    facts = GroupFacts.of(
        problem, Group(group_id="G1", theme="erp", members=(first.company_id, "X"))
    )
    assert facts.size == 2
    assert facts.maturity_min == facts.maturity_max == first.maturity
    assert facts.maturity_spread == 0.0
    assert facts.mode == first.mode
    assert facts.region == first.region

    nobody = GroupFacts.of(problem, Group(group_id="G2", theme="erp", members=("X",)))
    assert (nobody.maturity_spread, nobody.mode, nobody.region, nobody.language) == (
        None,
        None,
        None,
        None,
    )


def test_the_printed_outcome_has_the_groups_spreads_as_their_facts_say():
    # The summary printed after a run counts from the groups' facts (remembered from
    # groups.csv): the same numbers, a member unknown to the problem left out.
    problem = generate(60, seed=5)
    ids = [c.company_id for c in problem.companies]
    groups = tuple(
        Group(group_id=f"G{i}", theme="erp", members=(*ids[i * 6 :][:6], *(["X"] if i else [])))
        for i in range(10)
    )
    spreads = [GroupFacts.of(problem, g).maturity_spread for g in groups]
    outcome = Outcome.of(problem, Grouping(groups=groups))
    assert outcome.widest_spread == max(spreads)
    assert outcome.mean_spread == round(sum(spreads) / len(spreads), 1)
    assert outcome.placed == 60
    assert outcome.primary == sum(c.goals[0] == "erp" for c in problem.companies) > 0


def test_the_facts_of_a_plan_are_remembered_for_that_plan_only():
    problem = generate(60, seed=5)
    ids = [c.company_id for c in problem.companies]
    groups = tuple(
        Group(group_id=f"G{i}", theme="erp", members=ids[i * 6 :][:6]) for i in range(10)
    )
    grouping = Grouping(groups=groups, unassigned=())
    facts = group_facts(problem, grouping)

    assert facts == tuple(GroupFacts.of(problem, group) for group in groups)
    assert group_facts(problem, grouping) is facts
    assert group_facts(problem, localise(grouping, "fi")) is facts  # the same groups
    other = Grouping(groups=(groups[1], groups[0], *groups[2:]))
    assert group_facts(problem, other) == (facts[1], facts[0], *facts[2:])
    assert group_facts(generate(60, seed=6), grouping) != facts
