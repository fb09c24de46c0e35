"""Facilitators with expertise in the theme are preferred, on tiny hand-checked instances."""

from tests.instances import facilitator, group, member, staff


def test_theme_expertise_is_preferred_when_both_could_run_it():
    # Both are free and allowed; only F2 knows cybersecurity.
    _, chosen, _ = staff(
        [member("A", goals="cybersecurity")],
        [facilitator("F1", themes="erp"), facilitator("F2", themes="cybersecurity")],
        [group("G1", "A", theme="cybersecurity")],
    )
    assert chosen == {"G1": "F2"}


def test_expertise_never_costs_a_staffed_group():
    # F2 is the only expert but has room for one group; staffing both groups needs F1 on one.
    _, chosen, _ = staff(
        [member("A"), member("B")],
        [facilitator("F1"), facilitator("F2", themes="erp")],
        [group("G1", "A"), group("G2", "B")],
    )
    assert sorted(chosen.values()) == ["F1", "F2"]
