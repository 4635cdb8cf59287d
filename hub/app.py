"""``create_app(settings)``: routes, one lifespan (database, broadcast, dispatcher, alerts)."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL

from hub.alerts.worker import AlertWorker
from hub.db import database
from hub.export_http import ledger_endpoint
from hub.health import healthz, readyz
from hub.ops.middleware import RequestContext, note_viewer
from hub.ops.scrape import metrics_endpoint
from hub.pubsub import HubBroadcast, create_broadcast
from hub.schema import build_schema, limits
from hub.schema.context import Context
from hub.security import log as security
from hub.security.headers import SecurityHeaders, graphiql_policy
from hub.security.revocation import use_publisher
from hub.services import auth
from hub.services.publish import Announcer, use_announcer
from hub.settings import Settings, get_settings
from hub.subscriptions.connections import (
    Connections,
    GuardedTransportHandler,
    GuardedWebSocketAdapter,
)
from hub.subscriptions.direct import DirectTransportHandler
from hub.subscriptions.dispatcher import EventDispatcher
from hub.subscriptions.fanout import encoded_payloads
from hub.subscriptions.notifications import NotificationHub, use_notifications

log = logging.getLogger(__name__)
FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
MAX_BODY_BYTES = 256 * 1024


async def authenticate(
    request: Request | WebSocket, authorization: str | None = None
) -> auth.Identity | None:
    """A bearer token wins over a session cookie; neither gives an anonymous request."""
    secret = auth.bearer_secret(authorization or request.headers.get("authorization"))
    if secret is not None:
        return await auth.identity_for_api_token(secret, address=client_address(request))
    session = request.cookies.get(auth.SESSION_COOKIE)
    return await auth.identity_for_session(session) if session else None


def client_address(request: Request | WebSocket) -> str | None:
    """The peer as uvicorn reports it (X-Forwarded-For is honoured from trusted proxies)."""
    return request.client.host if request.client else None


GRAPHIQL_LOGIN_PAGE = """<!doctype html><html lang="zh-CN"><meta charset="utf-8">
<title>GraphiQL</title><p>GraphiQL 仅供已登录的用户使用：请先在 <a href="/">首页</a> 登录。</p>"""


class HubGraphQL(GraphQL[Context, None]):
    websocket_adapter_class = GuardedWebSocketAdapter
    graphql_transport_ws_handler_class = GuardedTransportHandler

    def __init__(
        self, settings: Settings, dispatcher: EventDispatcher, connections: Connections
    ) -> None:
        super().__init__(
            build_schema(settings),
            graphql_ide=None if settings.production else "graphiql",
            allow_queries_via_get=False,
            allowed_origins=settings.allowed_origins,
            max_subscriptions_per_connection=10,
            # Only the protocol the board and agency clients speak; every open socket is
            # watched by ``connections`` and every new operation on it re-checked.
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.settings = settings
        self.dispatcher = dispatcher
        self.connections = connections
        if settings.share_subscription_execution:
            self.graphql_transport_ws_handler_class = DirectTransportHandler

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            return await super().__call__(scope, receive, send)
        websocket = WebSocket(scope, receive=receive, send=send)
        try:
            await self.run(websocket)
        finally:
            self.connections.remove(websocket)
        return None

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        identity = await authenticate(request)
        if identity is not None:
            note_viewer(identity.credential.label, identity.actor.unit_id)
        security.current_request.set(
            security.RequestInfo(
                client_address(request), identity.credential.label if identity else None
            )
        )
        return Context(
            request=request,
            response=response if isinstance(response, Response) else None,
            settings=self.settings,
            actor=identity.actor if identity else None,
            credential=identity.credential if identity else None,
            dispatcher=self.dispatcher,
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL for a signed-in browser only, under a policy that admits its CDN."""
        session = request.cookies.get(auth.SESSION_COOKIE)
        if not session or await auth.identity_for_session(session) is None:
            return HTMLResponse(GRAPHIQL_LOGIN_PAGE, status_code=401)
        nonce = secrets.token_urlsafe(16)
        html = self.graphql_ide_html.replace("<script>", f'<script nonce="{nonce}">')
        response = HTMLResponse(html)
        response.headers["content-security-policy"] = graphiql_policy(self.settings.base_url, nonce)
        response.headers["cache-control"] = "no-store"
        return response

    def encode_json(self, data: object) -> str | bytes:
        """A board event shared by many sockets is encoded once (hub.subscriptions.fanout);
        Chinese text goes out as UTF-8, not ``\\u`` escapes (a fifth of a board's bytes)."""
        shared = encoded_payloads.next_message(data)
        if shared:
            return shared
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        try:  # text, not bytes: a WebSocket sends bytes as binary frames
            text.encode()
        except UnicodeEncodeError:  # a lone surrogate echoed from the input: escape it
            return json.dumps(data, separators=(",", ":"))
        return text

    def decode_json(self, data: str | bytes) -> object:
        """Bodies and WebSocket messages nested deep enough to exhaust the parser are a
        client's malformed JSON (HTTP 400, WebSocket close 4400), not a server error."""
        return limits.decode_json(data)

    async def on_ws_connect(self, context: Context) -> None:
        """Accept a session cookie, or ``{"authorization": "Bearer …"}`` in connection_init."""
        token = context.connection_params.get("authorization")
        if isinstance(token, str):
            identity = await authenticate(context.request, token)
            context.actor = identity.actor if identity else None
            context.credential = identity.credential if identity else None
        if context.actor is None or context.credential is None:
            raise ConnectionRejectionError({"message": "请先登录或提供有效的 API 令牌"})
        assert isinstance(context.request, WebSocket)
        self.connections.add(context.request, context.credential)


class BodySizeLimit:
    """Refuse request bodies over ``limit`` bytes with 413 before anyone parses them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.limit:
            response = JSONResponse({"errors": [{"message": "请求体过大"}]}, status_code=413)
            return await response(scope, receive, send)
        received = 0

        async def limited() -> Any:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.limit:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, limited, send)
        except BodyTooLarge:
            await JSONResponse({"errors": [{"message": "请求体过大"}]}, status_code=413)(
                scope, receive, send
            )
        return None


class BodyTooLarge(Exception):
    pass


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> Starlette:
    """``manage_database=False`` leaves opening the database to the caller (tests)."""
    settings = settings or get_settings()
    broadcast: HubBroadcast = create_broadcast(settings.broadcast_url)
    dispatcher = EventDispatcher(broadcast, poll_interval=settings.event_poll_interval_s)
    connections = Connections(broadcast, check_interval=settings.credential_check_interval_s)
    graphql = HubGraphQL(settings, dispatcher, connections)
    alerts = AlertWorker(settings)  # does nothing when HUB_ALERTS_ENABLED=false
    notices = NotificationHub(broadcast, poll_interval=settings.event_poll_interval_s)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = database(settings.database_url) if manage_database else contextlib.nullcontext()
        async with db, broadcast:
            announcer = Announcer(broadcast)
            await announcer.start()
            use_announcer(announcer)
            await dispatcher.start()
            await connections.start()
            use_publisher(connections.publish)
            await notices.start()
            use_notifications(notices, broadcast)
            # Everything built so far lives as long as the process: keep it out of the cyclic
            # collector's full passes, which otherwise showed up as 300+ ms fan-out outliers.
            gc.freeze()
            # A fan-out allocates per socket: let those objects die young rather than be
            # promoted mid-flight (fewer, shorter full collections; see bench/board_fanout).
            gc.set_threshold(20_000, 20, 20)
            await alerts.start()
            try:
                yield
            finally:
                await alerts.stop()
                guard = graphql.schema.guard  # type: ignore[attr-defined]
                if guard is not None:
                    await guard.budget.aclose()
                use_publisher(None)
                use_notifications(None, None)
                await notices.stop()
                await connections.stop()
                await dispatcher.stop()
                use_announcer(None)
                await announcer.stop()

    routes = [
        Route("/graphql", graphql),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/metrics", metrics_endpoint),
        Route("/export/ledger.xlsx", ledger_endpoint(settings, authenticate)),
        Mount("/", StaticFiles(directory=FRONTEND, html=True, check_dir=False), name="frontend"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.dispatcher = dispatcher
    app.state.connections = connections
    app.state.notifications = notices
    app.state.settings = settings
    app.state.broadcast = broadcast
    app.add_middleware(BodySizeLimit, limit=MAX_BODY_BYTES)
    app.add_middleware(SecurityHeaders, base_url=settings.base_url)  # every response
    app.add_middleware(RequestContext)  # outermost: a request id on everything, even a 413
    return app
