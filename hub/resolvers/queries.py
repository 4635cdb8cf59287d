"""Reading recommendations as one viewer may: filters, keyset pagination, totals."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import date

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from hub.domain.errors import LimitExceeded, ValidationFailed
from hub.domain.lifecycle import AWAITING_REPLY, State
from hub.domain.visibility import Audience
from hub.models import Recommendation, Unit
from hub.services.visibility import visible_recommendations

_CURSOR_PREFIX = "rec:"


@dataclass(frozen=True, slots=True)
class RecommendationQuery:
    states: list[State] | None = None
    addressee_unit_id: int | None = None
    addressee_unit_code: str | None = None
    overdue: bool | None = None
    due_before: date | None = None


@dataclass(frozen=True, slots=True)
class Page:
    items: list[Recommendation]
    has_next: bool
    has_previous: bool
    total: int


def encode_cursor(rec_id: int) -> str:
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{rec_id}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor.encode()).decode()
        if raw.startswith(_CURSOR_PREFIX):
            return int(raw.removeprefix(_CURSOR_PREFIX))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise ValidationFailed("无效的分页游标", field="after")


async def _filtered(
    audience: Audience, query: RecommendationQuery, today: date
) -> QuerySet[Recommendation]:
    qs = visible_recommendations(audience)
    if query.states:
        qs = qs.filter(state__in=[s.value for s in query.states])
    if query.addressee_unit_id is not None:
        qs = qs.filter(addressee_unit_id=query.addressee_unit_id)
    if query.addressee_unit_code is not None:
        unit = await Unit.get_or_none(code=query.addressee_unit_code)
        qs = qs.filter(addressee_unit_id=unit.id if unit else -1)
    awaiting = sorted(s.value for s in AWAITING_REPLY)
    if query.overdue is True:
        qs = qs.filter(state__in=awaiting, reply_due__lt=today)
    elif query.overdue is False:
        qs = qs.filter(
            Q(state__not_in=awaiting) | Q(reply_due__isnull=True) | Q(reply_due__gte=today)
        )
    if query.due_before is not None:
        qs = qs.filter(reply_due__lte=query.due_before)
    return qs


async def list_recommendations(
    audience: Audience,
    query: RecommendationQuery,
    *,
    today: date,
    first: int,
    after: str | None,
    max_page: int,
) -> Page:
    if first < 0 or first > max_page:
        raise LimitExceeded(f"first 必须在 0 到 {max_page} 之间", field="first")
    qs = await _filtered(audience, query, today)
    total = await qs.count()
    page_qs = qs.order_by("id")
    after_id = decode_cursor(after) if after else None
    if after_id is not None:
        page_qs = page_qs.filter(id__gt=after_id)
    rows = await page_qs.limit(first + 1)
    return Page(rows[:first], len(rows) > first, after_id is not None, total)


_FACTS = ("state", "issuer_unit_id", "addressee_unit_id", "reply_due")
# The columns each GraphQL field of Recommendation reads. A field missing here makes the board
# load whole rows, so a new field is safe by default; listing it only makes the board faster
# (parsing datetimes and long texts was a fifth of the 500-card board query).
CARD_COLUMNS: dict[str, tuple[str, ...]] = {
    "__typename": (),
    "id": (),
    "docNo": ("doc_no",),
    "title": ("title",),
    "type": ("rec_type",),
    "typeLabel": ("rec_type",),
    "issues": ("issues",),
    "suggestions": ("suggestions",),
    "legalBasis": ("legal_basis",),
    "state": ("state",),
    "stateLabel": ("state",),
    "servedOn": ("served_on",),
    "serviceMethod": ("service_method",),
    "version": ("version",),
    "createdAt": ("created_at",),
    "updatedAt": ("updated_at",),
    "closedAt": ("closed_at",),
    "column": _FACTS,
    "isOverdue": _FACTS,
    "internalNote": ("internal_note",),
    "issuerUnit": ("issuer_unit_id",),
    "addresseeUnit": ("addressee_unit_id",),
    "prosecutorName": ("prosecutor_id",),
    "deadline": (*_FACTS, "served_on", "due_provisional", "due_explanation", "reply_rule"),
    "availableActions": _FACTS,
    "replies": (),
    "objections": (),
    "events": (),
}


def card_columns(fields: set[str] | None) -> list[str] | None:
    """The columns to load for these card fields; None means the whole row."""
    if fields is None or not fields <= CARD_COLUMNS.keys():
        return None
    return sorted({"id"}.union(*(CARD_COLUMNS[name] for name in fields)))


async def board_cards(
    audience: Audience, *, limit: int, columns: list[str] | None = None
) -> list[Recommendation]:
    query = visible_recommendations(audience).order_by("id").limit(limit)
    return await (query.only(*columns) if columns else query)
