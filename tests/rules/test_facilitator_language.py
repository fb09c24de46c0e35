"""The facilitator speaks a language every member speaks, on tiny hand-checked instances."""

from tests.instances import facilitator, group, member, staff


def test_the_facilitator_speaks_a_language_every_member_speaks():
    companies = [member("A", languages="sv|fi"), member("B", languages="sv")]
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
