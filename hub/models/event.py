"""The event log: the audit trail and the source of live updates."""

from __future__ import annotations

from typing import Any

from tortoise import fields
from tortoise.models import Model

from hub.domain.roles import ActorKind


class CaseEvent(Model):
    """One step on one case. ``seq`` is allocated from ``EventCounter`` inside the writing
    transaction, so sequence order is commit order."""

    id = fields.IntField(primary_key=True)
    seq = fields.BigIntField(unique=True)
    case: fields.ForeignKeyRelation[Any] = fields.ForeignKeyField(
        "hub.Case", related_name="events", on_delete=fields.CASCADE
    )
    case_id: int
    action = fields.CharField(max_length=48)
    from_state = fields.CharField(max_length=32, null=True)
    to_state = fields.CharField(max_length=32)
    version = fields.IntField(description="the case's version after this step")
    actor_kind = fields.CharEnumField(ActorKind, max_length=16)
    actor_id = fields.IntField()
    actor_name = fields.CharField(max_length=128)
    actor_unit_id = fields.IntField()
    comment = fields.TextField(default="")
    payload: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    internal = fields.BooleanField(default=False, description="hidden from the government side")
    created_at = fields.DatetimeField()
    # SHA-256 (hex) of the previous event's hash and this event's canonical content
    # (hub.services.audit); null only for events written before the chain, until backfilled.
    hash = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "case_event"
        ordering = ("seq",)
        indexes = (("case_id", "seq"),)


class EventCounter(Model):
    """A single row whose ``value`` is the last allocated event sequence."""

    id = fields.IntField(primary_key=True)
    value = fields.BigIntField(default=0)

    class Meta:
        table = "event_counter"
