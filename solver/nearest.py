"""Companies in maturity order, scanned nearest first: the inner loop of the pre-check and the
construction heuristic, which must stay fast for 10,000 companies.

Partners of a company are almost always found among its nearest maturities, so scans start at
the company and stop at the maturity window (the spread rule's reach) or as soon as the
caller has what it needs, instead of testing every company of a theme.
"""

from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from peergroups.model import Company, tenths


class ByMaturity:
    """An immutable maturity-ordered list of companies."""

    def __init__(self, companies: list[Company]) -> None:
        self.companies = sorted(companies, key=lambda c: (c.maturity, c.company_id))
        self._levels = [tenths(c.maturity) for c in self.companies]

    def __len__(self) -> int:
        return len(self.companies)

    def span(self, centre: Company, maturity_window: float | None) -> tuple[int, int]:
        """Index range [low, high) of the companies within `maturity_window` points of `centre`."""
        if maturity_window is None:
            return 0, len(self.companies)
        level, reach = tenths(centre.maturity), tenths(maturity_window)
        return bisect_left(self._levels, level - reach), bisect_right(self._levels, level + reach)

    def within(self, centre: Company, maturity_window: float | None) -> list[Company]:
        low, high = self.span(centre, maturity_window)
        return [c for c in self.companies[low:high] if c is not centre]

    def outward(self, centre: Company, maturity_window: float | None) -> Iterator[Company]:
        """Companies within the window, nearest maturity first (ties: lower first)."""
        low, high = self.span(centre, maturity_window)
        right = bisect_left(self._levels, tenths(centre.maturity), low, high)
        left = right - 1
        level = tenths(centre.maturity)
        while left >= low or right < high:
            take_left = right >= high or (
                left >= low and level - self._levels[left] <= self._levels[right] - level
            )
            index = left if take_left else right
            if take_left:
                left -= 1
            else:
                right += 1
            if self.companies[index] is not centre:
                yield self.companies[index]

    def sample(self, centre: Company, maturity_window: float | None, size: int) -> list[Company]:
        """About `size` companies spread evenly over the window (for cheap estimates)."""
        low, high = self.span(centre, maturity_window)
        stride = max(1, (high - low) // max(1, size))
        return [c for c in self.companies[low:high:stride] if c is not centre]
