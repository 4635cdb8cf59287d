"""Deciding due alerts: scan the cases in SQL, ask ``hub.domain.alerts``, insert into the outbox.

The scan filters in SQL: a state awaiting a reply, a deadline within 3 days or past, and no
outbox row yet for the level that deadline is at today, at the case's deadline version. So a
pass over 100k cases whose alerts are all decided reads nothing into Python. The rows it does
read come as tuples, in primary-key chunks, with a yield to the event loop between chunks.

Rows are inserted with ``ON CONFLICT DO NOTHING`` on the unique dedupe key (case, deadline
version, level, address): deciding twice, in one process or in several at once, inserts
each alert once. A case-level that has its rows is not decided again, so a liaison officer
added later receives the next level, not one already decided.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import cast

from strawberry.relay import to_base64
from tortoise.expressions import RawSQL
from tortoise.queryset import QuerySet

from hub import clock
from hub.domain.alerts import (
    AlertContent,
    AlertLevel,
    CasePeople,
    Person,
    Recipient,
    alert_level,
    dedupe_key,
    due_range,
    normalize_email,
    recipients,
    render_body,
    render_subject,
)
from hub.domain.lifecycle import AWAITING_REPLY, CaseFacts, State
from hub.domain.roles import Role
from hub.models import OutboxEmail, OutboxStatus, Recommendation, Unit, User
from hub.settings import Settings

CHUNK_SIZE = 500


@dataclass(frozen=True, slots=True)
class Decided:
    inserted: int = 0
    held: int = 0  # of the inserted, kept in the outbox because no SMTP server is configured


@dataclass
class Directory:
    """The people alerts can go to, loaded once per scan (active users with an email)."""

    by_id: dict[int, Person] = field(default_factory=dict)
    liaisons: dict[int, tuple[Person, ...]] = field(default_factory=dict)  # by unit id
    approvers: dict[int, tuple[Person, ...]] = field(default_factory=dict)  # by unit id
    office: tuple[Person, ...] = ()

    def people(self, facts: CaseFacts, prosecutor_id: int | None) -> CasePeople:
        return CasePeople(
            liaisons=self.liaisons.get(facts.addressee_unit_id, ()),
            prosecutor=self.by_id.get(prosecutor_id) if prosecutor_id is not None else None,
            office=self.office,
            approvers=self.approvers.get(facts.issuer_unit_id, ()),
        )


async def load_directory() -> Directory:
    rows = (
        await User.filter(is_active=True)
        .exclude(email="")
        .order_by("id")
        .values_list("id", "display_name", "email", "role", "unit_id")
    )
    directory = Directory()
    liaisons: dict[int, list[Person]] = defaultdict(list)
    approvers: dict[int, list[Person]] = defaultdict(list)
    office: list[Person] = []
    for user_id, name, email, role, unit_id in rows:
        if not normalize_email(email):
            continue
        person = Person(user_id, name, email.strip())
        directory.by_id[user_id] = person
        match Role(role):
            case Role.UNIT_LIAISON:
                liaisons[unit_id].append(person)
            case Role.PROCURATOR_APPROVER:
                approvers[unit_id].append(person)
            case Role.OFFICE_ADMIN:
                office.append(person)
            case _:
                pass
    directory.liaisons = {k: tuple(v) for k, v in liaisons.items()}
    directory.approvers = {k: tuple(v) for k, v in approvers.items()}
    directory.office = tuple(office)
    return directory


def recommendation_link(base_url: str, recommendation_id: int) -> str:
    """The card in the app: ``{base_url}/#/recommendation/{GlobalID}``."""
    global_id = to_base64("Recommendation", recommendation_id)
    return f"{base_url.rstrip('/')}/#/recommendation/{global_id}"


@dataclass(frozen=True, slots=True)
class _Candidate:
    key: str
    recommendation_id: int
    deadline_version: int
    level: AlertLevel
    recipient: Recipient


# True when the case already has an outbox row for the level its deadline is at today, at its
# current deadline version: that case-level is decided, and the scan skips it inside the
# database instead of reading it. The level is ``alert_level`` written as SQL, with the
# boundaries from ``due_range`` inlined as ISO date literals (computed here, never input).
# Served by the (recommendation_id, deadline_version, level) index. Relies on a case-level's
# rows being inserted by one statement.
_DECIDED = (
    'EXISTS (SELECT 1 FROM "outbox_email" "o"'
    ' WHERE "o"."recommendation_id" = "recommendation"."id"'
    ' AND "o"."deadline_version" = "recommendation"."deadline_version"'
    ' AND "o"."level" = CASE'
    " WHEN \"recommendation\".\"reply_due\" >= '{due_soon}' THEN '{DUE_SOON}'"
    " WHEN \"recommendation\".\"reply_due\" >= '{overdue}' THEN '{OVERDUE}'"
    " ELSE '{ESCALATION}' END)"
)
_COLUMNS = (
    "id",
    "state",
    "issuer_unit_id",
    "addressee_unit_id",
    "prosecutor_id",
    "reply_due",
    "deadline_version",
)
_Row = tuple[int, str, int, int, int | None, date, int]


def _undecided(state: State, today: date) -> QuerySet[Recommendation]:
    """Cases in ``state`` with an alert due today that has no row yet."""
    due_soon, last = due_range(AlertLevel.DUE_SOON, today)
    overdue, _ = due_range(AlertLevel.OVERDUE, today)
    assert due_soon is not None
    assert overdue is not None
    decided = _DECIDED.format(
        due_soon=due_soon.isoformat(),
        overdue=overdue.isoformat(),
        **{a.name: a.value for a in AlertLevel},
    )
    return (
        Recommendation.filter(state=state, reply_due__lte=last)
        .annotate(decided=RawSQL(decided))
        .filter(decided=False)
    )


async def decide_alerts(
    settings: Settings, *, now: datetime | None = None, chunk_size: int = CHUNK_SIZE
) -> Decided:
    """Insert every alert due today that is not in the outbox yet.

    Each state is one keyset scan by primary key, so the database returns rows in index
    order without sorting the whole window (``state IN (…) ORDER BY id`` sorts it on
    SQLite), and only cases still undecided reach Python. Between chunks the scan yields to
    the event loop.
    """
    at = (now or clock.now()).astimezone(UTC)  # stored instants are UTC (SQLite compares text)
    today = clock.business_date(at)
    status = OutboxStatus.PENDING if settings.smtp_url is not None else OutboxStatus.HELD
    directory: Directory | None = None
    unit_names: dict[int, str] = {}
    inserted = 0
    for state in sorted(AWAITING_REPLY):
        scan = _undecided(state, today)
        last_id = 0
        while True:
            rows = cast(
                "list[_Row]",
                await scan.filter(id__gt=last_id)
                .order_by("id")
                .limit(chunk_size)
                .values_list(*_COLUMNS),
            )
            if not rows:
                break
            last_id = rows[-1][0]
            if directory is None:
                directory = await load_directory()
                unit_names = dict(await Unit.all().values_list("id", "name"))
            candidates = _candidates(rows, today, directory)
            if candidates:
                inserted += await _insert(candidates, settings, status, at, today, unit_names)
            if len(rows) < chunk_size:
                break
            await asyncio.sleep(0)  # let requests run between chunks
    return Decided(inserted, inserted if status is OutboxStatus.HELD else 0)


def _candidates(rows: list[_Row], today: date, directory: Directory) -> list[_Candidate]:
    candidates = []
    for rec_id, state, issuer_id, addressee_id, prosecutor_id, reply_due, version in rows:
        facts = CaseFacts(State(state), issuer_id, addressee_id, reply_due)
        level = alert_level(facts, today)
        if level is None:  # pragma: no cover - the SQL filter is the same rule
            continue
        for recipient in recipients(level, directory.people(facts, prosecutor_id)):
            key = dedupe_key(rec_id, version, level, recipient.person.email)
            candidates.append(_Candidate(key, rec_id, version, level, recipient))
    return candidates


INSERT_BATCH = 200  # rows per INSERT statement (16 parameters each)
INSERT_COLUMNS = (
    "dedupe_key",
    "recommendation_id",
    "deadline_version",
    "level",
    "recipient_user_id",
    "recipient_role",
    "recipient_name",
    "recipient_email",
    "subject",
    "body",
    "status",
    "attempts",
    "next_attempt_at",
    "claimed_until",
    "last_error",
    "created_at",
)


def insert_sql(dialect: str, rows: int) -> str:
    """One multi-row INSERT that skips keys already present and returns the rows it added.

    Tortoise's ``bulk_create(ignore_conflicts=True)`` works on both databases too, but it
    builds a model object per row (~100 µs each here) and cannot say how many rows it added.
    """
    width = len(INSERT_COLUMNS)
    if dialect == "postgres":
        groups = (
            "(" + ", ".join(f"${r * width + c + 1}" for c in range(width)) + ")"
            for r in range(rows)
        )
    elif dialect == "sqlite":
        groups = ("(" + ", ".join("?" * width) + ")" for _ in range(rows))
    else:  # pragma: no cover - the hub runs on SQLite or PostgreSQL
        raise NotImplementedError(f"alerts do not support {dialect}")
    columns = ", ".join(f'"{c}"' for c in INSERT_COLUMNS)
    return (
        f'INSERT INTO "outbox_email" ({columns}) VALUES {", ".join(groups)}'
        ' ON CONFLICT ("dedupe_key") DO NOTHING RETURNING "id"'
    )


async def _insert(
    candidates: list[_Candidate],
    settings: Settings,
    status: OutboxStatus,
    at: datetime,
    today: date,
    unit_names: dict[int, str],
) -> int:
    """Render and insert; return how many rows this call added (another scan may race it).

    A statement holds whole cases, so a case-level is never half inserted, and its rows are
    sorted by key, so concurrent inserts take the unique-index locks in the same order.
    """
    ids = sorted({c.recommendation_id for c in candidates})
    contents: dict[int, AlertContent] = {}
    for rec_id, doc_no, title, addressee_id, reply_due, explanation in await Recommendation.filter(
        id__in=ids
    ).values_list("id", "doc_no", "title", "addressee_unit_id", "reply_due", "due_explanation"):
        contents[rec_id] = AlertContent(
            doc_no=doc_no,
            title=title,
            addressee_unit=unit_names.get(addressee_id, ""),
            reply_due=reply_due,
            due_explanation=explanation,
            link=recommendation_link(settings.base_url, rec_id),
        )
    by_case: dict[int, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_case[c.recommendation_id].append(c)
    conn = OutboxEmail._meta.db
    inserted = 0
    batch: list[object] = []
    for position, rec_id in enumerate(ids):
        content = contents.get(rec_id)
        if content is not None:  # None: deleted since the scan read it
            for c in sorted(by_case[rec_id], key=lambda c: c.key):
                batch.extend(_values(c, content, status, at, today))
        rows = len(batch) // len(INSERT_COLUMNS)
        if rows and (rows >= INSERT_BATCH or position == len(ids) - 1):
            added = await conn.execute_query_dict(
                insert_sql(conn.capabilities.dialect, rows), batch
            )
            inserted += len(added)
            batch = []
    return inserted


def _values(
    c: _Candidate, content: AlertContent, status: OutboxStatus, at: datetime, today: date
) -> tuple[object, ...]:
    """One row in ``INSERT_COLUMNS`` order."""
    person = c.recipient.person
    return (
        c.key,
        c.recommendation_id,
        c.deadline_version,
        c.level.value,
        person.user_id,
        c.recipient.role.value,
        person.name[:64],
        person.email,
        render_subject(c.level, content)[:255],
        render_body(c.level, content, c.recipient, today),
        status.value,
        0,
        at,
        None,
        "",
        at,
    )
