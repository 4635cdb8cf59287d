"""Where the real services used by tests are, and what to do when one is missing.

A test that needs PostgreSQL, Redis or Chromium skips with a clear reason on a machine without
it, and fails instead when ``HUB_REQUIRE_SERVICES=1`` (CI sets it after starting them).
"""

from __future__ import annotations

import os
import shutil
import socket
from typing import NoReturn
from urllib.parse import urlparse

import pytest

REQUIRE_SERVICES = os.environ.get("HUB_REQUIRE_SERVICES") == "1"
POSTGRES_URL = os.environ.get("HUB_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
REDIS_URL = os.environ.get("HUB_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CHROMIUM_PATH = os.environ.get("HUB_TEST_CHROMIUM", "/usr/bin/chromium")


def unavailable(reason: str) -> NoReturn:
    """Skip, or fail when the run requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} — and HUB_REQUIRE_SERVICES=1 forbids skipping", pytrace=False)
    pytest.skip(reason)


def tcp_open(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), 1
        ):
            return True
    except OSError:
        return False


def require_postgres() -> str:
    if not tcp_open(POSTGRES_URL, 5432):
        unavailable(f"PostgreSQL is not reachable at {POSTGRES_URL}")
    return POSTGRES_URL


def require_redis() -> str:
    if not tcp_open(REDIS_URL, 6379):
        unavailable(f"Redis is not reachable at {REDIS_URL}")
    return REDIS_URL


def require_redis_server_binary() -> str:
    path = shutil.which("redis-server")
    if path is None:
        unavailable("redis-server is not installed (needed to restart a private Redis)")
    return path


def require_chromium() -> str:
    if not os.access(CHROMIUM_PATH, os.X_OK):
        unavailable(f"Chromium is not installed at {CHROMIUM_PATH} (apt-get install -y chromium)")
    return CHROMIUM_PATH


def require_nginx() -> str:
    path = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )
    if path is None:
        unavailable("nginx is not installed (apt-get install -y nginx-light)")
    return path
