"""A facilitator runs at most their capacity of groups, on tiny hand-checked instances."""

from peergroups.model import Grouping, Problem
from solver import check
from tests.instances import FACILITATION_RULES, facilitator, group, member, staff


def test_capacity_staffs_as_many_groups_as_facilitators_can_run():
    # F1 can run 2 groups, F2 one: 3 of the 4 groups get a facilitator, the 4th a reason.
    companies = [member(f"C{i}") for i in range(4)]
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


def test_check_catches_a_facilitator_over_capacity():
    problem = Problem(companies=(member("A"), member("B")), facilitators=(facilitator("F1"),))
    grouping = Grouping(
        groups=(
            group("G1", "A").model_copy(update={"facilitator_id": "F1"}),
            group("G2", "B").model_copy(update={"facilitator_id": "F1"}),
        )
    )

    (violation,) = check(problem, grouping, FACILITATION_RULES)
    assert violation.rule == "facilitator_capacity"
    assert "F1 runs 2 groups, more than their capacity 1" in violation.message
