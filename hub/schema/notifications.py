"""The notification centre in GraphQL: the list, the unread count, marking read, live updates."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry

from hub.domain import notifications as rules
from hub.domain.errors import HubError, PermissionDenied
from hub.domain.roles import ActorKind
from hub.models import Notification as NotificationModel
from hub.schema.context import Info
from hub.schema.errors import ValidationError, as_error_member
from hub.schema.outbox import OutboxCase
from hub.services import notifications as service
from hub.subscriptions.notifications import (
    Created,
    Read,
    Update,
    current_hub,
    notification_stream,
)

NotificationTopic = strawberry.enum(
    rules.Topic,
    name="UserNotificationTopic",
    description="ADDRESSED 新案件送达本单位，STEP 对方办理了您的案件，OVERDUE 您的案件已逾期，"
    "MENTION 评论中提到了您",
)


@strawberry.type(
    name="UserNotification",
    description="通知中心的一条通知（只发给本人；已读状态在服务器上，各标签页与设备一致）",
)
class Notification:
    _row: strawberry.Private[NotificationModel]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(service.global_id(self._row.id))

    @strawberry.field
    def topic(self) -> rules.Topic:
        return rules.Topic(self._row.topic)

    @strawberry.field(description="类别名称，如 新案件、对方办理")
    def topic_label(self) -> str:
        return rules.TOPIC_LABELS.get(rules.Topic(self._row.topic), self._row.topic)

    @strawberry.field(description="通知内容，如“市生态环境局提交整改回复：检察建议 …”")
    def text(self) -> str:
        return self._row.text

    @strawberry.field
    def read(self) -> bool:
        return self._row.read_at is not None

    @strawberry.field
    def created_at(self) -> datetime:
        return self._row.created_at

    @strawberry.field
    def read_at(self) -> datetime | None:
        return self._row.read_at

    @strawberry.field(description="所涉案件（打开它仍按案件的可见范围）")
    def case(self) -> OutboxCase:
        return OutboxCase(_case=self._row.case)


@strawberry.type(name="UserNotificationConnection", description="一页通知，新的在前")
class NotificationConnection:
    nodes: list[Notification]
    has_more: bool
    end_cursor: str | None = strawberry.field(description="作为 after 传回，取下一页")
    unread_count: int = strawberry.field(description="您的未读通知总数")


@strawberry.type(description="已标为已读")
class MarkNotificationsReadSuccess:
    ids: list[strawberry.ID] = strawberry.field(description="本次标为已读的通知（all 时为空）")
    all_: bool = strawberry.field(name="all")
    unread_count: int


MarkNotificationsReadResult = Annotated[
    MarkNotificationsReadSuccess | ValidationError,
    strawberry.union("MarkNotificationsReadResult"),
]


@strawberry.enum(
    name="UserNotificationEventType",
    description="CREATED 新通知，READ 已读状态变化，RESYNC 可能漏掉了变化：请重新读取",
)
class NotificationEventType(Enum):
    CREATED = "created"
    READ = "read"
    RESYNC = "resync"


@strawberry.type(
    name="UserNotificationEvent", description="通知中心的一次变化，推送到本人所有打开的页面"
)
class NotificationEvent:
    type: NotificationEventType
    notification: Notification | None = strawberry.field(description="CREATED：新通知")
    read_ids: list[strawberry.ID] = strawberry.field(description="READ：这些通知已读")
    all_read_up_to: strawberry.ID | None = strawberry.field(
        description="READ：此通知及更早的通知全部已读"
    )
    unread_count: int


def _event(update: Update) -> NotificationEvent:
    if isinstance(update, Created):
        return NotificationEvent(type=NotificationEventType.CREATED,
                                 notification=Notification(_row=update.notification), read_ids=[],
                                 all_read_up_to=None, unread_count=update.unread)  # fmt: skip
    if isinstance(update, Read):
        up_to = strawberry.ID(service.global_id(update.up_to)) if update.up_to else None
        return NotificationEvent(type=NotificationEventType.READ, notification=None,
                                 read_ids=[strawberry.ID(service.global_id(i)) for i in update.ids],
                                 all_read_up_to=up_to, unread_count=update.unread)  # fmt: skip
    return NotificationEvent(type=NotificationEventType.RESYNC, notification=None, read_ids=[],
                             all_read_up_to=None, unread_count=update.unread)  # fmt: skip


@strawberry.type
class NotificationQueries:
    @strawberry.field(description="我的通知，新的在前；unreadOnly 只看未读。API 令牌没有通知")
    async def notifications(
        self, info: Info, first: int = 20, after: str | None = None, unread_only: bool = False
    ) -> NotificationConnection:
        actor = info.context.require_actor()
        page = await service.list_notifications(
            actor, first=first, after=after, unread_only=unread_only,
            max_page=info.context.settings.max_page_size,
        )  # fmt: skip
        return NotificationConnection(
            nodes=[Notification(_row=row) for row in page.items],
            has_more=page.has_more,
            end_cursor=page.end_cursor,
            unread_count=await service.unread_count(actor),
        )

    @strawberry.field(description="我的未读通知数")
    async def unread_notification_count(self, info: Info) -> int:
        return await service.unread_count(info.context.require_actor())


@strawberry.type
class NotificationMutations:
    @strawberry.mutation(description="把指定的通知（ids）或全部通知（all: true）标为已读")
    async def mark_notifications_read(
        self,
        info: Info,
        ids: list[strawberry.ID] | None = None,
        all_: Annotated[bool, strawberry.argument(name="all")] = False,
    ) -> MarkNotificationsReadResult:
        actor = info.context.require_actor()
        try:
            marked = await service.mark_read(actor, ids=ids, everything=all_)
        except HubError as error:
            member = as_error_member(error)
            assert isinstance(member, ValidationError)
            return member
        return MarkNotificationsReadSuccess(
            ids=[strawberry.ID(service.global_id(i)) for i in marked.ids],
            all_=marked.everything,
            unread_count=marked.unread,
        )


@strawberry.type
class NotificationSubscriptions:
    @strawberry.subscription(
        description="我的通知中心的实时变化：新通知与已读状态（在任一标签页或设备上标为已读），"
        "推送到本人在所有实例上打开的页面"
    )
    async def notification_events(self, info: Info) -> AsyncGenerator[NotificationEvent, None]:
        actor = info.context.require_actor()
        if actor.kind is not ActorKind.USER:
            raise PermissionDenied("通知仅供登录的用户使用")
        hub = current_hub()
        if hub is None:
            raise RuntimeError("no notification hub in this process")
        async for update in notification_stream(hub, actor.id):
            info.context.next_event()
            yield _event(update)
