"""The in-app worker repeats run_once, survives a failing pass, and stops cleanly."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from hub import clock
from hub.alerts.worker import AlertWorker
from hub.models import OutboxEmail, OutboxStatus
from tests.alerts.conftest import SmtpServer, alert_settings
from tests.factories import World, served


async def wait_for(condition: Callable[[], Awaitable[bool]]) -> None:
    async with asyncio.timeout(10):
        while True:
            if await condition():
                return
            await asyncio.sleep(0.02)


async def test_worker_sends_on_its_own_and_stops(world: World, smtp: SmtpServer) -> None:
    await served(world, served_on=clock.today() - timedelta(days=75))  # overdue by real time
    worker = AlertWorker(alert_settings(smtp.url, alerts_enabled=True, alerts_interval_s=0.05))
    await worker.start()
    try:

        async def all_sent() -> bool:
            rows = await OutboxEmail.all()
            return bool(rows) and all(r.status is OutboxStatus.SENT for r in rows)

        await wait_for(all_sent)
        await wait_for(lambda: _passes_at_least(worker, 3))
    finally:
        await worker.stop()
    assert not worker.running
    assert len(smtp.received) == await OutboxEmail.all().count() >= 2


async def _passes_at_least(worker: AlertWorker, n: int) -> bool:
    return worker.passes >= n


async def test_worker_logs_a_failing_pass_and_keeps_going(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    settings = alert_settings(
        "http://not-smtp.example.test", alerts_enabled=True, alerts_interval_s=0.01
    )
    worker = AlertWorker(settings)
    with caplog.at_level(logging.ERROR, logger="hub.alerts.worker"):
        await worker.start()
        try:
            await wait_for(lambda: _passes_at_least(worker, 3))
            assert worker.running
        finally:
            await worker.stop()
    failures = [r for r in caplog.records if "提醒任务本轮失败" in r.getMessage()]
    assert len(failures) >= 3
    assert failures[0].exc_info is not None and "HUB_SMTP_URL" in str(failures[0].exc_info[1])


async def test_worker_is_off_when_alerts_are_disabled(world: World) -> None:
    worker = AlertWorker(alert_settings(alerts_enabled=False))
    await worker.start()
    assert not worker.running
    await worker.stop()
