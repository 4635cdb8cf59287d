"""The tamper-evident event log: every event is a link of one hash chain, and ``hub audit
verify`` names the first event that was altered, removed or inserted."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from tortoise import connections
from tortoise.backends.base.client import BaseDBAsyncClient

from hub.db import apply_migrations, database
from hub.kinds.recommendation import steps as recs
from hub.models import CaseEvent, EventCounter
from hub.services.audit import COLUMNS, GENESIS, Problem, backfill_chain, link, verify_chain
from tests.factories import World, draft, make_world, served

SERVED_ON = date(2026, 9, 25)


def conn() -> BaseDBAsyncClient:
    db: BaseDBAsyncClient = CaseEvent._meta.db
    return db


def sql(text: str) -> str:
    """``?`` placeholders, as the database in use writes them."""
    if conn().capabilities.dialect != "postgres":
        return text
    parts = text.split("?")
    return "".join(p + (f"${i}" if i < len(parts) else "") for i, p in enumerate(parts, 1))


async def some_events(world: World) -> list[CaseEvent]:
    await served(world, served_on=SERVED_ON)
    await served(world, served_on=SERVED_ON, addressee=world.unit_b)
    await draft(world)
    return list(await CaseEvent.all().order_by("seq"))


async def test_every_event_links_to_the_one_before(world: World) -> None:
    events = await some_events(world)
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    previous = GENESIS
    for event in events:
        assert event.hash == link(previous, tuple(getattr(event, c) for c in COLUMNS))
        previous = event.hash
    result = await verify_chain()
    assert result.ok, result.finding
    assert (result.checked, result.head_seq, result.head_hash) == (
        len(events), events[-1].seq, events[-1].hash,
    )  # fmt: skip


async def test_an_altered_row_is_named(world: World) -> None:
    events = await some_events(world)
    target = events[4]
    await conn().execute_query(sql("UPDATE case_event SET comment = ? WHERE seq = ?"),
                               ["改过的意见", target.seq])  # fmt: skip
    result = await verify_chain()
    assert result.finding is not None
    assert (result.finding.problem, result.finding.seq) == (Problem.ALTERED, target.seq)
    assert result.finding.case_id == target.case_id
    assert f"seq={target.seq}" in result.finding.describe()


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE case_event SET internal = NOT internal WHERE seq = ?",
        "UPDATE case_event SET actor_name = actor_name || '!' WHERE seq = ?",
        "UPDATE case_event SET to_state = 'closed' WHERE seq = ?",
        "UPDATE case_event SET hash = 'f' || substr(hash, 2) WHERE seq = ?",
    ],
)
async def test_any_column_changed_is_seen(world: World, change: str) -> None:
    events = await some_events(world)
    target = events[2]
    await conn().execute_query(sql(change), [target.seq])
    result = await verify_chain()
    assert result.finding is not None
    assert result.finding.seq == target.seq


async def test_an_altered_payload_is_seen(world: World) -> None:
    events = await some_events(world)
    target = next(e for e in events if e.payload)
    await CaseEvent.filter(id=target.id).update(payload={**target.payload, "added": 1})
    result = await verify_chain()
    assert result.finding is not None
    assert (result.finding.problem, result.finding.seq) == (Problem.ALTERED, target.seq)


async def test_a_removed_row_is_named(world: World) -> None:
    events = await some_events(world)
    await conn().execute_query(sql("DELETE FROM case_event WHERE seq = ?"), [events[3].seq])
    result = await verify_chain()
    assert result.finding is not None
    assert (result.finding.problem, result.finding.seq) == (Problem.REMOVED, events[3].seq)


async def test_removing_the_newest_event_is_seen_too(world: World) -> None:
    events = await some_events(world)
    await conn().execute_query(sql("DELETE FROM case_event WHERE seq = ?"), [events[-1].seq])
    result = await verify_chain()
    assert result.finding is not None
    assert (result.finding.problem, result.finding.seq) == (Problem.REMOVED, events[-1].seq)
    # Writing on after the removal does not hide it.
    await draft(world)
    result = await verify_chain()
    assert result.finding is not None
    assert (result.finding.problem, result.finding.seq) == (Problem.REMOVED, events[-1].seq)


async def test_an_inserted_row_is_named(world: World) -> None:
    events = await some_events(world)
    model = events[1]
    forged = await CaseEvent.create(
        seq=events[-1].seq + 1, case_id=model.case_id, action="approve", from_state="draft",
        to_state="approved", version=model.version, actor_kind=model.actor_kind,
        actor_id=model.actor_id, actor_name=model.actor_name, actor_unit_id=model.actor_unit_id,
        payload={}, created_at=model.created_at, hash=events[-1].hash,
    )  # fmt: skip
    result = await verify_chain()
    assert result.finding is not None
    assert (result.finding.problem, result.finding.seq) == (Problem.INSERTED, forged.seq)


async def test_an_inserted_row_that_advanced_the_counter_is_named(world: World) -> None:
    events = await some_events(world)
    model = events[1]
    await EventCounter.filter(id=1).update(value=events[-1].seq + 1)
    await CaseEvent.create(
        seq=events[-1].seq + 1, case_id=model.case_id, action="approve", from_state="draft",
        to_state="approved", version=model.version, actor_kind=model.actor_kind,
        actor_id=model.actor_id, actor_name=model.actor_name, actor_unit_id=model.actor_unit_id,
        payload={}, created_at=model.created_at, hash="0" * 64,
    )  # fmt: skip
    result = await verify_chain()
    assert result.finding is not None
    assert result.finding.seq == events[-1].seq + 1


async def test_a_row_moved_into_the_place_of_another_is_named(world: World) -> None:
    """Swapping two events' contents (same sequence numbers) breaks the first of them."""
    events = await some_events(world)
    a, b = events[2], events[3]
    await CaseEvent.filter(id=a.id).update(seq=-1)
    await CaseEvent.filter(id=b.id).update(seq=a.seq)
    await CaseEvent.filter(id=a.id).update(seq=b.seq)
    result = await verify_chain()
    assert result.finding is not None
    assert result.finding.seq == a.seq


async def test_backfill_links_events_written_before_the_chain(world: World) -> None:
    events = await some_events(world)
    await CaseEvent.all().update(hash=None)
    unchained = await verify_chain()
    assert unchained.finding is not None
    assert (unchained.finding.problem, unchained.finding.seq) == (Problem.UNCHAINED, 1)
    # New events are written (and linked) even while older ones are not backfilled.
    assert await backfill_chain(chunk=3) == len(events)
    after = await verify_chain()
    assert after.ok, after.finding
    # The backfill computes from the stored rows what append_event computed when writing.
    assert [e.hash for e in await CaseEvent.all().order_by("seq")] == [e.hash for e in events]
    assert await backfill_chain() == 0


async def test_verify_reads_in_chunks(world: World) -> None:
    events = await some_events(world)
    result = await verify_chain(chunk=2)
    assert result.ok and result.checked == len(events)
    await conn().execute_query(sql("DELETE FROM case_event WHERE seq = ?"), [events[4].seq])
    result = await verify_chain(chunk=2)
    assert result.finding is not None and result.finding.seq == events[4].seq


async def test_an_empty_log_verifies(db: str) -> None:
    result = await verify_chain()
    assert result.ok and (result.checked, result.head_seq, result.head_hash) == (0, 0, GENESIS)


async def test_concurrent_writers_never_fork_the_chain(world: World) -> None:
    """Many steps at once (on PostgreSQL, over several pooled connections): one chain."""
    cases = [await draft(world) for _ in range(8)]
    await asyncio.gather(*(
        recs.submit_for_approval(world.prosecutor, c.id, c.version) for c in cases
    ))  # fmt: skip
    result = await verify_chain()
    assert result.ok, result.finding
    assert result.checked == await CaseEvent.all().count() == 16
    hashes = [e.hash for e in await CaseEvent.all()]
    assert len(set(hashes)) == len(hashes)


async def test_hub_audit_verify_names_the_altered_event(tmp_path: Path) -> None:
    db = tmp_path / "hub.sqlite3"
    url = f"sqlite://{db}"
    await apply_migrations(url)
    async with database(url):
        if "hash" not in {
            c["name"]
            for c in await connections.get("default").execute_query_dict(
                'PRAGMA table_info("case_event")'
            )
        }:
            pytest.skip("the migration adding case_event.hash is not written yet")
        world = await make_world()
        await served(world, served_on=SERVED_ON)
    env = {**os.environ, "HUB_DATABASE_URL": url}
    hub = [sys.executable, "-m", "hub.cli", "audit", "verify"]
    ok = await asyncio.to_thread(subprocess.run, hub, capture_output=True, text=True, env=env,
                              timeout=120, check=False)  # fmt: skip
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("事件链完整：4 个事件")
    async with database(url):
        await connections.get("default").execute_query(
            "UPDATE case_event SET comment = 'x' WHERE seq = 3"
        )
    bad = await asyncio.to_thread(subprocess.run, hub, capture_output=True, text=True, env=env,
                               timeout=120, check=False)  # fmt: skip
    assert bad.returncode == 1
    assert "事件 seq=3" in bad.stderr and "被修改" in bad.stderr
