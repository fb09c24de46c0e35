"""Impartiality: no facilitator runs a group with a conflict of interest (tiny instances)."""

import pytest

from peergroups.model import Grouping, Problem
from solver import check
from tests.instances import FACILITATION_RULES, facilitator, group, member, staff


def test_a_facilitator_never_runs_a_group_with_a_conflict_of_interest():
    companies = [member("A"), member("B"), member("C")]
    conflicted = facilitator("F1", capacity=2, conflicts="B")
    _, chosen, reasons = staff(companies, [conflicted], [group("G1", "A"), group("G2", "B", "C")])

    assert chosen == {"G1": "F1", "G2": None}
    assert reasons == {
        "G2": "every facilitator who could run it has a conflict of interest with a member"
    }


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        ({"facilitator_id": "F1"}, "facilitator_impartiality"),
        ({"facilitator_id": "F2"}, "facilitator_language"),
    ],
)
def test_check_catches_a_hand_edited_facilitator(edit, rule):
    problem = Problem(
        companies=(member("A"), member("B")),
        facilitators=(facilitator("F1", conflicts="A"), facilitator("F2", languages="sv")),
    )
    grouping = Grouping(groups=(group("G1", "A", "B").model_copy(update=edit),))

    assert [v.rule for v in check(problem, grouping, FACILITATION_RULES)] == [rule]
