"""Reading the email outbox: who may see which alert emails, decided here once."""

from __future__ import annotations

from tortoise.queryset import QuerySet

from hub.domain.errors import ValidationFailed
from hub.domain.roles import Actor, ActorKind, Role
from hub.models import OutboxEmail, OutboxStatus


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
