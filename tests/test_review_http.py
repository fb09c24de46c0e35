"""The review server's HTTP layer, in process (Starlette's TestClient) on a plan of the
sample: who gets in (token, Host, CSRF, Origin), what a facilitator's link may touch, stale
writes (409), malformed requests (4xx, the server stays up), and Save writing a plan that
`peergroups check` accepts and that holds the moves."""

import csv
import json
import random
import warnings

import pytest
from click.testing import CliRunner

import cli
from peergroups.review import Served
from solver import Scenario
from solver.objective import Objective
from tests.review_plan import fresh_copy, maturity_breaking_move, open_review, solve_sample

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # starlette prefers httpx2 to httpx for its client
    from starlette.testclient import TestClient


@pytest.fixture(scope="module")
def solved(tmp_path_factory):
    return solve_sample(tmp_path_factory.mktemp("solved") / "plan")


@pytest.fixture
def served(solved, tmp_path, monkeypatch) -> Served:
    return open_review(fresh_copy(solved, tmp_path), "--links", monkeypatch=monkeypatch)


def client(served: Served, host: str | None = None) -> TestClient:
    return TestClient(
        served.app,
        base_url=f"http://{host or '127.0.0.1'}:{served.port}",
        follow_redirects=False,
    )


def coordinator(served: Served):
    return served.server.site.accesses[0]


def signed_in(served: Served, access=None) -> TestClient:
    """A client that opened the link once (so it holds the cookie)."""
    access = access or coordinator(served)
    browser = client(served)
    assert browser.get(f"/?token={access.token}").status_code == 303
    return browser


def write(browser: TestClient, served: Served, path: str, body: dict, access=None, **headers):
    access = access or coordinator(served)
    headers = {"X-CSRF-Token": served.server.site.csrf(access)} | headers
    version = {"version": served.server.review.version}
    return browser.post(path, json=version | body, headers=headers)


# --- who gets in ----------------------------------------------------------------------------------


def test_prints_one_link_with_a_token_and_one_per_facilitator(served):
    lines = served.printed.strip().splitlines()
    assert lines[0] == f"http://127.0.0.1:{served.port}/?token={coordinator(served).token}"
    running = sorted({g.facilitator_id for g in served.server.review.groups.values()} - {None})
    assert [line.split(" ", 1)[0] for line in lines[1:]] == running


def test_without_or_with_a_wrong_token_403(served):
    browser = client(served)
    assert browser.get("/").status_code == 403
    assert browser.get("/?token=wrong").status_code == 403
    assert browser.get("/api/state").status_code == 403
    assert browser.get("/static/review.js").status_code == 403
    assert "token" in browser.get("/").text


def test_the_token_becomes_a_strict_httponly_cookie(served):
    browser = client(served)
    answer = browser.get(f"/?token={coordinator(served).token}")
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    page = browser.get("/")
    assert page.status_code == 200
    assert page.text.count('<article class="card group-card') == len(served.server.review.groups)
    assert browser.get("/static/review.js").status_code == 200
    assert "script-src" not in page.headers["content-security-policy"]  # default-src 'self'


def test_a_foreign_host_header_gets_400_even_with_the_token(served):
    token = coordinator(served).token
    assert client(served, "evil.example").get(f"/?token={token}").status_code == 400
    wrong_port = TestClient(served.app, base_url=f"http://127.0.0.1:{served.port + 1}")
    assert wrong_port.get(f"/?token={token}").status_code == 400
    assert client(served, "localhost").get(f"/?token={token}").status_code == 303


def test_a_write_needs_the_csrf_token_and_the_pages_origin(served):
    browser = signed_in(served)
    review = served.server.review
    cid, source, target = maturity_breaking_move(served)
    body = {"company": cid, "from": source, "to": target}
    assert write(browser, served, "/api/move", body, **{"X-CSRF-Token": ""}).status_code == 403
    forged = {"X-CSRF-Token": "0" * 64}
    assert write(browser, served, "/api/move", body, **forged).status_code == 403
    other = {"Origin": "http://evil.example"}
    assert write(browser, served, "/api/move", body, **other).status_code == 403
    cross = {"Sec-Fetch-Site": "cross-site"}
    assert write(browser, served, "/api/move", body, **cross).status_code == 403
    assert review.version == 0 and review.location(cid) == source
    own = {"Origin": f"http://127.0.0.1:{served.port}"}
    assert write(browser, served, "/api/move", body, **own).status_code == 200
    assert review.location(cid) == target


# --- moves, verdicts, versions --------------------------------------------------------------------


def test_a_move_is_judged_by_the_rules_and_undone(served):
    browser = signed_in(served)
    cid, source, target = maturity_breaking_move(served)
    answer = write(browser, served, "/api/move", {"company": cid, "from": source, "to": target})
    assert answer.status_code == 200
    verdict = answer.json()
    found = verdict["state"]["findings"][target]
    spread = [f for f in found if f["rule"] == "maturity_spread"]
    assert spread and cid in spread[0]["companies"]
    assert "maturity spread" in verdict["changed"][target]
    assert "spread" in verdict["step"]  # how the objective term moved
    assert verdict["state"]["moves"] == 1 and verdict["state"]["can_undo"]
    undone = write(browser, served, "/api/undo", {}).json()
    assert target not in undone["state"]["findings"]
    assert served.server.review.location(cid) == source
    redone = write(browser, served, "/api/redo", {}).json()
    assert redone["state"]["findings"][target]
    assert served.server.review.location(cid) == target


def test_a_stale_write_gets_409_and_changes_nothing(served):
    browser = signed_in(served)
    cid, source, target = maturity_breaking_move(served)
    csrf = {"X-CSRF-Token": served.server.site.csrf(coordinator(served))}
    first = browser.post(
        "/api/move", json={"version": 0, "company": cid, "from": source, "to": target}, headers=csrf
    )
    assert first.status_code == 200
    again = browser.post(
        "/api/move", json={"version": 0, "company": cid, "from": target, "to": source}, headers=csrf
    )
    assert again.status_code == 409 and again.json()["error"] == "stale"
    assert served.server.review.location(cid) == target and served.server.review.version == 1
    comment = {"version": 0, "text": "late", "group": target}
    assert browser.post("/api/comment", json=comment, headers=csrf).status_code == 409


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"company": "NOPE", "from": None, "to": None}, 404, "no company NOPE"),
        ({"company": "@first", "from": "@home", "to": "G999"}, 404, "no group G999"),
        ({"company": "@first", "from": "@home", "to": "@home"}, 400, "already in"),
        ({"company": "@first", "from": None, "to": "@other"}, 409, "not in no group"),
        ({"company": 7, "to": None}, 400, "company must be"),
        ({"company": "@first", "from": "@home", "new": True, "theme": "zz"}, 400, "not among"),
    ],
)
def test_bad_moves_get_a_plain_4xx_and_the_server_stays_up(served, body, status, words):
    browser = signed_in(served)
    groups = list(served.server.review.groups.values())
    names = {"@first": groups[0].members[0], "@home": groups[0].group_id}
    names["@other"] = groups[1].group_id
    body = {k: names.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    answer = write(browser, served, "/api/move", body)
    assert answer.status_code == status and words in answer.text, answer.text
    assert browser.get("/api/state").status_code == 200
    assert served.server.review.version == 0


def test_malformed_requests_get_400(served):
    browser = signed_in(served)
    csrf = {"X-CSRF-Token": served.server.site.csrf(coordinator(served))}
    assert browser.post("/api/move", content=b"{not json", headers=csrf).status_code == 400
    assert browser.post("/api/move", json=[1, 2], headers=csrf).status_code == 400
    assert browser.post("/api/move", json={"company": "x"}, headers=csrf).status_code == 400
    assert browser.post("/api/undo", json={"version": "0"}, headers=csrf).status_code == 400
    assert browser.post("/api/undo", json={"version": 0}, headers=csrf).status_code == 409
    assert browser.get("/api/group/G999").status_code == 404
    assert browser.get("/api/state").json()["version"] == 0


def test_moving_a_company_twice_in_one_step_is_refused(served):
    """The page says where the company is; a second tab that moved it already makes the
    first tab's move stale, and a move from the wrong group never duplicates it."""
    browser = signed_in(served)
    cid, source, target = maturity_breaking_move(served)
    assert write(browser, served, "/api/move", {"company": cid, "from": source, "to": target})
    again = write(browser, served, "/api/move", {"company": cid, "from": source, "to": target})
    assert again.status_code == 409
    grouping = served.server.review.grouping()
    assert grouping.accounting_errors(served.server.problem) == []


# --- a facilitator's link ------------------------------------------------------------------------


def test_a_facilitators_link_sees_and_changes_only_their_groups(served):
    review = served.server.review
    access = served.server.site.accesses[1]
    mine = [g for g in review.groups.values() if g.facilitator_id == access.facilitator_id]
    other = next(g for g in review.groups.values() if g.facilitator_id != access.facilitator_id)
    browser = signed_in(served, access)
    page = browser.get("/").text
    assert page.count('<article class="card group-card') == len(mine)
    assert f'data-group="{other.group_id}"' not in page
    assert browser.get(f"/api/group/{mine[0].group_id}").status_code == 200
    assert browser.get(f"/api/group/{other.group_id}").status_code == 403
    steal = {"company": other.members[0], "from": other.group_id, "to": mine[0].group_id}
    assert write(browser, served, "/api/move", steal, access).status_code == 403
    push = {"company": mine[0].members[0], "from": mine[0].group_id, "to": other.group_id}
    assert write(browser, served, "/api/move", push, access).status_code == 403
    note = {"text": "hello", "group": other.group_id}
    assert write(browser, served, "/api/comment", note, access).status_code == 403
    assert write(browser, served, "/api/save", {}, access).status_code == 403
    assert review.version == 0
    if len(mine) > 1:
        own = {"company": mine[0].members[0], "from": mine[0].group_id, "to": mine[1].group_id}
        assert write(browser, served, "/api/move", own, access).status_code == 200
        assert review.store.moves()[-1].reviewer == f"{access.name} ({access.facilitator_id})"


def test_the_csrf_token_of_one_link_does_not_serve_another(served):
    access = served.server.site.accesses[1]
    browser = signed_in(served, access)
    group = next(g for g in served.server.review.groups.values())
    body = {"text": "x", "group": group.group_id}
    stolen = {"X-CSRF-Token": served.server.site.csrf(coordinator(served))}
    assert write(browser, served, "/api/comment", body, access, **stolen).status_code == 403


# --- comments, locks, save, reopen ----------------------------------------------------------------


def test_save_writes_a_plan_that_check_accepts_and_that_holds_the_moves(served, tmp_path):
    browser = signed_in(served)
    review = served.server.review
    cid, source, target = maturity_breaking_move(served)
    assert write(browser, served, "/api/move", {"company": cid, "from": source, "to": target})
    leaver = review.groups[target].members[0]
    assert write(browser, served, "/api/move", {"company": leaver, "from": target, "to": None})
    note = {"text": "knows C017 from a board", "company": cid}
    assert write(browser, served, "/api/comment", note).status_code == 200
    saved = write(browser, served, "/api/save", {})
    assert saved.status_code == 200
    out = served.server.out
    assert saved.json()["path"] == str(out.resolve()) and out.parent == served.server.original
    for name in ("assignments.csv", "groups.csv", "summary.json", "report.html"):
        assert (out / name).exists(), name
    rows = {r["company_id"]: r for r in csv.DictReader((out / "assignments.csv").open())}
    assert rows[cid]["group_id"] == target and rows[leaver]["group_id"] == ""
    summary = json.loads((out / "summary.json").read_text())
    assert summary["edited"] is True and summary["review"]["reviewer"]
    assert summary["review"]["saved_at"] and summary["review"]["moves"] == 2
    log = list(csv.DictReader((out / "review_log.csv").open()))
    assert [(r["company_id"], r["from_group"], r["to_group"]) for r in log[:2]] == [
        (cid, source, target),
        (leaver, target, ""),
    ]
    assert log[2]["comment"] == "knows C017 from a board"
    assert "Edited" in (out / "report.html").read_text()
    checked = CliRunner().invoke(cli.main, ["check", str(out)])
    broken = summary["violations"]
    assert checked.exit_code == (1 if broken else 0), checked.output
    assert f"{len(broken)} violation(s)" in checked.output
    assert any("maturity spread" in v for v in broken)
    # the solver's plan is untouched
    original = {r["company_id"]: r for r in csv.DictReader((out.parent / "assignments.csv").open())}
    assert original[cid]["group_id"] == source


def test_reopening_carries_on_from_the_store_and_from_a_reviewed_plan(
    solved, tmp_path, monkeypatch
):
    plan = fresh_copy(solved, tmp_path)
    first = open_review(plan, monkeypatch=monkeypatch)
    browser = signed_in(first)
    cid, source, target = maturity_breaking_move(first)
    assert write(browser, first, "/api/move", {"company": cid, "from": source, "to": target})
    assert write(browser, first, "/api/lock", {"group": target, "locked": True}).status_code == 200
    assert write(browser, first, "/api/save", {}).status_code == 200
    first.server.review.store.close()
    again = open_review(plan, monkeypatch=monkeypatch)
    assert again.server.review.location(cid) == target and again.server.review.version == 2
    assert again.server.review.locks() == {target}
    again.server.review.store.close()
    reviewed = open_review(plan / "reviewed", monkeypatch=monkeypatch)
    assert reviewed.server.review.location(cid) == target
    assert reviewed.server.out.resolve() == (plan / "reviewed").resolve()
    reviewed.server.review.store.close()


def test_keep_locked_groups_and_reoptimise_the_rest(solved, tmp_path, monkeypatch):
    plan = fresh_copy(solved, tmp_path)
    served = open_review(plan, "--time-limit", "10", monkeypatch=monkeypatch)
    browser = signed_in(served)
    review = served.server.review
    kept = sorted(review.groups)[4:]  # four groups (and the unassigned) to re-optimise
    for gid in kept:
        locked = write(browser, served, "/api/lock", {"group": gid, "locked": True})
        assert locked.status_code == 200
    before = {gid: review.groups[gid].members for gid in kept}
    assert write(browser, served, "/api/reoptimise", {}).status_code == 200
    review.job.thread.join(timeout=60)
    status = browser.get("/api/reoptimise").json()
    assert status["state"] == "done", status.get("error")
    assert not {m["from"] for m in status["moves"]} & set(kept)
    assert not {m["to"] for m in status["moves"]} & set(kept)
    accepted = write(browser, served, "/api/reoptimise/accept", {})
    assert accepted.status_code == 200
    assert {gid: review.groups[gid].members for gid in kept} == before
    assert review.grouping().accounting_errors(review.problem) == []
    if status["moves"]:
        assert write(browser, served, "/api/undo", {}).status_code == 200
        assert review.store.moves() == []


def test_the_fast_verdict_of_each_move_equals_the_full_check(served):
    """Each move re-checks only the changed groups (and the plan-wide rules); after every
    one of a run of random moves, the page's violations are exactly `check`'s."""
    review = served.server.review
    scenario = Scenario.from_dict(served.server.summary["scenario"])
    plain = Objective(review.problem, scenario.grouping_rules)
    rng = random.Random(7)
    for _ in range(25):
        company = rng.choice(sorted(review.where))
        here = review.where[company]
        goals = review.problem.by_id[company].goals
        targets = sorted(g for g, x in review.groups.items() if x.theme in goals and g != here)
        to = rng.choice([*targets, None]) if here is not None else rng.choice(targets or [None])
        if to == here:
            continue
        review.move(review.version, [review.planned_move(company, here, to)])
        shown = sorted(
            (gid, f["rule"], f["message"]) for gid, found in review.findings.items() for f in found
        )
        full = review.judge.check(review.grouping())
        assert shown == sorted((f.group_id, f.rule, f.message) for f in full if f.group_id)
        assert review.plan_findings == [f"{f.message} [{f.rule}]" for f in full if not f.group_id]
        groups = [(g.theme, list(g.members)) for g in review.grouping().groups]
        assert review.terms == plain.evaluate(groups)


def test_sharing_on_the_network_warns_and_still_checks_the_host(solved, tmp_path, monkeypatch):
    served = open_review(fresh_copy(solved, tmp_path), "--host", "0.0.0.0", monkeypatch=monkeypatch)
    assert "warning: listening on 0.0.0.0" in served.said
    token = coordinator(served).token
    assert client(served, "192.168.1.20").get(f"/?token={token}").status_code == 303
    assert client(served, "evil.example").get(f"/?token={token}").status_code == 400
    served.server.review.store.close()


def test_report_on_edited_assignments_marks_the_plan_edited(served, tmp_path):
    plan = served.server.original
    rows = list(csv.DictReader((plan / "assignments.csv").open()))
    placed = next(r for r in rows if r["group_id"])
    placed.update(group_id="", theme="", role_in_group="", reason="taken out by hand")
    edited = tmp_path / "edited.csv"
    with edited.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "edited.html"
    result = CliRunner().invoke(
        cli.main, ["report", str(plan), "--assignments", str(edited), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert 'class="edited-marker"' in out.read_text()
    assert "edited by hand" in out.read_text()


def test_save_refuses_a_directory_that_holds_other_files(solved, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "thesis.docx").write_text("mine")
    served = open_review(
        fresh_copy(solved, tmp_path), "--out", str(elsewhere), monkeypatch=monkeypatch
    )
    answer = write(signed_in(served), served, "/api/save", {})
    assert answer.status_code == 409 and "not a plan" in answer.text
    assert sorted(p.name for p in elsewhere.iterdir()) == ["thesis.docx"]
    served.server.review.store.close()


def test_the_page_speaks_finnish_with_lang_fi(solved, tmp_path, monkeypatch):
    served = open_review(fresh_copy(solved, tmp_path), "--lang", "fi", monkeypatch=monkeypatch)
    page = signed_in(served).get("/").text
    assert '<html lang="fi">' in page and "Vertaisryhmät: tarkastus" in page
    assert "Siirrä" in page and "Kumoa" in page
    served.server.review.store.close()
