"""One pass of the alert worker, and the worker that repeats it inside the app.

``run_once`` decides the alerts due now and sends what the outbox holds. Several instances
may run it at the same time against one PostgreSQL database: the outbox's unique key and the
senders' claims make each email go out once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from hub import clock
from hub.alerts.decide import decide_alerts
from hub.alerts.send import send_due
from hub.domain.kinds import KindSpec
from hub.kinds.registry import SPECS
from hub.ops import metrics
from hub.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class AlertReport:
    decided: int = 0  # new rows in the outbox
    sent: int = 0
    failed: int = 0  # attempts that failed (retried later) or were refused for good
    held: int = 0  # new rows kept in the outbox because no SMTP server is configured
    rejected: int = 0  # of the failed, refused for good (5xx): not retried
    cancelled: int = 0  # moot before they could be sent

    @property
    def anything(self) -> bool:
        return any((self.decided, self.sent, self.failed, self.held, self.cancelled))

    def summary(self) -> str:
        text = (
            f"新增提醒 {self.decided} 封，发送 {self.sent} 封，失败 {self.failed} 封，"
            f"暂存 {self.held} 封"
        )
        if self.rejected:
            text += f"（其中被拒收 {self.rejected} 封，不再重试）"
        if self.cancelled:
            text += f"，作废 {self.cancelled} 封"
        return text


async def run_once(
    settings: Settings, *, now: datetime | None = None, specs: Iterable[KindSpec] = SPECS
) -> AlertReport:
    """Decide the alerts due at ``now`` (default: the clock), then send the due outbox rows."""
    at = now or clock.now()
    with metrics.SCAN_SECONDS.time():
        decided = await decide_alerts(settings, now=at, specs=specs)
        delivery = await send_due(settings, now=now, specs=specs)
    metrics.ALERTS_SENT.inc(delivery.sent)
    metrics.ALERTS_FAILED.inc(delivery.retry + delivery.rejected)
    return AlertReport(
        decided=decided.inserted,
        sent=delivery.sent,
        failed=delivery.retry + delivery.rejected,
        held=decided.held,
        rejected=delivery.rejected,
        cancelled=delivery.cancelled,
    )


class AlertWorker:
    """Runs ``run_once`` every ``settings.alerts_interval_s`` until stopped; never dies.

    ``start()`` does nothing when ``settings.alerts_enabled`` is false. The first pass runs
    right away. ``stop()`` lets a pass in progress finish for up to ``grace_s`` seconds, then
    cancels it: a row it had claimed is retried by the next claim once its lease expires.
    """

    def __init__(self, settings: Settings, *, grace_s: float = 5.0) -> None:
        self.settings = settings
        self.grace_s = grace_s
        self.passes = 0
        self._stopping = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> None:
        if not self.settings.alerts_enabled or self.running:
            return
        self._stopping.clear()
        self._task = asyncio.create_task(self._loop(), name="hub-alert-worker")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is None:
            return
        self._stopping.set()
        done, _ = await asyncio.wait({task}, timeout=self.grace_s)
        if not done:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                report = await run_once(self.settings)
            except Exception:
                log.exception("提醒任务本轮失败，%s 秒后重试", self.settings.alerts_interval_s)
            else:
                if report.anything:
                    log.info("提醒任务：%s", report.summary())
            self.passes += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self.settings.alerts_interval_s)
