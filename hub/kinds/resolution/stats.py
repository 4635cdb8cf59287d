"""The joint meeting's resolutions: figures and ledger columns (``hub.services.statistics``).

The resolutions of a period are those decided in it; one is done on time when the last
completion claim was dated on or before its 完成时限 and the Office accepted it.
"""

from __future__ import annotations

from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.statistics import (
    AnyOf,
    Cond,
    Count,
    KindStats,
    LedgerColumn,
    Overdue,
    PeriodOn,
    Rate,
    States,
    Timely,
)
from hub.kinds.resolution.spec import DUE, STATE_LABELS, State

_DONE = States(frozenset({State.DONE}))
_CLAIM = (Cond("kind", "=", "claim"),)

STATS = KindStats(
    kind=CaseKind.RESOLUTION,
    label="会议议定事项",
    period=PeriodOn("resolution_detail", "decided_on", "议定日期"),
    unit_roles=(PartyRole.LEAD, PartyRole.RESPONSIBLE),
    unit_label="责任单位",
    detail="resolution_detail",
    figures=(
        Count("resolutions", "议定事项", explanation="统计期间内会议议定的事项"),
        Count("done_on_time", "按期办结",
              (_DONE, Timely(DUE, "resolution_record", "on", where=_CLAIM, last=True)),
              "经办公室核查办结，完成日期不晚于完成时限"),
        Count("done_late", "逾期办结",
              (_DONE, Timely(DUE, "resolution_record", "on", False, _CLAIM, last=True)),
              "经办公室核查办结，但晚于完成时限"),
        Count("overdue", "逾期未办结", (Overdue(DUE),), "截至今日完成时限已过、尚在落实"),
        Count("due", "应办结", (AnyOf((_DONE, Overdue(DUE))),), "已办结或已逾期的事项"),
        Rate("on_time_rate", "按期办结率", "done_on_time", "due", "按期办结 ÷ 应办结"),
    ),
    ranking="on_time_rate",
    trend=("resolutions", "done_on_time"),
    ledger=(
        LedgerColumn("编号", "case.case_no", width=20),
        LedgerColumn("议定事项", "detail.content", width=50),
        LedgerColumn("议定日期", "detail.decided_on", "date", 12),
        LedgerColumn("完成时限", "detail.due_on", "date", 12),
        LedgerColumn("牵头单位", "party:lead", width=20),
        LedgerColumn("责任单位", "party:responsible", width=30),
        LedgerColumn("状态", "state", labels=STATE_LABELS, width=10),
        LedgerColumn("最新进展", "last:resolution_record.text", width=50),
        LedgerColumn("逾期天数", f"overdue_days:{DUE}", "int", 10),
    ),
)  # fmt: skip
