"""Ending means ending on every instance: two ``hub serve`` processes on one PostgreSQL
database and one Redis. A token revoked or a user deactivated with the ``hub`` command, or a
logout on one instance, closes the sockets on the other within a second. The periodic
re-check is slowed to 30 s, so the close must come from the notice over Redis."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import httpx
import pytest

from tests.api.test_board_subscription import cookie_for
from tests.api.ws import BOARD_EVENTS, graphql_ws
from tests.factories import World
from tests.real_services import require_redis
from tests.security.helpers import wait_closed
from tests.subscriptions.test_instances import create_via, hub_instance

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ON_POSTGRES = pytest.mark.parametrize("db", ["postgres"], indirect=True)


async def hub_command(*args: str, database_url: str, broadcast_url: str) -> tuple[int, str]:
    env = {**os.environ, "HUB_DATABASE_URL": database_url, "HUB_BROADCAST_URL": broadcast_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "hub.cli", *args, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await process.communicate()
    return process.returncode or 0, out.decode()


@ON_POSTGRES
async def test_revoke_and_deactivate_with_the_command_close_sockets_on_every_instance(
    db: str, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hub.services import auth

    redis_url = require_redis()
    monkeypatch.setenv("HUB_CREDENTIAL_CHECK_INTERVAL_S", "30")
    issued = await auth.create_api_token("procuratorate", "检察业务系统")
    async with (
        hub_instance("A", db, redis_url, tmp_path) as a,
        hub_instance("B", db, redis_url, tmp_path) as b,
        graphql_ws(a.ws_url, token=issued.secret) as on_a,
        graphql_ws(b.ws_url, token=issued.secret) as on_b,
        graphql_ws(b.ws_url, cookie=await cookie_for("liaison_a")) as liaison_on_b,
        graphql_ws(a.ws_url, cookie=await cookie_for("office")) as office_on_a,
    ):
        for ws in (on_a, on_b, liaison_on_b, office_on_a):
            await ws.subscribe("1", BOARD_EVENTS, {"after": None})
        await asyncio.sleep(0.3)
        code, out = await hub_command("token", "revoke", str(issued.token.id),
                                      database_url=db, broadcast_url=redis_url)  # fmt: skip
        assert code == 0, out
        # The command has published its notice by the time it exits: wait from there.
        closing = asyncio.ensure_future(
            asyncio.gather(wait_closed(on_a, 1.0), wait_closed(on_b, 1.0))
        )
        await create_via(a, await cookie_for("prosecutor"), world, 1)  # after the revocation
        closed_a, closed_b = await closing
        took = max(closed_a.after_s, closed_b.after_s)
        assert (await office_on_a.next_data())["boardEvents"]["event"]["action"] == "create"

        code, out = await hub_command("user", "deactivate", "liaison_a",
                                      database_url=db, broadcast_url=redis_url)  # fmt: skip
        assert code == 0, out
        deactivated = await wait_closed(liaison_on_b, 1.0)
    assert closed_a.code == closed_b.code == 4401
    assert closed_a.messages == closed_b.messages == []
    assert took < 1.0
    assert deactivated.code == 4403


@ON_POSTGRES
async def test_a_logout_on_one_instance_closes_the_session_on_another(
    db: str, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    redis_url = require_redis()
    monkeypatch.setenv("HUB_CREDENTIAL_CHECK_INTERVAL_S", "30")
    cookie = await cookie_for("office")
    async with (
        hub_instance("A", db, redis_url, tmp_path) as a,
        hub_instance("B", db, redis_url, tmp_path) as b,
        graphql_ws(b.ws_url, cookie=cookie) as on_b,
    ):
        await on_b.subscribe("1", BOARD_EVENTS, {"after": None})
        await asyncio.sleep(0.3)
        async with httpx.AsyncClient(base_url=a.base_url, headers={"Cookie": cookie}) as client:
            response = await client.post("/graphql", json={"query": "mutation { logout }"})
        assert response.json()["data"] == {"logout": True}
        closed = await wait_closed(on_b, 1.0)
    assert closed.code == 4401 and closed.messages == []
    log = (tmp_path / "A.log").read_text()
    assert '"event": "logout"' in log  # the security log of instance A
