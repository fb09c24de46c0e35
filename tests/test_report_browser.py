"""The sample's report opened in a real browser (Debian's chromium driven by Python playwright).

It must load from a file with no network request at all, log no error, show every group card,
and show a company named like a script as text, never run it. A full-page screenshot and a
printed PDF are kept in test-artifacts/ for review. Skipped where playwright or
/usr/bin/chromium is missing.
"""

from pathlib import Path

import pytest

from peergroups.io.readers import read_problem
from peergroups.model import Problem
from peergroups.report import write_report
from solver import Scenario, solve

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "datasets" / "sample"
ARTIFACTS = ROOT / "test-artifacts"
SCRIPT = "<script>alert(1)</script>"


def renamed(problem: Problem, company_id: str, name: str) -> Problem:
    companies = tuple(
        c.model_copy(update={"name": name}) if c.company_id == company_id else c
        for c in problem.companies
    )
    return Problem(
        companies=companies, relations=problem.relations, facilitators=problem.facilitators
    )


@pytest.fixture(scope="module")
def sample_report(tmp_path_factory):
    """The sample solved briefly; a placed company with hard conflicts renamed to a script
    tag, so the name shows in a card, in why-here and in the conflict tables."""
    problem = read_problem(
        SAMPLE / "companies.csv", SAMPLE / "relations.csv", SAMPLE / "facilitators.csv"
    )
    result = solve(problem, Scenario.default().with_solver(time_limit=5, workers=2))
    grouping = result.grouping
    conflicted = {cid for pair in problem.hard_pairs for cid in pair}
    target = next(g.members[0] for g in grouping.groups if g.members[0] in conflicted)
    problem = renamed(problem, target, SCRIPT)
    path = tmp_path_factory.mktemp("report") / "report.html"
    write_report(path, problem, grouping, result.summary())
    return path, grouping, target


@pytest.fixture(scope="module")
def opened(browser, sample_report):
    """The report loaded once, with every request, console message, page error and dialog
    recorded from before the navigation."""
    path, _, _ = sample_report
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    seen = {"requests": [], "console": [], "errors": [], "dialogs": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", lambda message: seen["console"].append((message.type, message.text)))
    page.on("pageerror", lambda error: seen["errors"].append(str(error)))

    def on_dialog(dialog):
        seen["dialogs"].append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(300)  # anything the page might start after load would show by now
    yield page, seen
    context.close()


def test_loads_offline_with_no_request_but_the_file(opened, sample_report):
    _, seen = opened
    assert seen["requests"] == [sample_report[0].as_uri()]


def test_no_console_errors_and_no_script_runs(opened):
    page, seen = opened
    assert [m for m in seen["console"] if m[0] in ("error", "warning")] == []
    assert seen["errors"] == []
    assert seen["dialogs"] == []
    assert page.locator("script").count() == 0


def test_every_group_card_is_shown(opened, sample_report):
    page, _ = opened
    _, grouping, _ = sample_report
    cards = page.locator("article.group-card")
    assert cards.count() == len(grouping.groups) > 0
    shown = sorted(cards.nth(i).get_attribute("data-group") for i in range(cards.count()))
    assert shown == sorted(g.group_id for g in grouping.groups)
    assert page.locator("article.group-card svg").count() == len(grouping.groups)
    assert page.locator("#conflicts figure svg").count() == 1


def test_a_script_name_shows_as_text(opened, sample_report):
    page, seen = opened
    target = sample_report[2]
    row = page.locator(f'tr.member[data-company="{target}"]')
    assert row.count() == 1
    assert SCRIPT in row.inner_text()
    assert seen["dialogs"] == []


def test_why_here_opens_without_javascript(opened, sample_report):
    page, _ = opened
    target = sample_report[2]
    details = page.locator(f'details.why-member[data-company="{target}"]')
    body = details.locator(".body")
    assert not body.is_visible()
    details.locator("summary").click()
    assert body.is_visible()
    assert "competitor" in body.inner_text() or "conflict" in body.inner_text()


def test_prints_with_unbroken_cards_and_a_screenshot(opened):
    page, _ = opened
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    page.emulate_media(media="print")
    try:
        card = page.locator("article.group-card").first
        assert card.evaluate("e => getComputedStyle(e).breakInside") == "avoid"
        assert page.locator("nav.contents").is_hidden()
        assert page.locator("details.why-member:not([open]) .body").first.is_visible()
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
        page.pdf(path=str(ARTIFACTS / "report.pdf"), format="A4", print_background=False)
    finally:
        page.emulate_media(media="screen")
    assert (ARTIFACTS / "report.pdf").stat().st_size > 10_000
