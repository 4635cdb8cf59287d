"""Security headers on every HTTP response.

The board is ES modules and one vendored script, all from the hub itself, with no inline
script or style; it talks to ``/graphql`` over HTTP and WebSocket. So the policy allows
scripts, styles, fonts and images (plus ``data:`` images) from the hub's own origin and
connections to it (``'self'`` and, for browsers that do not count ``ws:`` as ``'self'``, the
WebSocket URL of ``HUB_BASE_URL``); nothing may frame it. GraphiQL (a developer tool, signed-in
users only, absent in production) loads from unpkg.com with subresource integrity and gets
a policy of its own (``graphiql_policy``), which this middleware leaves in place.
"""

from __future__ import annotations

from urllib.parse import urlparse

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

GRAPHIQL_CDN = "https://unpkg.com"


def _websocket_origin(base_url: str) -> str:
    parsed = urlparse(base_url)
    scheme = "wss" if parsed.scheme == "https" else "ws"
    return f"{scheme}://{parsed.netloc}" if parsed.netloc else ""


def board_policy(base_url: str) -> str:
    connect = " ".join(filter(None, ("'self'", _websocket_origin(base_url))))
    return "; ".join((
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src {connect}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))  # fmt: skip


def graphiql_policy(base_url: str, nonce: str) -> str:
    connect = " ".join(filter(None, ("'self'", _websocket_origin(base_url))))
    return "; ".join((
        "default-src 'self'",
        f"script-src 'self' {GRAPHIQL_CDN} 'nonce-{nonce}'",
        # React sets style attributes, which a nonce cannot cover.
        f"style-src 'self' {GRAPHIQL_CDN} 'unsafe-inline'",
        f"img-src 'self' data: {GRAPHIQL_CDN}",
        f"font-src 'self' data: {GRAPHIQL_CDN}",
        f"connect-src {connect}",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ))  # fmt: skip


class SecurityHeaders:
    """Adds the headers to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp, *, base_url: str) -> None:
        self.app = app
        https = base_url.lower().startswith("https://")
        self.headers: list[tuple[str, str]] = [
            ("content-security-policy", board_policy(base_url)),
            ("x-content-type-options", "nosniff"),
            ("referrer-policy", "no-referrer"),
            ("x-frame-options", "DENY"),
            ("cross-origin-opener-policy", "same-origin"),
            ("permissions-policy", "camera=(), microphone=(), geolocation=()"),
        ]
        if https:
            self.headers.append(
                ("strict-transport-security", "max-age=31536000; includeSubDomains")
            )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers:
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)
