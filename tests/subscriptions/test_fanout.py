"""Board events are executed once per audience and query, and never shared across audiences."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from hub import clock
from hub.services import recommendations as recs
from hub.subscriptions import direct
from hub.subscriptions.fanout import renders
from tests.api.test_board_subscription import cookie_for
from tests.api.ws import BOARD_EVENTS, graphql_ws
from tests.app_clients import RunningServer
from tests.factories import World, draft, served

TODAY = clock.today()

WITH_ACTIONS = """subscription($after: String) {
  boardEvents(after: $after) { cursor recommendation { docNo availableActions { action } } }
}"""


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_one_execution_per_audience_whatever_the_cursor(
    world: World, server: RunningServer
) -> None:
    rec = await served(world, served_on=TODAY - timedelta(days=5))  # events 1..4
    office_cookie = await cookie_for("office")
    async with (
        graphql_ws(server.ws_url, cookie=office_cookie) as office_1,
        graphql_ws(server.ws_url, cookie=office_cookie) as office_2,
        graphql_ws(server.ws_url, cookie=await cookie_for("office")) as office_3,
        graphql_ws(server.ws_url, cookie=await cookie_for("liaison_a")) as liaison,
    ):
        await office_1.subscribe("1", BOARD_EVENTS, {"after": "4"})
        await office_2.subscribe("1", BOARD_EVENTS, {"after": "2"})
        await office_3.subscribe("1", BOARD_EVENTS, {"after": "4"})
        await liaison.subscribe("1", BOARD_EVENTS, {"after": "4"})
        assert len(await office_2.collect(2)) == 2  # its replay of 3 and 4
        await asyncio.sleep(0.2)
        before, sent_before = renders.executions, direct.sent_directly
        await recs.acknowledge(world.liaison_a, rec.id, rec.version)
        got = [await c.collect(1) for c in (office_1, office_2, office_3, liaison)]
        assert {g[0]["cursor"] for g in got} == {"5"}
        assert got[0] == got[1] == got[2]
        assert got[3][0]["recommendation"]["internalNote"] is None
        assert got[0][0]["recommendation"]["internalNote"] is not None
        assert renders.executions - before == 2  # office once, the liaison's unit once
        assert direct.sent_directly - sent_before == 4  # written straight to the four sockets


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_roles_in_one_unit_do_not_share_results(world: World, server: RunningServer) -> None:
    async with (
        graphql_ws(server.ws_url, cookie=await cookie_for("prosecutor")) as prosecutor,
        graphql_ws(server.ws_url, cookie=await cookie_for("chief")) as chief,
    ):
        await prosecutor.subscribe("p", WITH_ACTIONS, {"after": None})
        await chief.subscribe("c", WITH_ACTIONS, {"after": None})
        await asyncio.sleep(0.2)
        rec = await draft(world)
        await recs.submit_for_approval(world.prosecutor, rec.id, rec.version)
        p_events = await prosecutor.collect(2)
        c_events = await chief.collect(2)
    assert p_events[1]["recommendation"]["availableActions"] == []
    assert [a["action"] for a in c_events[1]["recommendation"]["availableActions"]] == [
        "APPROVE", "RETURN_FOR_REVISION",
    ]  # fmt: skip
