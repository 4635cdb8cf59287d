"""The email outbox in GraphQL: alert emails as recorded, sent or kept for the app to show."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry

from hub.domain import alerts
from hub.models import OutboxEmail as OutboxEmailModel
from hub.models import outbox
from hub.schema.context import Info
from hub.services.outbox import list_emails

strawberry.enum(alerts.AlertLevel, name="AlertLevel", description="提醒级别")
AlertLevel = alerts.AlertLevel
strawberry.enum(
    outbox.OutboxStatus,
    name="OutboxStatus",
    description="PENDING 待发送，SENT 已发送，HELD 未配置邮件服务器、仅在平台内显示，"
    "FAILED 被邮件服务器拒收，CANCELLED 发送前已无必要（已回复、期限重算或升级）",
)
OutboxStatus = outbox.OutboxStatus


@strawberry.type(description="一封提醒邮件（先记录在发件箱，再发送）")
class OutboxEmail:
    level: AlertLevel
    recipient_name: str
    recipient_email: str
    subject: str
    body: str
    status: OutboxStatus
    attempts: int = strawberry.field(description="已尝试发送的次数")
    last_error: str = strawberry.field(description="最近一次发送失败的原因")
    created_at: datetime
    sent_at: datetime | None

    @strawberry.field(description="所涉检察建议的文号")
    def doc_no(self) -> str:
        return _email(self).recommendation.doc_no


def _email(root: object) -> OutboxEmailModel:
    """Resolvers on ``OutboxEmail`` receive the model instance as ``self``."""
    return cast("OutboxEmailModel", root)


@strawberry.type
class OutboxQuery:
    @strawberry.field(
        description="提醒邮件发件箱，新的在前：府检联动办公室看全部，其他用户只看发给自己的，"
        "API 令牌看不到"
    )
    async def outbox_emails(
        self, info: Info, first: int = 50, status: OutboxStatus | None = None
    ) -> list[OutboxEmail]:
        return await list_emails(  # type: ignore[return-value]
            info.context.require_actor(),
            first=first,
            status=status,
            max_page=info.context.settings.max_page_size,
        )
