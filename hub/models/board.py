"""What a user keeps about the board: named views (saved filters) and notifications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from hub.domain.kinds import CaseKind

if TYPE_CHECKING:
    from hub.models.account import User
    from hub.models.case import Case


class BoardView(Model):
    """A named set of board filters one user saved for one kind's board. The built-in views
    (我承办的, 本单位, 逾期未回复) are code, not rows. ``criteria`` holds the board filter as its
    GraphQL input names, checked like any input when it is saved and when it is used."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "hub.User", related_name="board_views", on_delete=fields.CASCADE
    )
    user_id: int
    kind = fields.CharEnumField(CaseKind, max_length=32)
    name = fields.CharField(max_length=64)
    criteria: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField()

    class Meta:
        table = "board_view"
        unique_together = (("user_id", "kind", "name"),)


class Notification(Model):
    """Something that concerns one user, shown in the page's notification centre: a case
    addressed to their unit, a step the other side took on their case, their case becoming
    overdue, a comment mentioning them. Written in the transaction of the event it is about
    (``seq``), or by the alert scan for an overdue case; ``dedupe_key`` makes each one once.
    ``read_at`` is the server's unread state, shared by every tab and device of the user."""

    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "hub.User", related_name="notifications", on_delete=fields.CASCADE
    )
    user_id: int
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="notifications", on_delete=fields.CASCADE
    )
    case_id: int
    seq = fields.BigIntField(null=True, description="the event it is about, if any")
    topic = fields.CharField(max_length=32)
    text = fields.CharField(max_length=255)
    dedupe_key = fields.CharField(max_length=200, unique=True)
    created_at = fields.DatetimeField()
    read_at = fields.DatetimeField(null=True)

    class Meta:
        table = "notification"
        indexes = (("user_id", "read_at"), ("user_id", "id"))
