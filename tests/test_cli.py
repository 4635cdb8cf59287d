"""The ``hub`` command as an operator runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

HUB = [sys.executable, "-m", "hub.cli"]


def run_hub(*args: str, db: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HUB_DATABASE_URL": f"sqlite://{db}"}
    return subprocess.run(
        [*HUB, *args], capture_output=True, text=True, env=env, check=check, timeout=120
    )


@pytest.mark.parametrize(
    ("args", "first_line", "explanation"),
    [
        (["--served", "2024-08-01"], "2024-10-08",
         "2024年8月1日送达，期限两个月，届满日2024年10月1日为国庆节假日，顺延至2024年10月8日。"),
        (["--served", "2024-09-16", "--urgent"], "2024-10-08", None),
        (["--served", "2026-06-01", "--days", "10"], "2026-06-11", "2026年6月1日送达，期限10日，届满日为2026年6月11日。"),
        (["--served", "2025-12-15", "--months", "2"], "2026-02-24", None),
        (["--served", "2026-12-01"], "2027-02-01 provisional", None),
    ],
)  # fmt: skip
def test_deadline_prints_date_then_explanation(
    tmp_path: Path, args: list[str], first_line: str, explanation: str | None
) -> None:
    out = run_hub("deadline", *args, db=tmp_path / "absent.sqlite3").stdout.splitlines()
    assert out[0] == first_line
    if explanation:
        assert out[1] == explanation
    assert len(out) == 2


def test_deadline_rejects_a_bad_date(tmp_path: Path) -> None:
    result = run_hub("deadline", "--served", "2024-13-01", db=tmp_path / "x.sqlite3", check=False)
    assert result.returncode == 2
    assert "不是 YYYY-MM-DD 格式的日期" in result.stderr


@pytest.mark.parametrize(
    ("args", "first_line", "explanation"),
    [
        (["--served", "2026-06-01", "--rule", "jy_2m"], "2026-08-03",
         "2026年6月1日送达，期限两个月，届满日2026年8月1日为周末，顺延至2026年8月3日。"),
        (["--served", "2024-09-16", "--rule", "ji21_15d"], "2024-10-08",
         "2024年9月16日送达，期限15日，届满日2024年10月1日为国庆节假日，顺延至2024年10月8日。"),
        (["--served", "2026-12-01T22:30+08:00", "--rule", "ys_transfer_24h"], "2026-12-02T22:30:00+08:00",
         "2026年12月1日 22:30送达，期限24小时，届满时刻为2026年12月2日 22:30。"),
        # Without an offset the instant is Asia/Shanghai time; a UTC one is shown at +08:00.
        (["--served", "2026-12-01T22:30", "--rule", "ys_transfer_24h"], "2026-12-02T22:30:00+08:00", None),
        (["--served", "2026-12-01T14:30Z", "--rule", "ys_transfer_24h"], "2026-12-02T22:30:00+08:00", None),
        (["--served", "2026-09-28", "--rule", "consultation_answer_10wd"], "2026-10-16",
         "2026年9月28日送达，期限10个工作日，届满日为2026年10月16日。"),
        (["--served", "2024-09-16", "--rule", "jy_custom", "--days", "20"], "2024-10-08", None),
        (["--served", "2026-11-16", "--rule", "ji21_2m"], "2027-01-18 provisional", None),
    ],
)  # fmt: skip
def test_deadline_by_rule(
    tmp_path: Path, args: list[str], first_line: str, explanation: str | None
) -> None:
    out = run_hub("deadline", *args, db=tmp_path / "absent.sqlite3").stdout.splitlines()
    assert out[0] == first_line
    if explanation:
        assert out[1] == explanation
    assert len(out) == 2


def test_deadline_rejects_an_unknown_rule(tmp_path: Path) -> None:
    result = run_hub(
        "deadline", "--served", "2026-06-01", "--rule", "statutory_2m",
        db=tmp_path / "x.sqlite3", check=False,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stdout == ""
    assert "没有期限规则 statutory_2m；可用的规则：ji21_2m、ji21_15d、jy_2m、" in result.stderr
    assert "custom_days" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--served", "2026-12-01", "--rule", "ys_transfer_24h"], "须给出带时区的起算时刻"),
        (["--served", "2026-06-01", "--rule", "jy_custom"], "规则 jy_custom 须设定期限"),
        (["--served", "2026-06-01", "--rule", "jy_custom", "--months", "3"], "最长为两个月"),
        (["--served", "2026-06-01", "--rule", "jy_2m", "--days", "10"], "不能自定义"),
        (["--served", "2026-06-01", "--rule", "jy_2m", "--urgent"], "--urgent 不能与 --rule 同时使用"),
        (["--served", "2026-12-01T22:30"], "只有按小时计算的规则"),
        (["--served", "2026-12-01T25:30", "--rule", "ys_transfer_24h"], "不是 YYYY-MM-DD 格式的日期"),
    ],
)  # fmt: skip
def test_deadline_by_rule_refusals(tmp_path: Path, args: list[str], message: str) -> None:
    result = run_hub("deadline", *args, db=tmp_path / "x.sqlite3", check=False)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == "" and "Traceback" not in result.stderr


def test_migrate_demo_token_and_calendar(tmp_path: Path) -> None:
    db = tmp_path / "hub.sqlite3"
    run_hub("migrate", db=db)
    demo = run_hub("demo", db=db)
    assert "已加载演示数据：35 个单位" in demo.stdout
    assert "liaison_ecology_env" in demo.stdout
    again = run_hub("demo", db=db, check=False)
    assert again.returncode == 1  # refuses to load twice
    assert run_hub("demo", "--if-empty", db=db).returncode == 0

    token = run_hub("token", "create", "--unit", "ecology_env", "--name", "12345 热线", db=db)
    secret = token.stdout.strip()
    assert secret.startswith("hub_") and len(secret) > 40
    assert "只显示这一次" in token.stderr
    import sqlite3

    with sqlite3.connect(db) as conn:
        stored = conn.execute("SELECT token_hash, role FROM api_token").fetchall()
    assert len(stored) == 1 and secret not in stored[0][0] and stored[0][1] == "unit_liaison"
    unknown = run_hub("token", "create", "--unit", "nope", "--name", "x", db=db, check=False)
    assert unknown.returncode == 2 and "没有代码为 nope 的单位" in unknown.stderr

    holidays = tmp_path / "2027.json"
    holidays.write_text(json.dumps({"year": 2027, "source": "测试", "days": [
        {"day": "2027-01-01", "workday": False, "name": "元旦"}]}), "utf-8")  # fmt: skip
    imported = run_hub("calendar", "import", str(holidays), db=db)
    assert "已录入 2027 年节假日安排 1 日" in imported.stdout
    assert (
        run_hub("deadline", "--served", "2026-12-01", db=db).stdout.splitlines()[0] == "2027-02-01"
    )


def test_export_ledger_as_the_office_and_as_one_unit(tmp_path: Path) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    db = tmp_path / "hub.sqlite3"
    run_hub("migrate", db=db)
    run_hub("demo", db=db)
    office, unit = tmp_path / "office.xlsx", tmp_path / "ecology.xlsx"
    args = ("--from", "2026-01-01", "--to", "2026-12-31", "--kinds", "recommendation")
    done = run_hub("export", "ledger", "--out", str(office), *args, db=db)
    assert done.stdout.startswith(f"已导出 {office}") and "行" in done.stdout
    run_hub("export", "ledger", "--out", str(unit), *args, "--unit", "ecology_env", db=db)

    def addressees(path: Path) -> list[str]:
        book = load_workbook(path, read_only=True)
        sheet = next(s for s in book.worksheets if s.title.startswith("检察建议"))
        rows = list(sheet.iter_rows(values_only=True))
        column = rows[0].index("被建议单位")
        return [str(r[column]) for r in rows[1:] if r[column] is not None]

    everything, own = addressees(office), addressees(unit)
    assert len(set(everything)) > 1
    assert own and set(own) == {"市生态环境局"}
    assert len(own) == everything.count("市生态环境局")

    bad = run_hub("export", "ledger", "--out", str(office), "--kinds", "nope", db=db, check=False)
    assert (
        bad.returncode == 2 and "没有这类案件：nope" in bad.stderr and "Traceback" not in bad.stderr
    )
    unknown = run_hub("export", "ledger", "--out", str(unit), "--unit", "nope", db=db, check=False)
    assert unknown.returncode == 2 and "没有代码为 nope 的单位" in unknown.stderr
