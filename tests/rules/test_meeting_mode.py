"""Meeting mode on tiny instances with hand-computed optima.

The conventions these tests share are in tests/rules/README.md.
"""

from tests.instances import company, groups, problem, reasons, scenario, solved, terms


def test_meeting_mode_in_person_group_stays_in_its_region():
    # A meets in person in MK01; B, C hybrid in MK01; D hybrid in MK02; E virtual in MK02;
    # F hybrid with no region. min 3 max 6. A can only sit with B and C (D is elsewhere, E
    # virtual, F has no region), so placing A means {A,B,C}; {D,E,F} has no in-person member
    # and may mix. 6 placed (without A at most 5), spread 2 + 2 points = 40 tenths.
    instance = problem(
        company("A", 10, mode="in_person", region="MK01"),
        company("B", 11, region="MK01"),
        company("C", 12, region="MK01"),
        company("D", 13, region="MK02"),
        company("E", 14, mode="virtual", region="MK02"),
        company("F", 15),
    )
    result = solved(instance, scenario(3, 6))
    assert result.terms == terms(placed=6, spread=40)
    assert groups(result) == {frozenset("ABC"), frozenset("DEF")}


def test_meeting_mode_in_person_reason():
    # A meets in person in MK01 (Uusimaa); B, C, D are hybrid in MK02: A has no partner.
    # {B,C,D} (11..13: 20 tenths) is the group.
    instance = problem(
        company("A", 10, mode="in_person", region="MK01"),
        company("B", 11, region="MK02"),
        company("C", 12, region="MK02"),
        company("D", 13, region="MK02"),
    )
    result = solved(instance, scenario(3, 4))
    assert result.terms == terms(placed=3, spread=20)
    assert groups(result) == {frozenset("BCD")}
    assert reasons(result) == {
        "A": "no other company meeting in person in Uusimaa shares its goal erp (a group needs 3)"
    }


def test_meeting_mode_reason_for_in_person_without_region_names_no_empty_region():
    # A meets in person but has no region, so it can share a group with nobody (B, C, D are
    # hybrid in MK01); the reason must not print an empty region name.
    instance = problem(
        company("A", 10, mode="in_person"),
        company("B", 11, region="MK01"),
        company("C", 12, region="MK01"),
        company("D", 13, region="MK01"),
    )
    result = solved(instance, scenario(3, 4))
    assert groups(result) == {frozenset("BCD")}
    assert "meeting in person" in reasons(result)["A"]
    assert "meeting in person in  " not in reasons(result)["A"]
