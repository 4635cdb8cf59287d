"""boardEvents over a real WebSocket: replay after a cursor, live events, visibility, resume."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from hub import clock
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import Completeness
from hub.models import CaseEvent
from hub.services import auth
from tests.api.ws import BOARD_EVENTS, PROTOCOL, graphql_ws
from tests.app_clients import RunningServer
from tests.factories import PASSWORD, World, draft, served

TODAY = clock.today()


async def cookie_for(username: str) -> str:
    result = await auth.login(username, PASSWORD, ttl=timedelta(hours=1))
    return f"{auth.SESSION_COOKIE}={result.session_secret}"


async def test_replays_after_the_cursor_then_streams_live(
    world: World, server: RunningServer
) -> None:
    rec = await served(world, served_on=TODAY - timedelta(days=5))  # events 1..4
    async with graphql_ws(server.ws_url, cookie=await cookie_for("office")) as ws:
        await ws.subscribe("1", BOARD_EVENTS, {"after": "1"})
        replayed = await ws.collect(3)
        assert [e["cursor"] for e in replayed] == ["2", "3", "4"]
        assert [e["event"]["action"] for e in replayed] == [
            "submit_for_approval",
            "approve",
            "serve",
        ]
        assert replayed[-1]["recommendation"]["internalNote"] == "内部：承办组意见"

        await recs.acknowledge(world.liaison_a, rec.id, rec.version)
        live = await ws.collect(1)
        assert live[0]["cursor"] == "5"
        assert live[0]["event"] == {"seq": 5, "action": "acknowledge", "toState": "RECTIFYING",
                                    "version": 5, "actorName": "liaison_a-姓名"}  # fmt: skip
        assert live[0]["recommendation"]["column"] == "RECTIFYING"
        await ws.expect_silence()


async def test_each_agency_receives_only_its_own_cards(world: World, server: RunningServer) -> None:
    async with (
        graphql_ws(server.ws_url, cookie=await cookie_for("liaison_a")) as agency_a,
        graphql_ws(server.ws_url, cookie=await cookie_for("liaison_b")) as agency_b,
    ):
        await agency_a.subscribe("a", BOARD_EVENTS, {"after": "0"})
        await agency_b.subscribe("b", BOARD_EVENTS, {"after": "0"})
        await asyncio.sleep(0.1)
        rec_a = await served(world, served_on=TODAY - timedelta(days=5))
        rec_b = await served(world, served_on=TODAY - timedelta(days=5), addressee=world.unit_b)
        got_a = await agency_a.collect(1)
        got_b = await agency_b.collect(1)
        assert [(e["event"]["action"], e["recommendation"]["docNo"]) for e in got_a] == [
            ("serve", rec_a.case_no)
        ]
        assert [(e["event"]["action"], e["recommendation"]["docNo"]) for e in got_b] == [
            ("serve", rec_b.case_no)
        ]
        assert got_a[0]["recommendation"]["internalNote"] is None
        await agency_a.expect_silence()
        await agency_b.expect_silence()


async def test_resume_after_a_dropped_connection_without_gaps_or_duplicates(
    world: World, server: RunningServer
) -> None:
    rec = await served(world, served_on=TODAY - timedelta(days=5))
    cookie = await cookie_for("prosecutor")
    async with graphql_ws(server.ws_url, cookie=cookie) as ws:
        await ws.subscribe("1", BOARD_EVENTS, {"after": "0"})
        first = await ws.collect(4)
    last_cursor = first[-1]["cursor"]
    v = (await recs.acknowledge(world.liaison_a, rec.id, rec.version)).case.version
    await recs.submit_reply(
        world.liaison_a, rec.id, v, content="回复", completeness=Completeness.FULL
    )
    async with graphql_ws(server.ws_url, cookie=cookie) as ws:
        await ws.subscribe("1", BOARD_EVENTS, {"after": last_cursor})
        resumed = await ws.collect(2)
        assert [e["event"]["action"] for e in resumed] == ["acknowledge", "submit_reply"]
        assert [e["cursor"] for e in resumed] == ["5", "6"]
        await ws.expect_silence()


async def test_concurrent_writes_during_replay_arrive_once_in_order(
    world: World, server: RunningServer
) -> None:
    base = [await draft(world) for _ in range(5)]  # 5 events
    async with graphql_ws(server.ws_url, cookie=await cookie_for("prosecutor")) as ws:
        await ws.subscribe("1", BOARD_EVENTS, {"after": "0"})
        writers = asyncio.gather(*(
            recs.submit_for_approval(world.prosecutor, rec.id, rec.version) for rec in base
        ), *(draft(world) for _ in range(10)))  # fmt: skip
        events = await ws.collect(20, wait=10)
        await writers
        await ws.expect_silence()
    seqs = [int(e["cursor"]) for e in events]
    assert seqs == list(range(1, 21))
    assert await CaseEvent.all().count() == 20


async def test_connection_without_credentials_is_rejected(server: RunningServer) -> None:
    async with connect(server.ws_url, subprotocols=[PROTOCOL]) as ws:  # type: ignore[list-item]
        await ws.send('{"type": "connection_init", "payload": {}}')
        with pytest.raises(ConnectionClosed) as closed:
            await asyncio.wait_for(ws.recv(), 5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4403


async def test_agency_system_subscribes_with_a_bearer_token(
    world: World, server: RunningServer
) -> None:
    issued = await auth.create_api_token("ecology_env", "生态环境局业务系统")
    async with graphql_ws(server.ws_url, token=issued.secret) as ws:
        await ws.subscribe("1", BOARD_EVENTS, {"after": "0"})
        rec = await served(world, served_on=TODAY - timedelta(days=5))
        got = await ws.collect(1)
        assert got[0]["recommendation"]["docNo"] == rec.case_no


async def test_bad_cursor_is_a_clear_error(world: World, server: RunningServer) -> None:
    async with graphql_ws(server.ws_url, cookie=await cookie_for("office")) as ws:
        await ws.subscribe("1", BOARD_EVENTS, {"after": "yesterday"})
        message = await ws.receive()
    assert message["type"] in ("next", "error")
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    assert errors[0]["message"] == "无效的事件游标"


async def test_replay_shows_an_agency_only_its_own_cards(
    world: World, server: RunningServer
) -> None:
    rec_a = await served(world, served_on=TODAY - timedelta(days=5))
    rec_b = await served(world, served_on=TODAY - timedelta(days=5), addressee=world.unit_b)
    await recs.acknowledge(world.liaison_b, rec_b.id, rec_b.version)
    async with graphql_ws(server.ws_url, cookie=await cookie_for("liaison_b")) as agency_b:
        await agency_b.subscribe("b", BOARD_EVENTS, {"after": "0"})
        replayed = await agency_b.collect(2)
        await agency_b.expect_silence()
    assert [(e["event"]["action"], e["recommendation"]["docNo"]) for e in replayed] == [
        ("serve", rec_b.case_no), ("acknowledge", rec_b.case_no),
    ]  # fmt: skip
    assert rec_a.case_no not in str(replayed)


CASE_EVENTS = """subscription($after: String, $kinds: [CaseKind!]) {
  boardEvents(after: $after, kinds: $kinds) {
    cursor
    event { action actionLabel fromState fromStateLabel toState toStateLabel case { caseNo } }
    case { __typename caseNo kind state column parties { role } clocks { name level }
           ... on Recommendation { docNo } }
    recommendation { docNo }
  }
}"""


async def test_board_events_carry_the_case_and_keep_to_the_kinds_asked_for(
    world: World, server: RunningServer
) -> None:
    rec = await served(world, served_on=TODAY - timedelta(days=5))  # events 1..4
    cookie = await cookie_for("office")
    async with (
        graphql_ws(server.ws_url, cookie=cookie) as everything,
        graphql_ws(server.ws_url, cookie=cookie) as recommendations,
        graphql_ws(server.ws_url, cookie=cookie) as disputes,
    ):
        await everything.subscribe("1", CASE_EVENTS, {"after": "3"})
        await recommendations.subscribe(
            "1", CASE_EVENTS, {"after": "3", "kinds": ["RECOMMENDATION"]}
        )
        await disputes.subscribe("1", CASE_EVENTS, {"after": "3", "kinds": ["DISPUTE", "PIL_CASE"]})
        (replayed,) = await everything.collect(1)
        assert replayed["event"] == {
            "action": "serve", "actionLabel": "送达", "fromState": "APPROVED",
            "fromStateLabel": "已批准", "toState": "SERVED", "toStateLabel": "已送达",
            "case": {"caseNo": rec.case_no},
        }  # fmt: skip
        assert replayed["case"] == {
            "__typename": "Recommendation", "caseNo": rec.case_no, "kind": "RECOMMENDATION",
            "state": "SERVED", "column": "SERVED", "docNo": rec.case_no,
            "parties": [{"role": "ISSUER"}, {"role": "HANDLING_PROSECUTOR"}, {"role": "ADDRESSEE"}],
            "clocks": [{"name": "reply", "level": "GREEN"}],
        }  # fmt: skip
        assert replayed["recommendation"] == {"docNo": rec.case_no}
        assert await recommendations.collect(1) == [replayed]
        await recs.acknowledge(world.liaison_a, rec.id, rec.version)
        (live,) = await everything.collect(1)
        assert (live["cursor"], live["case"]["state"]) == ("5", "RECTIFYING")
        assert await recommendations.collect(1) == [live]
        await disputes.expect_silence()
