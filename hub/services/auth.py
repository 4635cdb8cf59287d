"""Who is asking: password login with sessions, and API tokens bound to a unit."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hub import clock
from hub.domain.errors import Unauthenticated, ValidationFailed
from hub.domain.roles import Actor, ActorKind, Role, default_token_role
from hub.models import ApiToken, Session, Unit, User

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
TOKEN_PREFIX = "hub_"
SESSION_COOKIE = "hub_session"


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ValidationFailed("密码至少 8 位", field="password")
    return _hasher.hash(password)


def _digest(secret: str) -> str:
    """Session and API secrets are 256-bit random, so a fast hash is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()


def actor_for_user(user: User, unit: Unit) -> Actor:
    return Actor(ActorKind.USER, user.id, user.display_name, user.role, unit.id, unit.side)


@dataclass(frozen=True, slots=True)
class LoginResult:
    session_secret: str
    actor: Actor
    expires_at: datetime


async def login(
    username: str, password: str, *, ttl: timedelta, now: datetime | None = None
) -> LoginResult:
    at = now or clock.now()
    user = await User.get_or_none(username=username.strip(), is_active=True).select_related("unit")
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        user = None
    if user is None:
        raise Unauthenticated("用户名或密码错误")
    secret = secrets.token_urlsafe(32)
    await Session.create(
        token_hash=_digest(secret), user_id=user.id, created_at=at, expires_at=at + ttl
    )
    return LoginResult(secret, actor_for_user(user, user.unit), at + ttl)


async def logout(session_secret: str) -> None:
    await Session.filter(token_hash=_digest(session_secret)).delete()


async def actor_for_session(session_secret: str, *, now: datetime | None = None) -> Actor | None:
    at = now or clock.now()
    session = await Session.get_or_none(
        token_hash=_digest(session_secret), expires_at__gt=at
    ).select_related("user__unit")
    if session is None or not session.user.is_active:
        return None
    return actor_for_user(session.user, session.user.unit)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    secret: str  # shown once, never stored
    token: ApiToken


async def create_api_token(
    unit_code: str, name: str, *, role: Role | None = None, now: datetime | None = None
) -> IssuedToken:
    unit = await Unit.get_or_none(code=unit_code)
    if unit is None:
        raise ValidationFailed(f"没有代码为 {unit_code} 的单位", field="unit")
    name = name.strip()
    if not name:
        raise ValidationFailed("令牌名称不能为空", field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = await ApiToken.create(
        name=name,
        unit_id=unit.id,
        role=role or default_token_role(unit.side),
        token_hash=_digest(secret),
        created_at=now or clock.now(),
    )
    return IssuedToken(secret, token)


async def revoke_api_token(token_id: int, *, now: datetime | None = None) -> bool:
    updated = await ApiToken.filter(id=token_id, revoked_at__isnull=True).update(
        revoked_at=now or clock.now()
    )
    return updated == 1


async def actor_for_api_token(secret: str) -> Actor | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = await ApiToken.get_or_none(
        token_hash=_digest(secret), revoked_at__isnull=True
    ).select_related("unit")
    if token is None:
        return None
    return Actor(
        ActorKind.API_TOKEN, token.id, token.name, token.role, token.unit.id, token.unit.side
    )


def bearer_secret(authorization: str | None) -> str | None:
    """The secret of an ``Authorization: Bearer …`` header, if that is what it is."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None
