"""T8: the alert decision scan over 100k cases, and the event-loop stalls it causes.

Target (design.md §5): ≤ 500 ms, no event-loop stall > 50 ms. Baselines, measured in the
same run on the same rows: a raw SQL count of the scan window (every alerting clock, running,
in its ``runs_in`` states, due within its policy's window), and loading the window as ORM
objects (what a naive scan would do).

Two data shapes: ``window`` puts every case in the scan window (clock counting, due within 3
days or overdue: the worst case), ``mixed`` puts 10% there and the rest closed (clock
stopped), paused (clock running, state outside ``runs_in``) or due later. ``--kinds
recommendation`` (the default, as the README's figures) makes every case a recommendation;
``--kinds all`` spreads them over every kind's alerting clocks (70% recommendations). The
first scan inserts the alerts; the timed scans are the steady state that every worker pass
repeats: everything already decided, nothing new.

    python -m bench.alert_scan [--cases 100000] [--rounds 10] [--shape window|mixed]
                               [--database sqlite|postgres] [--kinds recommendation|all]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import random
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import Tortoise
from tortoise.expressions import Q

from bench.harness import summary
from hub import clock
from hub.alerts.decide import alerting_clocks, decide_alerts
from hub.alerts.sql import Params
from hub.db import apply_migrations, database
from hub.domain.alerts import scan_horizon
from hub.domain.engine import ClockStatus
from hub.domain.kinds import CaseKind, ClockSpec, KindSpec, PartyRole
from hub.domain.roles import Role, Side, UnitKind
from hub.models import CaseClock, OutboxEmail, Unit, User
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


def _insert(dialect: str, table: str, columns: tuple[str, ...]) -> str:
    p = Params(dialect)
    values = ", ".join(p(None) for _ in columns)
    return f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({values})'


_CASE = ("id", "kind", "case_no", "title", "state", "version", "flags", "internal_note",
         "created_at", "updated_at")  # fmt: skip
_PARTY = ("case_id", "role", "unit_id", "user_id")
_CLOCK = ("case_id", "name", "rule", "status", "started_on", "due_on", "provisional",
          "explanation", "version")  # fmt: skip


def _clock_row(
    rng: random.Random, spec: KindSpec, clock_spec: ClockSpec, in_window: bool
) -> tuple[str, ClockStatus, date]:
    """A case's state, its clock's status and last day, for the data shape."""
    counting = sorted(clock_spec.runs_in or spec.states)
    if in_window:
        return (
            rng.choice(counting),
            ClockStatus.RUNNING,
            TODAY + timedelta(days=rng.randint(-30, 3)),
        )
    roll = rng.random()
    past = TODAY - timedelta(days=rng.randint(0, 700))
    if roll < 0.45:
        return rng.choice(sorted(spec.closed)), ClockStatus.STOPPED, past
    paused = sorted(set(spec.states) - set(counting) - spec.closed)
    if roll < 0.5 and paused:  # running, but the case is in a state where it does not count
        return rng.choice(paused), ClockStatus.RUNNING, past
    return rng.choice(counting), ClockStatus.RUNNING, TODAY + timedelta(days=rng.randint(8, 60))


async def seed(cases: int, shape: str, kinds: str) -> None:
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
    alerting = [
        pair
        for pair in alerting_clocks()
        if kinds == "all" or pair[0].kind is CaseKind.RECOMMENDATION
    ]
    weights = [7.0 if s.kind is CaseKind.RECOMMENDATION else 3.0 / (len(alerting) - 1 or 1)
               for s, _ in alerting]  # fmt: skip
    rng = random.Random(8)
    rows: dict[str, list[list[Any]]] = {"case": [], "case_party": [], "case_clock": []}
    for i in range(1, cases + 1):
        spec, clock_spec = rng.choices(alerting, weights)[0]
        in_window = shape == "window" or rng.random() < 0.10
        state, status, due = _clock_row(rng, spec, clock_spec, in_window)
        agency = PartyRole.ADDRESSEE if PartyRole.ADDRESSEE in spec.sees else PartyRole.RESPONDENT
        rows["case"].append([i, spec.kind.value, f"宿检〔2026〕{i}号", "关于加强某项监管的案件",
                             state, 1, "", "", NOW, NOW])  # fmt: skip
        rows["case_party"] += [
            [i, PartyRole.ISSUER.value, procuratorate.id, None],
            [i, agency.value, rng.choice(units).id, None],
            [i, PartyRole.HANDLING_PROSECUTOR.value, procuratorate.id, rng.choice(prosecutors)],
        ]
        rows["case_clock"].append([i, clock_spec.name, clock_spec.default_rule, status.value,
                                   due - timedelta(days=61), due, False, "送达后两个月。", 1])  # fmt: skip
    conn = Tortoise.get_connection("default")
    dialect = conn.capabilities.dialect
    for table, columns in (("case", _CASE), ("case_party", _PARTY), ("case_clock", _CLOCK)):
        sql = _insert(dialect, table, columns)
        for start in range(0, len(rows[table]), 5000):
            await conn.execute_many(sql, rows[table][start : start + 5000])


def window_q(spec: KindSpec, clock_spec: ClockSpec) -> Q:
    """The scan window of one alerting clock, as an ORM filter (for the baselines)."""
    assert clock_spec.alert is not None
    q = Q(
        name=clock_spec.name,
        status=ClockStatus.RUNNING,
        due_on__lt=scan_horizon(clock_spec.alert, TODAY),
        case__kind=spec.kind.value,
    )
    if clock_spec.runs_in is not None:
        q &= Q(case__state__in=sorted(clock_spec.runs_in))
    return q


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
    parser.add_argument("--kinds", choices=["recommendation", "all"], default="recommendation")
    args = parser.parse_args()
    settings = Settings(smtp_url=None)
    async with scratch_database(args.database) as url, database(url):
        started = time.perf_counter()
        await seed(args.cases, args.shape, args.kinds)
        print(f"{args.database}, {args.cases} cases ({args.shape}, kinds: {args.kinds}), "
              f"seeded in {time.perf_counter() - started:.1f} s")  # fmt: skip
        # The alert worker runs in the app's lifespan, after it froze what lives as long as
        # the process and set the collector's thresholds (hub.app): measure it that way.
        gc.collect()
        gc.freeze()
        gc.set_threshold(20_000, 20, 20)
        windows = [window_q(spec, c) for spec, c in alerting_clocks()]
        window = CaseClock.filter(Q(*windows, join_type="OR"))

        async def count() -> int:
            return sum([await CaseClock.filter(q).count() for q in windows])

        in_window = await count()
        first_ms, first_stall, first = await timed(lambda: decide_alerts(settings, now=NOW))
        print(f"first scan: {first_ms:.0f} ms, worst stall {first_stall:.0f} ms, "
              f"{in_window} clocks in the window, {first.inserted} alerts inserted")  # fmt: skip
        if args.database == "postgres":  # what autovacuum does soon after a bulk insert
            await Tortoise.get_connection("default").execute_script("VACUUM ANALYZE")

        scans, stalls, counts = [], [], []
        for _ in range(args.rounds):
            ms, stall, result = await timed(lambda: decide_alerts(settings, now=NOW))
            assert result.inserted == 0
            scans.append(ms)
            stalls.append(stall)
            count_ms, _, _ = await timed(count)
            counts.append(count_ms)
        objects_ms, objects_stall, _ = await timed(lambda: window.select_related("case"))
        print(f"steady scan (ms):       {summary(scans)}")
        print(f"  worst stall (ms):     {summary(stalls)}")
        print(f"raw SQL count (ms):     {summary(counts)}")
        print(f"ORM objects (ms):       {objects_ms:7.1f}  (stall {objects_stall:.0f} ms)")
        ratio = sorted(scans)[len(scans) // 2] / sorted(counts)[len(counts) // 2]
        print(f"scan / count (p50):     {ratio:.1f}x   outbox rows: "
              f"{await OutboxEmail.all().count()}")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
