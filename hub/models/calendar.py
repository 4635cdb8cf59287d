"""Holiday data an administrator adds when the State Council publishes a new year."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class CalendarYear(Model):
    """A year whose holiday arrangement (节假日安排) has been published and entered."""

    # Not the primary key: Tortoise's migration writer drops generated=False from an integer
    # primary key, so the migration and the model would never agree.
    id = fields.IntField(primary_key=True)
    year = fields.IntField(unique=True)
    source = fields.CharField(max_length=200, default="", description="e.g. 国办发明电〔2026〕x号")
    entered_at = fields.DatetimeField()

    class Meta:
        table = "calendar_year"


class CalendarDay(Model):
    """A day that differs from the weekday rule: a holiday, or a weekend made a working day."""

    day = fields.DateField(primary_key=True)
    is_workday = fields.BooleanField()
    name = fields.CharField(max_length=32, default="")

    class Meta:
        table = "calendar_day"
