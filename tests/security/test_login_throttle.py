"""Login throttling: per account and per address, increasing delays then a temporary lock
(its end in the answer), every step in the security log; ``login`` once per request; the
password checked off the event loop. State is in the database, so on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from typing import Any

import pytest

from hub.clock import BUSINESS_TZ
from hub.domain.errors import Unauthenticated, ValidationFailed
from hub.models import LoginThrottle, Session
from hub.security.throttle import LoginThrottled
from hub.services import auth
from tests.app_clients import Api
from tests.app_clients import test_settings as hub_settings
from tests.factories import NOW, PASSWORD, World
from tests.security.helpers import security_entries

TTL = timedelta(hours=1)
LOGIN = """mutation($u: String!, $p: String!) { login(input: {username: $u, password: $p}) {
  __typename ... on Error { code message field }
  ... on LoginThrottledError { unlocksAt retryAfterSeconds locked } } }"""


async def test_failures_slow_down_then_lock_until_a_stated_time(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="hub.security")
    at = NOW
    for _ in range(3):  # free
        with pytest.raises(Unauthenticated):
            await auth.login("office", "wrong-password", ttl=TTL, now=at, address="10.0.0.1")
    waits = []
    for failure in range(4, 11):
        with pytest.raises(Unauthenticated):
            await auth.login("office", "wrong-password", ttl=TTL, now=at, address="10.0.0.1")
        with pytest.raises(LoginThrottled) as early:  # even the right password must wait
            await auth.login("office", PASSWORD, ttl=TTL, now=at, address="10.0.0.1")
        waits.append(early.value.until - at)
        if failure < 10:
            assert not early.value.locked
            assert "登录尝试过于频繁，请于" in early.value.message
        at = early.value.until
    assert waits == [timedelta(seconds=s) for s in (1, 2, 4, 8, 16, 32)] + [timedelta(minutes=15)]
    locked = early.value
    assert locked.locked and locked.retry_after_s == 15 * 60
    unlock = locked.until.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M:%S")
    assert locked.message == f"登录失败次数过多，该账号已临时锁定，请于 {unlock} 后再试"
    assert await Session.all().count() == 0
    # Once the lock has passed, the right password works and the account starts afresh.
    await auth.login("office", PASSWORD, ttl=TTL, now=locked.until, address="10.0.0.1")
    assert not await LoginThrottle.exists(key="user:office")
    events = [e["event"] for e in security_entries(caplog)]
    assert events.count("login.failed") == 10
    assert events.count("login.throttled") == 6 and events.count("login.locked") == 1
    assert events[-1] == "login.succeeded"
    lock_entry = security_entries(caplog, "login.locked")[0]
    assert lock_entry["username"] == "office" and lock_entry["by"] == "account"


async def test_an_unknown_account_is_throttled_like_a_known_one(world: World) -> None:
    for name in ("office", "no-such-user"):
        for _ in range(4):
            with pytest.raises(Unauthenticated):
                await auth.login(name, "wrong-password", ttl=TTL, now=NOW)
        with pytest.raises(LoginThrottled) as refused:
            await auth.login(name, "wrong-password", ttl=TTL, now=NOW)
        assert refused.value.until == NOW + timedelta(seconds=1)


async def test_one_address_trying_many_accounts_is_throttled(world: World) -> None:
    settings = hub_settings(login_address_free_failures=5, login_address_lock_after=8)
    for n in range(6):
        with pytest.raises(Unauthenticated):
            await auth.login(f"guess{n}", "wrong-password", ttl=TTL, now=NOW,
                             address="203.0.113.9", settings=settings)  # fmt: skip
    with pytest.raises(LoginThrottled) as refused:
        await auth.login("office", PASSWORD, ttl=TTL, now=NOW, address="203.0.113.9",
                         settings=settings)  # fmt: skip
    assert refused.value.by_address and "请于" in refused.value.message
    # Another address is not affected.
    await auth.login("office", PASSWORD, ttl=TTL, now=NOW, address="198.51.100.1",
                     settings=settings)  # fmt: skip


async def test_a_correct_password_does_not_clear_the_address_count(world: World) -> None:
    settings = hub_settings(login_address_free_failures=3)
    for n in range(3):
        with pytest.raises(Unauthenticated):
            await auth.login(f"guess{n}", "x" * 8, ttl=TTL, now=NOW, address="192.0.2.1",
                             settings=settings)  # fmt: skip
    await auth.login("office", PASSWORD, ttl=TTL, now=NOW, address="192.0.2.1", settings=settings)
    row = await LoginThrottle.get(key="ip:192.0.2.1")
    assert row.failures == 3  # the success took back only its own attempt


async def test_thirty_guesses_at_once_reach_the_hasher_four_times(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    """Locked at the fourth failure, so however slowly the machine runs the guesses, the
    other 26 are refused without a password check."""
    from hub.app import create_app

    caplog.set_level("INFO", logger="hub.security")
    api = Api(create_app(hub_settings(login_lock_after=4), manage_database=False), world)
    async with api.client() as client:
        bodies = await asyncio.gather(*(
            client(LOGIN, {"u": "office", "p": f"guess-{n:04d}"}) for n in range(30)
        ))  # fmt: skip
    results: list[dict[str, Any]] = [body["data"]["login"] for body in bodies]
    kinds = sorted(r["__typename"] for r in results)
    assert kinds == ["AuthenticationError"] * 4 + ["LoginThrottledError"] * 26
    assert len(security_entries(caplog, "login.failed")) == 4
    throttled = next(r for r in results if r["__typename"] == "LoginThrottledError")
    assert throttled["code"] == "RATE_LIMITED" and throttled["locked"] is True
    # Counted from when each attempt arrived, which may be just before the lock was taken.
    assert 14 * 60 < throttled["retryAfterSeconds"] <= 15 * 60 + 2 and throttled["unlocksAt"]
    assert await Session.all().count() == 0


@pytest.mark.parametrize(
    "document",
    [
        'mutation { a: login(input: {username: "office", password: "x1234567"}) { __typename } }',
        'mutation { login(input: {username: "office", password: "x1234567"}) { __typename }'
        ' again: login(input: {username: "office", password: "y1234567"}) { __typename } }',
        'mutation { ...A ...B } fragment A on Mutation { login(input: {username: "office",'
        ' password: "x1234567"}) { __typename } } fragment B on Mutation { other: login(input:'
        ' {username: "office", password: "y1234567"}) { __typename } }',
        'mutation { login(input: {username: "office", password: "x1234567"}) { __typename } '
        'logout }  mutation Two { login(input: {username: "chief", password: "x1234567"})'
        " { __typename } }",
    ],
)
async def test_login_cannot_be_aliased_or_repeated_in_one_request(
    world: World, api: Api, document: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="hub.security")
    async with api.client() as client:
        response = await client.post(document)
    body = response.json()
    assert body.get("data") is None
    assert {e["extensions"]["code"] for e in body["errors"]} == {"VALIDATION_FAILED"}
    assert any("login" in e["message"] or "登录" in e["message"] for e in body["errors"])
    assert await LoginThrottle.all().count() == 0  # refused before anything ran
    assert await Session.all().count() == 0
    assert security_entries(caplog, "login.failed") == []


async def test_the_password_is_checked_off_the_event_loop(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[int] = []
    real = auth._hasher

    class Recording:
        def verify(self, password_hash: str, password: str) -> bool:
            threads.append(threading.get_ident())
            return real.verify(password_hash, password)

    monkeypatch.setattr(auth, "_hasher", Recording())
    await auth.login("office", PASSWORD, ttl=TTL)
    with pytest.raises(Unauthenticated):
        await auth.login("office", "wrong-password", ttl=TTL)
    assert len(threads) == 2 and threading.get_ident() not in threads


async def test_overlong_input_is_a_validation_error_not_a_crash(world: World, api: Api) -> None:
    async with api.client() as client:
        long_name = await client(LOGIN, {"u": "x" * 65, "p": "whatever1"})
        long_password = await client(LOGIN, {"u": "office", "p": "x" * 1025})
    for body, field in ((long_name, "username"), (long_password, "password")):
        assert body["data"]["login"]["__typename"] == "ValidationError"
        assert body["data"]["login"]["field"] == field
    assert await LoginThrottle.all().count() == 0
    with pytest.raises(ValidationFailed):
        await auth.login("", PASSWORD, ttl=TTL)
    for username, password in (
        ("of\ud800", PASSWORD),
        ("of\x00", PASSWORD),
        ("office", "x\ud800yyyyyy"),
    ):
        with pytest.raises(ValidationFailed):
            await auth.login(username, password, ttl=TTL)
    assert await LoginThrottle.all().count() == 0
