"""Exit status for partial rounds (issue 13): `--require-all` exits 4 when some company is
unassigned (the plan is still written), 0 when everyone is placed; when nobody fits, the
message names the rule that blocks most companies."""

from tests.test_cli import FIVE, PLAN_FILES, QUICK, THREE, invoke, summary_of


def test_require_all_exits_4_with_someone_unassigned_and_still_writes_the_plan(tmp_path):
    # Six companies, groups of 5: one is always left out.
    six = tmp_path / "six.csv"
    six.write_text(
        FIVE.read_text(encoding="utf-8") + "K6,Lasi Mäki Oy,50,ceo,erp\n", encoding="utf-8"
    )
    out = tmp_path / "plan"
    shown = invoke("form-groups", six, "--out", out, "--max-size", "5", *QUICK, expect=0)
    assert summary_of(out)["unassigned"] == 1
    again = invoke(
        "form-groups", six, "--out", out, "--max-size", "5", "--require-all", *QUICK, expect=4
    )
    assert "1 company is unassigned (--require-all)" in again.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(PLAN_FILES)
    assert "Error" not in shown.stderr


def test_require_all_with_everyone_placed_exits_0(tmp_path):
    out = tmp_path / "plan"
    invoke("form-groups", FIVE, "--out", out, "--require-all", *QUICK, expect=0)
    assert summary_of(out)["unassigned"] == 0


def test_nobody_placed_names_the_rule_that_blocks_most_companies(tmp_path):
    # Three companies, groups of at least 5: group size blocks all three. With groups of 3
    # and a 4-point spread (40, 45, 50 are 10 apart), the spread blocks them instead.
    out = tmp_path / "plan"
    shown = invoke("form-groups", THREE, "--out", out, *QUICK, expect=3)
    assert "The rule that blocks most companies: group_size (3 of 3)" in shown.stderr
    assert summary_of(out)["blocked_by"] == {"group_size": 3}
    spread = invoke(
        "form-groups",
        THREE,
        "--out",
        out,
        "--min-size",
        "3",
        "--max-spread",
        "4",
        *QUICK,
        expect=3,
    )
    assert "The rule that blocks most companies: maturity_spread (3 of 3)" in spread.stderr
