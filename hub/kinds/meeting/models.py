"""The meeting's own storage: its type, dates, chair, minutes and agenda."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.kinds.meeting.spec import Matter, MeetingType

if TYPE_CHECKING:
    from hub.models.case import Case
    from hub.models.unit import Unit


class MeetingDetail(Model):
    """What the meeting is, attendees are PARTICIPANT parties, resolutions linked cases."""

    case: fields.OneToOneRelation[Case] = fields.OneToOneField(
        "hub.Case", related_name="meeting", on_delete=fields.CASCADE, primary_key=True
    )
    case_id: int
    meeting_type = fields.CharEnumField(MeetingType, max_length=16)
    scheduled_on = fields.DateField()
    place = fields.CharField(max_length=200, default="")
    held_on = fields.DateField(null=True)
    chair = fields.CharField(max_length=100, default="")
    minutes_no = fields.CharField(max_length=64, default="")
    minutes = fields.TextField(default="")
    minutes_on = fields.DateField(null=True)
    cancel_reason = fields.TextField(default="")

    class Meta:
        table = "meeting_detail"


class MeetingAgendaItem(Model):
    """One agenda item (议题) with the unit that proposed it and its kind of matter."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="meeting_agenda", on_delete=fields.CASCADE
    )
    case_id: int
    topic = fields.CharField(max_length=200)
    proposer_unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name=False, on_delete=fields.RESTRICT, description="提出单位"
    )
    proposer_unit_id: int
    matter = fields.CharEnumField(Matter, max_length=32)

    class Meta:
        table = "meeting_agenda_item"
        ordering = ("id",)
