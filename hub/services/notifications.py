"""Notifications: written with the event they are about, read and marked read per user.

``notify_event`` runs inside a step's transaction (``hub.services.cases``), right after its
event is appended, so a notification exists exactly when its event does. The alert scan
writes the overdue ones (``notify_overdue``), each once by its ``dedupe_key``. Who is told what
is ``hub.domain.notifications``; this module only reads the people and writes the rows.

The unread state is the ``read_at`` column: one per user on the server, so every tab and
device shows the same. Marking read tells every instance (``NOTIFICATIONS_CHANNEL``), whose
sockets of that user pass it on (``hub.subscriptions.notifications``). New notifications are
found by each instance after the event's commit notice (``hub.services.publish``), or, for the
alert scan's, after a notice on ``NOTIFICATIONS_CHANNEL``; both fall back to polling.
"""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from hub import clock
from hub.domain import notifications as rules
from hub.domain.engine import CaseFacts, Party
from hub.domain.errors import ValidationFailed
from hub.domain.ids import database_id
from hub.domain.kinds import PERSON_PARTIES, KindSpec
from hub.domain.roles import Actor, ActorKind, Role, Side
from hub.kinds.registry import spec_of
from hub.models import Case, CaseEvent, CaseParty, Notification, Unit, User
from hub.services.visibility import facts_of

log = logging.getLogger(__name__)

NOTIFICATIONS_CHANNEL = "hub.notifications"
ID_PREFIX = "UserNotification"  # not "Notification": the 通报事项 kind's node ids
MAX_MARK = 500  # ids per markNotificationsRead


class Broadcast(Protocol):
    async def publish(self, channel: str, message: str) -> None: ...


_broadcast: Broadcast | None = None


def use_broadcast(broadcast: Broadcast | None) -> None:
    """Install (or remove) the process's broadcast; set by the app's lifespan."""
    global _broadcast
    _broadcast = broadcast


async def publish(message: dict[str, Any]) -> None:
    """Tell every instance; a lost notice costs latency (they poll), so failures are logged."""
    from hub.pubsub import encode

    if _broadcast is None:
        return
    try:
        await _broadcast.publish(NOTIFICATIONS_CHANNEL, encode(message))
    except Exception:
        log.warning("publishing a notification notice failed", exc_info=True)


# -- writing ---------------------------------------------------------------------------------


async def _people(
    conn: BaseDBAsyncClient | None, unit_ids: Iterable[int], user_ids: Iterable[int]
) -> list[rules.Person]:
    units, users = sorted(set(unit_ids)), sorted(set(user_ids))
    if not units and not users:
        return []
    query = User.filter(is_active=True).filter(Q(unit_id__in=units) | Q(id__in=users))
    if conn is not None:
        query = query.using_db(conn)
    rows = await query.order_by("id").values_list(
        "id", "display_name", "role", "unit_id", "unit__side"
    )
    return [
        rules.Person(i, name, Role(role), unit, Side(side)) for i, name, role, unit, side in rows
    ]


def _label(spec: KindSpec, case: Case) -> rules.CaseLabel:
    return rules.CaseLabel(spec.label, case.case_no, case.title)


async def notify_event(
    conn: BaseDBAsyncClient,
    actor: Actor,
    case: Case,
    event: CaseEvent,
    before: CaseFacts | None,
) -> int:
    """Write the notifications of one event in the caller's transaction (``before``: the case
    as it was before the step, None for a new case); returns how many."""
    spec = spec_of(case.kind)
    parties = list(await CaseParty.filter(case_id=case.id).using_db(conn).order_by("id"))
    after = facts_of(case, parties)
    mentions = rules.mentions_of(event.payload) if event.action == rules.COMMENT_ACTION else ()
    persons = [p.user_id for p in parties if p.role in PERSON_PARTIES and p.user_id is not None]
    people = await _people(conn, {p.unit_id for p in parties}, [*persons, *mentions])
    unit = await Unit.filter(id=actor.unit_id).using_db(conn).first()
    step = rules.Step(
        action=event.action,
        action_label=spec.action_label(event.action),
        internal=event.internal,
        actor=actor,
        actor_unit_name=unit.name if unit is not None else actor.name,
        mentions=mentions,
        lifecycle=event.action == "create" or spec.transition_for(event.action) is not None,
    )
    notices = rules.event_notices(spec, step, before, after, people, _label(spec, case))
    if not notices:
        return 0
    await Notification.bulk_create(
        [
            Notification(
                user_id=n.user_id,
                case_id=case.id,
                seq=event.seq,
                topic=n.topic.value,
                text=n.text,
                dedupe_key=rules.event_key(event.seq, n.user_id),
                created_at=event.created_at,
            )
            for n in notices
        ],
        using_db=conn,
    )
    return len(notices)


@dataclass(frozen=True, slots=True)
class OverdueClock:
    """A clock the alert scan found overdue, with the user ids of its alert's recipients."""

    case_id: int
    clock: str
    clock_label: str
    version: int
    state: str
    case_no: str
    title: str
    parties: Sequence[Party]
    recipients: Sequence[int]


async def notify_overdue(spec: KindSpec, clocks: Sequence[OverdueClock], at: datetime) -> int:
    """The overdue notifications of these clocks, each once per clock version and user
    (a second scan, or another instance's, inserts nothing); returns how many were due."""
    people = {
        p.user_id: p for p in await _people(None, (), [u for c in clocks for u in c.recipients])
    }
    rows = []
    for c in clocks:
        facts = CaseFacts(state=c.state, parties=tuple(c.parties))
        label = rules.CaseLabel(spec.label, c.case_no, c.title)
        recipients = [people[u] for u in c.recipients if u in people]
        for n in rules.overdue_notices(spec, facts, recipients, label, c.clock_label):
            key = rules.overdue_key(c.case_id, c.clock, c.version, n.user_id)
            rows.append(Notification(user_id=n.user_id, case_id=c.case_id, seq=None,
                                     topic=n.topic.value, text=n.text, dedupe_key=key,
                                     created_at=at))  # fmt: skip
    if rows:
        rows.sort(key=lambda n: n.dedupe_key)  # concurrent scans lock keys in one order
        await Notification.bulk_create(rows, ignore_conflicts=True)
        await publish({"new": True})
    return len(rows)


# -- reading ---------------------------------------------------------------------------------


def global_id(notification_id: int) -> str:
    return base64.b64encode(f"{ID_PREFIX}:{notification_id}".encode()).decode()


def parse_id(value: str, field: str = "ids") -> int:
    try:
        raw = base64.b64decode(value.encode(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raw = ""
    pk = database_id(raw.removeprefix(f"{ID_PREFIX}:")) if raw.startswith(f"{ID_PREFIX}:") else None
    if pk is None:
        raise ValidationFailed("无效的通知 ID", field=field)
    return pk


async def latest_id(query: QuerySet[Notification]) -> int:
    """The highest id among ``query``'s rows, 0 when there are none."""
    row = await query.order_by("-id").only("id").first()
    return row.id if row is not None else 0


def _user_id(actor: Actor) -> int | None:
    """Notifications belong to people; an API token has none."""
    return actor.id if actor.kind is ActorKind.USER else None


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Notification]
    has_more: bool
    end_cursor: str | None


async def list_notifications(
    actor: Actor,
    *,
    first: int = 20,
    after: str | None = None,
    unread_only: bool = False,
    max_page: int = 100,
) -> Page:
    """The actor's notifications, newest first, ``first`` at a time after the cursor ``after``
    (keyset by id), each with its case loaded."""
    if first < 0 or first > max_page:
        raise ValidationFailed(f"first 须在 0 到 {max_page} 之间", field="first")
    user_id = _user_id(actor)
    if user_id is None:
        return Page([], False, None)
    query = Notification.filter(user_id=user_id)
    if after is not None:
        query = query.filter(id__lt=parse_id(after, "after"))
    if unread_only:
        query = query.filter(read_at__isnull=True)
    rows = list(await query.select_related("case").order_by("-id").limit(first + 1))
    items = rows[:first]
    return Page(items, len(rows) > first, global_id(items[-1].id) if items else None)


async def unread_count(actor: Actor) -> int:
    user_id = _user_id(actor)
    return 0 if user_id is None else await unread_count_of(user_id)


async def unread_count_of(user_id: int) -> int:
    return await Notification.filter(user_id=user_id, read_at__isnull=True).count()


@dataclass(frozen=True, slots=True)
class Marked:
    ids: list[int]  # the notifications this call marked read (everything: empty)
    everything: bool
    unread: int


async def mark_read(
    actor: Actor,
    *,
    ids: Sequence[str] | None = None,
    everything: bool = False,
    now: datetime | None = None,
) -> Marked:
    """Mark some (``ids``) or all of the actor's notifications read, for every tab and device
    of theirs; someone else's or unknown ids are ignored alike. Tells their open sockets."""
    if everything == (ids is not None):
        raise ValidationFailed("请指定要标为已读的通知，或选择全部标为已读", field="ids")
    if ids is not None and len(ids) > MAX_MARK:
        raise ValidationFailed(f"一次最多标记 {MAX_MARK} 条通知", field="ids")
    pks = sorted({parse_id(i) for i in ids or ()})
    user_id = _user_id(actor)
    if user_id is None:
        return Marked([], everything, 0)
    at = now or clock.now()
    unread = Notification.filter(user_id=user_id, read_at__isnull=True)
    marked: list[int] = []
    if everything:
        latest = await latest_id(unread)
        if latest and await unread.filter(id__lte=latest).update(read_at=at):
            await publish({"user": user_id, "all": latest})
    else:
        marked = [row.id for row in await unread.filter(id__in=pks).only("id")]
        if marked:
            await unread.filter(id__in=marked).update(read_at=at)
            await publish({"user": user_id, "read": sorted(marked)})
    return Marked(sorted(marked), everything, await unread_count(actor))
