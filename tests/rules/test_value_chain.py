"""Value-chain synergy: customer and supplier in one group (tiny hand-checked instances)."""

from peergroups.model import Problem, Relation
from tests.instances import company, scenario, solved


def test_a_customer_and_its_supplier_share_a_group():
    # A, B, C, D at one maturity in pairs; A supplies D. With the synergy rule the pairs
    # are AD + BC (no pair missed); the soft cost of the relation (priority 3) comes later.
    instance = Problem(
        companies=tuple(company(c, 40) for c in "ABCD"),
        relations=(Relation(company_a="A", company_b="D", kind="customer_supplier"),),
    )
    result = solved(instance, scenario(2, 2, value_chain={}))
    assert result.terms["value_chain_missed"] == 0
    assert frozenset("AD") in {frozenset(g.members) for g in result.grouping.groups}

    without = solved(instance, scenario(2, 2))
    assert frozenset("AD") not in {frozenset(g.members) for g in without.grouping.groups}
