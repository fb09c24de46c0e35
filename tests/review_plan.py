"""Shared by the review tests: the sample solved briefly, and a review opened on it through
the real `peergroups review` command (its server captured instead of served)."""

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from peergroups.review import Served

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "datasets" / "sample"


def solve_sample(out: Path) -> Path:
    """The sample (150 companies) solved in 2 s by `form-groups`."""
    args = [
        SAMPLE / "companies.csv",
        "--relations",
        SAMPLE / "relations.csv",
        "--facilitators",
        SAMPLE / "facilitators.csv",
        "--out",
        out,
        "--time-limit",
        "2",
        "--workers",
        "2",
        "--quiet",
    ]
    result = CliRunner().invoke(cli.form_groups_command, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return out


def fresh_copy(plan: Path, directory: Path) -> Path:
    """A copy of a solved plan that a test may review and change."""
    target = directory / "plan"
    shutil.copytree(plan, target)
    return target


def open_review(plan: Path, *options: str, monkeypatch: pytest.MonkeyPatch) -> Served:
    """Run `peergroups review PLAN` as a user would, but keep its server instead of serving."""
    captured: list[Served] = []
    monkeypatch.setattr(cli, "serve", captured.append)
    result = CliRunner().invoke(cli.main, ["review", str(plan), *options])
    assert result.exit_code == 0, result.output
    (served,) = captured
    served.sock.close()  # the in-process client needs no socket
    served.printed = result.stdout  # type: ignore[attr-defined]
    served.said = result.stderr  # type: ignore[attr-defined]
    return served


def maturity_breaking_move(served: Served) -> tuple[str, str, str]:
    """(company, its group, another group of a theme among its goals) such that the move
    breaks the maturity spread there: the company lies far outside that group's band."""
    review = served.server.review
    problem = review.problem
    spread = served.server.summary["rules"]["max_maturity_spread"]
    best = None
    for source in review.groups.values():
        for cid in source.members:
            company = problem.by_id[cid]
            for target in review.groups.values():
                if target.group_id == source.group_id or target.theme not in company.goals:
                    continue
                values = [problem.by_id[m].maturity for m in target.members]
                wider = max(max(values), company.maturity) - min(min(values), company.maturity)
                if wider > spread + 5 and (best is None or wider > best[0]):
                    best = (wider, cid, source.group_id, target.group_id)
    assert best is not None, "the sample has no move that breaks the maturity spread"
    return best[1], best[2], best[3]
