"""Shared test settings: the hypothesis profiles of the property-based tests (tests/test_fuzz.py).

- "ci" (the default): few examples, derandomised, so a CI run is deterministic and the fuzz
  tests add well under a minute.
- "fuzz" (HYPOTHESIS_PROFILE=fuzz): a long run; the reader properties alone execute more than
  10,000 generated cases. Failures are saved in .hypothesis/ and replayed first next time.

`max_examples` of the pipeline properties is a fraction of the profile's (each one solves).
"""

import os

import pytest
from hypothesis import HealthCheck, settings

from tests.browser import CHROMIUM, CHROMIUM_ARGS

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}

settings.register_profile("ci", max_examples=60, derandomize=True, database=None, **_COMMON)
settings.register_profile("fuzz", max_examples=2500, print_blob=True, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium (tests/browser.py), one per test module; skipped when playwright or
    chromium is missing."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
