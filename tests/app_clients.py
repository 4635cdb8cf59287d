"""Talking to the app in tests: over HTTP (httpx, in process) and a real uvicorn server."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from starlette.applications import Starlette

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


@dataclass
class RunningServer:
    base_url: str
    ws_url: str
    app: Starlette


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
