"""What the benchmarks share: a demo database, a hub process, logged-in board clients."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import statistics
import sys
import tempfile
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import IO

import httpx
from tortoise import Tortoise

from hub.db import apply_migrations, database
from hub.services import auth
from hub.services.demo import load_demo

PASSWORD = "bench-password-1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def percentile(values: Sequence[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(values: Sequence[float]) -> str:
    return (
        f"p50 {percentile(values, 50):7.1f}  p99 {percentile(values, 99):7.1f}  "
        f"mean {statistics.fmean(values):7.1f}  n={len(values)}"
    )


async def demo_database(directory: Path) -> str:
    url = f"sqlite://{directory / 'bench.sqlite3'}?busy_timeout=10000"
    await apply_migrations(url)
    async with database(url):
        await load_demo(PASSWORD)
    return url


async def session_cookies(url: str, usernames: Sequence[str]) -> dict[str, str]:
    async with database(url):
        cookies = {}
        for username in usernames:
            login = await auth.login(username, PASSWORD, ttl=timedelta(hours=2))
            cookies[username] = f"{auth.SESSION_COOKIE}={login.session_secret}"
    await Tortoise.close_connections()
    return cookies


@dataclass
class HubProcess:
    base_url: str
    ws_url: str
    pid: int


@contextlib.asynccontextmanager
async def hub_process(database_url: str, **env: str) -> AsyncIterator[HubProcess]:
    port = free_port()
    environment = {**os.environ, "HUB_DATABASE_URL": database_url, "HUB_ALERTS_ENABLED": "false",
                   **env}  # fmt: skip
    # BENCH_HUB_LOG=path keeps the server's output for a look after the run.
    kept = os.environ.get("BENCH_HUB_LOG")
    log = open(kept, "w+b") if kept else tempfile.TemporaryFile()  # noqa: SIM115, ASYNC230
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "uvicorn", "--factory", "hub.app:create_app", "--port", str(port),
        "--log-level", "warning", "--ws", "websockets-sansio", "--ws-per-message-deflate", "false",
        env=environment, stdout=log, stderr=log,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        await wait_healthy(base, process, log)
        yield HubProcess(base, f"ws://127.0.0.1:{port}/graphql", process.pid)
    finally:
        process.terminate()
        await process.wait()
        log.close()


async def wait_healthy(
    base: str, process: asyncio.subprocess.Process, log: IO[bytes] | None = None
) -> None:
    """Until ``base``/healthz answers 200; the process's log if it exits first."""
    async with httpx.AsyncClient() as client, asyncio.timeout(60):
        while True:
            if process.returncode is not None:
                output = b""
                if log is not None:
                    log.seek(0)
                    output = log.read()
                raise RuntimeError(f"the server exited: {output.decode(errors='replace')}")
            with contextlib.suppress(httpx.TransportError):
                if (await client.get(f"{base}/healthz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def dumps(message: dict[str, object]) -> str:
    return json.dumps(message, ensure_ascii=False)
