"""Industry diversity: groups that mix NACE divisions (tiny hand-checked instances)."""

from peergroups.model import Problem
from tests.instances import company, scenario, solved


def test_groups_mix_divisions_when_it_costs_nothing_else():
    # Four companies at one maturity, two metal (25) and two wood (16), in pairs: mixing
    # gives two distinct divisions per pair (0 repeats); same-division pairs repeat twice.
    instance = Problem(
        companies=(
            company("M1", 40, nace_code="25620"),
            company("M2", 40, nace_code="25110"),
            company("W1", 40, nace_code="16230"),
            company("W2", 40, nace_code="16100"),
        )
    )
    result = solved(instance, scenario(2, 2, industry_diversity={}))
    assert result.terms["industry_repeats"] == 0
    assert all({m[0] for m in g.members} == {"M", "W"} for g in result.grouping.groups)
