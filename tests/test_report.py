"""The HTML review report: its plain data, its pictures and the rendered file.

Hand-built plans check every fact a facilitator reads (cards, why-here, unassigned reasons,
escaping, both languages); the shipped sample, solved once for the module, checks the whole
report at full size.
"""

import html as html_lib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from string import Formatter

import pytest

from peergroups.io.readers import read_problem
from peergroups.model import Company, Facilitator, Group, Grouping, Problem, Relation, Unassigned
from peergroups.report import html as html_module
from peergroups.report import render_report, report_data, write_report
from peergroups.report.figures import (
    PALETTE,
    UNASSIGNED,
    conflict_picture,
    maturity_strip,
    node_label,
    scope_ids,
)
from peergroups.report.labels import LABELS, Labels
from solver import Scenario, solve

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "datasets" / "sample"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
SUMMARY = {
    "status": "feasible",
    "objective": 123.0,
    "bound": 125.0,
    "gap": 0.011298,
    "placed": 10,
    "unassigned": 1,
    "groups": 2,
    "runtime_s": 3.25,
    "seed": 0,
    "rules": {
        "in_force": ["shared_theme", "group_size", "maturity_spread"],
        "min_size": 5,
        "max_size": 15,
        "max_maturity_spread": 25.0,
    },
    "labels": Scenario.default().labels(),
}


def company(cid: str, maturity: float, goals: str, **fields) -> Company:
    values = {"company_id": cid, "name": f"Oy {cid}", "maturity": maturity, "role": "ceo"}
    return Company(**(values | {"goals": goals} | fields))


def build_problem() -> Problem:
    """G1 (erp): A1..A5, A1 far above the others and erp its 2nd goal; G2 (cybersecurity):
    B1..B5, B2 named like a script. A1 and B1 compete (hard, kept apart); A4 has a conflict
    with U1 (unassigned); A2 and A3 are customer and supplier (soft, in the same group)."""
    companies = [
        company("A1", 70, "cybersecurity|erp", region="MK01", languages="fi|en"),
        company("A2", 40, "erp", role="development_director"),
        company("A3", 45, "erp|ai_genai_office"),
        company("A4", 50, "erp", mode="virtual"),
        company("A5", 48, "erp|cybersecurity", willing_to_chair=True),
        company("B1", 30, "cybersecurity"),
        company("B2", 35, "cybersecurity|erp", name=SCRIPT),
        company("B3", 33, "cybersecurity"),
        company("B4", 31, "cybersecurity"),
        company("B5", 12, "cybersecurity"),
        company("U1", 90, "erp"),
    ]
    relations = [
        Relation(company_a="A1", company_b="B1", kind="competitor"),
        Relation(company_a="A4", company_b="U1", kind="conflict"),
        Relation(company_a="A2", company_b="A3", kind="customer_supplier"),
    ]
    facilitators = [Facilitator(facilitator_id="F1", name="Liisa Ohjaaja", languages="fi|en")]
    return Problem(companies=companies, relations=relations, facilitators=facilitators)


def build_grouping() -> Grouping:
    return Grouping(
        groups=(
            Group(
                group_id="G1",
                theme="erp",
                members=("A1", "A2", "A3", "A4", "A5"),
                facilitator_id="F1",
                chair="A5",
                scribe="F1",
            ),
            Group(group_id="G2", theme="cybersecurity", members=("B1", "B2", "B3", "B4", "B5")),
        ),
        unassigned=(Unassigned(company_id="U1", reason="no other company within 25 points"),),
    )


@pytest.fixture(scope="module")
def problem() -> Problem:
    return build_problem()


@pytest.fixture(scope="module")
def grouping() -> Grouping:
    return build_grouping()


@pytest.fixture(scope="module")
def html(problem, grouping) -> str:
    return render_report(problem, grouping, SUMMARY)


def member(data: dict, group_id: str, cid: str) -> dict:
    card = next(c for c in data["groups"] if c["group_id"] == group_id)
    return next(m for m in card["members"] if m["company_id"] == cid)


def text_of(html: str) -> str:
    """The visible text, roughly: tags dropped, whitespace folded, entities kept."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


# --- plain data ---------------------------------------------------------------------------------


def test_report_data_is_plain_json_data(problem, grouping):
    data = report_data(problem, grouping, SUMMARY)
    assert json.loads(json.dumps(data)) == data
    assert [c["group_id"] for c in data["groups"]] == ["G1", "G2"]
    assert data["summary"]["placed"] == 10 and data["summary"]["unassigned"] == 1


def test_why_here_ranks_the_theme_among_the_goals(problem, grouping):
    why = member(report_data(problem, grouping, SUMMARY), "G1", "A1")["why"]
    assert [(g["code"], g["rank"], g["is_theme"]) for g in why["goals"]] == [
        ("cybersecurity", 1, False),
        ("erp", 2, True),
    ]
    assert why["theme_rank"] == 2
    assert why["theme_rank_label"] == "2nd goal"
    primary = member(report_data(problem, grouping, SUMMARY), "G1", "A2")["why"]
    assert primary["theme_rank_label"] == "primary goal"


def test_why_here_measures_the_distance_to_the_other_members_band(problem, grouping):
    data = report_data(problem, grouping, SUMMARY)
    above = member(data, "G1", "A1")["why"]["band"]
    assert (above["others_min"], above["others_max"]) == (40, 50)
    assert above["position"] == "above" and above["distance"] == 20.0
    assert above["text"] == "20.0 points above the others' highest (50.0)"
    assert above["window"] == [25.0, 65.0]  # max 50 - 25, min 40 + 25
    inside = member(data, "G1", "A5")["why"]["band"]
    assert inside["position"] == "inside" and inside["distance"] == 0
    below = member(data, "G2", "B5")["why"]["band"]
    assert below["position"] == "below" and below["distance"] == 18.0  # others from 30


def test_why_here_lists_companies_kept_apart_and_where_they_are(problem, grouping):
    data = report_data(problem, grouping, SUMMARY)
    (rival,) = member(data, "G1", "A1")["why"]["kept_apart"]
    assert rival["company_id"] == "B1" and rival["kinds"] == ["competitor"]
    assert rival["group_id"] == "G2" and not rival["same_group"]
    assert rival["where_text"] == "in group G2 (Cyber security (incl. OT security, NIS2))"
    (conflict,) = member(data, "G1", "A4")["why"]["kept_apart"]
    assert conflict["company_id"] == "U1" and conflict["group_id"] is None
    assert conflict["where_text"] == "unassigned"
    assert member(data, "G2", "B1")["why"]["kept_apart"][0]["company_id"] == "A1"
    assert member(data, "G1", "A5")["why"]["kept_apart"] == []


def test_why_here_lists_soft_relations_inside_the_group(problem, grouping):
    data = report_data(problem, grouping, SUMMARY)
    (partner,) = member(data, "G1", "A2")["why"]["soft_in_group"]
    assert partner["company_id"] == "A3" and partner["kinds"] == ["customer_supplier"]
    assert member(data, "G1", "A3")["why"]["soft_in_group"][0]["company_id"] == "A2"
    assert member(data, "G1", "A1")["why"]["soft_in_group"] == []


def test_card_facts(problem, grouping):
    card = report_data(problem, grouping, SUMMARY)["groups"][0]
    assert card["theme"] == {"code": "erp", "name": "ERP renewal and integration"}
    assert (card["maturity"]["min"], card["maturity"]["max"]) == (40, 70)
    assert card["maturity"]["spread"] == 30.0 and card["maturity"]["limit"] == 25.0
    assert card["mode"] == {"code": "hybrid", "label": "hybrid"}  # one virtual member
    assert card["language"]["code"] == "fi"
    assert card["facilitator"] == {"id": "F1", "name": "Liisa Ohjaaja"}
    assert card["chair"]["name"] == "Oy A5"
    assert card["scribe"]["text"] == "Liisa Ohjaaja (facilitator)"
    a1 = member(report_data(problem, grouping, SUMMARY), "G1", "A1")
    assert a1["region_name"] == "Uusimaa" and a1["languages_text"] == "Finnish, English"
    assert a1["role_label"] == "CEO" and a1["tier"] == 2


def test_group_without_facilitator_or_suggestions(problem, grouping, html):
    card = report_data(problem, grouping, SUMMARY)["groups"][1]
    assert card["facilitator"] is None and card["chair"] is None and card["scribe"] is None
    g2 = html[html.index('data-group="G2"') :]
    assert '<dd class="facilitator"><span class="muted">none assigned</span>' in g2
    assert '<dd class="chair"><span class="muted">no suggestion</span>' in g2
    assert '<dd class="scribe"><span class="muted">no suggestion</span>' in g2
    g1 = html[html.index('data-group="G1"') : html.index('data-group="G2"')]
    assert "Liisa Ohjaaja" in g1 and "Liisa Ohjaaja (facilitator)" in g1


def test_rules_in_force_from_the_scenario_with_their_parameters(problem, grouping):
    scenario = Scenario.default().with_rule("group_size", min_size=4)
    written = {"scenario": scenario.to_dict(), "labels": scenario.labels(problem)}
    data = report_data(problem, grouping, SUMMARY | written)
    size = next(r for r in data["rules"] if r["kind"] == "group_size")
    assert [(p["name"], p["value"]) for p in size["params"]] == [
        ("min_size", "4"),
        ("max_size", "15"),
    ]
    # The repair rules act only in a repair, repeated pairs only with a history: not shown.
    not_acting = {"continuity", "fill_first", "repeat_pairs"}
    assert [r["kind"] for r in data["rules"]] == [
        r.kind for r in Scenario.default().rules if r.kind not in not_acting
    ]
    expertise = next(r for r in data["rules"] if r["kind"] == "facilitator_expertise")
    assert expertise["enforce_label"] == "preference (ranks plans, never forbids one)"
    assert all(r["enforce_label"] == "hard (never broken)" for r in data["rules"][:-1])


def test_rules_in_force_from_a_summary_without_scenario(problem, grouping, html):
    data = report_data(problem, grouping, SUMMARY | {"rules": SUMMARY["rules"] | {"extra": 2}})
    assert [r["kind"] for r in data["rules"]] == [*SUMMARY["rules"]["in_force"], "parameters"]
    params = {r["kind"]: [(p["name"], p["value"]) for p in r["params"]] for r in data["rules"]}
    assert params["group_size"] == [("min_size", "5"), ("max_size", "15")]
    assert params["maturity_spread"] == [("max_maturity_spread", "25")]
    assert params["shared_theme"] == [] and params["parameters"] == [("extra", "2")]
    text = text_of(html)
    assert "smallest group = 5" in text and "largest spread (points) = 25" in text


# --- the HTML -------------------------------------------------------------------------------------


def test_summary_at_the_top(html):
    summary = html[html.index('id="summary"') : html.index('id="groups"')]
    assert "feasible (not proven optimal)" in summary
    assert "1.13 %" in summary
    assert "10 of 11 companies" in summary
    assert re.search(r'data-key="groups"><dt>Groups</dt><dd>2</dd>', summary)
    assert re.search(r'data-key="unassigned"><dt>Unassigned</dt><dd>1</dd>', summary)


def test_every_group_has_a_card_with_every_member(problem, grouping, html):
    cards = re.findall(r'<article class="card group-card" id="[^"]+" data-group="([^"]+)"', html)
    assert cards == ["G1", "G2"]
    for group in grouping.groups:
        card = html[html.index(f'data-group="{group.group_id}"') :]
        for cid in group.members:
            assert f'<tr class="member" data-company="{cid}" data-name=' in card
            assert f'<details class="why-member" data-company="{cid}">' in card


def test_unassigned_companies_with_their_reasons(html):
    section = html[html.index('id="unassigned"') : html.index('id="conflicts"')]
    row = re.search(r'data-company="U1">(.*?)</tr>', section, re.DOTALL)
    assert row and "Oy U1" in row[1]
    assert "no other company within 25 points" in row[1]


def test_a_script_name_shows_as_text(html):
    assert SCRIPT not in html
    assert ESCAPED_SCRIPT in html
    assert "<script" not in html.lower()


def test_text_in_the_svg_is_escaped():
    """Company ids are drawn in the conflict picture: matplotlib must escape them."""
    evil = "<b>x</b>&"
    problem = Problem(
        companies=[company(evil, 40, "erp"), company("C2", 41, "erp")],
        relations=[Relation(company_a=evil, company_b="C2", kind="conflict")],
    )
    svg = conflict_picture(problem, Grouping(), unassigned_label="<i>none</i>")
    assert "&lt;b&gt;x&lt;/b&gt;&amp;" in svg and "<b>" not in svg
    assert "&lt;i&gt;none&lt;/i&gt;" in svg and "<i>" not in svg
    html = render_report(problem, Grouping(), {}, violations=[f"{evil} breaks <rule>"])
    assert "<b>" not in html and "<rule>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;&amp; breaks &lt;rule&gt;" in html


def test_no_external_address_anywhere(html):
    for needle in ("http://", "https://", "//cdn", "<link", "<img", "<script", "@import"):
        assert needle not in html.lower()
    assert not re.search(r"\bsrc=", html)
    assert all(ref.startswith("#") for ref in re.findall(r"url\(([^)]*)\)", html))
    assert not re.search(r'href="(?!#)', html), "only in-page links"


def test_svg_ids_are_unique_in_the_page(html):
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r'(?:href="|url\()#([^")]+)', html):
        assert ref in ids


def test_why_here_in_the_html(html):
    a1 = html[html.index('<details class="why-member" data-company="A1">') :]
    a1 = a1[: a1.index("</details>")]
    assert "theme is its 2nd goal" in a1
    assert "20.0 points above the others&#39; highest (50.0)" in a1
    assert "the spread limit allows 25.0\u201365.0" in a1
    assert re.search(r'data-company="B1">Oy B1 .*competitor.*in group G2', a1)
    assert '<li class="theme-goal">ERP renewal and integration' in a1
    a2 = html[html.index('<details class="why-member" data-company="A2">') :]
    a2 = a2[: a2.index("</details>")]
    assert "Soft relations in this group" in a2 and "customer or supplier" in a2


def test_a_hard_pair_in_one_group_is_flagged(problem):
    edited = Grouping(
        groups=(Group(group_id="G1", theme="erp", members=("A1", "A2", "A3", "A4", "U1")),),
        unassigned=tuple(
            Unassigned(company_id=c, reason="moved") for c in ("A5", "B1", "B2", "B3", "B4", "B5")
        ),
    )
    data = report_data(problem, edited, {})
    (kept,) = member(data, "G1", "A4")["why"]["kept_apart"]
    assert kept["same_group"] and member(data, "G1", "A4")["why"]["broken"]
    html = render_report(problem, edited, {}, violations=["A4 and U1 must not share a group"])
    assert '<details class="why-member broken" data-company="A4">' in html
    assert "IN THE SAME GROUP" in html
    assert 'id="violations"' in html and "A4 and U1 must not share a group" in html
    assert "#d62728" in html  # the pair drawn red in the conflict picture


def test_no_violations_section_without_violations(html):
    assert 'id="violations"' not in html


def test_groups_in_natural_order_with_unique_anchors(problem):
    groups = (
        Group(group_id="G10", theme="erp", members=("A1",)),
        Group(group_id="G2", theme="erp", members=("A2",)),
        Group(group_id="H x", theme="erp", members=("A3",)),
        Group(group_id="H_x", theme="erp", members=("A4",)),
        Group(group_id="G1", theme="erp", members=("A5",)),
    )
    data = report_data(problem, Grouping(groups=groups), {})
    assert [c["group_id"] for c in data["groups"]] == ["G1", "G2", "G10", "H x", "H_x"]
    anchors = [c["anchor"] for c in data["groups"]]
    assert anchors == ["group-G1", "group-G2", "group-G10", "group-H_x", "group-H_x-2"]


def test_an_unknown_member_is_shown_not_fatal(problem):
    edited = Grouping(groups=(Group(group_id="G9", theme="erp", members=("A2", "ZZ")),))
    html = render_report(problem, edited, {})
    assert "ZZ" in html and "not an input company" in html


def test_empty_plan_renders(problem):
    html = render_report(problem, Grouping(), {})
    assert "Groups (0)" in html and 'class="card group-card"' not in html


# --- languages ----------------------------------------------------------------------------------


def test_both_label_sets_are_complete_and_match():
    assert set(LABELS) == {"en", "fi"}
    assert LABELS["en"].keys() == LABELS["fi"].keys()
    for key in LABELS["en"]:
        fields = [
            {f for _, f, _, _ in Formatter().parse(LABELS[lang][key]) if f} for lang in LABELS
        ]
        assert fields[0] == fields[1], key
        assert all(LABELS[lang][key].strip() for lang in LABELS), key
    differ = [k for k in LABELS["en"] if LABELS["en"][k] != LABELS["fi"][k]]
    assert len(differ) > 0.9 * len(LABELS["en"])


def test_every_role_mode_and_status_has_a_label():
    from peergroups.model import Mode, RelationKind
    from peergroups.roles import Role

    keys = {f"role_{r}" for r in Role} | {f"mode_{m}" for m in Mode}
    keys |= {f"rel_{k}" for k in RelationKind}
    keys |= {f"status_{s}" for s in ("optimal", "feasible", "infeasible", "unknown")}
    keys |= {"status_interrupted", "lang_fi", "lang_sv", "lang_en"}
    assert keys <= LABELS["en"].keys()


def test_finnish_report_uses_finnish_words_names_and_numbers(problem, grouping, html):
    fi = render_report(problem, grouping, SUMMARY, lang="fi")
    assert fi != html
    assert '<html lang="fi">' in fi and '<html lang="en">' in html
    for key in ("title", "why_here", "unassigned_heading", "facilitator", "rules_in_force"):
        assert LABELS["fi"][key] in fi and LABELS["en"][key] not in fi
        assert LABELS["en"][key] in html
    assert "Toiminnanohjausjärjestelmä (ERP)" in fi  # theme name_fi
    assert "teema on sen 2. tavoite" in fi
    assert "20,0 pistettä muiden ylimmän (50,0) yläpuolella" in fi
    assert "1,13 %" in fi


def test_ranks_and_numbers_in_both_languages():
    en, fi = Labels("en"), Labels("fi")
    assert [en.rank(i) for i in range(5)] == [
        "primary goal",
        "2nd goal",
        "3rd goal",
        "4th goal",
        "5th goal",
    ]
    assert fi.rank(0) == "ensisijainen tavoite" and fi.rank(3) == "4. tavoite"
    assert en.number(37.25, 1) == "37.2" and fi.number(37.25, 1) == "37,2"
    with pytest.raises(ValueError, match="sv"):
        Labels("sv")


def test_region_names_follow_the_language(problem):
    group = Grouping(groups=(Group(group_id="G1", theme="erp", members=("A1",)),))
    regions = {
        lang: member(report_data(problem, group, {}, lang=lang), "G1", "A1")["region_name"]
        for lang in ("en", "fi")
    }
    assert regions == {"en": "Uusimaa", "fi": "Uusimaa"}
    problem_sw = Problem(companies=[company("S1", 40, "erp", region="MK02")])
    group = Grouping(groups=(Group(group_id="G1", theme="erp", members=("S1",)),))
    names = [
        member(report_data(problem_sw, group, {}, lang=lang), "G1", "S1")["region_name"]
        for lang in ("en", "fi")
    ]
    assert names == ["Southwest Finland", "Varsinais-Suomi"]


# --- figures and determinism ------------------------------------------------------------------


def test_figures_are_inline_svg_without_addresses():
    strip = maturity_strip([40.0, 45.0, 50.0], (40.0, 50.0), 25.0)
    assert strip.startswith("<svg") and strip.rstrip().endswith("</svg>")
    assert "http" not in strip and "<?xml" not in strip and "<metadata" not in strip
    assert strip == maturity_strip([40.0, 45.0, 50.0], (40.0, 50.0), 25.0)
    assert strip != maturity_strip([40.0, 45.0, 50.0], (40.0, 50.0), None)


def test_scope_ids_prefixes_ids_and_references():
    svg = '<svg><defs><path id="m1"/><clipPath id="p1"/></defs><use xlink:href="#m1"/>'
    svg += '<path clip-path="url(#p1)" style="fill: #555555"/></svg>'
    scoped = scope_ids(svg, "x")
    assert 'id="x-m1"' in scoped and 'href="#x-m1"' in scoped and "url(#x-p1)" in scoped
    assert "#555555" in scoped


def test_same_inputs_same_bytes(problem, grouping, tmp_path, html):
    assert render_report(problem, grouping, SUMMARY) == html
    write_report(tmp_path / "a.html", problem, grouping, SUMMARY, lang="fi")
    write_report(tmp_path / "b.html", problem, grouping, SUMMARY, lang="fi")
    assert (tmp_path / "a.html").read_bytes() == (tmp_path / "b.html").read_bytes()


# --- the shipped sample -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample():
    problem = read_problem(
        SAMPLE / "companies.csv", SAMPLE / "relations.csv", SAMPLE / "facilitators.csv"
    )
    result = solve(problem, Scenario.default().with_solver(time_limit=5, workers=2))
    summary = result.summary()
    return problem, result.grouping, summary, render_report(problem, result.grouping, summary)


def test_sample_report_has_every_group_and_every_company(sample):
    problem, grouping, _, html = sample
    cards = re.findall(r'class="card group-card" id="[^"]+" data-group="([^"]+)"', html)
    assert sorted(cards) == sorted(g.group_id for g in grouping.groups)
    members = re.findall(r'<tr class="member" data-company="([^"]+)"', html)
    left_out = re.findall(r'<tr class="unassigned-company" data-company="([^"]+)"', html)
    assert sorted(members + left_out) == sorted(c.company_id for c in problem.companies)
    for entry in grouping.unassigned:
        row = html[
            html.index(f'<tr class="unassigned-company" data-company="{entry.company_id}"') :
        ]
        row = row[: row.index("</tr>")]
        reason = entry.reason.replace("'", "&#39;").replace('"', "&#34;")
        assert reason in row


def test_no_key_of_the_report_data_hides_a_dict_method(sample):
    # The report's Jinja environment looks a dict's key up before its attributes
    # (`html._DataEnvironment`): a key named like a dict method would hide the method.
    problem, grouping, summary, _ = sample
    methods = {name for name in dir(dict) if not name.startswith("_")}

    def keys(value):
        if isinstance(value, dict):
            yield from value
            for inner in value.values():
                yield from keys(inner)
        elif isinstance(value, list | tuple):
            for inner in value:
                yield from keys(inner)

    found = set(keys(report_data(problem, grouping, summary)))
    assert len(found) > 50 and not found & methods


def test_sample_report_is_self_contained_and_modest(sample):
    html = sample[3]
    assert "http://" not in html and "https://" not in html and "<script" not in html
    assert html.count("<svg") == len(sample[1].groups) + 1  # strips + conflict picture
    assert len(html.encode("utf-8")) < 1_000_000


def test_sample_report_is_deterministic(sample):
    problem, grouping, summary, html = sample
    assert render_report(problem, grouping, summary) == html


RENDER = """
import json, sys
sys.path.insert(0, sys.argv[1])
from peergroups.model import Grouping, Problem
from peergroups.report import render_report
for case in json.loads(open(sys.argv[2], encoding="utf-8").read()):
    problem = Problem.model_validate_json(case["problem"])
    grouping = Grouping.model_validate_json(case["grouping"])
    html = render_report(problem, grouping, case["summary"], lang=case["lang"])
    sys.stdout.buffer.write(html.encode("utf-8") + b"\\0")
"""


def test_same_bytes_in_another_process(tmp_path, problem, grouping, html, sample):
    """A fresh interpreter with another hash seed (so other set orders) renders the same
    bytes, for the hand-built plan and for the sample (whose conflict graph has clusters)."""
    cases = [(problem, grouping, SUMMARY, "en", html), (*sample[:3], "en", sample[3])]
    inputs = [
        {
            "problem": p.model_dump_json(),
            "grouping": g.model_dump_json(),
            "summary": s,
            "lang": lang,
        }
        for p, g, s, lang, _ in cases
    ]
    (tmp_path / "inputs.json").write_text(json.dumps(inputs), encoding="utf-8")
    (tmp_path / "render.py").write_text(RENDER, encoding="utf-8")
    seed = "2" if os.environ.get("PYTHONHASHSEED") == "1" else "1"  # not this process's
    run = subprocess.run(
        [sys.executable, tmp_path / "render.py", str(ROOT), tmp_path / "inputs.json"],
        capture_output=True,
        env=os.environ | {"PYTHONHASHSEED": seed},
        check=True,
    )
    assert run.stdout.split(b"\0")[:-1] == [known.encode("utf-8") for *_, known in cases]


# --- an edited plan, broken rows, rules that do not act, the conflict picture ---------------------


def test_an_edited_plan_says_so_instead_of_the_solvers_status_and_gap(problem, grouping):
    review = {"reviewer": "Anna", "saved_at": "2026-11-29T06:00:00+00:00"}
    edited = SUMMARY | {"edited": True, "review": review}
    data = report_data(problem, grouping, edited)
    assert data["summary"]["status_label"] == (
        "edited by hand (the solver's plan was feasible (not proven optimal))"
    )
    assert data["summary"]["gap_text"] == "n/a"
    html = render_report(problem, grouping, edited)
    marker = html[html.index('class="edited-marker"') :]
    assert "Edited: this plan was changed by hand" in marker.split("</p>")[0]
    assert "Reviewer: Anna." in marker.split("</p>")[0]
    assert 'class="edited-marker"' not in render_report(problem, grouping, SUMMARY)
    finnish = report_data(problem, grouping, edited, lang="fi")["summary"]
    assert finnish["status_label"].startswith("muokattu käsin")


def test_a_broken_group_shows_the_rule_and_marks_the_company_that_breaks_it(problem, grouping):
    broken = ["G1: maturity spread 30.0 exceeds 25 (A2 40, A1 70) [maturity_spread]"]
    data = report_data(problem, grouping, SUMMARY, broken)
    g1 = next(c for c in data["groups"] if c["group_id"] == "G1")
    assert g1["violations"] == ["maturity spread 30.0 exceeds 25 (A2 40, A1 70)"]
    assert member(data, "G1", "A1")["breaks"] == g1["violations"]
    assert member(data, "G1", "A3")["breaks"] == []
    assert next(c for c in data["groups"] if c["group_id"] == "G2")["violations"] == []
    html = render_report(problem, grouping, SUMMARY, broken)
    card = html[html.index('data-group="G1"') : html.index('data-group="G2"')]
    assert "has-violations" in html[: html.index('data-group="G1"')].rsplit("<article", 1)[1]
    assert '<tr class="member breaks" data-company="A1"' in card
    assert '<tr class="member" data-company="A3"' in card
    assert "This group breaks a rule" in card
    # In a Finnish report, in Finnish, and still marking the company that breaks it.
    finnish = report_data(problem, grouping, SUMMARY, broken, lang="fi")
    g1 = next(c for c in finnish["groups"] if c["group_id"] == "G1")
    assert g1["violations"] == ["digikypsyyden hajonta 30.0 ylittää rajan 25 (A2 40, A1 70)"]
    assert member(finnish, "G1", "A1")["breaks"] == g1["violations"]
    assert finnish["violations"] == [f"G1: {g1['violations'][0]} [maturity_spread]"]


def test_the_rules_table_leaves_out_rules_that_do_not_act_on_the_plan(grouping):
    # What acts is the rules' own word, written into summary.json with the plan.
    companies = build_problem().companies
    alone = Problem(companies=companies)  # no facilitators, no history, no groups meeting now
    scenario = Scenario.default()
    written = {"scenario": scenario.to_dict(), "labels": scenario.labels(alone)}
    kinds = [r["kind"] for r in report_data(alone, grouping, SUMMARY | written)["rules"]]
    assert not [k for k in kinds if k.startswith("facilitator_")]
    assert "continuity" not in kinds and "repeat_pairs" not in kinds
    repairing = Problem(companies=companies, current=grouping.groups)
    repaired = SUMMARY | written | {"labels": scenario.labels(repairing)}
    kinds = [r["kind"] for r in report_data(repairing, grouping, repaired)["rules"]]
    assert "continuity" in kinds and "fill_first" in kinds


def test_group_colours_are_told_apart_from_each_other_and_from_the_unassigned_grey():
    def rgb(colour: str) -> tuple[int, ...]:
        return tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))

    colours = [*PALETTE, UNASSIGNED]
    nearest = min(
        sum((a - b) ** 2 for a, b in zip(rgb(x), rgb(y), strict=True)) ** 0.5
        for i, x in enumerate(colours)
        for y in colours[i + 1 :]
    )
    assert len(set(PALETTE)) == len(PALETTE) and nearest > 50


def test_the_conflict_picture_names_its_nodes_and_keeps_its_legend_whole(problem, grouping):
    svg = conflict_picture(problem, grouping, "sijoittamatta")
    assert "A1 Oy A1" in svg  # the id and the name
    assert "sijoittamatta" in svg and "G1" in svg
    width = float(re.search(r'<svg[^>]*width="([\d.]+)pt"', svg)[1])
    # every text's x lies inside the canvas (the legend was cut at the right edge)
    xs = [float(x) for x in re.findall(r'<text[^>]*\bx="([\d.-]+)"', svg)]
    transforms = re.findall(r"translate\(([\d.-]+)", svg)
    assert all(float(x) < width for x in xs + transforms)
    assert node_label("C1", "A very long company name Oy") == "C1 A very long c\u2026"


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_a_very_large_plan_shows_its_first_groups_and_points_to_the_csvs(
    problem, grouping, lang, monkeypatch
):
    data = report_data(problem, grouping, SUMMARY, lang=lang, shown=1)
    assert [card["group_id"] for card in data["groups"]] == ["G1"]
    assert data["more"] == {"groups": 1, "unassigned": 0}
    assert "groups.csv" not in render_report(problem, grouping, SUMMARY, lang=lang)

    monkeypatch.setattr(html_module, "SHOWN", 1)  # as if the plan had thousands of groups
    shown = render_report(problem, grouping, SUMMARY, lang=lang)
    assert 'data-group="G2"' not in shown and "groups.csv" in shown
    assert f"({len(grouping.groups)})" in text_of(shown)  # the heading counts every group


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_a_summarised_report_draws_no_picture_and_names_few_conflicting_companies(
    problem, grouping, lang, monkeypatch
):
    full = render_report(problem, grouping, SUMMARY, lang=lang)
    assert 'class="conflict-picture"' in full and "hints-skipped" not in full
    assert "conflicts-summarised" not in full

    monkeypatch.setattr(html_module, "SHOWN_SUMMARISED", 1)  # as if it had 100,000 companies
    summary = SUMMARY | {"hints": False}  # a run that sought no hints says so
    short = render_report(problem, grouping, summary, lang=lang, full=False)
    labels = Labels(lang)
    assert 'class="conflict-picture"' not in short
    text = html_lib.unescape(text_of(short))
    assert labels["conflicts_summarised"] in text and labels["hints_skipped"] in text
    # two clusters of two (A1-B1, A4-U1): the first names one member, the other none
    listed = re.search(r'<ul class="component-list">(.*?)</ul>', short, re.S)[1]
    assert re.findall(r'class="id">(\w+)<', listed) == ["A1"]
    assert labels("members_unnamed", count=1) in listed
    assert labels("components_unlisted", count=1, companies=2) in text
    assert f"{labels['components']} (2)" in text
    # what the picture's section holds besides it stays; the cards are fewer
    assert 'class="most-conflicted"' in short
    assert 'data-group="G1"' in short and 'data-group="G2"' not in short
