"""The PIL case's figures and ledger columns (read by ``hub.services.statistics``).

The cases of a period are those filed in it. A case closed in the pre-suit stage is one
terminated (终结) without having gone to 起诉审查: after consultation when no pre-suit
recommendation was opened from it, after the recommendation otherwise. 诉前整改率 is the
pre-suit closures over those and the cases that went to litigation (suit filed).
"""

from __future__ import annotations

from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.statistics import (
    AnyOf,
    Breakdown,
    Cond,
    Count,
    Dimension,
    KindStats,
    LedgerColumn,
    Not,
    PeriodOn,
    Rate,
    Row,
    States,
)
from hub.kinds.pil_case.spec import (
    CLUE_SOURCE_LABELS,
    LITIGATION_REVIEW,
    OUTCOME_LABELS,
    STATE_LABELS,
    State,
)

_TERMINATED = States(frozenset({State.CLOSED_TERMINATED}))
_NOT_REVIEWED = Not(Row("case_clock", (Cond("name", "=", LITIGATION_REVIEW),)))
_RECOMMENDED = Row("case", (Cond("kind", "=", CaseKind.RECOMMENDATION.value),), key="source_id")
_LITIGATED = States(frozenset({State.IN_LITIGATION, State.CLOSED_LITIGATED}))
_PRESUIT = (_TERMINATED, _NOT_REVIEWED)
DOMAIN = Dimension("domain", "领域", "pil_detail", "domain_id",
                   lookup=("pil_domain", "id", "name", "position"))  # fmt: skip

STATS = KindStats(
    kind=CaseKind.PIL_CASE,
    label="行政公益诉讼",
    period=PeriodOn("pil_detail", "filed_on", "立案日期"),
    unit_roles=(PartyRole.ADDRESSEE,),
    unit_label="行政机关",
    detail="pil_detail",
    figures=(
        Count("filed", "立案", explanation="统计期间内立案的行政公益诉讼案件"),
        Count("consulted", "开展诉前磋商", (Row("pil_consultation"),), "有诉前磋商记录的案件"),
        Count("closed_after_consultation", "磋商后诉前终结",
              (*_PRESUIT, Row("pil_consultation"), Not(_RECOMMENDED)),
              "经诉前磋商、未制发诉前检察建议即终结的案件"),
        Count("closed_after_recommendation", "检察建议后诉前终结", (*_PRESUIT, _RECOMMENDED),
              "制发诉前检察建议后、未进入起诉审查即终结的案件"),
        Count("closed_presuit", "诉前终结", _PRESUIT, "在诉前阶段终结的案件（磋商后或检察建议后）"),
        Count("litigated", "提起诉讼", (_LITIGATED,), "已向人民法院提起行政公益诉讼的案件"),
        Count("presuit_base", "诉前终结与起诉合计",
              (AnyOf((States(frozenset({State.CLOSED_TERMINATED})), _LITIGATED)),),
              "已终结或已起诉的案件"),
        Rate("presuit_rate", "诉前整改率", "closed_presuit", "presuit_base",
             "诉前终结 ÷（已终结 + 提起诉讼）"),
        Count("filed_by_domain", "按领域立案", by=DOMAIN, explanation="按公益诉讼领域统计立案数"),
    ),
    trend=("filed", "closed_presuit", "litigated"),
    breakdowns=(
        Breakdown("pil_by_domain", "行政公益诉讼按领域",
                  ("filed", "consulted", "closed_presuit", "litigated", "presuit_rate"), DOMAIN),
    ),
    ledger=(
        LedgerColumn("立案决定书文号", "detail.filing_decision_no", width=24),
        LedgerColumn("案号", "case.case_no", width=24),
        LedgerColumn("案件名称", "case.title", width=36),
        LedgerColumn("领域", "lookup:domain_id:pil_domain.name", width=18),
        LedgerColumn("线索来源", "detail.clue_source", labels=CLUE_SOURCE_LABELS, width=16),
        LedgerColumn("行政机关", "party:addressee", width=20),
        LedgerColumn("立案日期", "detail.filed_on", "date", 12),
        LedgerColumn("立案决定书送达日期", "detail.filing_served_on", "date", 12),
        LedgerColumn("状态", "state", labels=STATE_LABELS, width=14),
        LedgerColumn("办理结果", "detail.outcome", labels=OUTCOME_LABELS, width=12),
        LedgerColumn("结案日期", "detail.decided_on", "date", 12),
        LedgerColumn("起诉日期", "detail.suit_filed_on", "date", 12),
        LedgerColumn("受理法院", "detail.court", width=20),
    ),
)  # fmt: skip
