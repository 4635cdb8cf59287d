"""``/healthz`` and ``/readyz`` of a real ``hub serve`` on each database and a private Redis:
ready when everything answers, 503 with the reason when Redis is down or a migration is
missing, and ready again once Redis is back."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from hub.db import apply_migrations, database
from hub.health import migrations_on_disk
from hub.models import EventCounter
from tests.private_redis import PrivateRedis
from tests.subscriptions.test_instances import hub_instance


async def _ready(base: str) -> tuple[int, dict[str, Any]]:
    async with httpx.AsyncClient(base_url=base) as client:
        response = await client.get("/readyz")
    body: dict[str, Any] = response.json()
    return response.status_code, body


async def _until(base: str, status: int) -> dict[str, Any]:
    async with asyncio.timeout(10):
        while True:
            code, body = await _ready(base)
            if code == status:
                return body
            await asyncio.sleep(0.1)


async def test_readyz_follows_redis_and_migrations(
    unmigrated_database: str, private_redis: PrivateRedis, tmp_path: Path
) -> None:
    url = unmigrated_database
    await apply_migrations(url)
    async with hub_instance("ready", url, private_redis.url, tmp_path) as hub:
        async with httpx.AsyncClient(base_url=hub.base_url) as client:
            assert (await client.get("/healthz")).json() == {"status": "ok"}
        code, body = await _ready(hub.base_url)
        assert code == 200, body
        assert body == {
            "status": "ready",
            "checks": {"database": "ok", "migrations": "ok", "broadcast": "ok"},
        }

        await private_redis.kill()
        body = await _until(hub.base_url, 503)
        assert body["status"] == "unavailable"
        assert body["checks"]["database"] == "ok"
        assert body["checks"]["broadcast"] != "ok" and body["checks"]["broadcast"]
        async with httpx.AsyncClient(base_url=hub.base_url) as client:
            assert (await client.get("/healthz")).status_code == 200  # alive, only not ready

        await private_redis.start()  # same port: the instance reconnects on its own
        body = await _until(hub.base_url, 200)
        assert body["checks"]["broadcast"] == "ok"

        # A release whose last migration was not applied is not ready.
        last = migrations_on_disk()[-1]
        async with database(url):
            conn = EventCounter._meta.db
            await conn.execute_query(f"DELETE FROM tortoise_migrations WHERE name = '{last}'")
        body = await _until(hub.base_url, 503)
        assert last in body["checks"]["migrations"]
        assert "hub migrate" in body["checks"]["migrations"]
        assert body["checks"]["broadcast"] == "ok"
