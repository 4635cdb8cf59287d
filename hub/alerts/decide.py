"""Deciding due alerts: scan the clocks in SQL, ask ``hub.domain.alerts``, insert into the outbox.

Every kind's clocks with an ``AlertPolicy`` are scanned, each with its own thresholds. The scan
filters in SQL (``hub.alerts.sql.scan_sql``): the clock running, the case in one of the
clock's ``runs_in`` states, a last day within the policy's window, and no outbox row yet for
the level that last day is at today, at the clock's version. So a pass over 100k cases whose
alerts are all decided reads nothing into Python. The rows it does read come as tuples, in
primary-key chunks, with a yield to the event loop between chunks.

Rows are inserted with ``ON CONFLICT DO NOTHING`` on the unique dedupe key (case, clock,
clock version, level, address): deciding twice, in one process or in several at once,
inserts each alert once. A case-level that has its rows is not decided again, so a liaison
officer added later receives the next level, not one already decided.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from strawberry.relay import to_base64

from hub import clock
from hub.alerts.smtp import one_line
from hub.alerts.sql import INSERT_BATCH, INSERT_COLUMNS, insert_sql, scan_sql
from hub.domain.alerts import (
    AGENCY_PARTIES,
    AlertContent,
    AlertLevel,
    Directory,
    Person,
    Recipient,
    alert_level,
    case_link,
    dedupe_key,
    normalize_email,
    recipients,
    render_body,
    render_subject,
)
from hub.domain.engine import ClockStatus, Party, clock_facts
from hub.domain.kinds import PARTY_LABELS, ClockSpec, KindSpec, PartyRole
from hub.domain.roles import Role
from hub.kinds.registry import SPECS
from hub.models import Case, CaseParty, OutboxEmail, OutboxStatus, Unit, User
from hub.services.notifications import OverdueClock, notify_overdue
from hub.settings import Settings

CHUNK_SIZE = 500


@dataclass(frozen=True, slots=True)
class Decided:
    inserted: int = 0
    held: int = 0  # of the inserted, kept in the outbox because no SMTP server is configured


def alerting_clocks(specs: Iterable[KindSpec] = SPECS) -> list[tuple[KindSpec, ClockSpec]]:
    """Every (kind, clock) whose clock spec has an alert policy, in registry order."""
    return [(spec, c) for spec in specs for c in spec.clocks if c.alert is not None]


async def load_directory() -> Directory:
    rows = (
        await User.filter(is_active=True)
        .exclude(email="")
        .order_by("id")
        .values_list("id", "display_name", "email", "role", "unit_id")
    )
    by_id: dict[int, Person] = {}
    by_role: dict[Role, dict[int, list[Person]]] = defaultdict(lambda: defaultdict(list))
    for user_id, name, email, role, unit_id in rows:
        if not normalize_email(email):
            continue
        person = Person(user_id, name, email.strip())
        by_id[user_id] = person
        by_role[Role(role)][unit_id].append(person)

    def of(role: Role) -> dict[int, tuple[Person, ...]]:
        return {unit: tuple(people) for unit, people in by_role[role].items()}

    office = tuple(p for people in of(Role.OFFICE_ADMIN).values() for p in people)
    return Directory(
        by_id=by_id,
        liaisons=of(Role.UNIT_LIAISON),
        approvers=of(Role.PROCURATOR_APPROVER),
        office=tuple(sorted(office, key=lambda p: p.user_id)),
    )


@dataclass(frozen=True, slots=True)
class _Row:
    """One clock the scan found undecided, with what its emails say about the case."""

    clock_id: int
    case_id: int
    version: int
    due_on: date
    explanation: str
    state: str
    case_no: str
    title: str


@dataclass(frozen=True, slots=True)
class _Candidate:
    key: str
    row: _Row
    level: AlertLevel
    recipient: Recipient


@dataclass
class _Scan:
    """One pass: what it needs once (people, unit names) and what it has inserted."""

    settings: Settings
    at: datetime
    today: date
    status: OutboxStatus
    directory: Directory | None = None
    unit_names: Mapping[int, str] | None = None
    inserted: int = 0

    async def people(self) -> tuple[Directory, Mapping[int, str]]:
        if self.directory is None or self.unit_names is None:
            self.directory = await load_directory()
            self.unit_names = dict(await Unit.all().values_list("id", "name"))
        return self.directory, self.unit_names


async def decide_alerts(
    settings: Settings,
    *,
    now: datetime | None = None,
    chunk_size: int = CHUNK_SIZE,
    specs: Iterable[KindSpec] = SPECS,
) -> Decided:
    """Insert every alert due today, of every kind's alerting clocks, not in the outbox yet.

    Each (kind, clock) is one keyset scan by clock id. Between chunks the scan yields to the
    event loop.
    """
    at = (now or clock.now()).astimezone(UTC)  # stored instants are UTC (SQLite compares text)
    status = OutboxStatus.PENDING if settings.smtp_url is not None else OutboxStatus.HELD
    scan = _Scan(settings, at, clock.business_date(at), status)
    for spec, clock_spec in alerting_clocks(specs):
        await _scan_clock(scan, spec, clock_spec, chunk_size)
    return Decided(scan.inserted, scan.inserted if status is OutboxStatus.HELD else 0)


async def _scan_clock(scan: _Scan, spec: KindSpec, clock_spec: ClockSpec, chunk_size: int) -> None:
    conn = OutboxEmail._meta.db
    dialect = conn.capabilities.dialect
    last_id = 0
    while True:
        sql, values = scan_sql(dialect, spec, clock_spec, scan.today, last_id, chunk_size)
        found = await conn.execute_query_dict(sql, values)
        if not found:
            return
        last_id = found[-1]["id"]
        rows = await _rows(found)
        directory, unit_names = await scan.people()
        parties = await _parties([r.case_id for r in rows])
        candidates = _candidates(spec, clock_spec, rows, parties, scan.today, directory)
        if candidates:
            scan.inserted += await _insert(scan, spec, clock_spec, candidates, parties, unit_names)
            await notify_overdue(spec, _overdue(clock_spec, candidates, parties), scan.at)
        if len(found) < chunk_size:
            return
        await asyncio.sleep(0)  # let requests run between chunks


def _overdue(
    clock_spec: ClockSpec, candidates: list[_Candidate], parties: Mapping[int, list[Party]]
) -> list[OverdueClock]:
    """The overdue (or escalated) clocks among the candidates, each with its alert's
    recipients: they are told in the notification centre too (once per clock version)."""
    late: dict[int, tuple[_Row, list[int]]] = {}
    for c in candidates:
        if c.level is not AlertLevel.DUE_SOON:
            late.setdefault(c.row.case_id, (c.row, []))[1].append(c.recipient.person.user_id)
    return [
        OverdueClock(
            row.case_id,
            clock_spec.name,
            clock_spec.label,
            row.version,
            row.state,
            row.case_no,
            row.title,
            parties.get(row.case_id, []),
            users,
        )
        for row, users in late.values()
    ]


async def _rows(found: list[dict[str, Any]]) -> list[_Row]:
    """The clocks found, with their case's state, number and title (read once, here)."""
    cases = {
        case_id: (state, case_no, title)
        for case_id, state, case_no, title in await Case.filter(
            id__in=[r["case_id"] for r in found]
        ).values_list("id", "state", "case_no", "title")
    }
    rows = []
    for r in found:
        if r["case_id"] not in cases:  # pragma: no cover - deleted since the scan read it
            continue
        due = r["due_on"]
        due_on = due if isinstance(due, date) else date.fromisoformat(due)  # SQLite: text
        state, case_no, title = cases[r["case_id"]]
        rows.append(_Row(r["id"], r["case_id"], r["version"], due_on, r["explanation"], state,
                         case_no, title))  # fmt: skip
    return rows


async def _parties(case_ids: list[int]) -> dict[int, list[Party]]:
    rows = (
        await CaseParty.filter(case_id__in=case_ids)
        .order_by("id")
        .values_list("case_id", "role", "unit_id", "user_id")
    )
    parties: dict[int, list[Party]] = defaultdict(list)
    for case_id, role, unit_id, user_id in rows:
        parties[case_id].append(Party(PartyRole(role), unit_id, user_id))
    return parties


def _candidates(
    spec: KindSpec,
    clock_spec: ClockSpec,
    rows: list[_Row],
    parties: Mapping[int, list[Party]],
    today: date,
    directory: Directory,
) -> list[_Candidate]:
    policy = clock_spec.alert
    assert policy is not None
    labels = {**PARTY_LABELS, **spec.party_labels}
    candidates = []
    for row in rows:
        facts = clock_facts(spec, row.state, clock_spec.name, ClockStatus.RUNNING, row.due_on)
        level = alert_level(policy, facts, today)
        if level is None:  # pragma: no cover - the SQL filter is the same rule
            continue
        for recipient in recipients(policy, level, directory, parties.get(row.case_id, []), labels):
            key = dedupe_key(row.case_id, clock_spec.name, row.version, level,
                             recipient.person.email)  # fmt: skip
            candidates.append(_Candidate(key, row, level, recipient))
    return candidates


def _content(
    spec: KindSpec,
    clock_spec: ClockSpec,
    row: _Row,
    parties: list[Party],
    unit_names: Mapping[int, str],
    base_url: str,
) -> AlertContent:
    assert clock_spec.alert is not None
    agencies = tuple(
        (spec.party_label(p.role), unit_names.get(p.unit_id, ""))
        for role in AGENCY_PARTIES
        for p in parties
        if p.role is role
    )
    return AlertContent(
        kind_label=spec.label,
        case_no_label=spec.case_no_label,
        case_no=row.case_no,
        title=row.title,
        agencies=agencies,
        clock_label=clock_spec.label,
        due_on=row.due_on,
        due_explanation=row.explanation,
        link=case_link(base_url, to_base64(spec.graphql_type, row.case_id)),
        wording=clock_spec.alert.wording,
    )


async def _insert(
    scan: _Scan,
    spec: KindSpec,
    clock_spec: ClockSpec,
    candidates: list[_Candidate],
    parties: Mapping[int, list[Party]],
    unit_names: Mapping[int, str],
) -> int:
    """Render and insert; return how many rows this call added (another scan may race it).

    A statement holds whole cases, so a case-level is never half inserted, and its rows are
    sorted by key, so concurrent inserts take the unique-index locks in the same order.
    """
    by_case: dict[int, list[_Candidate]] = defaultdict(list)
    for c in candidates:
        by_case[c.row.case_id].append(c)
    conn = OutboxEmail._meta.db
    ids = sorted(by_case)
    inserted = 0
    batch: list[object] = []
    for position, case_id in enumerate(ids):
        group = sorted(by_case[case_id], key=lambda c: c.key)
        content = _content(spec, clock_spec, group[0].row, parties.get(case_id, []), unit_names,
                           scan.settings.base_url)  # fmt: skip
        for c in group:
            batch.extend(_values(c, clock_spec.name, content, scan))
        rows = len(batch) // len(INSERT_COLUMNS)
        if rows >= INSERT_BATCH or position == len(ids) - 1:
            added = await conn.execute_query_dict(
                insert_sql(conn.capabilities.dialect, rows), batch
            )
            inserted += len(added)
            batch = []
    return inserted


def _values(
    c: _Candidate, clock_name: str, content: AlertContent, scan: _Scan
) -> tuple[object, ...]:
    """One row in ``INSERT_COLUMNS`` order."""
    person = c.recipient.person
    return (
        c.key,
        c.row.case_id,
        clock_name,
        c.row.version,
        c.level.value,
        person.user_id,
        c.recipient.role.value,
        one_line(person.name, 64),
        person.email,
        one_line(render_subject(c.level, content), 255),  # a header: one line, whatever the data
        render_body(c.level, content, c.recipient, scan.today),
        scan.status.value,
        0,
        scan.at,
        None,
        "",
        scan.at,
    )
