"""Appending to the event log, and reading it back for one audience."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, cast

from tortoise.backends.base.client import BaseDBAsyncClient

from hub.domain.roles import Actor
from hub.domain.visibility import Audience
from hub.models import CaseEvent
from hub.services.audit import link, previous_hash, values_of
from hub.services.visibility import visible_events

# Under a row lock (PostgreSQL) or the single writer (SQLite) until commit: a later
# sequence number can only be allocated after this transaction commits.
_NEXT_SEQ = "UPDATE event_counter SET value = value + 1 WHERE id = 1 RETURNING value"


async def next_seq(conn: BaseDBAsyncClient) -> int:
    # execute_query_dict, not execute_query: on asyncpg, Tortoise's execute_query runs UPDATEs
    # with connection.execute() and drops the RETURNING rows.
    rows = await conn.execute_query_dict(_NEXT_SEQ)
    if not rows:
        raise RuntimeError("event_counter row is missing: run `hub migrate`")
    return int(rows[0]["value"])


async def append_event(
    conn: BaseDBAsyncClient,
    *,
    case_id: int,
    action: str,
    from_state: str | None,
    to_state: str,
    version: int,
    actor: Actor,
    at: datetime,
    comment: str = "",
    payload: dict[str, Any] | None = None,
    internal: bool = False,
) -> CaseEvent:
    """Write one event inside the caller's transaction; call it last, just before commit.

    The event is linked into the hash chain (``hub.services.audit``) here, the one place
    events are written: after its sequence is allocated, under the counter's lock.
    """
    seq = await next_seq(conn)
    row: dict[str, Any] = {
        "seq": seq,
        "case_id": case_id,
        "action": action,
        "from_state": from_state,
        "to_state": to_state,
        "version": version,
        "actor_kind": actor.kind,
        "actor_id": actor.id,
        "actor_name": actor.name,
        "actor_unit_id": actor.unit_id,
        "comment": comment,
        "payload": _as_stored(payload or {}),
        "internal": internal,
        "created_at": at,
    }
    digest = link(await previous_hash(conn, seq), values_of(row))
    return await CaseEvent.create(using_db=conn, **row, hash=digest)


_PAYLOAD_ENCODER = CaseEvent._meta.fields_map["payload"].encoder  # type: ignore[attr-defined]


def _as_stored(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as the database gives it back (tuples as lists, keys as strings, dates
    as text), so the hash of what was written is the hash of what is read."""
    return cast("dict[str, Any]", json.loads(_PAYLOAD_ENCODER(payload)))


async def events_after(audience: Audience, after: int, limit: int = 500) -> list[CaseEvent]:
    """Stored events after sequence ``after`` that ``audience`` may see, oldest first."""
    return await visible_events(audience).filter(seq__gt=after).order_by("seq").limit(limit)


async def last_seq() -> int:
    """The highest committed sequence (the counter may be ahead by in-flight writers)."""
    latest = await CaseEvent.all().order_by("-seq").only("id", "seq").first()
    return latest.seq if latest is not None else 0
