"""``hub audit verify`` over 100k events: walking the hash chain, against reading the rows.

Target (issue 7): verifying 100k events takes ≤ 5 s. Baseline, measured in the same run on
the same rows: reading every event row the way the verifier reads it (the same chunked
SELECT), without hashing. The ratio says what the hashing costs over the reading.

    python -m bench.audit_verify [--events 100000] [--rounds 5] [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import Tortoise

from bench.harness import summary
from hub.db import database
from hub.domain.roles import Side, UnitKind
from hub.models import EventCounter, Unit
from hub.services import audit

POSTGRES_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
NOW = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
TARGET_S = 5.0


@contextlib.asynccontextmanager
async def scratch_database(kind: str) -> AsyncIterator[str]:
    """An empty database with the models' tables (built from the models, not migrations)."""
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as directory:
            yield f"sqlite://{Path(directory) / 'audit.sqlite3'}?busy_timeout=10000"
        return
    name = f"hub_bench_audit_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(POSTGRES_ADMIN)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        await Tortoise.close_connections()
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


_ACTIONS = [("create", None, "draft"), ("submit", "draft", "pending_approval"),
            ("approve", "pending_approval", "approved"), ("serve", "approved", "awaiting_reply"),
            ("reply", "awaiting_reply", "reply_received")]  # fmt: skip


async def seed(events: int) -> None:
    """``events`` chained events over events/5 cases, as append_event writes them."""
    conn = Tortoise.get_connection("default")
    dialect = conn.capabilities.dialect
    unit = await Unit.create(code="procuratorate", name="宿州市人民检察院",
                             kind=UnitKind.PROCURATORATE, side=Side.PROCURATORATE)  # fmt: skip
    cases = max(1, events // len(_ACTIONS))

    def p(i: int) -> str:
        return f"${i}" if dialect == "postgres" else "?"

    case_sql = (
        'INSERT INTO "case" (id, kind, case_no, title, state, version, flags, internal_note, '
        f"created_at, updated_at) VALUES ({', '.join(p(i) for i in range(1, 11))})"
    )
    case_rows = [[i, "recommendation", f"宿检行建〔2026〕{i}号", "关于加强某项监管的检察建议",
                  "reply_received", 5, "", "", NOW, NOW] for i in range(1, cases + 1)]  # fmt: skip
    for start in range(0, len(case_rows), 5000):
        await conn.execute_many(case_sql, case_rows[start : start + 5000])
    columns = (*audit.COLUMNS, "hash")
    event_sql = (
        f"INSERT INTO case_event ({', '.join(columns)}) "
        f"VALUES ({', '.join(p(i) for i in range(1, len(columns) + 1))})"
    )
    rng = random.Random(7)
    previous, batch = audit.GENESIS, []
    for seq in range(1, events + 1):
        step = (seq - 1) % len(_ACTIONS)
        action, source, target = _ACTIONS[step]
        row: dict[str, Any] = {
            "seq": seq, "case_id": (seq - 1) // len(_ACTIONS) % cases + 1, "action": action,
            "from_state": source, "to_state": target, "version": step + 1, "actor_kind": "user",
            "actor_id": 1, "actor_name": "承办检察官", "actor_unit_id": unit.id,
            "comment": "已按要求整改。" * rng.randint(0, 3),
            "payload": {"servedOn": "2026-09-25", "rule": "jy_2m"} if action == "serve" else {},
            "internal": step < 3, "created_at": NOW + timedelta(seconds=seq),
        }  # fmt: skip
        previous = audit.link(previous, audit.values_of(row))
        stored = {**row, "payload": json.dumps(row["payload"], ensure_ascii=False)}
        batch.append([*audit.values_of(stored), previous])
        if len(batch) == 5000 or seq == events:
            await conn.execute_many(event_sql, batch)
            batch = []
    await EventCounter.filter(id=1).update(value=events)


async def read_rows() -> int:
    """The baseline: the verifier's chunked read, without hashing."""
    conn = Tortoise.get_connection("default")
    counter = await audit._counter(conn)
    count = 0
    async for rows in audit._rows(conn, counter, audit.CHUNK):
        count += len(rows)
    return count


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    async with scratch_database(args.database) as url, database(url):
        await Tortoise.generate_schemas()
        await EventCounter.create(id=1, value=0)
        started = time.perf_counter()
        await seed(args.events)
        print(f"{args.database}, {args.events} events, seeded in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        if args.database == "postgres":
            await Tortoise.get_connection("default").execute_script("VACUUM ANALYZE")
        verify_ms, read_ms = [], []
        for _ in range(args.rounds):
            started = time.perf_counter()
            assert await read_rows() == args.events
            read_ms.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            result = await audit.verify_chain()
            verify_ms.append((time.perf_counter() - started) * 1000)
            assert result.ok, result.finding
            assert result.checked == args.events
        print(f"verify chain (ms):      {summary(verify_ms)}")
        print(f"read rows only (ms):    {summary(read_ms)}")
        p50 = sorted(verify_ms)[len(verify_ms) // 2]
        ratio = p50 / sorted(read_ms)[len(read_ms) // 2]
        worst = max(verify_ms) / 1000
        print(f"verify / read (p50):    {ratio:.1f}x   worst {worst:.2f} s, target ≤ {TARGET_S} s: "
              f"{'met' if worst <= TARGET_S else 'NOT met'}")  # fmt: skip


if __name__ == "__main__":
    asyncio.run(main())
