"""Units: the two convening bodies, the member units and other responsible bodies."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from hub.domain.roles import Side, UnitKind


class Unit(Model):
    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=64, unique=True, description="stable code, e.g. ecology_env")
    name = fields.CharField(max_length=128)
    name_en = fields.CharField(max_length=200, default="")
    kind = fields.CharEnumField(UnitKind, max_length=32)
    side = fields.CharEnumField(Side, max_length=16)
    aliases: fields.Field[list[str]] = fields.JSONField(default=list)
    position = fields.IntField(default=0, description="order in the city document")

    class Meta:
        table = "unit"
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.name
