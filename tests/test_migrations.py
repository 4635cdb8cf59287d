"""The project's migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import asyncpg
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from hub.db import apply_migrations, tortoise_config

TABLES = {
    "case", "case_party", "case_clock", "clock_adjustment", "recommendation_detail", "reply",
    "objection", "escalation", "case_event", "event_counter", "outbox_email", "unit", "user",
}  # fmt: skip
MIGRATION_FILES = sorted((Path(__file__).resolve().parent.parent / "migrations").glob("0*.py"))


async def test_models_and_migrations_agree() -> None:
    config = tortoise_config("sqlite://:memory:", connection="migration_check")
    with TortoiseContext() as ctx:
        await ctx.init(config=config, init_connections=False)
        assert ctx.apps is not None
        writers = await MigrationAutodetector(ctx.apps, config["apps"]).changes()
    assert writers == [], (
        "the models changed without a migration: run "
        "`tortoise -c hub.db.TORTOISE_ORM makemigrations` and commit it"
    )


async def test_migrations_apply_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite://{tmp_path / 'hub.sqlite3'}"
    await apply_migrations(url)
    await apply_migrations(url)  # applying again is a no-op
    import sqlite3

    with sqlite3.connect(tmp_path / "hub.sqlite3") as conn:
        tables = {
            row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }
        counter = conn.execute("SELECT id, value FROM event_counter").fetchall()
    assert tables >= TABLES and "recommendation" not in tables
    assert counter == [(1, 0)]


async def test_migrations_applied_on_postgres(postgres_database: str) -> None:
    conn = await asyncpg.connect(postgres_database.replace("postgres://", "postgresql://", 1))
    try:
        tables = {
            r["tablename"]
            for r in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        }
        applied = await conn.fetchval("SELECT count(*) FROM tortoise_migrations")
    finally:
        await conn.close()
    assert tables >= TABLES and "recommendation" not in tables
    assert applied == len(MIGRATION_FILES)
