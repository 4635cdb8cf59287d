"""``create_app(settings)``: routes, one lifespan (database, broadcast, dispatcher, alerts)."""

from __future__ import annotations

import contextlib
import gc
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError

from hub.alerts.worker import AlertWorker
from hub.db import database
from hub.domain.roles import Actor
from hub.pubsub import HubBroadcast, create_broadcast
from hub.schema import build_schema
from hub.schema.context import Context
from hub.services import auth
from hub.services.publish import Announcer, use_announcer
from hub.settings import Settings, get_settings
from hub.subscriptions.direct import DirectTransportHandler
from hub.subscriptions.dispatcher import EventDispatcher
from hub.subscriptions.fanout import encoded_payloads

log = logging.getLogger(__name__)
FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
MAX_BODY_BYTES = 256 * 1024


async def authenticate(
    request: Request | WebSocket, authorization: str | None = None
) -> Actor | None:
    """A bearer token wins over a session cookie; neither gives an anonymous request."""
    secret = auth.bearer_secret(authorization or request.headers.get("authorization"))
    if secret is not None:
        return await auth.actor_for_api_token(secret)
    session = request.cookies.get(auth.SESSION_COOKIE)
    return await auth.actor_for_session(session) if session else None


class HubGraphQL(GraphQL[Context, None]):
    def __init__(self, settings: Settings, dispatcher: EventDispatcher) -> None:
        super().__init__(
            build_schema(settings),
            allow_queries_via_get=False,
            allowed_origins=settings.allowed_origins,
            max_subscriptions_per_connection=10,
        )
        self.settings = settings
        self.dispatcher = dispatcher
        if settings.share_subscription_execution:
            self.graphql_transport_ws_handler_class = DirectTransportHandler

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        return Context(
            request=request,
            response=response if isinstance(response, Response) else None,
            settings=self.settings,
            actor=await authenticate(request),
            dispatcher=self.dispatcher,
        )

    def encode_json(self, data: object) -> str | bytes:
        """A board event shared by many sockets is encoded once (hub.subscriptions.fanout);
        Chinese text goes out as UTF-8, not ``\\u`` escapes (a fifth of a board's bytes)."""
        shared = encoded_payloads.next_message(data)
        return shared or json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    async def on_ws_connect(self, context: Context) -> None:
        """Accept a session cookie, or ``{"authorization": "Bearer …"}`` in connection_init."""
        token = context.connection_params.get("authorization")
        if isinstance(token, str):
            context.actor = await authenticate(context.request, token)
        if context.actor is None:
            raise ConnectionRejectionError({"message": "请先登录或提供有效的 API 令牌"})


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


async def healthz(request: Request) -> Response:
    return JSONResponse({"status": "ok"})


def create_app(settings: Settings | None = None, *, manage_database: bool = True) -> Starlette:
    """``manage_database=False`` leaves opening the database to the caller (tests)."""
    settings = settings or get_settings()
    broadcast: HubBroadcast = create_broadcast(settings.broadcast_url)
    dispatcher = EventDispatcher(broadcast, poll_interval=settings.event_poll_interval_s)
    graphql = HubGraphQL(settings, dispatcher)
    alerts = AlertWorker(settings)  # does nothing when HUB_ALERTS_ENABLED=false

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        db = database(settings.database_url) if manage_database else contextlib.nullcontext()
        async with db, broadcast:
            announcer = Announcer(broadcast)
            await announcer.start()
            use_announcer(announcer)
            await dispatcher.start()
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
                await dispatcher.stop()
                use_announcer(None)
                await announcer.stop()

    routes = [
        Route("/graphql", graphql),
        WebSocketRoute("/graphql", graphql),
        Route("/healthz", healthz),
        Mount("/", StaticFiles(directory=FRONTEND, html=True, check_dir=False), name="frontend"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.dispatcher = dispatcher
    app.state.settings = settings
    app.add_middleware(BodySizeLimit, limit=MAX_BODY_BYTES)
    return app
