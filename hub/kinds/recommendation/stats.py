"""The recommendation's figures and ledger columns (read by ``hub.services.statistics``).

The recommendations of a period are those served in it; a reply is on time when the first
one came in on or before the reply clock's last day.
"""

from __future__ import annotations

from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.statistics import (
    AnyOf,
    Breakdown,
    Cond,
    Count,
    KindStats,
    LedgerColumn,
    Overdue,
    PeriodOn,
    Rate,
    Row,
    Timely,
)
from hub.kinds.recommendation.spec import REPLY, STATE_LABELS, TYPE_LABELS

_REVIEWED = ("adopted", "partially_adopted")
_REPLIED = Row("reply")
_DECISIONS = {"adopted": "采纳", "partially_adopted": "部分采纳"}

STATS = KindStats(
    kind=CaseKind.RECOMMENDATION,
    label="检察建议",
    period=PeriodOn("recommendation_detail", "served_on", "送达日期"),
    unit_roles=(PartyRole.ADDRESSEE,),
    unit_label="被建议单位",
    detail="recommendation_detail",
    figures=(
        Count("served", "送达", explanation="统计期间内送达的检察建议"),
        Count("replied_on_time", "按期回复",
              (Timely(REPLY, "reply", "submitted_at", local_datetime=True),),
              "首次书面回复不晚于回复期限届满之日"),
        Count("replied_late", "逾期回复",
              (Timely(REPLY, "reply", "submitted_at", on_time=False, local_datetime=True),),
              "首次书面回复晚于回复期限届满之日"),
        Count("overdue", "仍逾期未回复", (Overdue(REPLY),),
              "截至今日回复期限已届满、仍在等待回复（与看板“逾期未回复”列相同）"),
        Count("reply_due", "应回复", (AnyOf((_REPLIED, Overdue(REPLY))),),
              "已回复或回复期限已届满的检察建议"),
        Rate("on_time_rate", "按期回复率", "replied_on_time", "reply_due",
             "按期回复 ÷ 应回复（已回复或已逾期）"),
        Count("reviewed", "已审查回复", (Row("reply", (Cond("decision", "in", _REVIEWED),)),),
              "检察院已审查（采纳或部分采纳）的回复"),
        Count("adopted", "采纳", (Row("reply", (Cond("decision", "=", "adopted"),)),),
              "回复被采纳并结案"),
        Count("partly_adopted", "部分采纳",
              (Row("reply", (Cond("decision", "=", "partially_adopted"),)),),
              "回复被部分采纳、继续整改"),
        Rate("adoption_rate", "采纳率", "adopted", "reviewed", "采纳 ÷ 已审查回复"),
        Count("objections", "提出异议", (Row("objection"),), "被建议单位提出异议"),
        Count("objections_upheld", "异议成立",
              (Row("objection", (Cond("decision", "in", ("amended", "withdrawn")),)),),
              "异议成立：修改后重新送达或撤回"),
    ),
    ranking="on_time_rate",
    trend=("served", "replied_on_time", "replied_late"),
    breakdowns=(
        Breakdown("recommendation_by_unit", "检察建议按被建议单位",
                  ("served", "replied_on_time", "replied_late", "overdue", "on_time_rate",
                   "adoption_rate")),
    ),
    ledger=(
        LedgerColumn("文号", "case.case_no", width=24),
        LedgerColumn("标题", "case.title", width=36),
        LedgerColumn("检察建议类型", "detail.rec_type", labels=TYPE_LABELS, width=18),
        LedgerColumn("被建议单位", "party:addressee", width=20),
        LedgerColumn("送达日期", "detail.served_on", "date", 12),
        LedgerColumn("回复期限", f"clock_due:{REPLY}", "date", 12),
        LedgerColumn("期限说明", f"clock_note:{REPLY}", width=40),
        LedgerColumn("状态", "state", width=12, labels=STATE_LABELS),
        LedgerColumn("回复日期", "first:reply.submitted_at", "date", 12),
        LedgerColumn("审查结论", "last:reply.decision", labels=_DECISIONS, width=10),
        LedgerColumn("异议", "last:objection.decision", width=10,
                     labels={"rejected": "异议不成立", "amended": "异议成立（修改）",
                             "withdrawn": "异议成立（撤回）", "": "待复核"}),
        LedgerColumn("逾期天数", f"overdue_days:{REPLY}", "int", 10),
    ),
)  # fmt: skip
