"""The tamper-evident event log: every ``case_event`` is a link of one hash chain.

An event's ``hash`` is SHA-256 over the previous event's hash and the event's own canonical
content (every column but ``id`` and ``hash``, in a fixed order, as compact JSON with sorted
keys; the instant in UTC with microseconds). The chain runs by ``seq``, the global sequence
allocated from ``event_counter``: ``append_event`` takes the next sequence (which holds the
counter's row lock until commit on PostgreSQL, and SQLite has one writer), then reads the
hash of the event just below it, so two writers can never link to the same predecessor.
The first event links to ``GENESIS``.

``verify_chain`` walks the chain in sequence order and names the first event that was
altered (its content no longer gives its hash), removed (a sequence number is missing: a
rolled-back writer also rolls back the counter, so committed sequences have no gaps) or
inserted (a row that is not a link of the chain: its neighbours still link past it, or it
lies beyond the counter). It compares the last event with the counter, so removing the
newest events is seen too. Someone who can write the database can still rewrite the whole
chain from some event on: record the head hash that ``hub audit verify`` prints somewhere
else (a signed report, another system) to make that visible as well.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum, StrEnum
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

GENESIS = "0" * 64
CHUNK = 5_000

# The columns the hash covers, in the order they are hashed (``hash`` itself last in reads).
COLUMNS = (
    "seq", "case_id", "action", "from_state", "to_state", "version", "actor_kind",
    "actor_id", "actor_name", "actor_unit_id", "comment", "payload", "internal", "created_at",
)  # fmt: skip
_SELECT = f"SELECT {', '.join(COLUMNS)}, hash FROM case_event"


def _json_value(value: Any) -> Any:
    """JSON as both databases give it back: an integral float is the integer it equals
    (PostgreSQL's jsonb prints 1e20 as 100000000000000000000)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode


def _micros(value: datetime | str) -> int:
    """An instant as whole microseconds since 1970 UTC (SQLite stores ISO text with the
    writer's offset, PostgreSQL gives an aware datetime)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - _EPOCH) // _MICROSECOND


def _text(value: Any) -> str:
    return value if type(value) is str else str(value.value if isinstance(value, Enum) else value)


def _payload(value: Any) -> str:
    if isinstance(value, str | bytes):
        if value in ("{}", b"{}", "", b""):
            return "{}"
        value = json.loads(value)
    return _JSON(_json_value(value)) if value else "{}"


def canonical(values: Sequence[Any]) -> bytes:
    """The content an event's hash covers, from its values in ``COLUMNS`` order (model
    values, or raw values from either database: payload as JSON text, internal as 0/1,
    instants as text).

    Numbers and the instant (microseconds since 1970 UTC) joined by ``|``, then each text
    prefixed with its length (a missing ``from_state`` is ``~``), the payload last as compact
    JSON with sorted keys.
    """
    (seq, case_id, action, source, target, version, kind, actor_id, name, unit_id, comment,
     payload, internal, created_at) = values[:14]  # fmt: skip
    kind, payload = _text(kind), _payload(payload)
    text = (
        f"{int(seq)}|{int(case_id)}|{int(version)}|{int(actor_id)}|{int(unit_id)}|"
        f"{int(bool(internal))}|{_micros(created_at)}|{len(action)}:{action}|"
        f"{'~' if source is None else f'{len(source)}:{source}'}|{len(target)}:{target}|"
        f"{len(kind)}:{kind}|{len(name)}:{name}|{len(comment)}:{comment}|"
        f"{len(payload)}:{payload}"
    )
    return text.encode("utf-8", "surrogatepass")


def link(previous: str, values: Sequence[Any]) -> str:
    """The hash of an event whose predecessor's hash is ``previous``."""
    return hashlib.sha256(previous.encode("ascii") + b"\n" + canonical(values)).hexdigest()


def values_of(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """An event's values in ``COLUMNS`` order, from a mapping of column names."""
    return tuple(row[c] for c in COLUMNS)


async def previous_hash(conn: BaseDBAsyncClient, seq: int) -> str:
    """The hash of the event just below ``seq`` (``GENESIS`` for the first event).

    Called after ``seq`` was allocated in the same transaction: every event below it is
    committed (or written by this transaction), so the read sees it.
    """
    rows = await conn.execute_query_dict(
        "SELECT hash FROM case_event WHERE seq < $1 ORDER BY seq DESC LIMIT 1"
        if conn.capabilities.dialect == "postgres"
        else "SELECT hash FROM case_event WHERE seq < ? ORDER BY seq DESC LIMIT 1",
        [seq],
    )
    if not rows:
        return GENESIS
    found = rows[0]["hash"]
    # A row left unchained (written before the chain and not backfilled) still gets a link:
    # verify names it; new events must not fail because of it.
    return str(found) if found else GENESIS


class Problem(StrEnum):
    ALTERED = "altered"
    REMOVED = "removed"
    INSERTED = "inserted"
    UNCHAINED = "unchained"  # no hash: written before the chain and not backfilled


_PROBLEM_LABELS = {
    Problem.ALTERED: "被修改",
    Problem.REMOVED: "被删除",
    Problem.INSERTED: "被插入（不属于哈希链）",
    Problem.UNCHAINED: "没有哈希（链建立前写入，尚未补算）",
}


@dataclass(frozen=True, slots=True)
class Finding:
    problem: Problem
    seq: int  # the event named: for REMOVED, the first missing sequence number
    case_id: int | None = None
    detail: str = ""

    def describe(self) -> str:
        where = f"（案件 #{self.case_id}）" if self.case_id is not None else ""
        text = f"事件 seq={self.seq}{where}{_PROBLEM_LABELS[self.problem]}"
        return text + (f"：{self.detail}" if self.detail else "")


@dataclass(frozen=True, slots=True)
class Verification:
    checked: int  # events read
    head_seq: int  # the last event's sequence (0: none)
    head_hash: str  # the last event's stored hash (GENESIS: none)
    counter: int  # the event counter when the walk began
    finding: Finding | None
    seconds: float

    @property
    def ok(self) -> bool:
        return self.finding is None


def _placeholder(conn: BaseDBAsyncClient, n: int) -> str:
    return f"${n}" if conn.capabilities.dialect == "postgres" else "?"


_SEQ, _CASE, _HASH = 0, 1, len(COLUMNS)  # positions in a row read by ``_rows``
Row = tuple[Any, ...]


async def _rows(conn: BaseDBAsyncClient, upto: int | None, chunk: int) -> AsyncIterator[list[Row]]:
    """Every event up to sequence ``upto`` (None: all), in sequence order, chunk by chunk:
    tuples of ``COLUMNS`` and ``hash`` (by position: sqlite3.Row looks names up one by one)."""
    after: int | None = None
    while True:
        where: list[str] = []
        values: list[Any] = []
        if after is not None:
            where.append(f"seq > {_placeholder(conn, len(values) + 1)}")
            values.append(after)
        if upto is not None:
            where.append(f"seq <= {_placeholder(conn, len(values) + 1)}")
            values.append(upto)
        sql = _SELECT + (f" WHERE {' AND '.join(where)}" if where else "")
        _, found = await conn.execute_query(f"{sql} ORDER BY seq LIMIT {int(chunk)}", values)
        rows = [tuple(row) for row in found]
        if not rows:
            return
        yield rows
        if len(rows) < chunk:
            return
        after = int(rows[-1][_SEQ])
        await asyncio.sleep(0)  # a verify inside the app lets requests run between chunks


async def _counter(conn: BaseDBAsyncClient) -> int:
    rows = await conn.execute_query_dict("SELECT value FROM event_counter WHERE id = 1")
    return int(rows[0]["value"]) if rows else 0


def _connection(conn: BaseDBAsyncClient | None) -> BaseDBAsyncClient:
    if conn is not None:
        return conn
    from hub.models import CaseEvent

    db: BaseDBAsyncClient = CaseEvent._meta.db
    return db


async def verify_chain(conn: BaseDBAsyncClient | None = None, chunk: int = CHUNK) -> Verification:
    """Walk the whole chain; stop at the first event that was altered, removed or inserted."""
    conn = _connection(conn)
    started = time.perf_counter()
    counter = await _counter(conn)  # first: every event up to it is committed
    checked, finding = 0, None
    before, last_seq = GENESIS, 0  # the hash and sequence of the last link of the chain
    pending: Row | None = None  # a row that does not link, judged by the next one
    async for rows in _rows(conn, counter, chunk):
        for row in rows:
            checked += 1
            seq = row[_SEQ]
            if pending is not None:
                finding = _judge(pending, before, row)
                break
            if row[_HASH] is None:
                finding = Finding(Problem.UNCHAINED, seq, row[_CASE])
                break
            if seq != last_seq + 1:  # a gap: removed events (a link past them cannot match)
                if seq <= last_seq:  # pragma: no cover - seq is unique and read in order
                    finding = Finding(Problem.INSERTED, seq, row[_CASE], "序号不递增")
                else:
                    finding = Finding(Problem.REMOVED, last_seq + 1, None,
                                      f"序号 {last_seq + 1}–{seq - 1} 缺失")  # fmt: skip
                break
            if link(before, row) != row[_HASH]:
                pending = row  # altered, or inserted in its place: the next row tells
                continue
            before, last_seq = row[_HASH], seq
        if finding is not None:
            break
    if finding is None and pending is not None:
        finding = _judge(pending, before, None)
    if finding is None and last_seq < counter:
        finding = Finding(Problem.REMOVED, last_seq + 1, None,
                          f"计数器为 {counter}，最后一个事件为 {last_seq}")  # fmt: skip
    if finding is None:
        beyond = await conn.execute_query_dict(
            f"SELECT seq, case_id FROM case_event WHERE seq > {_placeholder(conn, 1)} "
            "ORDER BY seq LIMIT 1",
            [counter],
        )
        if beyond and (await _counter(conn)) < int(beyond[0]["seq"]):
            extra = beyond[0]
            finding = Finding(Problem.INSERTED, int(extra["seq"]), extra["case_id"],
                              f"序号大于计数器 {counter}")  # fmt: skip
    return Verification(checked, last_seq, str(before), counter, finding,
                        time.perf_counter() - started)  # fmt: skip


def _judge(bad: Row, before: str, after: Row | None) -> Finding:
    """``bad`` does not link to the hash ``before``: inserted if ``after`` links past it,
    else altered (its content, or its hash, is no longer what was written)."""
    seq, case_id = int(bad[_SEQ]), bad[_CASE]
    if after is not None and after[_SEQ] == seq + 1 and link(before, after) == after[_HASH]:
        return Finding(Problem.INSERTED, seq, case_id, "前后事件的哈希直接相连")
    return Finding(Problem.ALTERED, seq, case_id, "内容与哈希不符")


async def backfill_chain(conn: BaseDBAsyncClient | None = None, chunk: int = CHUNK) -> int:
    """Hash every event that has no hash yet, in sequence order; return how many.

    For the migration that adds ``case_event.hash``: events written before the chain are
    linked as they are now. Run it with no writers (during the migration); an event that
    has a hash is kept and the next links to it, so it may run again.
    """
    conn = _connection(conn)
    written = 0
    previous = GENESIS
    for_update: list[tuple[str, int]] = []
    async for rows in _rows(conn, None, chunk):
        for row in rows:
            if row[_HASH] is None:
                previous = link(previous, row)
                for_update.append((previous, int(row[_SEQ])))
            else:
                previous = str(row[_HASH])
        written += await _write(conn, for_update)
        for_update = []
    return written


async def _write(conn: BaseDBAsyncClient, updates: Iterable[tuple[str, int]]) -> int:
    values = list(updates)
    if not values:
        return 0
    sql = (
        f"UPDATE case_event SET hash = {_placeholder(conn, 1)} WHERE seq = {_placeholder(conn, 2)}"
    )
    await conn.execute_many(sql, [list(v) for v in values])
    return len(values)


async def backfill_event_hashes(apps: Any, schema_editor: Any) -> None:
    """``ops.RunPython(backfill_event_hashes)`` in the migration that adds ``case_event.hash``."""
    await backfill_chain(schema_editor.client)
