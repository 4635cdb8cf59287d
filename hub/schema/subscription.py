"""The root Subscription type: the live board."""

from __future__ import annotations

from collections.abc import AsyncGenerator

import strawberry

from hub.domain.errors import ValidationFailed
from hub.schema.context import Info
from hub.schema.types import CaseEvent, Recommendation
from hub.subscriptions.board import board_stream


@strawberry.type(description="看板上的一次变化：事件及该卡片现在的样子")
class BoardEvent:
    cursor: str = strawberry.field(description="断线重连时作为 after 传回，从此处继续")
    event: CaseEvent
    recommendation: Recommendation
    share_key: strawberry.Private[str | None] = None  # see hub.subscriptions.fanout


def parse_cursor(after: str | None) -> int | None:
    if after is None:
        return None
    if not after.isdigit():
        raise ValidationFailed("无效的事件游标", field="after")
    return int(after)


@strawberry.type
class Subscription:
    @strawberry.subscription(
        description="看板事件流：先补发游标之后的已存事件，再推送实时事件；按序、不重复，"
        "只含您可见的卡片。after 为空则从现在开始。"
    )
    async def board_events(
        self, info: Info, after: str | None = None
    ) -> AsyncGenerator[BoardEvent, None]:
        audience = info.context.audience
        start = parse_cursor(after)
        dispatcher = info.context.dispatcher
        if dispatcher is None:
            raise RuntimeError("no event dispatcher in this process")
        async for delivery in board_stream(dispatcher, audience, start):
            info.context.next_event()
            yield BoardEvent(
                cursor=str(delivery.event.seq),
                # The instant makes the key unique even across a restored or reset database.
                share_key=f"{delivery.event.seq}@{delivery.event.created_at.isoformat()}",
                event=delivery.event,  # type: ignore[arg-type]
                recommendation=delivery.recommendation,  # type: ignore[arg-type]
            )
