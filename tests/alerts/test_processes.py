"""Two OS processes run `hub alerts run-once` on one PostgreSQL database at the same moment.

Each decides the same alerts and sends from the same outbox: every email arrives exactly
once, and the two reports add up to exactly one insert and one send per email.
"""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from hub import clock
from hub.domain.alerts import alert_level
from hub.kinds.recommendation.spec import REPLY, REPLY_CLOCK
from hub.models import Case, OutboxEmail, OutboxStatus
from tests.alerts.conftest import BASE_URL, StartSmtp
from tests.factories import World, facts, served

PROJECT = Path(__file__).resolve().parents[2]
# Import everything first, then wait for the common start instant, then run the real CLI.
GATED_CLI = (
    "import sys, time\n"
    "import hub.alerts.worker, hub.db\n"
    "from hub.cli import main\n"
    "time.sleep(max(0.0, float(sys.argv[1]) - time.time()))\n"
    "sys.exit(main(sys.argv[2:]))\n"
)


def _run_together(env: dict[str, str], n: int) -> list[subprocess.CompletedProcess[str]]:
    start_at = time.time() + 3.0
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", GATED_CLI, repr(start_at), "alerts", "run-once"],
            cwd=PROJECT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(n)
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
    return results


def _count(pattern: str, text: str) -> int:
    match = re.search(pattern, text)
    assert match, text
    return int(match.group(1))


@pytest.mark.postgres
@pytest.mark.parametrize("db", ["postgres"], indirect=True)
async def test_two_processes_send_each_email_exactly_once(
    db: str, world: World, start_smtp: StartSmtp
) -> None:
    today = clock.today()  # the processes use the real clock
    for i in range(30):
        await served(
            world,
            served_on=today - timedelta(days=64 if i % 2 else 90),  # overdue / escalation
            addressee=world.unit_a if i % 3 else world.unit_b,
        )
    expected = 0
    assert REPLY_CLOCK.alert is not None
    for rec in await Case.all():
        level = alert_level(REPLY_CLOCK.alert, (await facts(rec.id)).clocks[REPLY], today)
        assert level is not None
        expected += 2 if level.value != "escalation" else 4
    server = start_smtp(delay_s=0.005)  # slow enough that the two senders overlap
    env = {
        **os.environ,
        "HUB_DATABASE_URL": db,
        "HUB_SMTP_URL": server.url,
        "HUB_BASE_URL": BASE_URL,
        "HUB_SMTP_TIMEOUT_S": "10",
    }

    results = await asyncio.to_thread(_run_together, env, 2)

    for result in results:
        assert result.returncode == 0, result.stderr
    outputs = [r.stdout for r in results]
    received = server.received
    keys = [(m.rcpt_tos[0], m.subject) for m in received]
    assert len(received) == expected, outputs
    assert len(set(keys)) == expected  # nobody got the same alert twice
    assert len({m.message_id for m in received}) == expected
    assert sum(_count(r"新增提醒 (\d+) 封", o) for o in outputs) == expected, outputs
    assert sum(_count(r"发送 (\d+) 封", o) for o in outputs) == expected, outputs
    rows = await OutboxEmail.all()
    assert len(rows) == expected
    assert {(r.status, r.attempts) for r in rows} == {(OutboxStatus.SENT, 1)}
