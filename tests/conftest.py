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
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse, urlunparse

import asyncpg
import pytest
import uvicorn
from tortoise.context import TortoiseContext

from hub.db import apply_migrations, tortoise_config
from hub.models import EventCounter
from hub.services.calendar import forget_calendar
from tests.app_clients import Api, RunningServer, test_settings
from tests.factories import World, make_world
from tests.private_redis import PrivateRedis
from tests.real_services import POSTGRES_URL, require_postgres, require_redis_server_binary

TABLES = (
    "outbox_email",
    "case_event",
    "reply",
    "objection",
    "escalation",
    "recommendation_detail",
    "clock_adjustment",
    "case_clock",
    "case_party",
    '"case"',
    "session",
    "api_token",
    "login_throttle",
    '"user"',
    "unit",
    "calendar_day",
    "calendar_year",
    "task_list",  # not below "case": a year's list outlives its measures (task_list_task cascades)
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


@contextmanager
def _new_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; yields its URL."""
    require_postgres()
    name = f"hub_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    _run(_admin(f'CREATE DATABASE "{name}"'))
    try:
        yield _with_database(POSTGRES_URL, name)
    finally:
        _run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this session, migrated with ``migrations/``."""
    with _new_postgres_database() as url:
        _run(apply_migrations(url))
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def unmigrated_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database with no tables on each backend (a SQLite file, or a PostgreSQL database of
    its own), for tests that migrate step by step; yields its URL."""
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'hub.sqlite3'}"
        return
    with _new_postgres_database() as url:
        yield url


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


@pytest.fixture
async def api(world: World) -> Api:
    from hub.app import create_app

    return Api(create_app(test_settings(), manage_database=False), world)


@pytest.fixture
async def server(world: World) -> AsyncIterator[RunningServer]:
    """A real uvicorn server (WebSockets included) on a free port, sharing the test database."""
    from hub.app import create_app

    app = create_app(test_settings(), manage_database=False)
    config = uvicorn.Config(
        app, host="127.0.0.1", port=0, log_level="warning", ws="websockets-sansio",
        ws_per_message_deflate=False,
    )  # fmt: skip
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
        if task.done():
            task.result()
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield RunningServer(f"http://127.0.0.1:{port}", f"ws://127.0.0.1:{port}/graphql", app)
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def private_redis(tmp_path: Path) -> AsyncIterator[PrivateRedis]:
    """A running private Redis; killed in teardown whatever the test did."""
    server = PrivateRedis(require_redis_server_binary(), tmp_path)
    try:
        await server.start()
        yield server
    finally:
        await server.kill()
