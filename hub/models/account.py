"""Who can act: users with passwords and sessions, and API tokens bound to a unit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.domain.roles import Role

if TYPE_CHECKING:
    from hub.models.unit import Unit


class User(Model):
    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=64, unique=True)
    display_name = fields.CharField(max_length=64)
    password_hash = fields.CharField(max_length=255)
    role = fields.CharEnumField(Role, max_length=32)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name="users", on_delete=fields.RESTRICT
    )
    unit_id: int
    title = fields.CharField(max_length=64, default="")
    email = fields.CharField(max_length=254, default="")
    phone = fields.CharField(max_length=32, default="")
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "user"


class Session(Model):
    """A browser session, of which only the SHA-256 of the cookie value is stored."""

    token_hash = fields.CharField(max_length=64, primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "hub.User", related_name="sessions", on_delete=fields.CASCADE
    )
    user_id: int
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField(db_index=True)

    class Meta:
        table = "session"


class ApiToken(Model):
    """An agency system credential, of which only the SHA-256 of the secret is stored."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=128)
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name="api_tokens", on_delete=fields.RESTRICT
    )
    unit_id: int
    role = fields.CharEnumField(Role, max_length=32)
    token_hash = fields.CharField(max_length=64, unique=True)
    created_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"
