"""The committed schema.graphql is the schema the code serves."""

from __future__ import annotations

from pathlib import Path

from hub.schema import schema_sdl

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_schema_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text("utf-8") == schema_sdl(), (
        "schema.graphql is out of date: run `make schema` and commit it"
    )
