"""The notification centre over GraphQL: list, count, mark read, and the live stream that
every socket of the user hears (and nobody else's)."""

from __future__ import annotations

from datetime import timedelta

import httpx
from strawberry.relay import to_base64

from hub import clock
from hub.domain.deadlines import ReplyRule
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import ServiceMethod
from tests.api.test_board_subscription import cookie_for
from tests.api.ws import graphql_ws
from tests.app_clients import Api, RunningServer
from tests.factories import World, draft

EVENTS = """subscription { notificationEvents {
  type unreadCount readIds allReadUpTo
  notification { id topic topicLabel text read case { id caseNo kindLabel } }
} }"""
LIST = """query($first: Int!, $after: String, $unread: Boolean!) {
  unreadNotificationCount
  notifications(first: $first, after: $after, unreadOnly: $unread) {
    unreadCount hasMore endCursor nodes { id topic text read case { caseNo } }
  }
}"""
MARK = """mutation($ids: [ID!], $all: Boolean!) { markNotificationsRead(ids: $ids, all: $all) {
  __typename ... on MarkNotificationsReadSuccess { ids all unreadCount }
  ... on ValidationError { code message field }
} }"""
SERVE = """mutation($id: ID!, $v: Int!, $d: Date!) { serveRecommendation(input: {id: $id, version: $v, servedOn: $d}) { __typename } }"""


async def approved(world: World) -> tuple[int, str, int]:
    """A recommendation approved and ready to serve: id, number, version."""
    at = clock.now() - timedelta(days=2)
    rec = await draft(world, now=at)
    v = (await recs.submit_for_approval(world.prosecutor, rec.id, rec.version, now=at)).case.version
    v = (await recs.approve(world.chief, rec.id, v, now=at)).case.version
    return rec.id, rec.case_no, v


async def post(base_url: str, username: str, query: str, variables: dict[str, object]) -> dict:  # type: ignore[type-arg]
    async with httpx.AsyncClient(base_url=base_url,
                                 headers={"Cookie": await cookie_for(username)}) as client:  # fmt: skip
        response = await client.post("/graphql", json={"query": query, "variables": variables})
    body: dict = response.json()  # type: ignore[type-arg]
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def test_a_served_case_reaches_every_socket_of_the_liaison_and_read_state_is_shared(
    world: World, server: RunningServer
) -> None:
    rec_id, case_no, version = await approved(world)
    today = clock.today().isoformat()
    async with (
        graphql_ws(server.ws_url, cookie=await cookie_for("liaison_a")) as tab1,
        graphql_ws(server.ws_url, cookie=await cookie_for("liaison_a")) as tab2,
        graphql_ws(server.ws_url, cookie=await cookie_for("liaison_b")) as stranger,
        graphql_ws(server.ws_url, cookie=await cookie_for("prosecutor")) as actor,
    ):
        for ws in (tab1, tab2, stranger, actor):
            await ws.subscribe("n", EVENTS)
        await tab1.expect_silence(0.3)  # subscribed (nothing to say yet)
        served = await post(server.base_url, "prosecutor", SERVE,
                            {"id": to_base64("Recommendation", rec_id), "v": version, "d": today})  # fmt: skip
        assert served["serveRecommendation"]["__typename"] == "RecommendationStepSuccess"
        created = []
        for ws in (tab1, tab2):
            event = (await ws.next_data())["notificationEvents"]
            assert event["type"] == "CREATED" and event["unreadCount"] == 1
            created.append(event["notification"])
        assert created[0] == created[1]
        n = created[0]
        assert n["topic"] == "ADDRESSED" and n["topicLabel"] == "新案件" and not n["read"]
        assert n["text"].startswith(f"新案件送达本单位：检察建议 {case_no}")
        assert n["case"] == {"id": to_base64("Recommendation", rec_id), "caseNo": case_no,
                             "kindLabel": "检察建议"}  # fmt: skip
        await stranger.expect_silence(0.3)
        await actor.expect_silence(0.1)

        marked = await post(server.base_url, "liaison_a", MARK, {"ids": [n["id"]], "all": False})
        assert marked["markNotificationsRead"] == {
            "__typename": "MarkNotificationsReadSuccess", "ids": [n["id"]], "all": False,
            "unreadCount": 0,
        }  # fmt: skip
        for ws in (tab1, tab2):
            event = (await ws.next_data())["notificationEvents"]
            assert event == {"type": "READ", "unreadCount": 0, "readIds": [n["id"]],
                             "allReadUpTo": None, "notification": None}  # fmt: skip
        await stranger.expect_silence(0.2)


async def test_list_count_and_marking_over_http(world: World, api: Api) -> None:
    for _ in range(3):
        rec_id, _, version = await approved(world)
        await recs.serve(world.prosecutor, rec_id, version, served_on=clock.today(),
                         method=ServiceMethod.WRITTEN, rule=ReplyRule.STATUTORY_2_MONTHS)  # fmt: skip
    async with api.as_user("liaison_a") as liaison:
        first = (await liaison(LIST, {"first": 2, "after": None, "unread": False}))["data"]
        assert first["unreadNotificationCount"] == 3
        page = first["notifications"]
        assert len(page["nodes"]) == 2 and page["hasMore"] and page["unreadCount"] == 3
        rest = await liaison(LIST, {"first": 2, "after": page["endCursor"], "unread": False})
        assert len(rest["data"]["notifications"]["nodes"]) == 1
        refused = (await liaison(MARK, {"ids": None, "all": False}))["data"]
        assert refused["markNotificationsRead"]["__typename"] == "ValidationError"
        assert (await liaison(LIST, {"first": 5, "after": None, "unread": True}))["data"][
            "unreadNotificationCount"
        ] == 3  # nothing changed
        done = (await liaison(MARK, {"ids": None, "all": True}))["data"]["markNotificationsRead"]
        assert done == {"__typename": "MarkNotificationsReadSuccess", "ids": [], "all": True,
                        "unreadCount": 0}  # fmt: skip
        after = (await liaison(LIST, {"first": 5, "after": None, "unread": True}))["data"]
        assert after["notifications"]["nodes"] == [] and after["unreadNotificationCount"] == 0
    async with api.as_user("liaison_b") as other:
        data = (await other(LIST, {"first": 5, "after": None, "unread": False}))["data"]
        assert data["notifications"]["nodes"] == [] and data["unreadNotificationCount"] == 0
    async with api.as_token("ecology_env") as token:
        data = (await token(LIST, {"first": 5, "after": None, "unread": False}))["data"]
        assert data["notifications"]["nodes"] == []
