"""Ending means ending: a logout, a revoked or expired token, a deactivated user closes that
client's WebSockets within a second (4401, 4403 for a deactivated user), and nothing more is
sent on them. Real WebSocket clients against a real uvicorn server, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
import uvicorn

from hub import clock
from hub.domain.errors import Unauthenticated
from hub.models import ApiToken, Session
from hub.services import auth
from tests.api.test_board_subscription import cookie_for
from tests.api.ws import BOARD_EVENTS, graphql_ws
from tests.app_clients import RunningServer
from tests.app_clients import test_settings as hub_settings
from tests.factories import World, draft
from tests.security.helpers import security_entries, wait_closed

LOGOUT = "mutation { logout }"


@contextlib.asynccontextmanager
async def serving(**overrides: Any) -> AsyncIterator[RunningServer]:
    """Like the ``server`` fixture, with settings of the test's choosing."""
    from hub.app import create_app

    app = create_app(hub_settings(**overrides), manage_database=False)
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


async def test_logout_closes_that_sessions_sockets_and_only_those(
    world: World, server: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="hub.security")
    leaving, staying = await cookie_for("office"), await cookie_for("office")
    async with (
        graphql_ws(server.ws_url, cookie=leaving) as ws,
        graphql_ws(server.ws_url, cookie=staying) as other,
    ):
        await ws.subscribe("1", BOARD_EVENTS, {"after": None})
        await other.subscribe("1", BOARD_EVENTS, {"after": None})
        await asyncio.sleep(0.1)
        async with httpx.AsyncClient(base_url=server.base_url, headers={"Cookie": leaving}) as c:
            response = await c.post("/graphql", json={"query": LOGOUT})
        assert response.json()["data"] == {"logout": True}
        await draft(world)  # an event after the logout
        closed = await wait_closed(ws, within=1.0)
        assert (await other.collect(1))[0]["event"]["action"] == "create"
    assert closed.code == 4401
    assert closed.messages == []  # not the event written after the logout
    assert [e["reason"] for e in security_entries(caplog, "websocket.closed")] == ["logout"]


async def test_revoking_a_token_closes_its_sockets_and_no_other(
    world: World, server: RunningServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="hub.security")
    revoked = await auth.create_api_token("procuratorate", "检察业务系统")
    kept = await auth.create_api_token("procuratorate", "另一个系统")
    async with (
        graphql_ws(server.ws_url, token=revoked.secret) as ws,
        graphql_ws(server.ws_url, token=kept.secret) as other,
    ):
        await ws.subscribe("1", BOARD_EVENTS, {"after": None})
        await other.subscribe("1", BOARD_EVENTS, {"after": None})
        await asyncio.sleep(0.1)
        assert await auth.revoke_api_token(revoked.token.id)
        await draft(world)
        closed = await wait_closed(ws, within=1.0)
        assert len(await other.collect(1)) == 1
    assert closed.code == 4401
    assert closed.messages == []
    assert security_entries(caplog, "token.revoked")[0]["token"] == revoked.token.id


async def test_an_expired_token_loses_its_socket_when_it_expires(
    world: World, server: RunningServer
) -> None:
    issued = await auth.create_api_token("procuratorate", "短期令牌", ttl=timedelta(seconds=1))
    async with graphql_ws(server.ws_url, token=issued.secret) as ws:
        await ws.subscribe("1", BOARD_EVENTS, {"after": None})
        closed = await wait_closed(ws, within=2.0)
    assert issued.token.expires_at is not None
    late = clock.now() - issued.token.expires_at
    assert closed.code == 4401
    assert late < timedelta(seconds=1), late
    async with httpx.AsyncClient(base_url=server.base_url) as c:  # and HTTP refuses it too
        response = await c.post("/graphql", json={"query": "{ units { code } }"},
                                headers={"Authorization": f"Bearer {issued.secret}"})  # fmt: skip
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_deactivating_a_user_closes_every_socket_of_theirs_with_4403(
    world: World, server: RunningServer
) -> None:
    async with (
        graphql_ws(server.ws_url, cookie=await cookie_for("liaison_a")) as one,
        graphql_ws(server.ws_url, cookie=await cookie_for("liaison_a")) as two,
    ):
        await one.subscribe("1", BOARD_EVENTS, {"after": None})
        await asyncio.sleep(0.1)
        assert await auth.deactivate_user("liaison_a")
        first, second = await asyncio.gather(wait_closed(one, 1.0), wait_closed(two, 1.0))
    assert first.code == second.code == 4403
    assert await Session.filter(user_id=world.users["liaison_a"].id).count() == 0
    with pytest.raises(Unauthenticated):
        await cookie_for("liaison_a")


async def test_a_revocation_whose_notice_is_lost_is_found_within_a_second(
    world: World, server: RunningServer
) -> None:
    issued = await auth.create_api_token("procuratorate", "检察业务系统")
    async with graphql_ws(server.ws_url, token=issued.secret) as ws:
        await ws.subscribe("1", BOARD_EVENTS, {"after": None})
        await asyncio.sleep(0.1)
        # As another process would, with no broadcast to reach this one.
        await ApiToken.filter(id=issued.token.id).update(revoked_at=clock.now())
        closed = await wait_closed(ws, within=1.5)
    assert closed.code == 4401
    assert closed.messages == []


async def test_a_subscribe_after_a_silent_revocation_replays_nothing(world: World) -> None:
    await draft(world)  # history a replay would send
    async with serving(credential_check_interval_s=60) as server:
        cookie = await cookie_for("office")
        async with graphql_ws(server.ws_url, cookie=cookie) as ws:
            await Session.all().delete()  # logged out elsewhere; no notice reaches us
            await ws.subscribe("1", BOARD_EVENTS, {"after": "0"})
            closed = await wait_closed(ws, within=1.0)
    assert closed.code == 4401
    assert closed.messages == []


async def test_a_socket_cannot_open_with_an_ended_credential(
    world: World, server: RunningServer
) -> None:
    issued = await auth.create_api_token("procuratorate", "检察业务系统")
    await auth.revoke_api_token(issued.token.id)
    from websockets.asyncio.client import connect

    from tests.api.ws import PROTOCOL, WsGraphQL

    async with connect(server.ws_url, subprotocols=[PROTOCOL]) as raw:  # type: ignore[list-item]
        ws = WsGraphQL(raw)
        await ws.send({"type": "connection_init",
                       "payload": {"authorization": f"Bearer {issued.secret}"}})  # fmt: skip
        closed = await wait_closed(ws, within=1.0)
    assert closed.code == 4403
    assert closed.messages == []
