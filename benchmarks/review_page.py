"""How fast the review page answers, measured in Chromium (a benchmark, not a test).

On `peergroups generate N --seed S` solved with a short limit, starts `peergroups review`,
opens its link in Debian's chromium (playwright) and measures:

- page ready: from the request of the link to the page's script having run on the whole
  page (`performance.now()` at that moment: the navigation, the token's redirect, the HTML,
  the style and script, and the parse of every group card), over `--loads` loads;
- move verdict: from a move's click to the verdict painted on screen (the server's check of
  every rule, its answer, the changed cards replaced, two animation frames), for `--moves`
  moves of random companies to random groups of a theme among their goals (seeded), keyboard
  path ("select, move to ...").

    python benchmarks/review_page.py            # n=1000, seed 1, 50 moves
    python benchmarks/review_page.py --n 150 --moves 20

Prints a Markdown table with the median and the 90th percentile of each.
"""

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

COMMAND = [sys.executable, "-c", "import cli; cli.main()"]

MOVE = """async ([company, target]) => {
    const painted = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    const row = document.querySelector(`tr.member[data-company="${company}"]`);
    row.focus();
    row.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true}));
    document.querySelector('#move-target').value = target;
    const verdict = new Promise(r => document.addEventListener('verdict', r, {once: true}));
    const started = performance.now();
    document.querySelector('#move-button').click();
    await verdict;
    const answered = performance.getEntriesByType('resource')
        .filter(e => e.name.endsWith('/api/move')).pop();
    const applied = performance.now() - started;
    await painted();
    performance.clearResourceTimings();
    return [performance.now() - started, answered.responseEnd - answered.startTime, applied];
}"""


def run(*args: object, cwd: Path = ROOT) -> None:
    subprocess.run([*COMMAND, *map(str, args)], cwd=cwd, check=True, capture_output=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=20)
    parser.add_argument("--moves", type=int, default=50)
    parser.add_argument("--loads", type=int, default=5)
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        run("generate", options.n, "--seed", options.seed, "--out", work / "in")
        run(
            "form-groups", work / "in" / "companies.csv",
            "--relations", work / "in" / "relations.csv",
            "--facilitators", work / "in" / "facilitators.csv",
            "--time-limit", options.time_limit, "--out", work / "plan", "--quiet",
        )  # fmt: skip
        server = subprocess.Popen(
            [*COMMAND, "review", str(work / "plan"), "--port", "0"],
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
                ready, wall = [], []
                for _ in range(options.loads):
                    context = browser.new_context(viewport={"width": 1400, "height": 1000})
                    page = context.new_page()
                    started = time.perf_counter()
                    page.goto(url)
                    page.wait_for_selector("body[data-ready=true]")
                    wall.append(1000 * (time.perf_counter() - started))
                    ready.append(float(page.get_attribute("body", "data-ready-ms")))
                    context.close()
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url)
                page.wait_for_selector("body[data-ready=true]")
                plan = page.evaluate(
                    """() => [...document.querySelectorAll('article.group-card')].map(card => ({
                        group: card.dataset.group, theme: card.dataset.theme,
                        members: [...card.querySelectorAll('tr.member')].map(r => [
                            r.dataset.company,
                            [...card.querySelectorAll(`details.why-member[data-company="${r.dataset.company}"] ol.goals .id`)].map(e => e.textContent)])}))"""  # noqa: E501
                )
                rng = random.Random(options.seed)
                where = {cid: card["group"] for card in plan for cid, _ in card["members"]}
                goals = {cid: g for card in plan for cid, g in card["members"]}
                themes = {card["group"]: card["theme"] for card in plan}
                verdicts, answers, applied = [], [], []
                while len(verdicts) < options.moves:
                    company = rng.choice(sorted(where))
                    targets = [
                        g for g, t in themes.items() if t in goals[company] and g != where[company]
                    ]
                    if not targets:
                        continue
                    target = rng.choice(sorted(targets))
                    total, answer, dom = page.evaluate(MOVE, [company, target])
                    verdicts.append(total)
                    answers.append(answer)
                    applied.append(dom)
                    where[company] = target
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    rows = [
        ("page ready (in page, ms)", ready),
        ("page ready (wall clock, ms)", wall),
        ("move verdict on screen (ms)", verdicts),
        ("  of which the server's answer (ms)", answers),
        ("  of which the answer applied to the page (ms)", applied),
    ]
    print(f"Review page, n={options.n} seed {options.seed}, {machine}.\n")
    print("| measure | runs | median | p90 | max |")
    print("| --- | --- | --- | --- | --- |")
    for name, values in rows:
        print(
            f"| {name} | {len(values)} | {statistics.median(values):.0f} | "
            f"{percentile(values, 0.9):.0f} | {max(values):.0f} |"
        )
    print("\n" + json.dumps({name: values for name, values in rows}))


if __name__ == "__main__":
    main()
