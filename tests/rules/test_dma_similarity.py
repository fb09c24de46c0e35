"""DMA similarity: alike groups on the six DMA dimensions (tiny hand-checked instances)."""

from peergroups.model import Company, Problem
from tests.instances import scenario, solved


def dma_company(cid: str, dims: tuple[float, ...]) -> Company:
    return Company(
        company_id=cid, name=cid, role="ceo", goals="erp", dma=dims, maturity=sum(dims) / 6
    )


def test_alike_companies_end_up_together():
    # Two profiles with the same mean (30): strong on strategy (A1, A2) or on data (B1, B2).
    # Pairs (2-2): {A1, A2} + {B1, B2} have zero width on every dimension; mixing profiles
    # costs 2 dimensions x 30 points = 600 tenths per pair, 1200 in all.
    a = (45.0, 30, 30, 15, 30, 30)
    b = (15.0, 30, 30, 45, 30, 30)
    instance = Problem(
        companies=(
            dma_company("A1", a),
            dma_company("B1", b),
            dma_company("A2", a),
            dma_company("B2", b),
        )
    )
    result = solved(instance, scenario(2, 2, dma_similarity={}))
    assert {frozenset(g.members) for g in result.grouping.groups} == {
        frozenset({"A1", "A2"}),
        frozenset({"B1", "B2"}),
    }
    assert result.terms["dma_width"] == 0
