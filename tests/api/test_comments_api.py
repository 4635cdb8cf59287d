"""Comments over GraphQL: ``addComment`` / ``retractComment`` with their error unions,
``Case.comments``, ``Case.mentionableUsers`` and ``Case.commenting``, for every kind; internal
comments absent from every path the government side reads (the case's comments, its events,
the board event stream)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from strawberry.relay import to_base64

from hub import clock
from hub.kinds.registry import SPECS, spec_of
from hub.models import Case, CaseEvent, User
from hub.services import auth
from hub.services.demo import load_demo
from hub.services.events import last_seq
from tests.api.ws import graphql_ws
from tests.app_clients import Api, GraphQLClient, RunningServer
from tests.factories import PASSWORD, World, served, snapshot
from tests.services.test_comments import commenter_for

TODAY = clock.today()

RESULT = """
  __typename
  ... on CommentSuccess {
    comment { seq text displayText internal authorName authorUnit { name } retracted
              retractedByName canRetract mentions { id name } }
    case { id version }
    event { seq action actionLabel version comment }
  }
  ... on Error { code message field }
"""
ADD = f"mutation($input: AddCommentInput!) {{ addComment(input: $input) {{ {RESULT} }} }}"
RETRACT = (
    f"mutation($input: RetractCommentInput!) {{ retractComment(input: $input) {{ {RESULT} }} }}"
)
READ = """query($id: ID!) { node(id: $id) { ... on Case {
  version
  comments { seq text displayText internal authorName retracted retractedByName canRetract
             mentions { name } }
  events { seq action actionLabel actorName comment payload }
  commenting { canComment canCommentInternally internalLabel maxLength maxMentions }
  mentionableUsers { id name label seesInternal }
} } }"""
BOARD = """subscription($after: String) { boardEvents(after: $after) {
  cursor event { seq action actionLabel comment payload version } case { id version }
} }"""

PLAIN_BOARD = """subscription($after: String) { boardEvents(after: $after) {
  cursor event { seq action actionLabel actorName } case { id version }
} }"""


def gid(case: Case) -> str:
    return to_base64(spec_of(case.kind).graphql_type, case.id)


def user_gid(user_id: int) -> str:
    return to_base64("User", user_id)


async def add(client: GraphQLClient, case: Case, text: str, **extra: Any) -> dict[str, Any]:
    body = await client(ADD, {"input": {"caseId": gid(case), "text": text, **extra}})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["addComment"]
    return result


async def read(client: GraphQLClient, case: Case) -> dict[str, Any]:
    body = await client(READ, {"id": gid(case)})
    assert "errors" not in body, body
    node: dict[str, Any] = body["data"]["node"]
    return node


async def test_internal_comments_are_the_procuratorate_sides_only(api: Api, world: World) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=5))
    liaison, chief = world.liaison_a.id, world.chief.id
    async with api.as_user("prosecutor") as prosecutor:
        shared = await add(
            prosecutor, rec, "请贵局 @liaison_a 按期回复", mentionIds=[user_gid(liaison)]
        )
        assert shared["__typename"] == "CommentSuccess", shared
        assert shared["case"]["version"] == rec.version  # a comment bumps no version
        assert shared["comment"]["mentions"] == [
            {"id": user_gid(liaison), "name": "liaison_a-姓名"}
        ]
        assert shared["comment"]["authorUnit"] == {"name": "宿州市人民检察院"}
        assert shared["event"]["actionLabel"] == "评论"
        assert shared["event"]["comment"] == "请贵局 @liaison_a 按期回复"
        internal = await add(prosecutor, rec, "内部：拟提请督办", internal=True,
                             mentionIds=[user_gid(chief)])  # fmt: skip
        assert internal["__typename"] == "CommentSuccess" and internal["comment"]["internal"]
        mine = await read(prosecutor, rec)
    assert [c["displayText"] for c in mine["comments"]] == [
        "请贵局 @liaison_a 按期回复",
        "内部：拟提请督办",
    ]
    assert mine["commenting"] == {"canComment": True, "canCommentInternally": True,
                                  "internalLabel": "内部（仅检察院可见）", "maxLength": 2000,
                                  "maxMentions": 20}  # fmt: skip
    assert user_gid(liaison) in [u["id"] for u in mine["mentionableUsers"]]
    async with api.as_user("liaison_a") as agency:
        theirs = await read(agency, rec)
    assert [c["text"] for c in theirs["comments"]] == ["请贵局 @liaison_a 按期回复"]
    assert not [
        e for e in theirs["events"] if "内部" in (e["comment"] or "") or "内部" in str(e["payload"])
    ]
    assert [e["seq"] for e in theirs["events"] if e["action"] == "comment"] == [
        shared["comment"]["seq"]
    ]
    assert theirs["commenting"]["canComment"] and not theirs["commenting"]["canCommentInternally"]
    assert all(u["seesInternal"] for u in theirs["mentionableUsers"])  # the other side's staff
    assert user_gid(liaison) not in [u["id"] for u in theirs["mentionableUsers"]]  # not oneself


async def test_a_party_user_comments_on_every_kind(api: Api, world: World) -> None:
    await load_demo(PASSWORD)
    for spec in SPECS:
        chosen = None
        for case in await Case.filter(kind=spec.kind.value).order_by("id"):
            actor = await commenter_for(case)
            if actor is not None:
                chosen = (case, actor)
                break
        assert chosen is not None, spec.kind
        case, actor = chosen
        username = (await User.get(id=actor.id)).username
        async with api.as_user(username) as client:
            result = await add(client, case, f"{spec.label}：请知悉")
            assert result["__typename"] == "CommentSuccess", (spec.kind, result)
            assert result["case"] == {"id": gid(case), "version": case.version}
            node = await read(client, case)
        assert node["comments"][-1]["displayText"] == f"{spec.label}：请知悉"
        assert node["comments"][-1]["canRetract"]
        assert node["version"] == case.version


async def test_refusals_are_union_members_and_change_nothing(api: Api, world: World) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=5))
    before = await snapshot(rec.id)
    async with api.as_user("prosecutor") as prosecutor:
        outsider = await add(prosecutor, rec, "请看", mentionIds=[user_gid(world.liaison_b.id)])
        wrong_type = await add(prosecutor, rec, "请看", mentionIds=[to_base64("Unit", 1)])
        internal = await add(prosecutor, rec, "请看", internal=True,
                             mentionIds=[user_gid(world.liaison_a.id)])  # fmt: skip
        empty = await add(prosecutor, rec, "  ")
        unknown = await prosecutor(ADD, {"input": {"caseId": to_base64("Recommendation", 99_999),
                                                   "text": "x"}})  # fmt: skip
    for result in (outsider, wrong_type, internal):
        assert (result["__typename"], result["code"], result["field"]) == (
            "ValidationError", "VALIDATION_FAILED", "mentionIds",
        ), result  # fmt: skip
    assert "不能提及liaison_a-姓名" in internal["message"]
    assert (empty["__typename"], empty["field"]) == ("ValidationError", "text")
    missing = unknown["data"]["addComment"]
    assert (missing["__typename"], missing["field"]) == ("NotFoundError", "caseId")
    async with api.as_user("liaison_a") as agency:
        refused = await add(agency, rec, "内部？", internal=True)
    assert (refused["__typename"], refused["field"]) == ("PermissionDeniedError", "internal")
    async with api.as_token("ecology_env") as system:  # a read-write agency token may comment
        assert (await add(system, rec, "系统回执"))["__typename"] == "CommentSuccess"
    before["events"] += 1
    before["all_events"] += 1
    assert await snapshot(rec.id) == before


async def test_a_read_only_token_may_not_comment(api: Api, world: World) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=5))
    before = await snapshot(rec.id)
    issued = await auth.create_api_token("ecology_env", "只读系统", scopes="read")
    async with api.client({"Authorization": f"Bearer {issued.secret}"}) as reader:
        body = await reader(ADD, {"input": {"caseId": gid(rec), "text": "只读"}})
        assert body.get("data") is None and body["errors"], body
        node = await read(reader, rec)
    assert node["commenting"]["canComment"] is False  # read scope: the board offers no box
    assert node["mentionableUsers"] == []
    assert await snapshot(rec.id) == before


async def test_only_the_author_retracts_and_the_history_keeps_a_trace(
    api: Api, world: World
) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=5))
    async with api.as_user("liaison_a") as agency:
        comment = await add(
            agency, rec, "已整改完毕，请查收", mentionIds=[user_gid(world.prosecutor.id)]
        )
    seq = comment["comment"]["seq"]
    input_ = {"input": {"caseId": gid(rec), "commentSeq": seq}}
    before = await snapshot(rec.id)
    async with api.as_user("prosecutor") as prosecutor:
        other = (await prosecutor(RETRACT, input_))["data"]["retractComment"]
        assert (other["__typename"], other["field"]) == ("PermissionDeniedError", "commentSeq")
        assert not (await read(prosecutor, rec))["comments"][0]["canRetract"]
    assert await snapshot(rec.id) == before
    async with api.as_user("liaison_a") as agency:
        done = (await agency(RETRACT, input_))["data"]["retractComment"]
        assert done["__typename"] == "CommentSuccess", done
        assert done["comment"]["retracted"] and done["comment"]["text"] is None
        assert done["event"]["action"] == "retract_comment"
        again = (await agency(RETRACT, input_))["data"]["retractComment"]
        assert (again["__typename"], again["field"]) == ("ValidationError", "commentSeq")
    async with api.as_user("prosecutor") as prosecutor:
        node = await read(prosecutor, rec)
    (shown,) = node["comments"]
    assert shown == {"seq": seq, "text": None, "displayText": "（已撤回）", "internal": False,
                     "authorName": "liaison_a-姓名", "retracted": True,
                     "retractedByName": "liaison_a-姓名", "canRetract": False,
                     "mentions": []}  # fmt: skip
    history = {e["seq"]: e for e in node["events"]}
    assert history[seq]["comment"] == "（已撤回）"
    assert history[seq]["payload"] == {"text": "", "internal": False, "mentions": [],
                                       "retracted": True}  # fmt: skip
    trace = history[done["event"]["seq"]]
    assert (trace["actionLabel"], trace["actorName"]) == ("撤回评论", "liaison_a-姓名")
    assert "已整改完毕" not in str(node)
    assert (await CaseEvent.get(seq=seq)).payload["text"] == "已整改完毕，请查收"  # audit chain


async def cookie_for(username: str) -> str:
    result = await auth.login(username, PASSWORD, ttl=timedelta(hours=1))
    return f"{auth.SESSION_COOKIE}={result.session_secret}"


async def test_the_board_stream_carries_comments_but_not_internal_ones_to_agencies(
    api: Api, world: World, server: RunningServer
) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=5))
    cursor = str(await last_seq())
    async with (
        graphql_ws(server.ws_url, cookie=await cookie_for("liaison_a")) as agency,
        graphql_ws(server.ws_url, cookie=await cookie_for("chief")) as chief,
        graphql_ws(server.ws_url, cookie=await cookie_for("office")) as plain,
        api.as_user("prosecutor") as prosecutor,
    ):
        await agency.subscribe("a", BOARD, {"after": cursor})
        await chief.subscribe("c", BOARD, {"after": cursor})
        # Fields that all resolve at once: the unshared render of a comment is synchronous.
        await plain.subscribe("p", PLAIN_BOARD, {"after": cursor})
        internal = await add(prosecutor, rec, "内部：拟督促", internal=True)
        shared = await add(prosecutor, rec, "请按期回复")
        got = await agency.collect(1)
        assert got[0]["event"]["seq"] == shared["comment"]["seq"]
        assert got[0]["event"]["payload"] == {
            "text": "请按期回复",
            "internal": False,
            "mentions": [],
        }
        assert got[0]["event"]["version"] == got[0]["case"]["version"] == rec.version
        await agency.expect_silence()
        assert [e["event"]["action"] for e in await plain.collect(2)] == ["comment", "comment"]
        both = await chief.collect(2)
        assert [e["event"]["seq"] for e in both] == [
            internal["comment"]["seq"],
            shared["comment"]["seq"],
        ]
        retracted = await prosecutor(
            RETRACT, {"input": {"caseId": gid(rec), "commentSeq": shared["comment"]["seq"]}}
        )
        assert retracted["data"]["retractComment"]["__typename"] == "CommentSuccess"
        trace = await agency.collect(1)
        assert trace[0]["event"]["action"] == "retract_comment"
    # Replayed later, the retracted comment shows its trace, never its text.
    async with graphql_ws(server.ws_url, cookie=await cookie_for("liaison_a")) as late:
        await late.subscribe("l", BOARD, {"after": cursor})
        replay = await late.collect(2)
        assert [e["event"]["comment"] for e in replay] == ["（已撤回）", ""]
        assert "内部" not in str(replay) and "请按期回复" not in str(replay)
        await late.expect_silence()
