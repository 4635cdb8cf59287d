"""Sending the outbox: claim due rows, send them over one SMTP connection, mark each.

A claim sets ``claimed_until`` (a lease) and a ``claim_token`` on due PENDING rows. On
PostgreSQL the candidates are read ``FOR UPDATE SKIP LOCKED`` inside a short transaction, so
instances scanning at once take different rows. On SQLite ``skip_locked`` is dropped and the
single writer serializes claims. On both, the claiming UPDATE repeats the "due and unclaimed"
condition, so a row can only be claimed by one sender whatever the locking does. No
transaction is open while talking to SMTP.

An SMTP failure (refused connection, timeout, temporary error) leaves the row PENDING with
``attempts`` + 1, ``last_error`` and ``next_attempt_at`` moved forward with back-off. A
recipient the server refuses for good (5xx) becomes FAILED, and so does a row that cannot
become an email (an address that is no address, a message the server cannot take) and one
that hit an unexpected error: each with its reason in ``last_error``, and the rest of the
batch goes on. No value of a row can break a header: ``build_message`` makes every header
value one line. An alert that became moot while
it waited (its clock stopped or stopped counting — a reply, an objection —, moved to a new
version, or reached a later level) becomes CANCELLED.
"""

from __future__ import annotations

import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage

import aiosmtplib
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from hub import clock
from hub.alerts.smtp import (
    MalformedEmail,
    SmtpTarget,
    build_message,
    parse_smtp_url,
    sender_domain,
)
from hub.domain.alerts import still_applies
from hub.domain.engine import ClockStatus, clock_facts
from hub.domain.kinds import KindSpec
from hub.kinds.registry import SPECS
from hub.models import CaseClock, OutboxEmail, OutboxStatus
from hub.settings import Settings

log = logging.getLogger(__name__)

BATCH_SIZE = 20
FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=1)
_STEPS_PER_MESSAGE = 4  # MAIL, RCPT, DATA, end of data: each may take up to the timeout


def backoff(attempts: int) -> timedelta:
    """30 s after the first failure, doubling, at most an hour."""
    if attempts < 1:
        return timedelta(0)
    delay: timedelta = FIRST_RETRY * 2 ** min(attempts - 1, 20)
    return min(delay, MAX_RETRY)


def lease_for(target: SmtpTarget, batch_size: int) -> timedelta:
    """Long enough to connect and send a whole batch, each step at its timeout, and then some."""
    return timedelta(seconds=60 + target.timeout * _STEPS_PER_MESSAGE * (batch_size + 1))


@dataclass
class Delivery:
    sent: int = 0
    retry: int = 0  # failed attempts, to be retried after back-off
    rejected: int = 0  # refused for good
    cancelled: int = 0


@dataclass(frozen=True, slots=True)
class Claim:
    token: str
    rows: list[OutboxEmail]


def _due(now: datetime) -> Q:
    unclaimed = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) & unclaimed


async def claim_due(now: datetime, lease: timedelta, limit: int = BATCH_SIZE) -> Claim:
    """Claim up to ``limit`` due PENDING rows for this sender until ``now + lease``."""
    token = uuid.uuid4().hex
    due = OutboxEmail.filter(_due(now)).order_by("next_attempt_at", "id").limit(limit)
    claim = {"claimed_until": now + lease, "claim_token": token}
    db = OutboxEmail._meta.db
    if db.capabilities.support_for_update:
        async with in_transaction(db.connection_name) as conn:
            locked = await due.select_for_update(skip_locked=True).only("id").using_db(conn)
            ids = [row.id for row in locked]
            if ids:
                await OutboxEmail.filter(_due(now), id__in=ids).using_db(conn).update(**claim)
    else:
        # SQLite: one writer at a time, and this single UPDATE re-checks the condition.
        ids = [row[0] for row in await due.values_list("id")]
        if ids:
            await OutboxEmail.filter(_due(now), id__in=ids).update(**claim)
    if not ids:
        return Claim(token, [])
    rows = await OutboxEmail.filter(id__in=ids, claim_token=token).order_by("id")
    return Claim(token, list(rows))


async def send_due(
    settings: Settings,
    *,
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    specs: Iterable[KindSpec] = SPECS,
) -> Delivery:
    """Send every due PENDING row, a batch per connection, until none is left or SMTP fails."""
    if settings.smtp_url is None:
        return Delivery()
    target = parse_smtp_url(settings.smtp_url.get_secret_value(), timeout=settings.smtp_timeout_s)
    fixed = now.astimezone(UTC) if now is not None else None  # stored instants are UTC
    current: Callable[[], datetime] = (lambda: fixed) if fixed is not None else clock.now
    lease = lease_for(target, batch_size)
    total = Delivery()
    while True:
        claim = await claim_due(current(), lease, batch_size)
        if not claim.rows:
            break
        batch, connection_ok = await _deliver(claim, target, settings, current, lease, specs)
        total.sent += batch.sent
        total.retry += batch.retry
        total.rejected += batch.rejected
        total.cancelled += batch.cancelled
        if not connection_ok:
            break  # the server is down or broke off: the rest waits for the next run
    return total


async def _deliver(
    claim: Claim,
    target: SmtpTarget,
    settings: Settings,
    current: Callable[[], datetime],
    lease: timedelta,
    specs: Iterable[KindSpec],
) -> tuple[Delivery, bool]:
    started = time.monotonic()
    result = Delivery()
    rows = await _drop_moot(claim, current(), result, specs)
    if not rows:
        return result, True
    smtp = target.client()
    try:
        await smtp.connect()
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        smtp.close()
        error = _describe(exc, target)
        log.warning("邮件服务器不可用，%d 封提醒稍后重试：%s", len(rows), error)
        for row in rows:
            await _retry(row, claim.token, error, current())
        result.retry += len(rows)
        return result, False
    connection_ok = True
    domain = sender_domain(settings.smtp_from)
    try:
        for index, row in enumerate(rows):
            budget_left = lease.total_seconds() - (time.monotonic() - started)
            if budget_left < target.timeout * _STEPS_PER_MESSAGE + 30:
                await _release(rows[index:], claim.token)  # the lease is running out
                break
            try:
                message = _message(row, settings.smtp_from, domain, current())
            except Exception as exc:
                # Nothing was said to the server: the next row goes over the same connection.
                if not isinstance(exc, MalformedEmail):  # a bug: the log shows it
                    log.exception("提醒邮件 #%d 生成时出现意外错误", row.id)
                reason = str(exc) if isinstance(exc, MalformedEmail) else _describe(exc, target)
                await _reject(row, claim.token, f"邮件无法生成：{reason}", current())
                result.rejected += 1
                continue
            try:
                await smtp.send_message(message)
            except aiosmtplib.SMTPRecipientsRefused as exc:
                error = _describe(exc, target)
                if all(r.code >= 500 for r in exc.recipients):
                    await _reject(row, claim.token, error, current())
                    result.rejected += 1
                else:
                    await _retry(row, claim.token, error, current())
                    result.retry += 1
            except aiosmtplib.SMTPNotSupported as exc:
                # The message needs what this server lacks (SMTPUTF8 for a non-ASCII
                # address): raised before the envelope was sent, so the connection is fine.
                await _reject(row, claim.token, _describe(exc, target), current())
                result.rejected += 1
            except aiosmtplib.SMTPResponseException as exc:
                # The server answered, so the connection is still usable for the next one.
                await _retry(row, claim.token, _describe(exc, target), current())
                result.retry += 1
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                error = _describe(exc, target)
                log.warning("发送提醒时与邮件服务器的连接中断：%s", error)
                await _retry(row, claim.token, error, current())
                result.retry += 1
                await _release(rows[index + 1 :], claim.token)
                connection_ok = False
                break
            except Exception as exc:  # a bug: this row fails, the rest go on a new connection
                log.exception("提醒邮件 #%d 发送时出现意外错误", row.id)
                await _reject(row, claim.token, f"发送时出现意外错误：{_describe(exc, target)}",
                              current())  # fmt: skip
                result.rejected += 1
                await _release(rows[index + 1 :], claim.token)
                break
            else:
                await _mark_sent(row, claim.token, current())
                result.sent += 1
    finally:
        await _close(smtp)
    return result, connection_ok


async def _drop_moot(
    claim: Claim, now: datetime, result: Delivery, specs: Iterable[KindSpec]
) -> list[OutboxEmail]:
    """Cancel the claimed rows whose alert no longer applies; return the rest.

    An alert is moot when its clock is gone or stopped, moved (a new version), no longer
    counts (the case left the clock's ``runs_in`` states), or is at another level today.
    """
    by_kind = {spec.kind.value: spec for spec in specs}
    clocks = {
        (case_id, name): (kind, state, ClockStatus(status), due_on, version)
        for case_id, name, status, due_on, version, kind, state in await CaseClock.filter(
            case_id__in={row.case_id for row in claim.rows}
        ).values_list("case_id", "name", "status", "due_on", "version", "case__kind", "case__state")
    }
    today = clock.business_date(now)
    keep = []
    for row in claim.rows:
        if _applies(row, clocks.get((row.case_id, row.clock)), by_kind, today):
            keep.append(row)
            continue
        await _finish(
            row,
            claim.token,
            status=OutboxStatus.CANCELLED,
            last_error="发送前情况已变化（期限已停止、重算或已进入下一级提醒），不再发送",
        )
        result.cancelled += 1
    return keep


_StoredClock = tuple[str, str, ClockStatus, date | None, int]


def _applies(
    row: OutboxEmail, stored: _StoredClock | None, by_kind: dict[str, KindSpec], today: date
) -> bool:
    if stored is None:
        return False
    kind, state, status, due_on, version = stored
    spec = by_kind.get(kind)
    clock_spec = next((c for c in spec.clocks if c.name == row.clock), None) if spec else None
    if spec is None or clock_spec is None or clock_spec.alert is None:
        return False
    if version != row.deadline_version:
        return False
    facts = clock_facts(spec, state, row.clock, status, due_on)
    return still_applies(clock_spec.alert, row.level, facts, today)


def _message(row: OutboxEmail, sender: str, domain: str, now: datetime) -> EmailMessage:
    digest = hashlib.sha256(row.dedupe_key.encode()).hexdigest()[:16]
    return build_message(
        sender=sender,
        recipient_name=row.recipient_name,
        recipient_email=row.recipient_email,
        subject=row.subject,
        body=row.body,
        message_id=f"<hub-alert-{row.id}-{digest}@{domain}>",
        date=now,
    )


def _describe(exc: BaseException, target: SmtpTarget) -> str:
    detail = str(exc) or exc.__class__.__name__
    return f"{target.label}: {exc.__class__.__name__}: {detail}"[:2000]


async def _finish(row: OutboxEmail, token: str, **changes: object) -> None:
    updated = await OutboxEmail.filter(id=row.id, claim_token=token).update(
        claimed_until=None, claim_token=None, **changes
    )
    if updated != 1:
        log.warning("提醒邮件 #%d 的认领已过期，结果未记录：%s", row.id, changes)


async def _mark_sent(row: OutboxEmail, token: str, now: datetime) -> None:
    await _finish(
        row,
        token,
        status=OutboxStatus.SENT,
        sent_at=now,
        attempts=row.attempts + 1,  # last_error stays: the reason it took more than one try
    )


async def _retry(row: OutboxEmail, token: str, error: str, now: datetime) -> None:
    attempts = row.attempts + 1
    await _finish(
        row, token, attempts=attempts, last_error=error, next_attempt_at=now + backoff(attempts)
    )


async def _reject(row: OutboxEmail, token: str, error: str, now: datetime) -> None:
    await _finish(
        row, token, status=OutboxStatus.FAILED, attempts=row.attempts + 1, last_error=error
    )


async def _release(rows: list[OutboxEmail], token: str) -> None:
    """Give back rows this sender did not try, unchanged, for the next run."""
    if rows:
        await OutboxEmail.filter(id__in=[r.id for r in rows], claim_token=token).update(
            claimed_until=None, claim_token=None
        )


async def _close(smtp: aiosmtplib.SMTP) -> None:
    if not smtp.is_connected:
        smtp.close()
        return
    try:
        await smtp.quit()
    except (aiosmtplib.SMTPException, OSError, TimeoutError):
        pass
    finally:
        smtp.close()
