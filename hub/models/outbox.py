"""The email outbox: an alert is a row here before it is an email."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.domain.alerts import AlertLevel, RecipientRole

if TYPE_CHECKING:
    from hub.models.account import User
    from hub.models.case import Case


class OutboxStatus(StrEnum):
    PENDING = "pending"  # to be sent (again) at next_attempt_at
    SENT = "sent"  # the SMTP server accepted it
    HELD = "held"  # no SMTP server configured: kept in the outbox and shown in the app
    FAILED = "failed"  # the SMTP server refused the recipient for good (5xx)
    CANCELLED = "cancelled"  # moot before it could be sent: replied, new deadline, later level


class OutboxEmail(Model):
    """One alert email to one recipient. ``dedupe_key`` (case, clock, deadline version,
    level, address) is unique, so deciding the same alert twice, in one process or in several,
    inserts one row. Senders claim rows with a lease (``claimed_until`` and ``claim_token``)
    and a failed send moves ``next_attempt_at`` forward with back-off."""

    id = fields.IntField(primary_key=True)
    dedupe_key = fields.CharField(max_length=320, unique=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="outbox_emails", on_delete=fields.CASCADE
    )
    case_id: int
    clock = fields.CharField(max_length=32, default="reply", description="the clock alerted on")
    deadline_version = fields.IntField(description="the clock's version when decided")
    level = fields.CharEnumField(AlertLevel, max_length=16)
    recipient_user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "hub.User", related_name="outbox_emails", null=True, on_delete=fields.SET_NULL
    )
    recipient_user_id: int | None
    recipient_role = fields.CharEnumField(RecipientRole, max_length=16)
    recipient_name = fields.CharField(max_length=64)
    recipient_email = fields.CharField(max_length=254)
    subject = fields.CharField(max_length=255)
    body = fields.TextField()
    status = fields.CharEnumField(OutboxStatus, max_length=16)
    attempts = fields.IntField(default=0)
    next_attempt_at = fields.DatetimeField()
    claimed_until = fields.DatetimeField(null=True)
    claim_token = fields.CharField(max_length=32, null=True)
    last_error = fields.TextField(default="")
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_email"
        indexes = (
            ("case_id", "clock", "deadline_version", "level"),
            ("status", "next_attempt_at"),
            ("recipient_user_id", "created_at"),
        )
