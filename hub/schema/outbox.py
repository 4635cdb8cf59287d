"""The email outbox in GraphQL: alert emails as recorded, sent or kept for the app to show."""

from __future__ import annotations

from datetime import datetime
from typing import cast

import strawberry
from strawberry.relay import to_base64

from hub.domain import alerts
from hub.domain.kinds import KindSpec
from hub.kinds.registry import spec_of
from hub.models import Case as CaseModel
from hub.models import OutboxEmail as OutboxEmailModel
from hub.models import outbox
from hub.schema.context import Info
from hub.services.outbox import Alert, count_alerts, list_alerts, list_emails

strawberry.enum(alerts.AlertLevel, name="AlertLevel", description="提醒级别")
AlertLevel = alerts.AlertLevel
strawberry.enum(
    outbox.OutboxStatus,
    name="OutboxStatus",
    description="PENDING 待发送，SENT 已发送，HELD 未配置邮件服务器、仅在平台内显示，"
    "FAILED 被邮件服务器拒收，CANCELLED 发送前已无必要（期限已停止、重算或升级）",
)
OutboxStatus = outbox.OutboxStatus


@strawberry.type(
    description="提醒邮件所涉的案件，如邮件所写（种类、文号或案号、标题）；"
    "能否打开案件本身，仍按案件的可见范围"
)
class OutboxCase:
    _case: strawberry.Private[CaseModel]

    @strawberry.field(description="案件的全局 ID（可用于 node(id)，或 #/case/<id>）")
    def id(self) -> strawberry.ID:
        return strawberry.ID(to_base64(self._spec.graphql_type, self._case.id))

    @strawberry.field(description="案件种类，大写，如 RECOMMENDATION、PIL_CASE、DISPUTE")
    def kind(self) -> str:
        return self._spec.kind.value.upper()

    @strawberry.field(description="案件种类名称，如 检察建议")
    def kind_label(self) -> str:
        return self._spec.label

    @strawberry.field(description="文号或案号")
    def case_no(self) -> str:
        return self._case.case_no

    @strawberry.field
    def title(self) -> str:
        return self._case.title

    @property
    def _spec(self) -> KindSpec:
        return spec_of(self._case.kind)


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

    @strawberry.field(description="所涉的案件（任一种类）")
    def case(self) -> OutboxCase:
        return OutboxCase(_case=_email(self).case)

    @strawberry.field(description="提醒所针对的期限名称，如 回复期限")
    def clock_label(self) -> str:
        email = _email(self)
        spec = spec_of(email.case.kind)
        return next((c.label for c in spec.clocks if c.name == email.clock), email.clock)

    @strawberry.field(
        description="所涉案件的文号或案号（与 case.caseNo 相同）",
        deprecation_reason="请使用 case { caseNo }",
    )
    def doc_no(self) -> str:
        return _email(self).case.case_no


def _email(root: object) -> OutboxEmailModel:
    """Resolvers on ``OutboxEmail`` receive the model instance as ``self``."""
    return cast("OutboxEmailModel", root)


@strawberry.type(description="一次提醒（某案件某期限的某一级别）及其各收件人的邮件")
class OutboxAlert:
    _alert: strawberry.Private[Alert]

    @strawberry.field
    def level(self) -> AlertLevel:
        return self._alert.level

    @strawberry.field(description="邮件主题（各收件人相同）")
    def subject(self) -> str:
        return self._alert.emails[0].subject

    @strawberry.field(description="邮件正文（第一位收件人的；各收件人仅称呼不同）")
    def body(self) -> str:
        return self._alert.emails[0].body

    @strawberry.field(description="所涉的案件（任一种类）")
    def case(self) -> OutboxCase:
        return OutboxCase(_case=self._alert.case)

    @strawberry.field(description="提醒所针对的期限名称，如 回复期限")
    def clock_label(self) -> str:
        spec = spec_of(self._alert.case.kind)
        return next(
            (c.label for c in spec.clocks if c.name == self._alert.clock), self._alert.clock
        )

    @strawberry.field(description="生成时间")
    def created_at(self) -> datetime:
        return self._alert.created_at

    @strawberry.field(description="各收件人的状态相同时为该状态，否则为 null")
    def status(self) -> OutboxStatus | None:
        statuses = {e.status for e in self._alert.emails}
        return statuses.pop() if len(statuses) == 1 else None

    @strawberry.field(description="您可见的收件人及各自的邮件（府检联动办公室看全部）")
    def recipients(self) -> list[OutboxEmail]:
        return self._alert.emails  # type: ignore[return-value]


@strawberry.type
class OutboxQuery:
    @strawberry.field(
        description="提醒发件箱按提醒归并，新的在前：每次提醒一行，附其收件人；"
        "府检联动办公室看全部，其他用户只看发给自己的，API 令牌看不到"
    )
    async def outbox_alerts(
        self, info: Info, first: int = 50, status: OutboxStatus | None = None
    ) -> list[OutboxAlert]:
        alerts = await list_alerts(
            info.context.require_actor(),
            first=first,
            status=status,
            max_page=info.context.settings.max_page_size,
        )
        return [OutboxAlert(_alert=alert) for alert in alerts]

    @strawberry.field(description="您可见的提醒数（按提醒计，不按邮件计）")
    async def outbox_alert_count(self, info: Info, status: OutboxStatus | None = None) -> int:
        return await count_alerts(info.context.require_actor(), status)

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
