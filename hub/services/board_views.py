"""Named board views: the built-in ones (code, not rows) and the ones a user saves.

Built-in views, in this order, only where they apply to the viewer:

* 我承办的 (``mine``) — for a signed-in person: the cases they handle or that are addressed to
  their unit;
* 本单位 (``unitId`` = the viewer's unit) — for the Linkage Office, who sees every case
  (anyone else sees only cases of their own unit: the view would change nothing);
* 逾期未回复 (``overdue``) — on a board of a kind that has clocks.

A saved view belongs to one user and one kind's board; saving under an existing name
replaces it. Its criteria are checked against the kind's spec when saved and again when
used: a view the spec no longer allows (a column that is gone) is not offered.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from hub import clock
from hub.domain.board import (
    VIEW_NAME_MAX,
    VIEWS_PER_BOARD,
    BoardChoice,
    BoardCriteria,
    BoardLaneBy,
    BoardSort,
    check_criteria,
    lane_by_labels,
)
from hub.domain.errors import LimitExceeded, NotFound, PermissionDenied, ValidationFailed
from hub.domain.kinds import KindSpec
from hub.domain.roles import Actor, ActorKind, Role
from hub.models import BoardView

log = logging.getLogger(__name__)
VIEW_NOT_FOUND = "看板视图不存在"


class BuiltIn:
    MINE = 1
    UNIT = 2
    OVERDUE = 3


@dataclass(frozen=True, slots=True)
class View:
    id: int  # BoardView.id, or a BuiltIn number
    name: str
    built_in: bool
    choice: BoardChoice


def built_in_views(actor: Actor, spec: KindSpec) -> list[View]:
    views = []
    if actor.kind is ActorKind.USER:
        views.append(View(BuiltIn.MINE, "我承办的", True, BoardChoice(BoardCriteria(mine=True))))
    if actor.role is Role.OFFICE_ADMIN:
        unit = BoardCriteria(unit_id=actor.unit_id)
        views.append(View(BuiltIn.UNIT, "本单位", True, BoardChoice(unit)))
    if spec.clocks:
        overdue = BoardChoice(BoardCriteria(overdue=True))
        views.append(View(BuiltIn.OVERDUE, "逾期未回复", True, overdue))
    return views


# ---- criteria as stored: the GraphQL input's names ------------------------------------------

_FIELDS = {
    "unitId": "unit_id",
    "columns": "columns",
    "handlerId": "handler_id",
    "mine": "mine",
    "overdue": "overdue",
    "dueWithinDays": "due_within_days",
    "search": "search",
}


def criteria_to_json(choice: BoardChoice) -> dict[str, Any]:
    c = choice.criteria
    stored: dict[str, Any] = {}
    for name, attr in _FIELDS.items():
        value = getattr(c, attr)
        if value is not None:
            stored[name] = list(value) if isinstance(value, tuple) else value
    return {
        "filter": stored,
        "sort": choice.sort.name if choice.sort is not None else None,
        "laneBy": choice.lane_by.name if choice.lane_by is not None else None,
    }


def _int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed("看板视图中的条件无效")
    return value


def _bool(value: Any) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise ValidationFailed("看板视图中的条件无效")
    return value


def criteria_from_json(spec: KindSpec, stored: Any) -> BoardChoice:
    """A stored view's criteria, checked as when it was saved (ValidationFailed if not)."""
    if not isinstance(stored, dict) or not isinstance(stored.get("filter", {}), dict):
        raise ValidationFailed("看板视图中的条件无效")
    f = stored.get("filter", {})
    if set(f) - _FIELDS.keys():
        raise ValidationFailed("看板视图中的条件无效")
    columns = f.get("columns")
    if columns is not None and not (
        isinstance(columns, list) and all(isinstance(c, str) for c in columns)
    ):
        raise ValidationFailed("看板视图中的条件无效")
    search = f.get("search")
    if search is not None and not isinstance(search, str):
        raise ValidationFailed("看板视图中的条件无效")
    criteria = BoardCriteria(
        unit_id=_int(f.get("unitId")),
        columns=tuple(columns) if columns is not None else None,
        handler_id=_int(f.get("handlerId")),
        mine=_bool(f.get("mine")),
        overdue=_bool(f.get("overdue")),
        due_within_days=_int(f.get("dueWithinDays")),
        search=search,
    )
    try:
        sort = BoardSort[stored["sort"]] if stored.get("sort") is not None else None
        lane_by = BoardLaneBy[stored["laneBy"]] if stored.get("laneBy") is not None else None
    except (KeyError, TypeError):
        raise ValidationFailed("看板视图中的条件无效") from None
    return check_choice(spec, BoardChoice(criteria, sort, lane_by))


def check_choice(spec: KindSpec, choice: BoardChoice) -> BoardChoice:
    """A view's filter, sort and grouping checked for ``spec``'s board."""
    criteria = check_criteria(spec, choice.criteria)
    if choice.lane_by is not None and choice.lane_by not in lane_by_labels(spec):
        raise ValidationFailed(f"{spec.label}看板不能按此分组", field="laneBy")
    return BoardChoice(criteria, choice.sort, choice.lane_by)


# ---- reading, saving, deleting ----------------------------------------------------------------


async def views_for(actor: Actor, spec: KindSpec) -> list[View]:
    """The built-in views that apply, then the user's saved views by name."""
    views = built_in_views(actor, spec)
    if actor.kind is not ActorKind.USER:
        return views
    rows = await BoardView.filter(user_id=actor.id, kind=spec.kind).order_by("name", "id")
    for row in rows:
        try:
            choice = criteria_from_json(spec, row.criteria)
        except ValidationFailed:
            log.info("board view %s no longer fits the %s board: not offered", row.id, spec.kind)
            continue
        views.append(View(row.id, row.name, False, choice))
    return views


def _owner(actor: Actor) -> int:
    if actor.kind is not ActorKind.USER:
        raise PermissionDenied("只有登录的用户可以保存看板视图")
    return actor.id


def _name(name: str) -> str:
    text = name.strip()
    if not 1 <= len(text) <= VIEW_NAME_MAX:
        raise ValidationFailed(f"视图名称须为 1 到 {VIEW_NAME_MAX} 个字", field="name")
    return text


async def save_view(actor: Actor, spec: KindSpec, name: str, choice: BoardChoice) -> View:
    """Save (or, under the same name, replace) one of the user's views of ``spec``'s board."""
    user_id = _owner(actor)
    text = _name(name)
    checked = check_choice(spec, choice)
    stored = criteria_to_json(checked)
    async with in_transaction():
        row = await BoardView.get_or_none(user_id=user_id, kind=spec.kind, name=text)
        if row is not None:
            row.criteria = stored
            await row.save(update_fields=["criteria"])
            return View(row.id, row.name, False, checked)
        if await BoardView.filter(user_id=user_id, kind=spec.kind).count() >= VIEWS_PER_BOARD:
            raise LimitExceeded(
                f"每个看板最多保存 {VIEWS_PER_BOARD} 个视图，请先删除不用的", field="name"
            )
        try:
            row = await BoardView.create(
                user_id=user_id, kind=spec.kind, name=text, criteria=stored, created_at=clock.now()
            )
        except IntegrityError:  # saved at the same moment under the same name
            raise ValidationFailed("同名视图刚刚已保存，请重试", field="name") from None
    return View(row.id, row.name, False, checked)


async def delete_view(actor: Actor, view_id: int | None) -> int:
    """Delete one of the user's own saved views; any other id (a built-in view, another
    user's, one that does not exist) is not found alike."""
    if actor.kind is not ActorKind.USER or view_id is None:
        raise NotFound(VIEW_NOT_FOUND, field="id")
    deleted = await BoardView.filter(id=view_id, user_id=actor.id).delete()
    if not deleted:
        raise NotFound(VIEW_NOT_FOUND, field="id")
    return view_id
