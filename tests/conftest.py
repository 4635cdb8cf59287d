"""Real databases for tests: SQLite in memory, and PostgreSQL on this machine.

Database tests take the ``db`` fixture and run once per backend. PostgreSQL gets one database
per test session, built by the project's own migrations, and is truncated between tests.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlparse, urlunparse

import asyncpg
import pytest
from tortoise.context import TortoiseContext

from hub.db import apply_migrations, tortoise_config
from hub.models import EventCounter
from hub.services.calendar import forget_calendar
from tests.factories import World, make_world
from tests.real_services import POSTGRES_URL, require_postgres

TABLES = (
    "case_event",
    "reply",
    "objection",
    "recommendation",
    "session",
    "api_token",
    '"user"',
    "unit",
    "calendar_day",
    "calendar_year",
)


def _with_database(url: str, name: str) -> str:
    return urlunparse(urlparse(url)._replace(path=f"/{name}"))


async def _admin(sql: str) -> None:
    conn = await asyncpg.connect(POSTGRES_URL.replace("postgres://", "postgresql://", 1))
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


def _run(coro: Coroutine[Any, Any, None]) -> None:
    """Run ``coro`` to completion on a private loop (callers may be inside a running one)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coro).result()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this session, migrated with ``migrations/``."""
    require_postgres()
    name = f"hub_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    _run(_admin(f'CREATE DATABASE "{name}"'))
    url = _with_database(POSTGRES_URL, name)
    try:
        _run(apply_migrations(url))
        yield url
    finally:
        _run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def _open(url: str, backend: str) -> TortoiseContext:
    # Tortoise caches compiled INSERTs per (connection name, table): a process that talks to
    # SQLite and PostgreSQL must give them different connection names, or one gets the
    # other's SQL dialect.
    ctx = TortoiseContext()
    ctx.__enter__()
    await ctx.init(config=tortoise_config(url, connection=f"test_{backend}"))
    return ctx


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def db(request: pytest.FixtureRequest) -> AsyncIterator[str]:
    """An empty hub database on each backend; yields its URL."""
    if request.param == "postgres":
        url = request.getfixturevalue("postgres_database")
        ctx = await _open(url, "postgres")
        conn = ctx.connections.get("test_postgres")
        await conn.execute_script(
            f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE;"
            "UPDATE event_counter SET value = 0 WHERE id = 1;"
        )
    else:
        url = "sqlite://:memory:"
        ctx = await _open(url, "sqlite")
        await ctx.generate_schemas()
        await EventCounter.create(id=1, value=0)
    forget_calendar()
    try:
        yield url
    finally:
        forget_calendar()
        await ctx.close_connections()
        ctx.__exit__(None, None, None)


@pytest.fixture
async def world(db: str) -> World:
    return await make_world()
