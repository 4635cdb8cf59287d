"""The Tortoise configuration shared by the app, the CLI and Tortoise's own CLI.

``tortoise -c hub.db.TORTOISE_ORM makemigrations`` writes into the top-level ``migrations``
package; ``hub migrate`` applies them (once per deploy, never in each instance's startup).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tortoise import Tortoise

from hub.kinds.registry import MODEL_MODULES
from hub.settings import get_settings

APP_LABEL = "hub"


def tortoise_config(database_url: str, *, connection: str = "default") -> dict[str, Any]:
    return {
        "connections": {connection: database_url},
        "apps": {
            APP_LABEL: {
                "models": ["hub.models", *MODEL_MODULES],
                "migrations": "migrations",
                "default_connection": connection,
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }


TORTOISE_ORM = tortoise_config(get_settings().database_url)


def is_sqlite(database_url: str) -> bool:
    return urlparse(database_url).scheme == "sqlite"


def ensure_sqlite_directory(database_url: str) -> None:
    if is_sqlite(database_url):
        path = urlparse(database_url).path or urlparse(database_url).netloc
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)


@asynccontextmanager
async def database(database_url: str) -> AsyncIterator[None]:
    """Open the connections for the app or a CLI command, and close them after."""
    ensure_sqlite_directory(database_url)
    # Without the global fallback, only the task that ran init() (uvicorn's lifespan task)
    # would see the connections; request tasks would find "No TortoiseContext".
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)
    try:
        yield
    finally:
        await Tortoise.close_connections()


async def apply_migrations(database_url: str) -> None:
    from tortoise.migrations.api import migrate

    ensure_sqlite_directory(database_url)
    try:
        await migrate(config=tortoise_config(database_url))
    finally:
        await Tortoise.close_connections()
