"""Input checks the dispute's steps share: money, dates, applicants, the respondent."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hub.domain.dates import text_date
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import PartyRole
from hub.kinds.dispute.spec import ApplicantKind
from hub.models import CaseParty
from hub.services.text import clean_text

MAX_AMOUNT = Decimal("999999999999.99")
_CENT = Decimal("0.01")
MAX_APPLICANTS = 50


@dataclass(frozen=True, slots=True)
class Applicant:
    name: str
    kind: ApplicantKind
    contact: str = ""


def money(value: Decimal, field: str, *, positive: bool = False) -> Decimal:
    """An amount in yuan: finite, not negative (or positive), at most two decimals."""
    low = "大于 0" if positive else "不小于 0"
    if (
        not value.is_finite()
        or value < 0
        or (positive and value == 0)
        or value > MAX_AMOUNT
        or value != value.quantize(_CENT)
    ):
        raise ValidationFailed(f"金额须{low}、不超过 {MAX_AMOUNT} 元，最多两位小数", field=field)
    return value.quantize(_CENT)


def not_after(day: date, today: date, field: str, label: str) -> date:
    if day > today:
        raise ValidationFailed(
            f"{label}{text_date(day)}晚于今天（{text_date(today)}）", field=field
        )
    return day


def not_before(day: date, earliest: date | None, field: str, label: str, other: str) -> date:
    if earliest is not None and day < earliest:
        raise ValidationFailed(
            f"{label}{text_date(day)}早于{other}（{text_date(earliest)}）", field=field
        )
    return day


def applicants(rows: Sequence[Applicant]) -> list[Applicant]:
    """One or more applicants with a name each (申请人)."""
    if not rows:
        raise ValidationFailed("请至少填写一名申请人", field="applicants")
    if len(rows) > MAX_APPLICANTS:
        raise ValidationFailed(f"申请人最多 {MAX_APPLICANTS} 名", field="applicants")
    cleaned = []
    for number, row in enumerate(rows, start=1):
        name, contact = row.name.strip(), row.contact.strip()
        if not name or len(name) > 100:
            raise ValidationFailed(f"第 {number} 名申请人的姓名或名称须为 1–100 字",
                                   field="applicants")  # fmt: skip
        if len(contact) > 200:
            raise ValidationFailed(f"第 {number} 名申请人的联系方式过长（最多 200 字）",
                                   field="applicants")  # fmt: skip
        cleaned.append(Applicant(name, row.kind, contact))
    return cleaned


def optional_text(value: str, field: str, limit: int = 20_000) -> str:
    return clean_text(value, field, required=False, limit=limit)


def respondent(parties: Iterable[CaseParty]) -> CaseParty:
    """The RESPONDENT party row: every dispute has exactly one."""
    return next(p for p in parties if p.role is PartyRole.RESPONDENT)
