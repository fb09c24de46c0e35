"""Facilitator assignment and chair/scribe suggestions on tiny, hand-checked instances."""

import pytest

from peergroups.model import Company, Facilitator, Group, Grouping, Problem
from peergroups.suggestions import suggest_chair_and_scribe
from solver import Scenario, check
from solver.facilitation import assign

RULES = Scenario.default().facilitation_rules


def company(cid, **fields):
    values = {"name": cid, "maturity": 50, "role": "ceo", "goals": "erp"} | fields
    return Company(company_id=cid, **values)


def facilitator(fid, **fields):
    return Facilitator(facilitator_id=fid, name=fid, **fields)


def staff(companies, facilitators, groups):
    problem = Problem(companies=tuple(companies), facilitators=tuple(facilitators))
    staffed, reasons = assign(problem, tuple(groups), RULES)
    return problem, {g.group_id: g.facilitator_id for g in staffed}, reasons


def group(gid, *members, theme="erp"):
    return Group(group_id=gid, theme=theme, members=members)


def test_capacity_staffs_as_many_groups_as_facilitators_can_run():
    # F1 can run 2 groups, F2 one: 3 of the 4 groups get a facilitator, the 4th a reason.
    companies = [company(f"C{i}") for i in range(4)]
    groups = [group(f"G{i}", f"C{i}") for i in range(4)]
    _, chosen, reasons = staff(
        companies, [facilitator("F1", capacity=2), facilitator("F2", capacity=1)], groups
    )

    load = [fid for fid in chosen.values() if fid]
    assert sorted(load) == ["F1", "F1", "F2"]
    (unstaffed,) = [gid for gid, fid in chosen.items() if fid is None]
    assert reasons == {
        unstaffed: "every facilitator who could run it already runs as many groups as they can"
    }


def test_the_facilitator_speaks_a_language_every_member_speaks():
    companies = [company("A", languages="sv|fi"), company("B", languages="sv")]
    _, chosen, reasons = staff(
        companies,
        [facilitator("FI", languages="fi", capacity=3), facilitator("SV", languages="sv|en")],
        [group("G1", "A", "B")],
    )
    assert chosen == {"G1": "SV"}

    _, chosen, reasons = staff(
        companies, [facilitator("FI", languages="fi|en")], [group("G1", "A", "B")]
    )
    assert chosen == {"G1": None}
    assert reasons == {"G1": "no facilitator speaks sv"}


def test_in_person_groups_get_a_facilitator_of_their_region_or_one_who_travels():
    members = [company("A", mode="in_person", region="MK19"), company("B", region="MK19")]
    elsewhere = facilitator("SOUTH", regions="MK01")
    _, chosen, reasons = staff(members, [elsewhere], [group("G1", "A", "B")])
    assert chosen == {"G1": None}
    assert reasons == {"G1": "no facilitator works in person in Lappi"}

    _, chosen, _ = staff(
        members, [elsewhere, facilitator("NORTH", regions="Lappi")], [group("G1", "A", "B")]
    )
    assert chosen == {"G1": "NORTH"}
    _, chosen, _ = staff(members, [elsewhere, facilitator("ANYWHERE")], [group("G1", "A", "B")])
    assert chosen == {"G1": "ANYWHERE"}


def test_hybrid_groups_take_a_facilitator_from_any_region():
    _, chosen, _ = staff(
        [company("A", region="MK19"), company("B")],
        [facilitator("SOUTH", regions="MK01")],
        [group("G1", "A", "B")],
    )
    assert chosen == {"G1": "SOUTH"}


def test_a_facilitator_never_runs_a_group_with_a_conflict_of_interest():
    companies = [company("A"), company("B"), company("C")]
    conflicted = facilitator("F1", capacity=2, conflicts="B")
    _, chosen, reasons = staff(companies, [conflicted], [group("G1", "A"), group("G2", "B", "C")])

    assert chosen == {"G1": "F1", "G2": None}
    assert reasons == {
        "G2": "every facilitator who could run it has a conflict of interest with a member"
    }


def test_theme_expertise_is_preferred_when_both_could_run_it():
    # Both are free and allowed; only F2 knows cybersecurity.
    _, chosen, _ = staff(
        [company("A", goals="cybersecurity")],
        [facilitator("F1", themes="erp"), facilitator("F2", themes="cybersecurity")],
        [group("G1", "A", theme="cybersecurity")],
    )
    assert chosen == {"G1": "F2"}


def test_expertise_never_costs_a_staffed_group():
    # F2 is the only expert but has room for one group; staffing both groups needs F1 on one.
    _, chosen, _ = staff(
        [company("A"), company("B")],
        [facilitator("F1"), facilitator("F2", themes="erp")],
        [group("G1", "A"), group("G2", "B")],
    )
    assert sorted(chosen.values()) == ["F1", "F2"]


def test_no_facilitators_given_means_no_reasons():
    _, chosen, reasons = staff([company("A")], [], [group("G1", "A")])
    assert chosen == {"G1": None} and reasons == {}


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        ({"facilitator_id": "F1"}, "facilitator_impartiality"),
        ({"facilitator_id": "F2"}, "facilitator_language"),
    ],
)
def test_check_catches_a_hand_edited_facilitator(edit, rule):
    problem = Problem(
        companies=(company("A"), company("B")),
        facilitators=(facilitator("F1", conflicts="A"), facilitator("F2", languages="sv")),
    )
    grouping = Grouping(groups=(group("G1", "A", "B").model_copy(update=edit),))

    assert [v.rule for v in check(problem, grouping, RULES)] == [rule]


def test_check_catches_a_facilitator_over_capacity():
    problem = Problem(companies=(company("A"), company("B")), facilitators=(facilitator("F1"),))
    grouping = Grouping(
        groups=(
            group("G1", "A").model_copy(update={"facilitator_id": "F1"}),
            group("G2", "B").model_copy(update={"facilitator_id": "F1"}),
        )
    )

    (violation,) = check(problem, grouping, RULES)
    assert violation.rule == "facilitator_capacity"
    assert "F1 runs 2 groups, more than their capacity 1" in violation.message


def test_chair_is_the_most_senior_willing_member_and_scribe_another():
    # A (CEO, willing) outranks B (development director, willing); C is not willing.
    problem = Problem(
        companies=(
            company("A", willing_to_chair=True, maturity=40),
            company("B", role="development_director", willing_to_chair=True),
            company("C", role="management_team_member"),
        )
    )
    assert suggest_chair_and_scribe(problem, group("G1", "A", "B", "C")) == ("A", "C")


def test_nobody_willing_means_no_chair_suggestion():
    problem = Problem(companies=(company("A"), company("B", role="development_director")))
    assert suggest_chair_and_scribe(problem, group("G1", "A", "B")) == (None, "B")
