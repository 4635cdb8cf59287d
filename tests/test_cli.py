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
         "2024-08-01 送达，期限两个月，届满日 2024-10-01 为国庆节假日，顺延至 2024-10-08。"),
        (["--served", "2024-09-16", "--urgent"], "2024-10-08", None),
        (["--served", "2026-06-01", "--days", "10"], "2026-06-11", "2026-06-01 送达，期限10日，届满日为 2026-06-11。"),
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
    assert "已录入 2027 年节假日安排 1 天" in imported.stdout
    assert (
        run_hub("deadline", "--served", "2026-12-01", db=db).stdout.splitlines()[0] == "2027-02-01"
    )
