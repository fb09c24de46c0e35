"""Facilitator assignment (without facilitators, over a window of a large programme, each
rule's verdict on every facilitator at once), and chair and scribe suggestions."""

import numpy as np

from peergroups.generate import generate
from peergroups.model import Problem
from peergroups.suggestions import suggest_chair_and_scribe
from solver.facilitation import EVERYONE_UP_TO, PLAIN_OFFERED, WINDOW, Staffing
from solver.rules.base import FacilitatorIndex
from tests.instances import FACILITATION_RULES, facilitator, group, member, staff


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


def test_each_rules_verdict_on_all_facilitators_at_once_agrees_with_its_verdict_on_one():
    # The staffing of a large programme asks each rule about every facilitator at once
    # (`allowed_mask`, `preferences`); it must say what `allows` and `preference` say.
    problem = generate(600, seed=3)
    index = FacilitatorIndex(problem.facilitators)
    companies = list(problem.companies)
    crews = [companies[start : start + size] for start, size in _chunks(len(companies))]
    shortcuts = 0
    for rule in FACILITATION_RULES:
        verdicts: set[bool] = set()
        for number, crew in enumerate(crews):
            theme = crew[0].goals[0]
            mask = rule.allowed_mask(problem, crew, index)
            one_by_one = [rule.allows(problem, crew, f) for f in problem.facilitators]
            if mask is not None:
                shortcuts += 1
                assert mask.tolist() == one_by_one, (rule.kind, number)
            verdicts |= set(one_by_one)
            gains = rule.preferences(problem, theme, crew, index)
            if gains is not None:
                expected = [rule.preference(problem, theme, crew, f) for f in problem.facilitators]
                assert gains.tolist() == expected, (rule.kind, number)
        if rule.kind in ("facilitator_language", "facilitator_region", "facilitator_impartiality"):
            assert verdicts == {True, False}, rule.kind  # the crews test both answers
    assert shortcuts == len(FACILITATION_RULES) * len(crews)


def _chunks(count: int) -> list[tuple[int, int]]:
    """Crews of 1 to 9 companies in input order (some mixed, some in person in one region)."""
    chunks, start, size = [], 0, 1
    while start < count:
        chunks.append((start, size))
        start, size = start + size, size % 9 + 1
    return chunks


def test_a_group_no_facilitator_in_its_window_may_run_is_offered_everyone():
    # More facilitators than a group's window: the only one who speaks Swedish sits outside
    # the first group's window, and still runs it.
    outsiders = [facilitator(f"F{n:03d}", languages=("fi",)) for n in range(WINDOW)]
    speaker = facilitator("S", languages=("sv",))
    _, chosen, reasons = staff(
        [member("A", languages=("sv",)), member("B", languages=("sv",))],
        [*outsiders, speaker],
        [group("G1", "A", "B")],
    )
    assert chosen == {"G1": "S"} and reasons == {}


def test_a_group_of_a_large_programme_is_offered_every_expert_in_its_window_and_a_few_others():
    # 600 facilitators, every one allowed, every tenth an expert in erp: a window of 200
    # consecutive ones holds 20 experts, all offered, and 180 others, of whom the first
    # PLAIN_OFFERED are.
    assert EVERYONE_UP_TO < 600
    staff_list = [
        facilitator(f"F{n:03d}", themes=("erp",) if n % 10 == 0 else ()) for n in range(600)
    ]
    problem = Problem(companies=(member("A"), member("B")), facilitators=tuple(staff_list))
    offer = Staffing(problem, FACILITATION_RULES).offer("erp", list(problem.companies))
    experts = offer.candidates[offer.gains > 0]
    plain = offer.candidates[offer.gains == 0]
    assert len(experts) == WINDOW // 10 and all(n % 10 == 0 for n in experts)
    assert len(plain) == PLAIN_OFFERED
    # In the window's order: each candidate follows the one before it around the ring.
    steps = np.diff(offer.candidates) % 600
    assert (steps > 0).all() and steps.sum() < WINDOW
    assert plain[0] == (offer.candidates[0] if offer.gains[0] == 0 else offer.candidates[1])
