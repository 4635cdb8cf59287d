"""SIGTERM drains an instance: it stops accepting, lets in-flight mutations finish, closes its
WebSockets with 1012 so the board reconnects elsewhere at once, and exits in time — and a
board client that resumes from its cursor on the other instance loses nothing."""

from __future__ import annotations

import asyncio
import signal
import time
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from hub.models import CaseEvent
from tests.api.test_board_subscription import cookie_for
from tests.api.ws import BOARD_EVENTS, WsGraphQL, graphql_ws
from tests.factories import World
from tests.ops.test_nginx import receive
from tests.real_services import require_redis
from tests.subscriptions.test_instances import create_via, hub_instance

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ON_POSTGRES = pytest.mark.parametrize("db", ["postgres"], indirect=True)
SHUTDOWN_TIMEOUT_S = 5


async def _create_or_refused(instance: object, cookie: str, world: World, n: int) -> int | None:
    """The event's seq, or None when the instance did not take the request: refused, or a
    connection it had not read a request from yet and closed (``ReadError``) — the test then
    checks that no such request was committed."""
    try:
        return await create_via(instance, cookie, world, n)  # type: ignore[arg-type]
    except (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError):
        return None


async def _read_until_closed(board: WsGraphQL, received: list[int]) -> None:
    while True:
        event = await board.next_data(wait=10)
        received.append(int(event["boardEvents"]["cursor"]))


@ON_POSTGRES
async def test_sigterm_drains_without_losing_a_request_or_an_event(
    db: str, world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    redis_url = require_redis()
    office, prosecutor = await cookie_for("office"), await cookie_for("prosecutor")
    monkeypatch.setenv("HUB_SHUTDOWN_TIMEOUT_S", str(SHUTDOWN_TIMEOUT_S))
    async with (
        hub_instance("A", db, redis_url, tmp_path) as a,
        hub_instance("B", db, redis_url, tmp_path) as b,
    ):
        assert a.process is not None
        received: list[int] = []
        async with graphql_ws(a.ws_url, cookie=office) as board:
            await board.subscribe("1", BOARD_EVENTS, {"after": "0"})
            await asyncio.sleep(0.3)
            first = [await create_via(b, prosecutor, world, n) for n in range(3)]
            received += await receive(board, 3)
            assert received == first

            in_flight = [
                asyncio.create_task(_create_or_refused(a, prosecutor, world, 10 + n))
                for n in range(8)
            ]
            await asyncio.sleep(0.05)  # sent, some being executed
            started = time.perf_counter()
            a.process.send_signal(signal.SIGTERM)
            # Events committed before the close still reach the socket; then 1012.
            with pytest.raises(ConnectionClosed) as closed:
                await _read_until_closed(board, received)
            closed_after = time.perf_counter() - started
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1012
            assert closed_after < 2.0, f"closed after {closed_after:.2f} s"
            answered = await asyncio.gather(*in_flight)  # none failed mid-request
            async with asyncio.timeout(SHUTDOWN_TIMEOUT_S + 5):
                # uvicorn re-raises the signal once it has shut down: exit by SIGTERM.
                assert await a.process.wait() in (0, -signal.SIGTERM)
        exited_after = time.perf_counter() - started

        committed = [seq for seq in answered if seq is not None]
        stored = await CaseEvent.all().order_by("seq").values_list("seq", flat=True)
        assert set(committed) <= set(stored)
        assert len(stored) == 3 + len(committed)  # nothing half-done

        async with graphql_ws(b.ws_url, cookie=office) as board:
            await board.subscribe("1", BOARD_EVENTS, {"after": str(received[-1])})
            missing = len(stored) - len(received)
            received += await receive(board, missing) if missing else []
            later = await create_via(b, prosecutor, world, 99)
            received += await receive(board, 1)
            await board.expect_silence(0.5)
    print(
        f"{len(committed)} of 8 in flight committed; closed after {closed_after:.2f} s, exited after {exited_after:.2f} s"
    )
    assert received == [*stored, later]
    assert exited_after < SHUTDOWN_TIMEOUT_S + 2
    log = (tmp_path / "A.log").read_text(errors="replace")
    assert "Traceback" not in log and "ERROR" not in log, log[-3000:]
