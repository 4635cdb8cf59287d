"""Structured logs (structlog over the standard library): every record — the hub's own, uvicorn's,
Tortoise's — goes through one formatter, human-readable in a terminal and one JSON object per
line under ``HUB_ENV=production``. Inside a request each record carries its ``request_id``
(also returned in the ``X-Request-ID`` header) from ``structlog.contextvars``.

The security log (``hub.security``) keeps its own JSON lines (hub.security.log) and gets the
request id too.
"""

from __future__ import annotations

import logging
import re
import sys
import uuid
from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

import structlog

REQUEST_ID_HEADER = "x-request-id"
# An incoming id is kept only when it is short and plain (a proxy's or a client's trace id);
# anything else is replaced, so a log line can never be forged through this header.
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@dataclass(slots=True)
class RequestFacts:
    """What the access log line and the metrics say about one request, filled in as it runs."""

    request_id: str
    kind: str  # "http" or "websocket"
    method: str
    path: str
    operation: str | None = None
    operation_type: str | None = None
    actor: str | None = None
    unit_id: int | None = None
    error_codes: list[str] = field(default_factory=list)


current_facts: ContextVar[RequestFacts | None] = ContextVar("hub_request_facts", default=None)


def request_id_from(headers: Mapping[str, str] | None) -> str:
    incoming = (headers or {}).get(REQUEST_ID_HEADER, "")
    return incoming if _SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex


def current_request_id() -> str | None:
    facts = current_facts.get()
    return facts.request_id if facts else None


_SHARED: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True, key="at"),
]


# structlog's records go to the standard library (and so to pytest's capture, or to the
# handler ``configure`` installs); configured at import so no record is ever printed raw.
structlog.configure(
    processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
    logger_factory=structlog.stdlib.LoggerFactory(),
    wrapper_class=structlog.stdlib.BoundLogger,
    cache_logger_on_first_use=True,
)


def configure(*, json_lines: bool, level: int = logging.INFO) -> logging.Handler:
    """Route every logger through one handler on stderr (``hub serve`` calls it once);
    returns the handler."""
    renderer: Any = (
        structlog.processors.JSONRenderer(ensure_ascii=False)
        if json_lines
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    formatter = structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_SHARED,
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            # JSON carries the traceback as text; the console renderer prints it itself.
            *([structlog.processors.format_exc_info] if json_lines else []),
            renderer,
        ],
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    handler.hub_structured = True  # type: ignore[attr-defined]
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not getattr(h, "hub_structured", False)]
    root.addHandler(handler)
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers = []
        uvicorn_logger.propagate = True
    return handler


def get_logger(name: str) -> Any:
    return structlog.stdlib.get_logger(name)
