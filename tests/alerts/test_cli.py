"""`hub alerts run-once` on the embedded default: no SMTP, alerts are kept in the outbox."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from pathlib import Path

from tests.test_cli import run_hub


def test_run_once_on_the_demo_data_holds_each_alert_once(tmp_path: Path) -> None:
    db = tmp_path / "hub.sqlite3"
    run_hub("migrate", db=db)
    run_hub("demo", db=db)

    first = run_hub("alerts", "run-once", db=db).stdout.strip()
    match = re.fullmatch(r"新增提醒 (\d+) 封，发送 0 封，失败 0 封，暂存 (\d+) 封", first)
    assert match, first
    assert int(match[1]) == int(match[2]) > 0  # the demo has overdue cases

    second = run_hub("alerts", "run-once", db=db).stdout.strip()
    assert second == "新增提醒 0 封，发送 0 封，失败 0 封，暂存 0 封"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        rows = conn.execute("SELECT status, count(*) FROM outbox_email GROUP BY status").fetchall()
    assert rows == [("held", int(match[1]))]
