"""The README's screenshot of the review page (docs/review.png): the shipped sample solved
briefly, one company dragged where it breaks the maturity spread, as Chromium shows it.

    python benchmarks/review_screenshot.py [docs/review.png]
"""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.review_plan import solve_sample  # noqa: E402
from tests.test_review_browser import (  # noqa: E402
    COMMAND,
    breaking_move,
    card,
    drag,
)


def main() -> None:
    target = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "docs" / "review.png")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        plan = solve_sample(Path(scratch) / "plan")
        server = subprocess.Popen(
            [*COMMAND, "review", str(plan), "--port", "0", "--reviewer", "Anna"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        try:
            url = server.stdout.readline().strip()
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.goto(url)
                page.wait_for_selector("body[data-ready=true]")
                company, _, group = breaking_move(page)
                drag(page, company, group)
                card(page, group).locator(".card-violations").wait_for()
                page.evaluate(
                    """group => {
                        const top = document.querySelector(`article[data-group="${group}"]`)
                            .getBoundingClientRect().top + window.scrollY;
                        const bar = document.querySelector('.toolbar').offsetHeight;
                        window.scrollTo(0, top - bar - 8);
                    }""",
                    group,
                )
                page.wait_for_timeout(1700)  # the moved row's highlight fades
                page.screenshot(path=str(target))
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"wrote {target} ({target.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
