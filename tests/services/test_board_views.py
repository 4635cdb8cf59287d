"""Board views: the built-in ones per viewer, saving, replacing and deleting one's own, and
every refusal leaving the stored views as they were; the same over GraphQL."""

from __future__ import annotations

from typing import Any

import pytest
from strawberry.relay import to_base64

from hub.domain.board import (
    VIEWS_PER_BOARD,
    BoardChoice,
    BoardCriteria,
    BoardLaneBy,
    BoardSort,
)
from hub.domain.errors import LimitExceeded, NotFound, PermissionDenied, ValidationFailed
from hub.domain.kinds import CaseKind
from hub.domain.roles import Actor, ActorKind
from hub.kinds.registry import BY_KIND
from hub.models import BoardView
from hub.services import board_views
from tests.app_clients import Api
from tests.factories import World

REC = BY_KIND[CaseKind.RECOMMENDATION]
MEETING = BY_KIND[CaseKind.MEETING]  # a kind without clocks


async def stored() -> list[dict[str, Any]]:
    return await BoardView.all().order_by("id").values()


def names(views: list[board_views.View]) -> list[str]:
    return [v.name for v in views]


async def test_built_in_views_only_where_they_apply(world: World) -> None:
    assert names(await board_views.views_for(world.office, REC)) == [
        "我承办的", "本单位", "逾期未回复"
    ]  # fmt: skip
    assert names(await board_views.views_for(world.prosecutor, REC)) == ["我承办的", "逾期未回复"]
    assert names(await board_views.views_for(world.liaison_a, MEETING)) == ["我承办的"]
    token = Actor(ActorKind.API_TOKEN, 1, "系统", world.liaison_a.role, world.unit_a.id,
                  world.liaison_a.side)  # fmt: skip
    assert names(await board_views.views_for(token, REC)) == ["逾期未回复"]
    (unit,) = [v for v in await board_views.views_for(world.office, REC) if v.name == "本单位"]
    assert unit.built_in and unit.choice.criteria == BoardCriteria(unit_id=world.office.unit_id)


async def test_save_replace_list_and_delete_own_views(world: World) -> None:
    mine = BoardChoice(BoardCriteria(overdue=True, columns=("OVERDUE",), search=" 河道 "),
                       BoardSort.UPDATED, BoardLaneBy.UNIT)  # fmt: skip
    saved = await board_views.save_view(world.prosecutor, REC, "  逾期的 ", mine)
    assert saved.name == "逾期的" and not saved.built_in
    assert saved.choice.criteria == BoardCriteria(overdue=True, columns=("overdue",), search="河道")
    again = await board_views.save_view(
        world.prosecutor, REC, "逾期的", BoardChoice(BoardCriteria(due_within_days=7))
    )
    assert again.id == saved.id  # same name: replaced
    await board_views.save_view(world.chief, REC, "逾期的", mine)  # another user's own
    views = await board_views.views_for(world.prosecutor, REC)
    assert names(views) == ["我承办的", "逾期未回复", "逾期的"]
    assert views[-1].choice == BoardChoice(BoardCriteria(due_within_days=7))
    assert names(await board_views.views_for(world.prosecutor, MEETING)) == ["我承办的"]

    assert await board_views.delete_view(world.prosecutor, saved.id) == saved.id
    assert names(await board_views.views_for(world.prosecutor, REC)) == ["我承办的", "逾期未回复"]
    assert names(await board_views.views_for(world.chief, REC))[-1] == "逾期的"


@pytest.mark.parametrize(
    ("name", "choice", "error"),
    [
        ("", BoardChoice(), ValidationFailed),
        ("名" * 65, BoardChoice(), ValidationFailed),
        ("x", BoardChoice(BoardCriteria(due_within_days=367)), ValidationFailed),
        ("x", BoardChoice(BoardCriteria(search="字" * 101)), ValidationFailed),
        ("x", BoardChoice(BoardCriteria(columns=("NOPE",))), ValidationFailed),
        ("x", BoardChoice(lane_by=BoardLaneBy.KIND), ValidationFailed),  # no lanes of its own
    ],
)
async def test_invalid_views_are_refused_and_nothing_changes(
    world: World, name: str, choice: BoardChoice, error: type[Exception]
) -> None:
    await board_views.save_view(world.prosecutor, REC, "x", BoardChoice(BoardCriteria(mine=True)))
    before = await stored()
    with pytest.raises(error):
        await board_views.save_view(world.prosecutor, REC, name, choice)
    assert await stored() == before


async def test_at_most_fifty_views_per_board_and_none_for_tokens(world: World) -> None:
    for i in range(VIEWS_PER_BOARD):
        await board_views.save_view(world.prosecutor, REC, f"视图{i}", BoardChoice())
    before = await stored()
    with pytest.raises(LimitExceeded):
        await board_views.save_view(world.prosecutor, REC, "再一个", BoardChoice())
    await board_views.save_view(
        world.prosecutor, REC, "视图3", BoardChoice(BoardCriteria(mine=True))
    )
    assert len(await stored()) == len(before)  # replacing one is still allowed
    token = Actor(ActorKind.API_TOKEN, world.prosecutor.id, "系统", world.prosecutor.role,
                  world.prosecutor.unit_id, world.prosecutor.side)  # fmt: skip
    before = await stored()
    with pytest.raises(PermissionDenied):
        await board_views.save_view(token, REC, "令牌", BoardChoice())
    with pytest.raises(NotFound):
        await board_views.delete_view(token, before[0]["id"])
    assert await stored() == before


async def test_built_in_and_other_users_views_are_not_found(world: World) -> None:
    theirs = await board_views.save_view(world.chief, REC, "他的", BoardChoice())
    before = await stored()
    for view_id in (theirs.id, board_views.BuiltIn.MINE, 999_999, None):
        with pytest.raises(NotFound):
            await board_views.delete_view(world.prosecutor, view_id)
    assert await stored() == before


async def test_a_stored_view_the_spec_no_longer_allows_is_not_offered(world: World) -> None:
    good = await board_views.save_view(world.prosecutor, REC, "好的", BoardChoice())
    bad = await board_views.save_view(world.prosecutor, REC, "坏的", BoardChoice())
    await BoardView.filter(id=bad.id).update(criteria={"filter": {"columns": ["GONE"]}})
    views = await board_views.views_for(world.prosecutor, REC)
    assert [v.id for v in views if not v.built_in] == [good.id]


# ---- over GraphQL ------------------------------------------------------------------------------

VIEWS = """{ boardViews(kind: RECOMMENDATION) { id name builtIn sort laneBy
  filter { unitId columns handlerId mine overdue dueWithinDays search } } }"""
SAVE = """mutation($input: SaveBoardViewInput!) { saveBoardView(input: $input) {
  __typename ... on SaveBoardViewSuccess { view { id name builtIn sort laneBy
    filter { unitId columns dueWithinDays search } } }
  ... on Error { code message field } } }"""
DELETE = """mutation($id: ID!) { deleteBoardView(id: $id) {
  __typename ... on DeleteBoardViewSuccess { id } ... on Error { code message } } }"""


async def test_views_over_graphql(api: Api) -> None:
    world = api.world
    unit_b = to_base64("Unit", world.unit_b.id)
    async with api.as_user("prosecutor") as prosecutor:
        body = await prosecutor(VIEWS)
        assert [(v["name"], v["builtIn"]) for v in body["data"]["boardViews"]] == [
            ("我承办的", True), ("逾期未回复", True)
        ]  # fmt: skip
        assert body["data"]["boardViews"][0]["filter"]["mine"] is True
        body = await prosecutor(SAVE, {"input": {
            "kind": "RECOMMENDATION", "name": "交通局", "sort": "UPDATED", "laneBy": "HANDLER",
            "filter": {"unitId": unit_b, "columns": ["served", "OVERDUE"], "search": " 河道"},
        }})  # fmt: skip
        result = body["data"]["saveBoardView"]
        assert result["__typename"] == "SaveBoardViewSuccess", body
        assert result["view"]["filter"] == {
            "unitId": unit_b, "columns": ["SERVED", "OVERDUE"], "dueWithinDays": None,
            "search": "河道",
        }  # fmt: skip
        assert (result["view"]["sort"], result["view"]["laneBy"]) == ("UPDATED", "HANDLER")
        saved_id = result["view"]["id"]
        before = await stored()
        body = await prosecutor(SAVE, {"input": {
            "kind": "RECOMMENDATION", "name": "坏的", "filter": {"dueWithinDays": 400},
        }})  # fmt: skip
        assert body["data"]["saveBoardView"]["code"] == "VALIDATION_FAILED", body
        body = await prosecutor(SAVE, {"input": {"kind": "MEETING", "name": "x",
                                                 "laneBy": "KIND"}})  # fmt: skip
        assert body["data"]["saveBoardView"]["field"] == "laneBy", body
        built_in = body = (await prosecutor(VIEWS))["data"]["boardViews"][0]["id"]
        for view_id in (built_in, to_base64("BoardView", 999_999), to_base64("Unit", 1)):
            body = await prosecutor(DELETE, {"id": view_id})
            assert body["data"]["deleteBoardView"]["code"] == "NOT_FOUND", body
        assert await stored() == before
    async with api.as_user("chief") as chief:
        body = await chief(DELETE, {"id": saved_id})
        assert body["data"]["deleteBoardView"]["code"] == "NOT_FOUND"
        assert [v["name"] for v in (await chief(VIEWS))["data"]["boardViews"]] == [
            "我承办的", "逾期未回复"
        ]  # fmt: skip
    assert await stored() == before
    async with api.as_user("prosecutor") as prosecutor:
        body = await prosecutor(DELETE, {"id": saved_id})
        assert body["data"]["deleteBoardView"] == {
            "__typename": "DeleteBoardViewSuccess", "id": saved_id
        }  # fmt: skip
    assert await stored() == []
