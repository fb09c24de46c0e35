"""The review page in a real browser (Debian's chromium driven by playwright) against the
real server (`peergroups review` in a subprocess): drag a company where it breaks the maturity
spread and see the rule's message on the card, undo it, move by keyboard, save, two pages at
once, and a server killed with SIGKILL mid-review that loses nothing. Skipped where
playwright or /usr/bin/chromium is missing."""

import csv
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.review_plan import fresh_copy, solve_sample

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
COMMAND = [sys.executable, "-c", "import cli; cli.main()"]


class Server:
    """`peergroups review PLAN` as a user starts it; the first line it prints is the link."""

    def __init__(self, plan: Path, log: Path) -> None:
        self.log = log.open("ab")
        self.process = subprocess.Popen(
            [*COMMAND, "review", str(plan), "--reviewer", "tester", "--port", "0"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        self.url = self.process.stdout.readline().strip()
        assert self.url.startswith("http://127.0.0.1:"), self.url

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.log.close()
        self.process.stdout.close()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()
        self.process.stdout.close()


@pytest.fixture(scope="module")
def plan(tmp_path_factory, browser):
    """One plan for the module: each test starts from whatever the one before left (the
    tests read the plan off the page), and the last one kills the server."""
    solved = solve_sample(tmp_path_factory.mktemp("solved") / "plan")
    return fresh_copy(solved, tmp_path_factory.mktemp("review"))


@pytest.fixture(scope="module")
def log(tmp_path_factory):
    return tmp_path_factory.mktemp("log") / "server.log"


@pytest.fixture(scope="module")
def server(plan, log):
    started = Server(plan, log)
    yield started
    started.stop()


@pytest.fixture
def contexts(browser):
    """Browser contexts a test opens, closed after it (so the server stops at once)."""
    opened: list = []
    yield opened
    for context in opened:
        context.close()


def opened(browser, url: str, contexts: list):
    """A new browser context (own cookies) on the link, with errors and requests recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    contexts.append(context)
    page = context.new_page()
    seen = {"errors": [], "console": [], "requests": []}
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))
    page.on("console", lambda m: seen["console"].append((m.type, m.text)))
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")
    page.seen = seen
    return page


def breaking_move(page) -> tuple[str, str, str]:
    """Read the plan off the page: a company and a group of a theme among its goals where it
    would widen the maturity spread well past the limit (25), the two cards as close on the
    page as can be (a drag does not scroll the page far)."""
    return page.evaluate(
        """() => {
        const cards = [...document.querySelectorAll('article.group-card')];
        const top = card => card.getBoundingClientRect().top + window.scrollY;
        const rows = cards.map(card => [...card.querySelectorAll('tr.member')].map(r => ({
            id: r.dataset.company, group: card.dataset.group, theme: card.dataset.theme,
            top: top(card), m: parseFloat(r.cells[3].textContent.replace(',', '.')),
            goals: [...card.querySelectorAll(
                `details.why-member[data-company="${r.dataset.company}"] ol.goals .id`
            )].map(e => e.textContent)})));
        let best = null;
        for (const members of rows) for (const c of members) for (const other of rows) {
            if (!other.length || other[0].group === c.group) continue;
            if (!c.goals.includes(other[0].theme)) continue;
            const values = other.map(o => o.m).concat([c.m]);
            const wider = Math.max(...values) - Math.min(...values);
            const distance = Math.abs(other[0].top - c.top);
            if (wider > 30 && (!best || distance < best[0]))
                best = [distance, c.id, c.group, other[0].group];
        }
        return best.slice(1);
    }"""
    )


def drag(page, company: str, group: str) -> None:
    """Drag a company's row onto a group card, as a person would with the mouse."""
    source = row(page, company)
    source.scroll_into_view_if_needed()
    target = card(page, group)
    start, box = source.bounding_box(), target.bounding_box()
    y = min(max(start["y"] - box["y"], 5), box["height"] - 5)  # the card beside the row
    source.drag_to(target, target_position={"x": 30, "y": y})


def card(page, group: str):
    return page.locator(f'article.group-card[data-group="{group}"]')


def row(page, company: str):
    return page.locator(f'tr.member[data-company="{company}"]')


def test_a_drag_that_breaks_the_spread_shows_the_rule_on_the_card_and_undo_clears_it(
    browser, server, contexts
):
    page = opened(browser, server.url, contexts)
    company, source, target = breaking_move(page)
    assert "maturity spread" not in card(page, target).text_content()
    drag(page, company, target)
    warning = card(page, target).locator(".card-violations")
    warning.wait_for()
    assert "maturity spread" in warning.inner_text()
    assert company in card(page, target).locator(".card-violations").text_content()
    assert "breaks" in card(page, target).locator(f'tr[data-company="{company}"]').get_attribute(
        "class"
    )
    assert "maturity spread" in page.locator("#notice").inner_text()
    page.click("#undo")
    warned = f'article.group-card[data-group="{target}"] .card-violations'
    page.wait_for_function(f"() => !document.querySelector('{warned}')")
    assert card(page, source).locator(f'tr[data-company="{company}"]').count() == 1
    assert page.seen["errors"] == []
    assert [m for m in page.seen["console"] if m[0] == "error"] == []
    origin = server.url.split("/?", 1)[0]
    assert all(url.startswith(origin) for url in page.seen["requests"])


def test_a_keyboard_move_and_save_write_the_plan(browser, server, plan, contexts):
    page = opened(browser, server.url, contexts)
    company, source, target = breaking_move(page)
    row(page, company).focus()
    page.keyboard.press("Enter")
    assert company in page.locator("#selected").inner_text()
    page.select_option("#move-target", target)
    page.focus("#move-target")
    page.keyboard.press("Enter")
    card(page, target).locator(f'tr[data-company="{company}"]').wait_for()
    assert card(page, source).locator(f'tr[data-company="{company}"]').count() == 0
    page.click("#save")
    page.wait_for_function("() => document.querySelector('#notice').textContent.includes('Saved')")
    out = plan / "reviewed"
    for name in ("assignments.csv", "groups.csv", "summary.json", "report.html", "review_log.csv"):
        assert (out / name).exists(), name
    with (out / "assignments.csv").open(encoding="utf-8", newline="") as handle:
        groups = {row["company_id"]: row["group_id"] for row in csv.DictReader(handle)}
    assert groups[company] == target
    assert f"{company},{source},{target}" in (out / "review_log.csv").read_text()


def test_a_second_page_on_the_same_plan_is_refused_and_says_so(browser, server, contexts):
    first = opened(browser, server.url, contexts)
    second = opened(browser, server.url, contexts)
    company, source, target = breaking_move(first)
    drag(first, company, target)
    card(first, target).locator(f'tr[data-company="{company}"]').wait_for()
    other = second.locator(f'article.group-card[data-group="{source}"] tr.member').nth(1)
    drag(second, other.get_attribute("data-company"), target)
    second.wait_for_function("() => document.body.dataset.stale === 'true'")
    assert "changed meanwhile" in second.locator("#notice").inner_text()
    moved = f'article.group-card[data-group="{target}"] tr[data-company="{company}"]'
    # it reloads and shows the first page's move
    second.wait_for_function(f"() => document.querySelector('{moved}')", timeout=10_000)


def test_a_server_killed_mid_review_loses_no_move(browser, server, plan, log, contexts):
    page = opened(browser, server.url, contexts)
    company, _, target = breaking_move(page)
    drag(page, company, target)
    card(page, target).locator(f'tr[data-company="{company}"]').wait_for()
    server.kill()  # SIGKILL: no shutdown handler runs
    again = Server(plan, log)
    try:
        page = opened(browser, again.url, contexts)
        assert card(page, target).locator(f'tr[data-company="{company}"]').count() == 1
        assert "maturity spread" in card(page, target).locator(".card-violations").text_content()
        assert not page.locator("#undo").is_disabled()
        for context in contexts:
            context.close()
        contexts.clear()
    finally:
        again.stop()
    logged = log.read_text()
    assert company not in logged and "C0" not in logged, logged  # no company data in logs
