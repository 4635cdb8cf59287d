"""Every case of every kind: one ``case`` row, its parties and its clocks.

A kind keeps what only it has in a detail table whose primary key is a one-to-one link to
the case (``hub.kinds.<kind>.models``), and its own child rows there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.domain.deadlines import PeriodUnit
from hub.domain.engine import ClockStatus
from hub.domain.kinds import CaseKind, ClockOp, PartyRole
from hub.models._fields import nullable_enum

if TYPE_CHECKING:
    from hub.models.account import User
    from hub.models.unit import Unit


class Case(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(CaseKind, max_length=32)
    case_no = fields.CharField(max_length=64, unique=True, description="文号或案号")
    title = fields.CharField(max_length=200)
    state = fields.CharField(max_length=32)
    version = fields.IntField(default=1)
    flags = fields.CharField(
        max_length=200, default="", description="comma-separated facts the kind's guards test"
    )
    internal_note = fields.TextField(default="", description="检察院内部备注，对政府一方不可见")
    author: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "hub.User", related_name="authored_cases", null=True, on_delete=fields.SET_NULL
    )
    author_id: int | None
    source: fields.ForeignKeyNullableRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="spawned", null=True, on_delete=fields.SET_NULL,
        description="the case this one was opened from (a PIL case's recommendation)",
    )  # fmt: skip
    source_id: int | None
    created_at = fields.DatetimeField()
    updated_at = fields.DatetimeField()
    closed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "case"
        indexes = (("kind", "state"),)


class CaseParty(Model):
    """A unit — or one person of it — taking part in a case in a role."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="parties", on_delete=fields.CASCADE
    )
    case_id: int
    role = fields.CharEnumField(PartyRole, max_length=32)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name="case_parties", on_delete=fields.RESTRICT
    )
    unit_id: int
    user: fields.ForeignKeyNullableRelation[User] = fields.ForeignKeyField(
        "hub.User", related_name="case_parties", null=True, on_delete=fields.SET_NULL
    )
    user_id: int | None

    class Meta:
        table = "case_party"
        indexes = (("unit_id", "role", "case_id"), ("case_id", "role"))


class CaseClock(Model):
    """A running, suspended or stopped deadline of a case, computed by the deadline engine.

    ``version`` moves whenever the due date does, so an alert decided for one due date is
    never confused with the next."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="clocks", on_delete=fields.CASCADE
    )
    case_id: int
    name = fields.CharField(max_length=32)
    rule = fields.CharField(max_length=48)
    status = fields.CharEnumField(ClockStatus, max_length=16)
    started_on = fields.DateField()
    started_at = fields.DatetimeField(null=True, description="for hour rules")
    due_on = fields.DateField(null=True)
    due_at = fields.DatetimeField(null=True, description="for hour rules")
    provisional = fields.BooleanField(default=False)
    explanation = fields.TextField(default="")
    version = fields.IntField(default=1)
    custom_amount = fields.IntField(null=True)
    custom_unit = nullable_enum(PeriodUnit, max_length=16)
    suspended_on = fields.DateField(null=True)

    class Meta:
        table = "case_clock"
        unique_together = (("case_id", "name"),)
        indexes = (("name", "status", "due_on"),)


class ClockAdjustment(Model):
    """A suspension (with its resumption) or an extension of a clock, with reason and approver."""

    id = fields.IntField(primary_key=True)
    clock: fields.ForeignKeyRelation[CaseClock] = fields.ForeignKeyField(
        "hub.CaseClock", related_name="adjustments", on_delete=fields.CASCADE
    )
    clock_id: int
    op = fields.CharEnumField(ClockOp, max_length=16)
    start_on = fields.DateField()
    end_on = fields.DateField(null=True, description="the day a suspension ended")
    amount = fields.IntField(null=True)
    unit = nullable_enum(PeriodUnit, max_length=16)
    reason = fields.TextField()
    approved_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "clock_adjustment"
        ordering = ("id",)
