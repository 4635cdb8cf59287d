"""The lead transfer's value sets with their Chinese labels (domain.md §5.5, §6)."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType


class Direction(StrEnum):
    """The five directions of domain.md §5.5; the value is also the case's flag."""

    CRIME_TO_POLICE = "crime_to_police"  # (a) 行政执法机关→公安机关：涉嫌犯罪案件移送（两法衔接）
    REVERSE = "reverse"  # (b) 检察机关→主管机关：不起诉后检察意见（反向衔接）
    PIL_LEAD = "pil_lead"  # (c) 成员单位→检察机关：公益诉讼线索
    WORK_SAFETY = "work_safety"  # (d) 安全生产线索（双向）
    SUPERVISION = "supervision"  # (e) 行政执法机关→监察机关：职务违法犯罪线索


DIRECTION_LABELS: Mapping[str, str] = MappingProxyType(
    {
        Direction.CRIME_TO_POLICE: "涉嫌犯罪案件移送公安机关（两法衔接）",
        Direction.REVERSE: "不起诉案件检察意见移送主管机关（反向衔接）",
        Direction.PIL_LEAD: "公益诉讼案件线索移送检察机关",
        Direction.WORK_SAFETY: "安全生产领域线索双向移送",
        Direction.SUPERVISION: "职务违法犯罪线索移送监察机关",
    }
)

# The directions that follow the plain lead flow (submit, acknowledge, assess, feedback).
LEAD_DIRECTIONS = frozenset({Direction.PIL_LEAD, Direction.WORK_SAFETY, Direction.SUPERVISION})


class Material(StrEnum):
    """The materials a transfer carries (《行政执法机关移送涉嫌犯罪案件的规定》第六条)."""

    TRANSFER_LETTER = "transfer_letter"  # 涉嫌犯罪案件移送书
    INVESTIGATION_REPORT = "investigation_report"  # 涉嫌犯罪案件情况的调查报告
    EXHIBIT_LIST = "exhibit_list"  # 涉案物品清单
    EXPERT_REPORT = "expert_report"  # 有关检验报告或者鉴定结论
    OTHER = "other"  # 其他有关涉嫌犯罪的材料


MATERIAL_LABELS: Mapping[str, str] = MappingProxyType(
    {
        Material.TRANSFER_LETTER: "涉嫌犯罪案件移送书",
        Material.INVESTIGATION_REPORT: "涉嫌犯罪案件情况的调查报告",
        Material.EXHIBIT_LIST: "涉案物品清单",
        Material.EXPERT_REPORT: "有关检验报告或者鉴定结论",
        Material.OTHER: "其他有关涉嫌犯罪的材料",
    }
)
# 第六条: 移送书, 调查报告, 涉案物品清单 and 检验报告或鉴定结论 go with every transfer.
REQUIRED_MATERIALS = frozenset(
    {Material.TRANSFER_LETTER, Material.INVESTIGATION_REPORT, Material.EXHIBIT_LIST}
)


class SanctionResult(StrEnum):
    """What the competent agency did with a 检察意见 (刑事诉讼法第一百七十七条第三款)."""

    PENALTY = "penalty"  # 给予行政处罚
    DISCIPLINE = "discipline"  # 给予处分
    BOTH = "both"  # 处罚并处分
    NONE = "none"  # 不予处罚、处分（说明理由）


SANCTION_LABELS: Mapping[str, str] = MappingProxyType(
    {
        SanctionResult.PENALTY: "给予行政处罚",
        SanctionResult.DISCIPLINE: "给予处分",
        SanctionResult.BOTH: "给予行政处罚并处分",
        SanctionResult.NONE: "不予处罚、处分",
    }
)


class LeadOutcome(StrEnum):
    """How the receiving unit assessed a lead."""

    PIL_CASE = "pil_case"  # 立案办理公益诉讼案件
    RECOMMENDATION = "recommendation"  # 制发检察建议
    HANDLED = "handled"  # 依职权处理
    REJECTED = "rejected"  # 不予受理（说明理由）


OUTCOME_LABELS: Mapping[str, str] = MappingProxyType(
    {
        LeadOutcome.PIL_CASE: "转为公益诉讼案件",
        LeadOutcome.RECOMMENDATION: "制发检察建议",
        LeadOutcome.HANDLED: "依职权处理",
        LeadOutcome.REJECTED: "不予受理",
    }
)
