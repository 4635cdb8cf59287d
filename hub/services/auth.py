"""Who is asking: password login with sessions, and API tokens bound to a unit.

Every credential has an end: a session's expiry or logout, a token's expiry or revocation,
a user's deactivation. When one ends, every instance closes the WebSockets opened with it
(``hub.security.revocation``). Logins are throttled per account and per address
(``hub.security.throttle``); the password hash is checked in a worker thread, never on the
event loop.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from hub import clock
from hub.domain.errors import Unauthenticated, ValidationFailed
from hub.domain.roles import (
    PROCURATORATE_ROLES,
    ROLE_LABELS,
    Actor,
    ActorKind,
    Role,
    Side,
    default_token_role,
)
from hub.models import ApiToken, Session, Unit, User
from hub.security import log as security
from hub.security import throttle
from hub.security.revocation import Ended, Notice, announce
from hub.settings import Settings, get_settings

_hasher = PasswordHasher()
# Verified against when the username is unknown, so both failures take the same time.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
# argon2 takes ~64 MiB and tens of milliseconds per check: a few at a time, off the loop, in
# threads of their own (a pool, unlike an asyncio.Semaphore, belongs to no one event loop).
_hashing = ThreadPoolExecutor(max_workers=4, thread_name_prefix="password-hash")
TOKEN_PREFIX = "hub_"
SESSION_COOKIE = "hub_session"
MAX_USERNAME = 64
MAX_PASSWORD = 1024
# last_used_at is written at most this often per token (and whenever the address changes).
LAST_USED_RESOLUTION = timedelta(seconds=60)


class Scope(StrEnum):
    READ = "read"  # queries and subscriptions
    WRITE = "write"  # mutations


ALL_SCOPES = frozenset(Scope)

# A government unit's system acts as its liaison or only reads; only the procuratorate's
# systems may hold procuratorate roles.
TOKEN_ROLES: dict[Side, tuple[Role, ...]] = {
    Side.GOVERNMENT: (Role.UNIT_LIAISON, Role.VIEWER),
    Side.PROCURATORATE: (*sorted(PROCURATORATE_ROLES), Role.VIEWER),
}


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ValidationFailed("密码至少 8 位", field="password")
    return _hasher.hash(password)


async def _verify(password_hash: str, password: str) -> bool:
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(_hashing, _hasher.verify, password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def _digest(secret: str) -> str:
    """Session and API secrets are 256-bit random, so a fast hash is enough to store them."""
    return hashlib.sha256(secret.encode()).hexdigest()


def actor_for_user(user: User, unit: Unit) -> Actor:
    return Actor(ActorKind.USER, user.id, user.display_name, user.role, unit.id, unit.side)


@dataclass(frozen=True, slots=True)
class Credential:
    """What a request authenticated with, and when it ends."""

    ended_by: Ended  # the notice that ends it: SESSION or TOKEN
    key: str  # the session's hash or the token's number
    user_id: int | None
    expires_at: datetime
    scopes: frozenset[Scope] = ALL_SCOPES

    @property
    def label(self) -> str:
        return f"user:{self.user_id}" if self.user_id is not None else f"api_token:{self.key}"


@dataclass(frozen=True, slots=True)
class Identity:
    actor: Actor
    credential: Credential


@dataclass(frozen=True, slots=True)
class LoginResult:
    session_secret: str
    actor: Actor
    expires_at: datetime


def _policies(settings: Settings) -> tuple[throttle.Policy, throttle.Policy]:
    account = throttle.Policy(
        settings.login_free_failures, settings.login_lock_after,
        settings.login_lock_minutes, settings.login_window_minutes,
    )  # fmt: skip
    address = throttle.Policy(
        settings.login_address_free_failures, settings.login_address_lock_after,
        settings.login_lock_minutes, settings.login_window_minutes,
    )  # fmt: skip
    return account, address


async def login(
    username: str,
    password: str,
    *,
    ttl: timedelta,
    now: datetime | None = None,
    address: str | None = None,
    settings: Settings | None = None,
) -> LoginResult:
    """A new session, or ``Unauthenticated`` / ``LoginThrottled`` / ``ValidationFailed``."""
    at = now or clock.now()
    settings = settings or get_settings()
    username = username.strip()
    if not username or len(username) > MAX_USERNAME:
        raise ValidationFailed(f"用户名须为 1 至 {MAX_USERNAME} 个字符", field="username")
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in username):
        raise ValidationFailed("用户名含有不允许的字符", field="username")
    if len(password) > MAX_PASSWORD:
        raise ValidationFailed(f"密码最长 {MAX_PASSWORD} 个字符", field="password")
    if any(unicodedata.category(ch) == "Cs" for ch in password):
        raise ValidationFailed("密码含有不允许的字符", field="password")
    account, by_address = _policies(settings)
    try:
        attempt = await throttle.begin(
            username, address, account=account, by_address=by_address, now=at
        )
    except throttle.LoginThrottled as refused:
        security.record(
            "login.locked" if refused.locked else "login.throttled",
            username=username, until=refused.until.isoformat(timespec="seconds"),
            by="address" if refused.by_address else "account",
        )  # fmt: skip
        raise
    user = await User.get_or_none(username=username, is_active=True).select_related("unit")
    if not await _verify(user.password_hash if user else _DUMMY_HASH, password) or user is None:
        security.record("login.failed", username=username, failures=attempt.failures,
                        known=user is not None)  # fmt: skip
        raise Unauthenticated("用户名或密码错误")
    await throttle.succeeded(attempt)
    secret = secrets.token_urlsafe(32)
    await Session.create(
        token_hash=_digest(secret), user_id=user.id, created_at=at, expires_at=at + ttl
    )
    security.record("login.succeeded", username=username, user=user.id)
    return LoginResult(secret, actor_for_user(user, user.unit), at + ttl)


async def logout(session_secret: str) -> None:
    digest = _digest(session_secret)
    session = await Session.get_or_none(token_hash=digest)
    await Session.filter(token_hash=digest).delete()
    if session is not None:
        security.record("logout", user=session.user_id)
        await announce(Notice(Ended.SESSION, digest, "logout"))


async def identity_for_session(
    session_secret: str, *, now: datetime | None = None
) -> Identity | None:
    at = now or clock.now()
    session = await Session.get_or_none(
        token_hash=_digest(session_secret), expires_at__gt=at
    ).select_related("user__unit")
    if session is None or not session.user.is_active:
        return None
    credential = Credential(Ended.SESSION, session.token_hash, session.user_id, session.expires_at)
    return Identity(actor_for_user(session.user, session.user.unit), credential)


async def actor_for_session(session_secret: str, *, now: datetime | None = None) -> Actor | None:
    identity = await identity_for_session(session_secret, now=now)
    return identity.actor if identity else None


def token_expiry(token: ApiToken) -> datetime:
    """A token made before tokens had an expiry ends a year after it was made."""
    return token.expires_at or token.created_at + timedelta(days=365)


def parse_scopes(scopes: str | None) -> frozenset[Scope]:
    """``read`` or ``read,write`` (``write`` implies ``read``); None: both."""
    if scopes is None:
        return ALL_SCOPES
    names = {part.strip().lower() for part in scopes.replace(" ", ",").split(",") if part.strip()}
    unknown = names - {s.value for s in Scope}
    if unknown or not names:
        raise ValidationFailed(
            f"没有权限范围 {', '.join(sorted(unknown)) or '（空）'}；可用：read、write",
            field="scopes",
        )
    return frozenset({Scope.READ, *(Scope(n) for n in names)})


def _scopes_of(stored: str) -> frozenset[Scope]:
    return frozenset(Scope(s) for s in stored.split() if s in Scope.__members__.values())


async def identity_for_api_token(
    secret: str, *, address: str | None = None, now: datetime | None = None
) -> Identity | None:
    if not secret.startswith(TOKEN_PREFIX):
        return None
    at = now or clock.now()
    token = await ApiToken.get_or_none(token_hash=_digest(secret)).select_related("unit")
    if token is None:
        return None
    if token.revoked_at is not None or token_expiry(token) <= at:
        security.record("token.refused", level=logging.WARNING, token=token.id,
                        reason="revoked" if token.revoked_at else "expired")  # fmt: skip
        return None
    await _note_use(token, address, at)
    actor = Actor(
        ActorKind.API_TOKEN, token.id, token.name, token.role, token.unit.id, token.unit.side
    )
    credential = Credential(
        Ended.TOKEN, str(token.id), None, token_expiry(token), _scopes_of(token.scopes)
    )
    return Identity(actor, credential)


async def _note_use(token: ApiToken, address: str | None, at: datetime) -> None:
    """Record the last use (at most once a minute) and log a use from a new address."""
    new_address = address is not None and address != token.last_used_ip
    recent = token.last_used_at is not None and at - token.last_used_at < LAST_USED_RESOLUTION
    if new_address:
        security.record("token.new_address", token=token.id, unit=token.unit_id,
                        previous=token.last_used_ip)  # fmt: skip
    if new_address or not recent:
        await ApiToken.filter(id=token.id).update(
            last_used_at=at, last_used_ip=address if address is not None else token.last_used_ip
        )


async def actor_for_api_token(secret: str) -> Actor | None:
    identity = await identity_for_api_token(secret)
    return identity.actor if identity else None


@dataclass(frozen=True, slots=True)
class IssuedToken:
    secret: str  # shown once, never stored
    token: ApiToken


def _role_list(roles: tuple[Role, ...] | list[Role]) -> str:
    return "、".join(f"{r.value}（{ROLE_LABELS[r]}）" for r in roles)


def parse_role(value: str) -> Role:
    """A role by its code, or a refusal that lists every role."""
    try:
        return Role(value.strip().lower())
    except ValueError:
        raise ValidationFailed(
            f"没有角色 {value}；可用的角色：{_role_list(list(Role))}", field="role"
        ) from None


async def create_api_token(
    unit_code: str,
    name: str,
    *,
    role: Role | str | None = None,
    scopes: str | frozenset[Scope] | None = None,
    ttl: timedelta | None = None,
    now: datetime | None = None,
) -> IssuedToken:
    unit = await Unit.get_or_none(code=unit_code)
    if unit is None:
        raise ValidationFailed(f"没有代码为 {unit_code} 的单位", field="unit")
    name = name.strip()
    if not name:
        raise ValidationFailed("令牌名称不能为空", field="name")
    if len(name) > 128:
        raise ValidationFailed("令牌名称最长 128 个字符", field="name")
    chosen = parse_role(role) if isinstance(role, str) else role or default_token_role(unit.side)
    allowed = TOKEN_ROLES[unit.side]
    if chosen not in allowed:
        raise ValidationFailed(
            f"{unit.name}（{unit.code}）的令牌不能是 {chosen.value}（{ROLE_LABELS[chosen]}）；"
            f"可用的角色：{_role_list(allowed)}",
            field="role",
        )
    granted = scopes if isinstance(scopes, frozenset) else parse_scopes(scopes)
    at = now or clock.now()
    lifetime = ttl or timedelta(days=get_settings().token_ttl_days)
    if lifetime <= timedelta(0):
        raise ValidationFailed("令牌有效期必须为正", field="ttl")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = await ApiToken.create(
        name=name,
        unit_id=unit.id,
        role=chosen,
        token_hash=_digest(secret),
        created_at=at,
        expires_at=at + lifetime,
        scopes=" ".join(sorted(granted)),
    )
    security.record("token.created", token=token.id, unit=unit.code, role=chosen.value,
                    scopes=token.scopes, expires=token_expiry(token).isoformat())  # fmt: skip
    return IssuedToken(secret, token)


async def revoke_api_token(token_id: int, *, now: datetime | None = None) -> bool:
    updated = await ApiToken.filter(id=token_id, revoked_at__isnull=True).update(
        revoked_at=now or clock.now()
    )
    if updated == 1:
        security.record("token.revoked", token=token_id)
        await announce(Notice(Ended.TOKEN, str(token_id), "revoked"))
    return updated == 1


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """A token as ``hub token list`` shows it: everything but the secret."""

    id: int
    unit_code: str
    name: str
    role: Role
    scopes: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    last_used_ip: str | None
    revoked_at: datetime | None

    def status(self, at: datetime) -> str:
        if self.revoked_at is not None:
            return "已吊销"
        return "已过期" if self.expires_at <= at else "有效"


async def list_api_tokens(unit_code: str | None = None) -> list[TokenInfo]:
    query = ApiToken.all().select_related("unit").order_by("id")
    if unit_code is not None:
        if not await Unit.exists(code=unit_code):
            raise ValidationFailed(f"没有代码为 {unit_code} 的单位", field="unit")
        query = query.filter(unit__code=unit_code)
    return [
        TokenInfo(
            t.id,
            t.unit.code,
            t.name,
            t.role,
            t.scopes,
            t.created_at,
            token_expiry(t),
            t.last_used_at,
            t.last_used_ip,
            t.revoked_at,
        )
        for t in await query
    ]


async def deactivate_user(username: str, *, now: datetime | None = None) -> bool:
    """The user can no longer sign in; their sessions end and their sockets close."""
    user = await User.get_or_none(username=username)
    if user is None:
        raise ValidationFailed(f"没有用户 {username}", field="username")
    updated = await User.filter(id=user.id, is_active=True).update(
        is_active=False, deactivated_at=now or clock.now()
    )
    await Session.filter(user_id=user.id).delete()
    if updated:
        security.record("user.deactivated", user=user.id, username=username)
    await announce(Notice(Ended.USER, str(user.id), "deactivated"))
    return updated == 1


def bearer_secret(authorization: str | None) -> str | None:
    """The secret of an ``Authorization: Bearer …`` header, if that is what it is."""
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None
