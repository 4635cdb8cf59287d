"""The app over HTTP (httpx, in process) and over WebSocket (a real uvicorn server)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette

from hub.app import create_app
from hub.services import auth
from hub.settings import Settings
from tests.factories import PASSWORD, World


def test_settings(**overrides: Any) -> Settings:
    return Settings(alerts_enabled=False, **overrides)


@dataclass
class GraphQLClient:
    http: httpx.AsyncClient

    async def post(self, query: str, variables: dict[str, Any] | None = None) -> httpx.Response:
        return await self.http.post("/graphql", json={"query": query, "variables": variables or {}})

    async def __call__(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        response = await self.post(query, variables)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


@dataclass
class Api:
    app: Starlette
    world: World

    @contextlib.asynccontextmanager
    async def client(self, headers: dict[str, str] | None = None) -> AsyncIterator[GraphQLClient]:
        transport = httpx.ASGITransport(app=self.app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers=headers
        ) as http:
            yield GraphQLClient(http)

    @contextlib.asynccontextmanager
    async def as_user(self, username: str) -> AsyncIterator[GraphQLClient]:
        result = await auth.login(username, PASSWORD, ttl=timedelta(hours=1))
        async with self.client() as client:
            client.http.cookies.set(auth.SESSION_COOKIE, result.session_secret)
            yield client

    @contextlib.asynccontextmanager
    async def as_token(self, unit_code: str) -> AsyncIterator[GraphQLClient]:
        issued = await auth.create_api_token(unit_code, f"{unit_code} 系统")
        async with self.client({"Authorization": f"Bearer {issued.secret}"}) as client:
            yield client


@pytest.fixture
async def api(world: World) -> Api:
    return Api(create_app(test_settings(), manage_database=False), world)


@dataclass
class RunningServer:
    base_url: str
    ws_url: str
    app: Starlette


@pytest.fixture
async def server(world: World) -> AsyncIterator[RunningServer]:
    """A real uvicorn server (WebSockets included) on a free port, sharing the test database."""
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


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
