"""The per-request GraphQL context: who is asking, today's date, fresh loaders."""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.types import Info as StrawberryInfo

from hub import clock
from hub.domain.errors import Unauthenticated
from hub.domain.roles import Actor
from hub.domain.visibility import Audience, audience_of
from hub.resolvers.loaders import Loaders, UnitRow, all_units
from hub.services.auth import Credential
from hub.settings import Settings
from hub.subscriptions.dispatcher import EventDispatcher


@dataclass
class Context:
    request: Request | WebSocket
    response: Response | None
    settings: Settings
    actor: Actor | None
    today: date = field(default_factory=clock.today)
    _loaders: Loaders | None = field(default=None, repr=False)
    _units: dict[int, UnitRow] | None = field(default=None, repr=False)
    connection_params: dict[str, Any] = field(default_factory=dict)
    dispatcher: EventDispatcher | None = None
    credential: Credential | None = None  # what ``actor`` signed in with, and when it ends

    @property
    def loaders(self) -> Loaders:
        """Built on first use: most subscription events reuse a shared result and need none."""
        if self._loaders is None:
            self._loaders = Loaders(audience_of(self.actor) if self.actor else None)
        return self._loaders

    async def preload_units(self) -> None:
        """For list queries: every unit in one query, so card fields resolve without awaiting."""
        if self._units is None:
            self._units = {unit.id: unit for unit in await all_units()}

    def unit(self, unit_id: int) -> UnitRow | Awaitable[UnitRow | None] | None:
        """The unit, at once when preloaded, else through the request's loader."""
        if self._units is not None:
            return self._units.get(unit_id)
        return self.loaders.unit_by_id.load(unit_id)

    def next_event(self) -> None:
        """A WebSocket keeps one context: each event gets today's date and fresh loaders."""
        self._loaders = None
        self.today = clock.today()

    def require_actor(self) -> Actor:
        if self.actor is None:
            raise Unauthenticated("请先登录或提供有效的 API 令牌")
        return self.actor

    @property
    def audience(self) -> Audience:
        return audience_of(self.require_actor())


Info = StrawberryInfo[Context, None]
