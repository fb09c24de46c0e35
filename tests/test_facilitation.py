"""Facilitator assignment without facilitators, and chair and scribe suggestions."""

from peergroups.model import Problem
from peergroups.suggestions import suggest_chair_and_scribe
from tests.instances import group, member, staff


def test_no_facilitators_given_means_no_reasons():
    _, chosen, reasons = staff([member("A")], [], [group("G1", "A")])
    assert chosen == {"G1": None} and reasons == {}


def test_chair_is_the_most_senior_willing_member_and_scribe_another():
    # A (CEO, willing) outranks B (development director, willing); C is not willing.
    problem = Problem(
        companies=(
            member("A", willing_to_chair=True, maturity=40),
            member("B", role="development_director", willing_to_chair=True),
            member("C", role="management_team_member"),
        )
    )
    assert suggest_chair_and_scribe(problem, group("G1", "A", "B", "C")) == ("A", "C")


def test_nobody_willing_means_no_chair_suggestion():
    problem = Problem(companies=(member("A"), member("B", role="development_director")))
    assert suggest_chair_and_scribe(problem, group("G1", "A", "B")) == (None, "B")
