"""Typing help for Tortoise fields whose stubs have no nullable variant."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar, cast

from tortoise import fields

E = TypeVar("E", bound=Enum)


def nullable_enum(enum_type: type[E], max_length: int, **kwargs: Any) -> fields.Field[E | None]:
    """``CharEnumField(..., null=True)``, typed as possibly None."""
    field = fields.CharEnumField(enum_type, max_length=max_length, null=True, **kwargs)
    return cast("fields.Field[E | None]", field)
