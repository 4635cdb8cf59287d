"""What a card says about itself on a filtered, grouped board: its swimlane under a grouping
(``Case.swimlane``) and whether it matches a board filter (``Case.matchesBoardFilter``)."""

from __future__ import annotations

import inspect
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from strawberry.relay import to_base64

from hub.domain.board import (
    BoardCriteria,
    BoardLaneBy,
    agency_role,
    check_criteria,
    handler_roles,
    unassigned_label,
)
from hub.resolvers.board import case_query
from hub.resolvers.queries import filtered
from hub.schema.board_filter import UNASSIGNED, BoardFilter, BoardLane, criteria_of
from hub.schema.forms import USER_TYPE

if TYPE_CHECKING:
    from hub.schema.case import CaseView


async def swimlane_of(card: CaseView, by: BoardLaneBy) -> BoardLane | None:
    """The card's lane under ``by``: the kind's own lane, the unit it is addressed to, its
    handling prosecutor (or handler); None for NONE or a grouping the kind does not have."""
    data, ctx = card.data, card.ctx
    spec = data.spec
    if by is BoardLaneBy.KIND:
        lane, label = card.lane, card.lane_label
        return BoardLane(id=lane, label=label or lane) if lane is not None else None
    if by is BoardLaneBy.UNIT:
        role = agency_role(spec)
        if role is None:
            return None
        unit_id = data.unit_of(role)
        if unit_id is None:
            return BoardLane(id=UNASSIGNED, label=unassigned_label(spec, by))
        unit = ctx.unit(unit_id)
        if inspect.isawaitable(unit):
            unit = await unit
        name = unit.name if unit is not None else ""
        return BoardLane(id=to_base64("Unit", unit_id), label=name)
    if by is BoardLaneBy.HANDLER:
        roles = handler_roles(spec)
        if not roles:
            return None
        person = next((p for r in roles if (p := data.person_of(r)) is not None), None)
        if person is None:
            return BoardLane(id=UNASSIGNED, label=unassigned_label(spec, by))
        person_name = await ctx.loaders.user_name_by_id.load(person)
        return BoardLane(id=to_base64(USER_TYPE, person), label=person_name or "")
    return None


async def matches_filter(card: CaseView, board_filter: BoardFilter) -> bool:
    """Whether the card is one the board shows under ``board_filter`` (the same rule as the
    board's query; cards asked about in one request share one query per filter)."""
    data, ctx = card.data, card.ctx
    spec = data.spec
    criteria = check_criteria(spec, criteria_of(board_filter))
    if criteria.columns is not None and card.board_column().id not in criteria.columns:
        return False
    rest = replace(criteria, columns=None)
    if rest == BoardCriteria():
        return True
    actor, audience, today = ctx.require_actor(), ctx.audience, ctx.today
    query = case_query(spec, rest, actor, today)

    async def matching(ids: Sequence[int]) -> list[bool]:
        found: list[Any] = await (
            filtered(audience, query, today).filter(id__in=set(ids)).values_list("id", flat=True)
        )
        hits = {int(i) for i in found}
        return [i in hits for i in ids]

    loader = ctx.loaders.get(f"board-filter:{spec.kind.value}:{rest!r}", matching)
    return bool(await loader.load(data.id))
