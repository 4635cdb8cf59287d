"""T8: the alert decision scan over 100k recommendations, and the event-loop stalls it causes.

Target (design.md §5): ≤ 500 ms, no event-loop stall > 50 ms. Baselines, measured in the
same run on the same rows: a raw SQL count of the scan window, and loading the window as ORM
objects (what a naive scan would do).

Two data shapes: ``window`` puts every case in the scan window (all awaiting a reply, due
within 3 days or overdue: the worst case), ``mixed`` puts 10% there and the rest closed or
due later. The first scan inserts the alerts; the timed scans are the steady state that
every worker pass repeats: everything already decided, nothing new.

    python -m bench.alert_scan [--cases 100000] [--rounds 10] [--shape window|mixed]
                               [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import Tortoise

from bench.harness import summary
from hub import clock
from hub.alerts.decide import decide_alerts
from hub.db import apply_migrations, database
from hub.domain.alerts import scan_horizon
from hub.domain.lifecycle import AWAITING_REPLY, State
from hub.domain.roles import Role, Side, UnitKind
from hub.models import OutboxEmail, Recommendation, RecommendationType, Unit, User
from hub.settings import Settings

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
TODAY = clock.business_date(NOW)


@contextlib.asynccontextmanager
async def scratch_database(kind: str) -> AsyncIterator[str]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite://{Path(directory) / 'scan.sqlite3'}?busy_timeout=10000"
            await apply_migrations(url)
            yield url
        return
    name = f"hub_bench_scan_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        url = f"postgres://postgres@127.0.0.1:5432/{name}"
        await apply_migrations(url)
        yield url
    finally:
        await Tortoise.close_connections()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


async def seed(cases: int, shape: str) -> None:
    procuratorate = await Unit.create(
        code="procuratorate", name="宿州市人民检察院", kind=UnitKind.PROCURATORATE,
        side=Side.PROCURATORATE,
    )  # fmt: skip
    units = [
        await Unit.create(
            code=f"unit{i}", name=f"成员单位{i}", kind=UnitKind.MEMBER, side=Side.GOVERNMENT
        )
        for i in range(28)
    ]
    staff = [("office", Role.OFFICE_ADMIN), ("chief", Role.PROCURATOR_APPROVER),
             ("prosecutor", Role.PROSECUTOR), ("prosecutor2", Role.PROSECUTOR)]  # fmt: skip
    prosecutors = []
    for username, role in staff:
        user = await User.create(
            username=username, display_name=username, password_hash="x", role=role,
            unit_id=procuratorate.id, email=f"{username}@example.test",
        )  # fmt: skip
        if role is Role.PROSECUTOR:
            prosecutors.append(user.id)
    for unit in units:
        await User.create(
            username=f"liaison_{unit.code}", display_name=unit.code, password_hash="x",
            role=Role.UNIT_LIAISON, unit_id=unit.id, email=f"{unit.code}@example.test",
        )  # fmt: skip
    rng = random.Random(8)
    awaiting = sorted(AWAITING_REPLY)
    batch: list[Recommendation] = []
    for i in range(cases):
        in_window = shape == "window" or rng.random() < 0.10
        if in_window:
            state = rng.choice(awaiting)
            due = TODAY + timedelta(days=rng.randint(-30, 3))
        elif rng.random() < 0.5:
            state, due = State.CLOSED_ADOPTED, TODAY - timedelta(days=rng.randint(0, 700))
        else:
            state, due = rng.choice(awaiting), TODAY + timedelta(days=rng.randint(4, 60))
        batch.append(
            Recommendation(
                doc_no=f"宿检行建〔2026〕{i + 1}号", title="关于加强某项监管的检察建议",
                rec_type=RecommendationType.SOCIAL_GOVERNANCE, issuer_unit_id=procuratorate.id,
                addressee_unit_id=rng.choice(units).id, prosecutor_id=rng.choice(prosecutors),
                state=state, served_on=due - timedelta(days=61), reply_due=due,
                due_explanation="送达后两个月。", deadline_version=1, created_at=NOW,
                updated_at=NOW,
            )
        )  # fmt: skip
        if len(batch) == 5000:
            await Recommendation.bulk_create(batch)
            batch = []
    if batch:
        await Recommendation.bulk_create(batch)


class StallMonitor:
    """The longest the event loop failed to run a 1 ms ticker while something else ran."""

    def __init__(self) -> None:
        self.worst = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _tick(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            self.worst = max(self.worst, now - last)
            last = now

    async def __aenter__(self) -> StallMonitor:
        self._task = asyncio.create_task(self._tick())
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task


async def timed(run: Callable[[], Awaitable[Any]]) -> tuple[float, float, Any]:
    async with StallMonitor() as monitor:
        started = time.perf_counter()
        result = await run()
        elapsed = time.perf_counter() - started
    return elapsed * 1000, monitor.worst * 1000, result


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--shape", choices=["window", "mixed"], default="window")
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    settings = Settings(smtp_url=None)
    async with scratch_database(args.database) as url, database(url):
        started = time.perf_counter()
        await seed(args.cases, args.shape)
        print(f"{args.database}, {args.cases} cases ({args.shape}), "
              f"seeded in {time.perf_counter() - started:.1f} s")  # fmt: skip
        window = Recommendation.filter(
            state__in=sorted(AWAITING_REPLY), reply_due__lt=scan_horizon(TODAY)
        )
        in_window = await window.count()
        first_ms, first_stall, first = await timed(lambda: decide_alerts(settings, now=NOW))
        print(f"first scan: {first_ms:.0f} ms, worst stall {first_stall:.0f} ms, "
              f"{in_window} cases in the window, {first.inserted} alerts inserted")  # fmt: skip
        if args.database == "postgres":  # what autovacuum does soon after a bulk insert
            await Tortoise.get_connection("default").execute_script("VACUUM ANALYZE")

        scans, stalls, counts = [], [], []
        for _ in range(args.rounds):
            ms, stall, result = await timed(lambda: decide_alerts(settings, now=NOW))
            assert result.inserted == 0
            scans.append(ms)
            stalls.append(stall)
            count_ms, _, _ = await timed(window.count)
            counts.append(count_ms)
        objects_ms, objects_stall, _ = await timed(lambda: window.all())
        print(f"steady scan (ms):       {summary(scans)}")
        print(f"  worst stall (ms):     {summary(stalls)}")
        print(f"raw SQL count (ms):     {summary(counts)}")
        print(f"ORM objects (ms):       {objects_ms:7.1f}  (stall {objects_stall:.0f} ms)")
        ratio = sorted(scans)[len(scans) // 2] / sorted(counts)[len(counts) // 2]
        print(f"scan / count (p50):     {ratio:.1f}x   outbox rows: "
              f"{await OutboxEmail.all().count()}")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
