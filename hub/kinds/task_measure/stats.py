"""The task list's figures and ledger columns (read by ``hub.services.statistics``).

The measures of a period are those of the lists of its years. A measure is completed when
the Office accepted it (or the dated part of a dated-and-ongoing one); on time when the lead
unit's claim (申报完成) was dated on or before the deadline clock's last day.
"""

from __future__ import annotations

from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.statistics import (
    AnyOf,
    Breakdown,
    Cond,
    Count,
    Dimension,
    Flag,
    KindStats,
    LedgerColumn,
    Not,
    Overdue,
    PeriodOn,
    Rate,
    Row,
    States,
    Timely,
)
from hub.kinds.task_measure.spec import (
    CATEGORY_LABELS,
    DATED,
    MILESTONE_MET,
    STATE_LABELS,
    State,
)

DUE = "due"
_DONE = AnyOf((States(frozenset({State.COMPLETED})), Flag(MILESTONE_MET)))
_OPEN = States(frozenset({State.NOT_STARTED, State.IN_PROGRESS, State.PENDING_CHECK}))
_ON_TIME = Timely(DUE, "task_measure_detail", "claimed_on")
_LATE = Timely(DUE, "task_measure_detail", "claimed_on", on_time=False)
CATEGORY = Dimension("category", "任务类别", "task_measure_detail", "category",
                     labels={str(k): v for k, v in CATEGORY_LABELS.items()})  # fmt: skip
_PROGRESS = ("measures", "completed_on_time", "completed_late", "overdue", "in_progress",
             "ongoing", "on_time_rate")  # fmt: skip

STATS = KindStats(
    kind=CaseKind.TASK_MEASURE,
    label="年度重点工作任务清单",
    period=PeriodOn("task_measure_detail", "year", "清单年度", year=True),
    unit_roles=(PartyRole.LEAD, PartyRole.RESPONSIBLE),
    unit_label="责任单位",
    detail="task_measure_detail",
    figures=(
        Count("measures", "措施", explanation="统计期间所属年度清单的全部措施"),
        Count("completed_on_time", "按期完成", (_DONE, _ON_TIME),
              "经办公室验收完成，申报完成日期不晚于完成时限"),
        Count("completed_late", "逾期完成", (_DONE, _LATE), "经办公室验收完成，但晚于完成时限"),
        Count("overdue", "逾期未完成", (Overdue(DUE),), "截至今日完成时限已过、尚未完成"),
        Count("in_progress", "推进中（未到期）",
              (_OPEN, Flag(DATED), Not(Flag(MILESTONE_MET)), Not(Overdue(DUE))),
              "有完成时限、尚未到期的措施"),
        Count("ongoing", "长期坚持推进中",
              (_OPEN, Row("task_measure_detail", (Cond("ongoing", "=", True),)),
               Not(AnyOf((Overdue(DUE), Row("case_clock", (Cond("name", "=", DUE),
                                                            Cond("status", "=", "running"))))))),
              "长期坚持、无未届满完成时限的措施"),
        Count("due", "应完成", (AnyOf((_DONE, Overdue(DUE))),), "已完成或已逾期的有时限措施"),
        Rate("on_time_rate", "按期完成率", "completed_on_time", "due", "按期完成 ÷ 应完成"),
    ),
    ranking="on_time_rate",
    trend=(),
    breakdowns=(
        Breakdown("task_by_category", "任务清单按类别", _PROGRESS, CATEGORY),
        Breakdown("task_by_unit", "任务清单按责任单位", _PROGRESS),
    ),
    ledger=(
        LedgerColumn("年度", "detail.year", "int", 8),
        LedgerColumn("任务类别", "detail.category", labels=CATEGORY_LABELS, width=14),
        LedgerColumn("编号", "case.case_no", width=18),
        LedgerColumn("具体措施", "detail.text", width=60),
        LedgerColumn("完成时限", "detail.deadline_raw", width=14),
        LedgerColumn("期限", f"clock_due:{DUE}", "date", 12),
        LedgerColumn("牵头单位", "party:lead", width=20),
        LedgerColumn("责任单位", "party:responsible", width=30),
        LedgerColumn("状态", "state", labels=STATE_LABELS, width=12),
        LedgerColumn("最新进展", "last:task_measure_report.progress", width=50),
        LedgerColumn("进展日期", "last:task_measure_report.reported_on", "date", 12),
        LedgerColumn("申报完成日期", "detail.claimed_on", "date", 12),
        LedgerColumn("逾期天数", f"overdue_days:{DUE}", "int", 10),
    ),
)  # fmt: skip
