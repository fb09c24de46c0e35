"""In-person groups get a facilitator of their region or one who travels (tiny instances)."""

from tests.instances import facilitator, group, member, staff


def test_in_person_groups_get_a_facilitator_of_their_region_or_one_who_travels():
    members = [member("A", mode="in_person", region="MK19"), member("B", region="MK19")]
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
        [member("A", region="MK19"), member("B")],
        [facilitator("SOUTH", regions="MK01")],
        [group("G1", "A", "B")],
    )
    assert chosen == {"G1": "SOUTH"}
