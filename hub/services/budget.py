"""Each caller's query-cost budget per minute, shared by every instance through Redis.

A caller (an API token, a user over all their sessions, an anonymous client address) may spend
``limit`` cost points per minute window. ``spend`` takes the points only when all of them fit,
so a refused request costs nothing. With ``redis://`` the count lives in Redis (one key per
caller and window, expiring with it) and holds across instances; with ``memory://`` it lives
in this process. If Redis cannot be reached the instance counts in memory meanwhile and says
so in the log: a Redis outage must not stop the API.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol, cast
from urllib.parse import urlsplit

from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

WINDOW_S = 60
_KEY_PREFIX = "hub:cost"
_WARN_EVERY_S = 60.0

# INCRBY, and take it back when it does not fit: one round trip, atomic across instances.
_SPEND = """
local used = redis.call('INCRBY', KEYS[1], ARGV[1])
if used == tonumber(ARGV[1]) then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
if used > tonumber(ARGV[2]) and tonumber(ARGV[1]) > 0 then
  used = redis.call('DECRBY', KEYS[1], ARGV[1])
  return {0, used}
end
return {1, used}
"""


@dataclass(frozen=True, slots=True)
class Spend:
    """One request's charge: what it asked for, and the caller's window after it."""

    requested: int
    used: int
    limit: int
    reset: datetime
    allowed: bool

    @property
    def remaining(self) -> int:
        return max(0, self.limit - self.used)

    def as_extension(self) -> dict[str, object]:
        return {
            "requested": self.requested,
            "remaining": self.remaining,
            "reset": self.reset.isoformat().replace("+00:00", "Z"),
            "limit": self.limit,
        }


class Budget(Protocol):
    limit: int

    async def spend(self, caller: str, cost: int) -> Spend: ...

    async def peek(self, caller: str) -> Spend: ...

    async def aclose(self) -> None: ...


def _window(now: float) -> tuple[int, datetime]:
    window = int(now // WINDOW_S)
    return window, datetime.fromtimestamp((window + 1) * WINDOW_S, UTC)


class MemoryBudget:
    """This process's count (``memory://``, and Redis's stand-in while it is down)."""

    def __init__(self, limit: int, now: Callable[[], float] = time.time) -> None:
        self.limit, self._now = limit, now
        self._window = -1
        self._used: dict[str, int] = {}

    def _current(self) -> tuple[dict[str, int], datetime]:
        window, reset = _window(self._now())
        if window != self._window:
            self._window, self._used = window, {}
        return self._used, reset

    async def spend(self, caller: str, cost: int) -> Spend:
        used, reset = self._current()
        before = used.get(caller, 0)
        allowed = cost == 0 or before + cost <= self.limit
        after = before + cost if allowed else before
        used[caller] = after
        return Spend(cost, after, self.limit, reset, allowed)

    async def peek(self, caller: str) -> Spend:
        used, reset = self._current()
        return Spend(0, used.get(caller, 0), self.limit, reset, True)

    async def aclose(self) -> None:
        return None


class RedisBudget:
    """The count in Redis, shared by every instance that uses the same Redis."""

    def __init__(
        self,
        url: str,
        limit: int,
        *,
        timeout_s: float = 0.5,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.limit, self._url, self._timeout, self._now = limit, url, timeout_s, now
        self._client: Redis | None = None
        self._fallback = MemoryBudget(limit, now)
        self._warned_at = -_WARN_EVERY_S
        self._where = f"{urlsplit(url).hostname}:{urlsplit(url).port or 6379}"

    def _redis(self) -> Redis:
        # Made on first use, inside the loop that serves requests.
        if self._client is None:
            self._client = Redis.from_url(
                self._url, socket_connect_timeout=self._timeout, socket_timeout=self._timeout
            )
        return self._client

    def _unreachable(self, error: Exception) -> None:
        now = time.monotonic()
        if now - self._warned_at >= _WARN_EVERY_S:
            self._warned_at = now
            log.warning(
                "cost budget: Redis at %s unreachable (%s); counting in this instance",
                self._where,
                type(error).__name__,
            )

    async def spend(self, caller: str, cost: int) -> Spend:
        window, reset = _window(self._now())
        key = f"{_KEY_PREFIX}:{caller}:{window}"
        try:
            reply = await self._redis().eval(
                _SPEND, 1, key, str(cost), str(self.limit), str(WINDOW_S * 2)
            )
        except (RedisError, OSError) as error:
            self._unreachable(error)
            return await self._fallback.spend(caller, cost)
        allowed, used = cast("list[int]", reply)
        return Spend(cost, int(used), self.limit, reset, bool(allowed))

    async def peek(self, caller: str) -> Spend:
        window, reset = _window(self._now())
        try:
            raw = await self._redis().get(f"{_KEY_PREFIX}:{caller}:{window}")
        except (RedisError, OSError) as error:
            self._unreachable(error)
            return await self._fallback.peek(caller)
        return Spend(0, int(raw or 0), self.limit, reset, True)

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            await client.aclose()


def create_budget(broadcast_url: str, limit: int) -> Budget:
    """Redis when the instances share one (``redis://``/``rediss://``), else this process."""
    if urlsplit(broadcast_url).scheme in ("redis", "rediss"):
        return RedisBudget(broadcast_url, limit)
    return MemoryBudget(limit)
