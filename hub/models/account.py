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
    deactivated_at = fields.DatetimeField(null=True)
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
    # A token from before expiry existed has none: it expires a year after it was created.
    expires_at = fields.DatetimeField(null=True)
    scopes = fields.CharField(max_length=64, default="read write", description="space-separated")
    revoked_at = fields.DatetimeField(null=True)
    last_used_at = fields.DatetimeField(null=True)
    last_used_ip = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "api_token"


class LoginThrottle(Model):
    """Failed logins per account (``user:NAME``) and per client address (``ip:ADDR``).

    In the database so every instance shares it, with or without Redis; a row lock around
    each attempt makes parallel guesses count one by one (``hub.security.throttle``).
    """

    key = fields.CharField(max_length=100, primary_key=True)
    failures = fields.IntField(default=0)
    last_failure_at = fields.DatetimeField(null=True)
    blocked_until = fields.DatetimeField(null=True)
    locked = fields.BooleanField(default=False, description="blocked_until is a lock")

    class Meta:
        table = "login_throttle"
