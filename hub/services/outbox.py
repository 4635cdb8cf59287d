"""Reading the email outbox: who may see which alert emails, decided here once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.functions import Max
from tortoise.queryset import QuerySet

from hub.domain.alerts import AlertLevel
from hub.domain.errors import ValidationFailed
from hub.domain.roles import Actor, ActorKind, Role
from hub.models import Case, OutboxEmail, OutboxStatus


def visible_emails(actor: Actor) -> QuerySet[OutboxEmail]:
    """The Linkage Office sees every email. Any other user sees the emails addressed to them.
    API tokens (and anything else that is not a person) see none."""
    if actor.kind is not ActorKind.USER:
        return OutboxEmail.filter(id__in=[])
    if actor.role is Role.OFFICE_ADMIN:
        return OutboxEmail.all()
    return OutboxEmail.filter(recipient_user_id=actor.id)


async def list_emails(
    actor: Actor, *, first: int = 50, status: OutboxStatus | None = None, max_page: int = 200
) -> list[OutboxEmail]:
    """The newest emails this actor may see, each with its case (of any kind) loaded.

    The case is shown as the email shows it (kind, number, title) to whoever may read the
    email, whether or not they may open the case itself.
    """
    if first < 0 or first > max_page:
        raise ValidationFailed(f"first 须在 0 到 {max_page} 之间", field="first")
    query = visible_emails(actor)
    if status is not None:
        query = query.filter(status=status)
    rows = await query.select_related("case").order_by("-created_at", "-id").limit(first)
    return list(rows)


# One alert: a level of one clock version of one case; its emails are one per recipient.
_ALERT = ("case_id", "clock", "deadline_version", "level")


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert with the emails of it this actor may see (one per recipient, in id order)."""

    case: Case
    clock: str
    deadline_version: int
    level: AlertLevel
    emails: list[OutboxEmail]

    @property
    def created_at(self) -> datetime:
        return min(e.created_at for e in self.emails)


def _alerts_query(actor: Actor, status: OutboxStatus | None) -> QuerySet[OutboxEmail]:
    query = visible_emails(actor)
    return query.filter(status=status) if status is not None else query


async def list_alerts(
    actor: Actor, *, first: int = 50, status: OutboxStatus | None = None, max_page: int = 200
) -> list[Alert]:
    """The newest alerts this actor may see, each once with its recipients' emails (of
    ``status``, if given): the Linkage Office sees every recipient, anyone else themselves."""
    if first < 0 or first > max_page:
        raise ValidationFailed(f"first 须在 0 到 {max_page} 之间", field="first")
    query = _alerts_query(actor, status)
    keys = (
        await query.annotate(newest=Max("id"))
        .group_by(*_ALERT)
        .order_by("-newest")
        .limit(first)
        .values(*_ALERT, "newest")
    )
    if not keys:
        return []
    emails = await (
        _alerts_query(actor, status)
        .filter(case_id__in={k["case_id"] for k in keys})
        .select_related("case")
        .order_by("id")
    )
    grouped: dict[tuple[object, ...], list[OutboxEmail]] = {}
    for email in emails:
        grouped.setdefault(tuple(getattr(email, f) for f in _ALERT), []).append(email)
    alerts = []
    for k in keys:
        found = grouped.get(
            (k["case_id"], k["clock"], k["deadline_version"], AlertLevel(k["level"]))
        )
        if found:
            first_email = found[0]
            alerts.append(Alert(first_email.case, first_email.clock, first_email.deadline_version,
                                first_email.level, found))  # fmt: skip
    return alerts


async def count_alerts(actor: Actor, status: OutboxStatus | None = None) -> int:
    """How many alerts (not emails) this actor may see."""
    rows = await _alerts_query(actor, status).distinct().values_list(*_ALERT)
    return len(rows)
