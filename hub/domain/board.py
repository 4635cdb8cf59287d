"""The board's filters, sorts and groupings as data: what a filter may say, what it means for
a kind, and the words the filter bar shows. Pure: no I/O, no framework.

A ``BoardCriteria`` is one board filter after checking (``check_criteria``): column ids as the
kind's spec has them, the search text trimmed. Unit and user ids are database ids; one that
names nothing (a foreign or unknown id) simply matches no case.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from types import MappingProxyType

from hub.domain.errors import ValidationFailed
from hub.domain.kinds import PERSON_PARTIES, UNGROUPED, KindSpec, PartyRole

SEARCH_MAX = 100  # the longest search text a board filter takes
DUE_WITHIN_MAX = 366  # days ahead a "due within" filter may look
DUE_WITHIN_OPTIONS: tuple[int, ...] = (3, 7, 15, 30)  # what the filter bar offers
VIEW_NAME_MAX = 64
VIEWS_PER_BOARD = 50  # saved views per user and kind


class BoardSort(StrEnum):
    DUE = "due"  # the earliest running clock's last day first, cases without one last
    UPDATED = "updated"  # the last change first


class BoardLaneBy(StrEnum):
    KIND = "kind"  # the kind's own lanes (KindSpec.lanes)
    UNIT = "unit"  # the unit the case is addressed to (agency_role)
    HANDLER = "handler"  # the handling prosecutor (or handler) of the case
    NONE = "none"


SORT_LABELS: Mapping[BoardSort, str] = MappingProxyType(
    {BoardSort.DUE: "按期限（最早到期在前）", BoardSort.UPDATED: "按最近更新"}
)

# Unit roles that never make the case "addressed to" a unit.
_NOT_AGENCY = frozenset({PartyRole.ISSUER, PartyRole.COPIED, PartyRole.RESPONDED, PartyRole.OFFICE})
# Who "handles" a case, in order of preference for its lane.
HANDLER_ROLES: tuple[PartyRole, ...] = (PartyRole.HANDLING_PROSECUTOR, PartyRole.HANDLER)


def agency_role(spec: KindSpec) -> PartyRole | None:
    """The party role of the unit a case of ``spec`` is addressed to: the first unit role of
    its ``sees`` table that is not the issuer's, a copy's or a person's (the addressee of a
    recommendation, the respondent of a dispute, the recipient of a notification …)."""
    for role in spec.sees:
        if role not in _NOT_AGENCY and role not in PERSON_PARTIES:
            return role
    return None


def handler_roles(spec: KindSpec) -> tuple[PartyRole, ...]:
    """The person parties a case of ``spec`` can have, handling prosecutor first."""
    roles = set(spec.sees) | ({spec.author_person} if spec.author_person else set())
    roles |= {t.party for t in spec.transitions if t.party in PERSON_PARTIES}
    return tuple(r for r in HANDLER_ROLES if r in roles)


def lane_by_labels(spec: KindSpec) -> dict[BoardLaneBy, str]:
    """The groupings that apply to ``spec``'s board, with the filter bar's words, in order."""
    labels: dict[BoardLaneBy, str] = {}
    if spec.lanes is not None:
        labels[BoardLaneBy.KIND] = spec.lanes.switch or f"按{spec.lanes.label}分组"
    agency = agency_role(spec)
    if agency is not None:
        labels[BoardLaneBy.UNIT] = f"按{spec.party_label(agency)}分组"
    handlers = handler_roles(spec)
    if handlers:
        labels[BoardLaneBy.HANDLER] = f"按{spec.party_label(handlers[0])}分组"
    labels[BoardLaneBy.NONE] = UNGROUPED
    return labels


def unassigned_label(spec: KindSpec, by: BoardLaneBy) -> str:
    """The heading of the lane for cards without a unit or person of that grouping."""
    if by is BoardLaneBy.UNIT:
        role = agency_role(spec)
        return f"未指定{spec.party_label(role)}" if role else "未指定单位"
    roles = handler_roles(spec)
    return f"未指定{spec.party_label(roles[0])}" if roles else "未指定承办人"


def filter_captions(spec: KindSpec) -> dict[str, str]:
    """The filter bar's words for ``spec``'s board: the person it filters by is named as the
    kind names that party (承办检察官, 承办人 …)."""
    handlers = handler_roles(spec)
    handler = spec.party_label(handlers[0]) if handlers else "承办人"
    return {
        "unit": "单位",  # any party role: the issuing procuratorate is one of the options
        "all_units": "全部单位",
        "columns": "列",
        "all_columns": "全部列",
        "handler": handler,
        "all_handlers": "全部",
        "mine": "我承办的",
        "overdue": "逾期",
        "due_within": "到期",
        "no_due_limit": "不限",
        "sort": "排序",
        "search": f"搜索{spec.label}：文号或标题",
    }


def due_within_label(days: int) -> str:
    return "今日到期" if days == 0 else f"{days}日内到期"


@dataclass(frozen=True, slots=True)
class BoardCriteria:
    """A board filter, every part optional and combined with AND."""

    unit_id: int | None = None  # a unit holding any party role (-1: an id of no unit)
    columns: tuple[str, ...] | None = None  # spec column ids; only these are shown and counted
    handler_id: int | None = None  # a user holding a person party (-1: an id of no user)
    mine: bool | None = None  # True: the viewer's own cases (see CaseQuery.mine)
    overdue: bool | None = None  # True: some clock overdue; False: none
    due_within_days: int | None = None  # a running clock due today … in this many days
    search: str | None = None  # in the case number or title

    @property
    def empty(self) -> bool:
        return self == BoardCriteria()


@dataclass(frozen=True, slots=True)
class BoardChoice:
    """A whole board view: the filter, the sort and the grouping."""

    criteria: BoardCriteria = BoardCriteria()
    sort: BoardSort | None = None
    lane_by: BoardLaneBy | None = None


def column_ids(spec: KindSpec, given: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The spec's column ids for ids as the board shows them (upper case), in board order."""
    by_upper = {c.id.upper(): c.id for c in spec.columns}
    unknown = [c for c in given if c.upper() not in by_upper]
    if unknown:
        raise ValidationFailed(
            f"{spec.label}看板没有列 {'、'.join(unknown)}", field="filter.columns"
        )
    wanted = {by_upper[c.upper()] for c in given}
    return tuple(c.id for c in spec.columns if c.id in wanted)


def check_criteria(spec: KindSpec, criteria: BoardCriteria) -> BoardCriteria:
    """``criteria`` checked for ``spec``'s board, or a ValidationFailed naming the field."""
    days = criteria.due_within_days
    if days is not None and not 0 <= days <= DUE_WITHIN_MAX:
        raise ValidationFailed(
            f"到期天数须在 0 到 {DUE_WITHIN_MAX} 之间，收到 {days}", field="filter.dueWithinDays"
        )
    search = criteria.search.strip() if criteria.search is not None else None
    if search is not None and len(search) > SEARCH_MAX:
        raise ValidationFailed(
            f"搜索内容最多 {SEARCH_MAX} 个字，收到 {len(search)} 个", field="filter.search"
        )
    columns = column_ids(spec, criteria.columns) if criteria.columns is not None else None
    return replace(criteria, search=search or None, columns=columns)
