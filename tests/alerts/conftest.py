"""Real SMTP servers for the alert tests: aiosmtpd on 127.0.0.1, and one that never answers.

The ``api`` fixture (the app, imported lazily) comes from ``tests/conftest.py``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller
from pydantic import SecretStr

from hub.clock import BUSINESS_TZ
from hub.settings import Settings

BASE_URL = "https://hub.example.test"


def alert_settings(smtp_url: str | None = None, **overrides: Any) -> Settings:
    return Settings(
        smtp_url=SecretStr(smtp_url) if smtp_url else None,
        smtp_timeout_s=overrides.pop("smtp_timeout_s", 3.0),
        base_url=BASE_URL,
        alerts_enabled=overrides.pop("alerts_enabled", False),
        **overrides,
    )


def on_day(day: date, hour: int = 10) -> datetime:
    """``hour`` o'clock on ``day`` in Asia/Shanghai, as a UTC instant."""
    return datetime.combine(day, time(hour), tzinfo=BUSINESS_TZ).astimezone(UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        return cast("str", self.message.get_content())

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class Recorder:
    """An aiosmtpd handler that keeps what arrives; it can refuse addresses for good."""

    refuse: set[str] = field(default_factory=set)
    delay_s: float = 0.0
    messages: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay_s:
            await asyncio.sleep(self.delay_s)
        message = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def snapshot(self) -> list[Received]:
        with self.lock:
            return list(self.messages)


@dataclass
class SmtpServer:
    port: int
    recorder: Recorder
    controller: Controller

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def received(self) -> list[Received]:
        return self.recorder.snapshot()

    def stop(self) -> None:
        self.controller.stop()


StartSmtp = Callable[..., SmtpServer]


@pytest.fixture
def start_smtp() -> Iterator[StartSmtp]:
    """Start a real SMTP server (aiosmtpd) on 127.0.0.1, on ``port`` or a free one."""
    started: list[SmtpServer] = []

    def start(
        port: int | None = None, *, refuse: set[str] | None = None, delay_s: float = 0.0
    ) -> SmtpServer:
        recorder = Recorder(refuse=refuse or set(), delay_s=delay_s)
        port = port or free_port()
        controller = Controller(recorder, hostname="127.0.0.1", port=port)
        controller.start()
        server = SmtpServer(port, recorder, controller)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def smtp(start_smtp: StartSmtp) -> SmtpServer:
    return start_smtp()


@pytest.fixture
async def silent_smtp() -> AsyncIterator[str]:
    """An SMTP URL whose server accepts the connection, reads, and never says a word."""

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await reader.read(4096):
                pass
        except ConnectionError:
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"smtp://127.0.0.1:{port}"
    finally:
        server.close()
        await server.wait_closed()
