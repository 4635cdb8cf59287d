"""Login throttling per account and per client address, kept in the database.

Why the database: every instance shares it whether or not Redis is configured, it survives a
restart of the hub or of Redis (an attacker cannot wait for a reset), and a login already
costs a query and an argon2 verification, so two more small statements are noise. Each
attempt is *counted before the password is checked*, under a row lock: thirty guesses sent at
once are counted one after the other, and those beyond the limit never reach the hasher.
A correct password then clears the account's count and takes its own attempt back from the
address's.

Policy (``Settings``): the first ``free`` failures in a row cost nothing; each further one
makes the key wait 1, 2, 4 … up to 60 seconds before the next attempt; at ``lock_after``
failures the key is locked for ``lock_minutes``. Failures older than the window are forgotten.
An unknown username is throttled exactly like a known one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from hub.clock import BUSINESS_TZ
from hub.domain.errors import ErrorCode, HubError
from hub.models import LoginThrottle

MAX_DELAY_S = 60


@dataclass(frozen=True, slots=True)
class Policy:
    free: int
    lock_after: int
    lock_minutes: int
    window_minutes: int

    def block_after(self, failures: int, at: datetime) -> tuple[datetime | None, bool]:
        """When the next attempt may come after ``failures`` in a row, and whether that is a
        lock (as opposed to a short delay)."""
        if failures >= self.lock_after:
            return at + timedelta(minutes=self.lock_minutes), True
        if failures > self.free:
            return at + timedelta(seconds=min(2 ** (failures - self.free - 1), MAX_DELAY_S)), False
        return None, False


class LoginThrottled(HubError):
    """Too many failed logins: the account or the address waits until ``until``."""

    code = ErrorCode.RATE_LIMITED

    def __init__(self, until: datetime, *, locked: bool, now: datetime, by_address: bool) -> None:
        local = until.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M:%S")
        who = "该地址" if by_address else "该账号"
        if locked:
            message = f"登录失败次数过多，{who}已临时锁定，请于 {local} 后再试"
        else:
            message = f"登录尝试过于频繁，请于 {local} 后再试"
        super().__init__(message, field="username" if not by_address else None)
        self.until = until
        self.locked = locked
        self.by_address = by_address
        self.retry_after_s = max(1, int((until - now).total_seconds() + 0.999))


@dataclass(frozen=True, slots=True)
class Attempt:
    """One counted attempt: what to undo if the password turns out right."""

    account_key: str
    address_key: str | None
    address_before: tuple[datetime | None, bool] | None
    failures: int  # the account's count including this attempt


def account_key(username: str) -> str:
    return f"user:{username[:90]}"


def address_key(address: str) -> str:
    return f"ip:{address[:90]}"


async def begin(
    username: str, address: str | None, *, account: Policy, by_address: Policy, now: datetime
) -> Attempt:
    """Count an attempt for the account and the address, or raise ``LoginThrottled``."""
    keys = {account_key(username): account}
    if address:
        keys[address_key(address)] = by_address
    await LoginThrottle.bulk_create([LoginThrottle(key=key) for key in keys], ignore_conflicts=True)
    async with in_transaction() as conn:
        rows = {
            row.key: row
            for row in await LoginThrottle.filter(key__in=list(keys))
            .select_for_update()
            .order_by("key")
            .using_db(conn)
        }
        for key, row in rows.items():
            if row.blocked_until is not None and row.blocked_until > now:
                raise LoginThrottled(
                    row.blocked_until, locked=row.locked, now=now, by_address=key.startswith("ip:")
                )
        before = None
        failures = 0
        for key, policy in keys.items():
            row = rows[key]
            if key.startswith("ip:"):
                before = (row.blocked_until, row.locked)
            stale = row.last_failure_at is None or row.last_failure_at < now - timedelta(
                minutes=policy.window_minutes
            )
            row.failures = 1 if stale else row.failures + 1
            row.last_failure_at = now
            row.blocked_until, row.locked = policy.block_after(row.failures, now)
            await row.save(using_db=conn)
            if key.startswith("user:"):
                failures = row.failures
    return Attempt(
        account_key(username), address_key(address) if address else None, before, failures
    )


async def succeeded(attempt: Attempt) -> None:
    """The password was right: the account starts afresh; the address gets its attempt back."""
    await LoginThrottle.filter(key=attempt.account_key).delete()
    if attempt.address_key is not None and attempt.address_before is not None:
        blocked_until, locked = attempt.address_before
        await LoginThrottle.filter(key=attempt.address_key, failures__gt=0).update(
            failures=F("failures") - 1, blocked_until=blocked_until, locked=locked
        )


async def forget_stale(now: datetime, *, older_than: timedelta) -> int:
    """Delete rows with nothing left to remember (guessed usernames would pile up)."""
    cutoff = now - older_than
    unblocked = Q(blocked_until__isnull=True) | Q(blocked_until__lt=now)
    return await LoginThrottle.filter(unblocked, last_failure_at__lt=cutoff).delete()
