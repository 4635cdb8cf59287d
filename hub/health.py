"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: database, broadcast backend
and migrations), for load balancers and orchestrators.

``/readyz`` answers 200 with every check ``ok``, or 503 with the reason of each failed one, so
that an operator reading the response (or the proxy's log) knows what to fix.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from pathlib import Path

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from tortoise.backends.base.client import BaseDBAsyncClient

from hub.db import APP_LABEL
from hub.models import EventCounter
from hub.pubsub import HubBroadcast

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
CHECK_TIMEOUT_S = 2.0
OK = "ok"


def migrations_on_disk() -> list[str]:
    return sorted(p.stem for p in MIGRATIONS.glob("[0-9][0-9][0-9][0-9]_*.py"))


def _connection() -> BaseDBAsyncClient:
    return EventCounter._meta.db  # the connection the models use, whatever its name


async def check_database() -> str:
    await _connection().execute_query("SELECT 1")
    return OK


async def check_migrations() -> str:
    """Every migration in the release is applied (``hub migrate`` ran for this version)."""
    try:
        _, rows = await _connection().execute_query(
            f"SELECT name FROM tortoise_migrations WHERE app = '{APP_LABEL}'"  # a constant
        )
    except Exception as exc:  # no table: the database was never migrated
        raise RuntimeError("数据库尚未迁移（请运行 hub migrate）") from exc
    applied = {row["name"] for row in rows}
    pending = [name for name in migrations_on_disk() if name not in applied]
    if pending:
        raise RuntimeError(f"有未应用的迁移：{', '.join(pending)}（请运行 hub migrate）")
    return OK


async def check_broadcast(broadcast: HubBroadcast) -> str:
    await broadcast.check()
    return OK


async def _run(name: str, check: Awaitable[str]) -> tuple[str, str, bool]:
    try:
        async with asyncio.timeout(CHECK_TIMEOUT_S):
            await check
        return name, OK, True
    except TimeoutError:
        return name, f"{CHECK_TIMEOUT_S:g} 秒内无响应", False
    except Exception as exc:
        return name, str(exc) or type(exc).__name__, False


async def readiness(broadcast: HubBroadcast) -> tuple[bool, dict[str, str]]:
    results = await asyncio.gather(
        _run("database", check_database()),
        _run("migrations", check_migrations()),
        _run("broadcast", check_broadcast(broadcast)),
    )
    return all(ok for _, _, ok in results), {name: text for name, text, _ in results}


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> Response:
    ready, checks = await readiness(request.app.state.broadcast)
    if not ready:
        log.warning("not ready: %s", {k: v for k, v in checks.items() if v != OK})
    body = {"status": "ready" if ready else "unavailable", "checks": checks}
    return JSONResponse(body, status_code=200 if ready else 503)
