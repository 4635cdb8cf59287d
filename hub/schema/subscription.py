"""The root Subscription type: the live board."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, cast

import strawberry
from starlette.websockets import WebSocketDisconnect
from uvicorn.protocols.utils import ClientDisconnected

from hub.domain.errors import ValidationFailed
from hub.domain.ids import sequence_number
from hub.domain.kinds import COMMENT_STEP, CaseKind
from hub.domain.visibility import Audience
from hub.ops import metrics
from hub.schema.case import LEGACY_TYPE, Case, CaseEvent, EventView, LegacyRecommendation, view
from hub.schema.context import Info
from hub.schema.enums import CaseKind as CaseKindEnum
from hub.schema.notifications import NotificationSubscriptions
from hub.subscriptions import direct
from hub.subscriptions.board import board_stream
from hub.subscriptions.direct import DirectChannel, current_channel, current_executor
from hub.subscriptions.dispatcher import Delivery, EventDispatcher
from hub.subscriptions.fanout import SharedEventExecutor

if TYPE_CHECKING:
    from hub.kinds.recommendation.schema import Recommendation


@strawberry.type(description="看板上的一次变化：事件及该卡片现在的样子")
class BoardEvent:
    cursor: str = strawberry.field(description="断线重连时作为 after 传回，从此处继续")
    delivery: strawberry.Private[Delivery]
    share_key: strawberry.Private[str | None] = None  # see hub.subscriptions.fanout

    @strawberry.field
    def event(self, info: Info) -> CaseEvent:
        data = self.delivery.case
        return cast("CaseEvent", EventView(self.delivery.event, data.spec, info.context, data))

    @strawberry.field(name="case", description="该卡片现在的样子")
    def case_(self, info: Info) -> Case:
        return view(self.delivery.case, info.context)

    @strawberry.field(description="兼容字段：卡片为检察建议时即 case，否则为 null")
    def recommendation(self, info: Info) -> LegacyRecommendation | None:
        data = self.delivery.case
        if data.spec.graphql_type != LEGACY_TYPE:
            return None
        return cast("Recommendation", view(data, info.context))


def parse_cursor(after: str | None) -> int | None:
    if after is None:
        return None
    seq = sequence_number(after)
    if seq is None:
        raise ValidationFailed("无效的事件游标", field="after")
    return seq


@strawberry.type
class Subscription(NotificationSubscriptions):
    @strawberry.subscription(
        description="看板事件流：先补发游标之后的已存事件，再推送实时事件；按序、不重复，"
        "只含您可见的卡片。after 为空则从现在开始；kinds 为空则含全部种类。"
    )
    async def board_events(
        self, info: Info, after: str | None = None, kinds: list[CaseKindEnum] | None = None
    ) -> AsyncGenerator[BoardEvent, None]:
        audience = info.context.audience
        start = parse_cursor(after)
        wanted = frozenset(kinds) if kinds is not None else None
        dispatcher = info.context.dispatcher
        if dispatcher is None:
            raise RuntimeError("no event dispatcher in this process")
        executor, channel = current_executor.get(), current_channel.get()
        if executor is not None and channel is not None:
            await _stream_directly(info, dispatcher, audience, start, wanted, executor, channel)
            return
        async for delivery in board_stream(dispatcher, audience, start, wanted):
            info.context.next_event()
            yield _board_event(delivery)


def _board_event(delivery: Delivery) -> BoardEvent:
    event = delivery.event
    # A comment's render is never shared: the fan-out keeps renders for a while, and one made
    # before the comment was retracted must not replay its text (hub.domain.comments).
    shared = event.action != COMMENT_STEP
    return BoardEvent(
        cursor=str(event.seq),
        delivery=delivery,
        # The instant makes the key unique even across a restored or reset database.
        share_key=f"{event.seq}@{event.created_at.isoformat()}" if shared else None,
    )


async def _stream_directly(
    info: Info,
    dispatcher: EventDispatcher,
    audience: Audience,
    start: int | None,
    kinds: frozenset[CaseKind] | None,
    executor: SharedEventExecutor,
    channel: DirectChannel,
) -> None:
    """Render each event once per audience and write it to this socket ourselves."""
    try:
        async for delivery in board_stream(dispatcher, audience, start, kinds):
            info.context.next_event()
            await channel.send_next(await direct.render(executor, _board_event(delivery)))
            metrics.fanout.written(delivery.event.seq)
    except (WebSocketDisconnect, ClientDisconnected):
        return  # the client went away; strawberry cleans up the operation
