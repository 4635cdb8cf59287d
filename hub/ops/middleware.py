"""The middleware around every request: a request id (kept from ``X-Request-ID`` when plain,
else new) bound to every log record and sent back in the response header, one access-log
line with the operation name, the viewer and the duration, and the latency metrics. The
GraphQL extension ``OperationFacts`` tells it the operation and the error codes."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Any

import structlog
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.extensions import SchemaExtension

from hub.ops import metrics
from hub.ops.logs import REQUEST_ID_HEADER, RequestFacts, current_facts, request_id_from

log = structlog.stdlib.get_logger("hub.request")
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def _route_kind(path: str) -> str:
    if path == "/graphql":
        return "graphql"
    if path in _QUIET_PATHS:
        return path.strip("/")
    if path.startswith("/export/"):
        return "export"
    return "static"


class RequestContext:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        facts = RequestFacts(
            request_id=request_id_from(headers),
            kind=scope["type"],
            method=scope.get("method", "GET"),
            path=scope.get("path", ""),
        )
        token = current_facts.set(facts)
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=facts.request_id)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = facts.request_id
            elif message["type"] == "websocket.accept":
                status = 101
                metrics.WEBSOCKETS.inc()
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            if status == 101:
                metrics.WEBSOCKETS.dec()
            self._record(facts, status, elapsed)
            structlog.contextvars.clear_contextvars()
            current_facts.reset(token)

    @staticmethod
    def _record(facts: RequestFacts, status: int, elapsed: float) -> None:
        kind = _route_kind(facts.path)
        if facts.kind == "http":
            operation = metrics.operation_label(facts.operation) if kind == "graphql" else kind
            metrics.REQUEST_SECONDS.labels(kind, operation).observe(elapsed)
        if kind in ("healthz", "readyz", "metrics", "static") and status < 500:
            return  # probes and files: counted, not logged
        fields: dict[str, Any] = {
            "method": facts.method,
            "path": facts.path,
            "status": status,
            "duration_ms": round(elapsed * 1000, 1),
        }
        if facts.kind == "websocket":
            fields["websocket"] = True
        for name in ("operation", "operation_type", "actor", "unit_id"):
            value = getattr(facts, name)
            if value is not None:
                fields[name] = value
        if facts.error_codes:
            fields["errors"] = sorted(set(facts.error_codes))
        level = logging.WARNING if status >= 500 else logging.INFO
        log.log(level, "request", **fields)


class OperationFacts(SchemaExtension):
    """Names the request's GraphQL operation and counts its errors by code. Listed first, so
    it sees the codes the other extensions put on the errors."""

    def on_operation(self) -> Iterator[None]:
        yield
        context = self.execution_context
        facts = current_facts.get()
        try:
            operation_type = context.operation_type.value
        except RuntimeError:
            operation_type = None  # the document did not parse or names no operation
        result = context.result
        errors = list(getattr(result, "errors", None) or []) or (context.pre_execution_errors or [])
        codes = [str((e.extensions or {}).get("code") or "GRAPHQL_ERROR") for e in errors]
        for code in codes:
            metrics.GRAPHQL_ERRORS.labels(code).inc()
        if facts is not None and facts.kind == "http":
            facts.operation = context.operation_name
            facts.operation_type = operation_type
            facts.error_codes.extend(codes)


def note_viewer(actor: str | None, unit_id: int | None) -> None:
    """Who the request acts as (called once the credential is checked)."""
    facts = current_facts.get()
    if facts is not None:
        facts.actor, facts.unit_id = actor, unit_id
