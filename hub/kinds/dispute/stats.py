"""The dispute's figures and ledger columns (read by ``hub.services.statistics``).

The disputes of a period are those registered in it; accepted ones are those past the
acceptance decision (not in 登记, 待批准受理 or 不予受理).
"""

from __future__ import annotations

from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.statistics import (
    Breakdown,
    Cond,
    Count,
    Dimension,
    KindStats,
    LedgerColumn,
    PeriodOn,
    Rate,
    Row,
    States,
)
from hub.kinds.dispute.spec import (
    ACT_TYPE_LABELS,
    AGENCY_SEES,
    OUTCOME_LABELS,
    STAGE_LABELS,
    STATE_LABELS,
)

OUTCOME = Dimension("outcome", "化解方式", "dispute_detail", "outcome",
                    labels={str(k): v for k, v in OUTCOME_LABELS.items()})  # fmt: skip
_RESOLVED = Row("dispute_detail", (Cond("outcome", "not_null"),))

STATS = KindStats(
    kind=CaseKind.DISPUTE,
    label="行政争议实质性化解",
    period=PeriodOn("case", "created_at", "登记日期", local_datetime=True),
    unit_roles=(PartyRole.RESPONDENT,),
    unit_label="被申请行政机关",
    detail="dispute_detail",
    figures=(
        Count("registered", "登记", explanation="统计期间内登记的行政争议"),
        Count("accepted", "受理", (States(frozenset(AGENCY_SEES)),), "经批准受理的行政争议"),
        Count("resolved", "化解", (_RESOLVED,), "已化解（按化解方式）", by=OUTCOME),
        Rate("resolution_rate", "化解率", "resolved", "accepted", "化解 ÷ 受理"),
        Count("hearings", "召开听证", (Row("dispute_hearing", (Cond("held_on", "not_null"),)),),
              "至少已召开一次听证的案件"),
        Count("judicial_aid", "给予司法救助",
              (Row("dispute_judicial_aid", (Cond("status", "in", ("approved", "paid")),)),),
              "司法救助申请获批准（含已发放）的案件"),
    ),
    trend=("accepted", "resolved"),
    breakdowns=(
        Breakdown("dispute_by_outcome", "行政争议按化解方式", ("resolved",), OUTCOME),
    ),
    ledger=(
        LedgerColumn("案号", "case.case_no", width=24),
        LedgerColumn("案件名称", "case.title", width=36),
        LedgerColumn("所处阶段", "detail.stage", labels=STAGE_LABELS, width=12),
        LedgerColumn("行政行为类别", "detail.act_type", labels=ACT_TYPE_LABELS, width=12),
        LedgerColumn("被申请行政机关", "party:respondent", width=20),
        LedgerColumn("登记日期", "case.created_at", "date", 12),
        LedgerColumn("状态", "state", labels=STATE_LABELS, width=14),
        LedgerColumn("化解方式", "detail.outcome", labels=OUTCOME_LABELS, width=16),
        LedgerColumn("化解日期", "detail.resolved_on", "date", 12),
        LedgerColumn("涉案金额（元）", "detail.amount", "money", 14),
    ),
)  # fmt: skip
