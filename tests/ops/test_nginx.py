"""deploy/nginx/hub.conf, as shipped, in front of two ``hub serve`` processes on PostgreSQL and
Redis: the live board works through the proxy, and when the instance holding a board's
socket is killed the client reconnects through nginx to the other and, resuming from its
cursor, ends with every event once and in order."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from websockets.exceptions import ConnectionClosed

from tests.api.test_board_subscription import cookie_for
from tests.api.ws import BOARD_EVENTS, WsGraphQL, graphql_ws
from tests.factories import World
from tests.real_services import require_nginx, require_redis
from tests.subscriptions.test_instances import Instance, create_via, hub_instance

pytestmark = [pytest.mark.postgres, pytest.mark.redis]
ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "deploy" / "nginx" / "hub.conf"
UPSTREAM_HEADER = "X-Hub-Upstream"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _replace_once(text: str, pattern: str, replacement: str) -> str:
    new, count = re.subn(pattern, replacement, text, flags=re.MULTILINE)
    assert count == 1, f"deploy/nginx/hub.conf no longer has {pattern!r}"
    return new


def render(ports: list[int], listen: int) -> str:
    """The shipped configuration with this test's ports and paths, and one test-only header
    naming the instance that took a request."""
    text = CONF.read_text(encoding="utf-8")
    servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports)
    text = _replace_once(text, r"(?:^    server 127\.0\.0\.1:\d+ .*;\n)+", servers + "\n")
    text = _replace_once(text, r"^    listen 80;$", f"    listen 127.0.0.1:{listen};")
    text = _replace_once(text, r"^    root /opt/hub/frontend;$", f"    root {ROOT / 'frontend'};")
    return _replace_once(
        text,
        r"^    location = /graphql \{$",
        f"    location = /graphql {{\n        add_header {UPSTREAM_HEADER} $upstream_addr always;",
    )


@contextlib.asynccontextmanager
async def nginx(ports: list[int], workdir: Path) -> AsyncIterator[str]:
    binary = require_nginx()
    listen = _free_port()
    (workdir / "hub.conf").write_text(render(ports, listen), encoding="utf-8")
    temp = "\n".join(
        f"    {name}_temp_path {workdir / name};" for name in ("client_body", "proxy", "fastcgi",
                                                              "uwsgi", "scgi")
    )  # fmt: skip
    (workdir / "nginx.conf").write_text(
        f"""daemon off;
worker_processes 1;
pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"} info;
{"user root;" if os.geteuid() == 0 else ""}
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log {workdir / "access.log"};
{temp}
    include {workdir / "hub.conf"};
}}
""",
        encoding="utf-8",
    )
    check = await asyncio.create_subprocess_exec(
        binary, "-t", "-p", str(workdir), "-c", str(workdir / "nginx.conf"),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    out, _ = await check.communicate()
    assert check.returncode == 0, out.decode()
    process = await asyncio.create_subprocess_exec(
        binary, "-p", str(workdir), "-c", str(workdir / "nginx.conf"),
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{listen}"
    try:
        async with httpx.AsyncClient() as client, asyncio.timeout(10):
            while True:
                with contextlib.suppress(httpx.TransportError):
                    if (await client.get(f"{base}/healthz")).status_code == 200:
                        break
                await asyncio.sleep(0.05)
        yield base
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            process.kill()
            await process.wait()


def holder(ws: WsGraphQL, instances: list[Instance]) -> Instance:
    """The instance nginx handed this socket to."""
    upstream = ws.ws.response.headers[UPSTREAM_HEADER] if ws.ws.response else ""
    return next(i for i in instances if upstream.endswith(f":{i.port}"))


async def receive(ws: WsGraphQL, count: int) -> list[int]:
    seqs = []
    for _ in range(count):
        seqs.append(int((await ws.next_data(wait=10))["boardEvents"]["cursor"]))
    return seqs


async def drain(ws: WsGraphQL) -> None:
    """Read until the socket closes (or fail after 10 s)."""
    async with asyncio.timeout(10):
        while True:
            await ws.ws.recv()


ON_POSTGRES = pytest.mark.parametrize("db", ["postgres"], indirect=True)


@ON_POSTGRES
async def test_the_board_through_nginx_survives_losing_its_instance(
    db: str, world: World, tmp_path: Path
) -> None:
    redis_url = require_redis()
    office, prosecutor = await cookie_for("office"), await cookie_for("prosecutor")
    async with (
        hub_instance("A", db, redis_url, tmp_path) as a,
        hub_instance("B", db, redis_url, tmp_path) as b,
        nginx([a.port, b.port], tmp_path) as proxy,
    ):
        ws_url = proxy.replace("http://", "ws://") + "/graphql"
        async with httpx.AsyncClient(base_url=proxy) as client:
            page = await client.get("/")
            assert page.status_code == 200 and "府检联动平台" in page.text
            assert "content-security-policy" in page.headers  # the page comes from the hub
            script = await client.get("/app.js")
            assert script.status_code == 200
            assert script.headers["x-content-type-options"] == "nosniff"
            assert (await client.get("/readyz")).json()["status"] == "ready"

        written: list[int] = []
        received: list[int] = []
        async with graphql_ws(ws_url, cookie=office) as board:
            held_by = holder(board, [a, b])
            other = b if held_by is a else a
            await board.subscribe("1", BOARD_EVENTS, {"after": "0"})
            await asyncio.sleep(0.3)
            for n in range(3):  # written through the instance that does not hold the socket
                written.append(await create_via(other, prosecutor, world, n))
            received += await receive(board, 3)
            assert received == written

            assert held_by.process is not None
            held_by.process.kill()  # SIGKILL: no close frame from the hub
            await held_by.process.wait()
            with pytest.raises(ConnectionClosed):
                await drain(board)
        for n in range(3, 6):  # while the board is away
            written.append(await create_via(other, prosecutor, world, n))

        async with graphql_ws(ws_url, cookie=office) as board:
            assert holder(board, [a, b]) is other
            await board.subscribe("1", BOARD_EVENTS, {"after": str(received[-1])})
            received += await receive(board, 3)
            for n in range(6, 9):
                written.append(await create_via(other, prosecutor, world, n))
            received += await receive(board, 3)
            await board.expect_silence(0.5)
    assert written == sorted(written) and len(set(written)) == 9
    assert received == written
