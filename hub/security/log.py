"""The security log: one JSON object per line on the ``hub.security`` logger.

Every entry has ``event`` and ``at`` (UTC, ISO 8601) and, when a request is being served, the
client ``address``. Events: ``login.succeeded``, ``login.failed``, ``login.throttled``,
``login.locked``, ``logout``, ``token.created``, ``token.revoked``, ``token.new_address``,
``token.refused`` (expired, revoked or wrong scope), ``user.deactivated``,
``permission.denied``, ``introspection.refused``, ``websocket.closed``.
Secrets never appear: tokens are named by number, sessions not at all.
"""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from hub import clock
from hub.ops.logs import current_request_id

logger = logging.getLogger("hub.security")


@dataclass(frozen=True, slots=True)
class RequestInfo:
    """Who is asking, as far as the security log cares."""

    address: str | None
    actor: str | None = None  # e.g. "user:3" or "api_token:7"


current_request: ContextVar[RequestInfo | None] = ContextVar("security_request", default=None)


def record(event: str, *, level: int = logging.INFO, **fields: Any) -> None:
    """Write one entry; ``None`` fields are left out."""
    entry: dict[str, Any] = {"event": event, "at": clock.now().isoformat(timespec="seconds")}
    request_id = current_request_id()
    if request_id is not None:
        entry["request_id"] = request_id
    request = current_request.get()
    if request is not None:
        entry["address"] = request.address
        if request.actor is not None:
            entry["actor"] = request.actor
    entry.update((k, v) for k, v in fields.items() if v is not None)
    logger.log(level, json.dumps(entry, ensure_ascii=False, default=str, sort_keys=False))


def install_handler() -> None:
    """For ``hub serve``: the log goes to stderr as bare JSON lines, whatever else logs."""
    if any(getattr(h, "hub_security", False) for h in logger.handlers):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    handler.hub_security = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
