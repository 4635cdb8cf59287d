"""Real GraphQL documents posted to /graphql, as the board and agency systems send them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from strawberry.relay import to_base64

from hub import clock
from hub.domain.dates import text_date
from hub.kinds.recommendation.spec import State
from hub.models import Case, CaseEvent
from tests.app_clients import Api, dumps
from tests.factories import draft, served, snapshot


def _data(body: dict[str, Any]) -> dict[str, Any]:
    """A response without its ``extensions`` (the cost budget left differs between calls)."""
    return {k: v for k, v in body.items() if k != "extensions"}


TODAY = clock.today()  # the API uses the real clock

CARD = """
fragment Card on Recommendation {
  id docNo title state column version internalNote
  addresseeUnit { code }
  deadline { dueOn provisional explanation level daysLeft }
}
"""


def gid(type_name: str, pk: int) -> str:
    return to_base64(type_name, pk)


async def test_login_sets_an_http_only_session_cookie(api: Api) -> None:
    async with api.client() as client:
        bad = await client(
            'mutation { login(input: {username: "prosecutor", password: "wrong"}) '
            "{ __typename ... on Error { code message } } }"
        )
        assert bad["data"]["login"] == {
            "__typename": "AuthenticationError", "code": "UNAUTHENTICATED", "message": "用户名或密码错误",
        }  # fmt: skip
        assert "hub_session" not in client.http.cookies
        response = await client.post(
            'mutation { login(input: {username: "prosecutor", password: "correct-horse-9"}) '
            "{ __typename ... on LoginSuccess { viewer { name role unit { code } } } } }"
        )
        assert "httponly" in response.headers["set-cookie"].lower()
        assert response.json()["data"]["login"]["viewer"] == {
            "name": "prosecutor-姓名", "role": "PROSECUTOR", "unit": {"code": "procuratorate"},
        }  # fmt: skip
        me = await client("{ viewer { name roleLabel } }")
        assert me["data"]["viewer"] == {"name": "prosecutor-姓名", "roleLabel": "承办检察官"}
        assert (await client("mutation { logout }"))["data"]["logout"] is True
        assert (await client("{ viewer { name } }"))["data"]["viewer"] is None


async def test_missing_or_bad_credentials_are_refused_with_a_code(api: Api) -> None:
    await served(api.world, served_on=TODAY - timedelta(days=3))
    for headers in (
        None,
        {"Authorization": "Bearer hub_not-a-token"},
        {"Authorization": "Basic x"},
    ):
        async with api.client(headers) as client:
            body = await client("{ recommendations { totalCount } }")
        assert body["data"] is None
        assert body["errors"][0]["extensions"] == {"code": "UNAUTHENTICATED"}
        assert body["errors"][0]["message"] == "请先登录或提供有效的 API 令牌"


async def test_agency_token_sees_only_its_own_cases_everywhere(api: Api) -> None:
    world = api.world
    mine = await served(world, served_on=TODAY - timedelta(days=3))
    theirs = await served(world, served_on=TODAY - timedelta(days=3), addressee=world.unit_b)
    my_draft = await draft(world)  # addressed to A but not yet issued
    query = (
        CARD
        + """
    query($mine: ID!, $theirs: ID!, $draft: ID!, $theirsNo: String!) {
      recommendations(first: 50) { totalCount edges { node { ...Card } } }
      mineNode: node(id: $mine) { ... on Recommendation { docNo } }
      theirsNode: node(id: $theirs) { ... on Recommendation { docNo } }
      draftNode: node(id: $draft) { ... on Recommendation { docNo } }
      byDocNo: recommendationByDocNo(docNo: $theirsNo) { docNo }
      board { cards { caseNo } }
    }
    """
    )
    variables = {
        "mine": gid("Recommendation", mine.id), "theirs": gid("Recommendation", theirs.id),
        "draft": gid("Recommendation", my_draft.id), "theirsNo": theirs.case_no,
    }  # fmt: skip
    async with api.as_token("ecology_env") as agency_a:
        body = await agency_a(query, variables)
    assert "errors" not in body, body
    data = body["data"]
    assert data["recommendations"]["totalCount"] == 1
    assert [e["node"]["docNo"] for e in data["recommendations"]["edges"]] == [mine.case_no]
    assert data["recommendations"]["edges"][0]["node"]["internalNote"] is None
    assert data["mineNode"] == {"docNo": mine.case_no}
    assert data["theirsNode"] is None and data["draftNode"] is None and data["byDocNo"] is None
    assert data["board"]["cards"] == [{"caseNo": mine.case_no}]

    async with api.as_user("office") as office:
        everything = await office(query, variables)
    assert everything["data"]["recommendations"]["totalCount"] == 3
    assert everything["data"]["theirsNode"] == {"docNo": theirs.case_no}
    assert (
        everything["data"]["recommendations"]["edges"][0]["node"]["internalNote"]
        == "内部：承办组意见"
    )


async def test_foreign_id_answers_exactly_like_an_unknown_one(api: Api) -> None:
    world = api.world
    theirs = await served(world, served_on=TODAY - timedelta(days=3), addressee=world.unit_b)
    node_query = "query($id: ID!) { node(id: $id) { id } }"
    step = """mutation($id: ID!, $v: Int!) {
      acknowledgeRecommendation(input: {id: $id, version: $v}) {
        __typename ... on Error { code message field } } }"""
    async with api.as_token("ecology_env") as agency_a:
        foreign = await agency_a(node_query, {"id": gid("Recommendation", theirs.id)})
        unknown = await agency_a(node_query, {"id": gid("Recommendation", 999_999)})
        foreign_step = await agency_a(
            step, {"id": gid("Recommendation", theirs.id), "v": theirs.version}
        )
        unknown_step = await agency_a(
            step, {"id": gid("Recommendation", 999_999), "v": theirs.version}
        )
        wrong_type = await agency_a(step, {"id": gid("Unit", world.unit_a.id), "v": 1})
    assert dumps(_data(foreign)) == dumps(_data(unknown)) == dumps({"data": {"node": None}})
    assert dumps(_data(foreign_step)) == dumps(_data(unknown_step)) == dumps(_data(wrong_type))
    assert foreign_step["data"]["acknowledgeRecommendation"]["code"] == "NOT_FOUND"


async def test_filters_and_cursor_pagination(api: Api) -> None:
    world = api.world
    overdue = await served(world, served_on=TODAY - timedelta(days=80))
    soon = await served(world, served_on=TODAY - timedelta(days=55))
    fresh = await served(world, served_on=TODAY - timedelta(days=1))
    await served(world, served_on=TODAY - timedelta(days=2), addressee=world.unit_b)
    page = """query($filter: RecommendationFilter, $after: String, $first: Int!) {
      recommendations(filter: $filter, first: $first, after: $after) {
        totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { docNo column } } } }"""
    async with api.as_user("office") as office:
        first = await office(page, {"first": 2, "filter": {"addresseeUnitCode": "ecology_env"}})
        conn = first["data"]["recommendations"]
        assert conn["totalCount"] == 3 and conn["pageInfo"]["hasNextPage"] is True
        assert [e["node"]["docNo"] for e in conn["edges"]] == [overdue.case_no, soon.case_no]
        second = await office(page, {"first": 2, "after": conn["pageInfo"]["endCursor"],
                                     "filter": {"addresseeUnitCode": "ecology_env"}})  # fmt: skip
        conn2 = second["data"]["recommendations"]
        assert [e["node"]["docNo"] for e in conn2["edges"]] == [fresh.case_no]
        assert conn2["pageInfo"] == {"hasNextPage": False, "hasPreviousPage": True,
                                     "endCursor": conn2["edges"][-1]["cursor"]}  # fmt: skip
        late = await office(page, {"first": 10, "filter": {"overdue": True}})
        assert [e["node"] for e in late["data"]["recommendations"]["edges"]] == [
            {"docNo": overdue.case_no, "column": "OVERDUE"}
        ]
        due_soon = await office(page, {"first": 10, "filter": {
            "dueBefore": (TODAY + timedelta(days=7)).isoformat(), "overdue": False}})  # fmt: skip
        assert [e["node"]["docNo"] for e in due_soon["data"]["recommendations"]["edges"]] == [
            soon.case_no
        ]
        by_unit = await office(
            page, {"first": 10, "filter": {"addresseeUnit": gid("Unit", world.unit_b.id)}}
        )
        assert by_unit["data"]["recommendations"]["totalCount"] == 1
        too_many = await office(page, {"first": 5000})
        assert too_many["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
        bad_cursor = await office(page, {"first": 1, "after": "not-a-cursor"})
        assert bad_cursor["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"


async def test_lifecycle_over_graphql_with_versions(api: Api) -> None:
    world = api.world
    rec = await draft(world)
    rec_id = gid("Recommendation", rec.id)
    result = """__typename
      ... on RecommendationStepSuccess { recommendation { state version column deadline { dueOn explanation } }
                                          event { seq action fromState toState version } }
      ... on Error { code message field }
      ... on VersionConflictError { currentVersion }"""
    async with api.as_user("prosecutor") as prosecutor, api.as_user("chief") as chief, \
            api.as_token("ecology_env") as agency:  # fmt: skip
        r = await prosecutor(
            f"mutation($id: ID!) {{ submitForApproval(input: {{id: $id, version: 1}}) {{ {result} }} }}",
            {"id": rec_id},
        )
        assert r["data"]["submitForApproval"]["recommendation"]["state"] == "PENDING_APPROVAL"
        r = await chief(
            f"mutation($id: ID!) {{ approveRecommendation(input: {{id: $id, version: 2}}) {{ {result} }} }}",
            {"id": rec_id},
        )
        assert r["data"]["approveRecommendation"]["event"]["toState"] == "APPROVED"
        served_on = TODAY - timedelta(days=10)
        r = await prosecutor(
            f"mutation($id: ID!, $d: Date!) {{ serveRecommendation(input: {{id: $id, version: 3, servedOn: $d}}) {{ {result} }} }}",
            {"id": rec_id, "d": served_on.isoformat()},
        )
        served_rec = r["data"]["serveRecommendation"]["recommendation"]
        assert served_rec["state"] == "SERVED" and served_rec["version"] == 4
        assert served_rec["deadline"]["explanation"].startswith(
            f"{text_date(served_on)}送达，期限两个月"
        )

        before = await snapshot(rec.id)
        stale = await agency(
            f"mutation($id: ID!) {{ acknowledgeRecommendation(input: {{id: $id, version: 3}}) {{ {result} }} }}",
            {"id": rec_id},
        )
        assert stale["data"]["acknowledgeRecommendation"] == {
            "__typename": "VersionConflictError", "code": "VERSION_CONFLICT", "field": "version",
            "message": "该检察建议已被他人修改（当前版本 4），请刷新后重试", "currentVersion": 4,
        }  # fmt: skip
        wrong = await prosecutor(
            f"mutation($id: ID!) {{ acknowledgeRecommendation(input: {{id: $id, version: 4}}) {{ {result} }} }}",
            {"id": rec_id},
        )
        assert wrong["data"]["acknowledgeRecommendation"]["__typename"] == "PermissionDeniedError"
        assert await snapshot(rec.id) == before

        r = await agency(
            f'mutation($id: ID!) {{ submitReply(input: {{id: $id, version: 4, content: "已整改完毕"}}) {{ {result} }} }}',
            {"id": rec_id},
        )
        assert r["data"]["submitReply"]["event"] == {
            "seq": r["data"]["submitReply"]["event"]["seq"], "action": "submit_reply",
            "fromState": "SERVED", "toState": "REPLIED", "version": 5,
        }  # fmt: skip
        r = await prosecutor(
            f"mutation($id: ID!) {{ reviewReply(input: {{id: $id, version: 5, decision: ADOPTED}}) {{ {result} }} }}",
            {"id": rec_id},
        )
        assert r["data"]["reviewReply"]["recommendation"]["state"] == "CLOSED_ADOPTED"

        closed = await snapshot(rec.id)
        again = await agency(
            f'mutation($id: ID!) {{ submitReply(input: {{id: $id, version: 6, content: "再次回复"}}) {{ {result} }} }}',
            {"id": rec_id},
        )
        assert again["data"]["submitReply"]["__typename"] == "InvalidTransitionError"
        assert (
            again["data"]["submitReply"]["message"] == "当前状态“已采纳结案”不能执行“提交整改回复”"
        )
        assert await snapshot(rec.id) == closed

        events = await prosecutor(
            "query($id: ID!) { node(id: $id) { ... on Recommendation { events { action actionLabel } replies { content decision } } } }",
            {"id": rec_id},
        )
        node = events["data"]["node"]
        assert [e["action"] for e in node["events"]] == [
            "create", "submit_for_approval", "approve", "serve", "submit_reply", "adopt_reply",
        ]  # fmt: skip
        assert node["replies"] == [{"content": "已整改完毕", "decision": "ADOPTED"}]
        agency_view = await agency(
            "query($id: ID!) { node(id: $id) { ... on Recommendation { events { action } } } }",
            {"id": rec_id},
        )
        assert [e["action"] for e in agency_view["data"]["node"]["events"]] == [
            "serve",
            "submit_reply",
            "adopt_reply",
        ]


async def test_future_service_date_is_refused_over_graphql(api: Api) -> None:
    rec = await draft(api.world)
    async with api.as_user("prosecutor") as prosecutor, api.as_user("chief") as chief:
        await prosecutor(
            "mutation($id: ID!) { submitForApproval(input: {id: $id, version: 1}) { __typename } }",
            {"id": gid("Recommendation", rec.id)},
        )
        await chief(
            "mutation($id: ID!) { approveRecommendation(input: {id: $id, version: 2}) { __typename } }",
            {"id": gid("Recommendation", rec.id)},
        )
        before = await snapshot(rec.id)
        r = await prosecutor(
            "mutation($id: ID!, $d: Date!) { serveRecommendation(input: {id: $id, version: 3, servedOn: $d}) { __typename ... on Error { code field message } } }",
            {"id": gid("Recommendation", rec.id), "d": (TODAY + timedelta(days=2)).isoformat()},
        )
    assert r["data"]["serveRecommendation"]["__typename"] == "ValidationError"
    assert r["data"]["serveRecommendation"]["field"] == "servedOn"
    assert await snapshot(rec.id) == before


async def test_malformed_and_oversized_requests_get_clear_errors(api: Api) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=3))
    before = await snapshot(rec.id)
    async with api.as_user("office") as office:
        syntax = await office.post("{ recommendations { totalCount ")
        assert syntax.status_code == 200
        assert syntax.json()["errors"][0]["message"].startswith("Syntax Error")
        unknown_field = await office("{ recommendations { nope } }")
        assert "Cannot query field 'nope'" in unknown_field["errors"][0]["message"]
        not_json = await office.http.post(
            "/graphql", content=b"{not json", headers={"content-type": "application/json"}
        )
        assert not_json.status_code == 400
        deep = (
            "{ recommendations { edges { node {"
            + " events { recommendation {" * 8
            + " id"
            + " } }" * 8
            + " } } } }"
        )
        too_deep = await office(deep)
        assert "exceeds maximum operation depth" in too_deep["errors"][0]["message"]
        many_tokens = "{ " + " ".join(f"a{i}: viewer {{ name }}" for i in range(600)) + " }"
        big = await office(many_tokens)
        assert big["data"] is None and big["errors"]
        huge = await office.http.post(
            "/graphql", json={"query": "{ viewer { name } }", "variables": {"x": "y" * 300_000}}
        )
        assert huge.status_code == 413
    assert await snapshot(rec.id) == before
    assert await CaseEvent.all().count() == before["all_events"]


async def test_mutations_need_credentials_and_change_nothing_without(api: Api) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=3))
    before = await snapshot(rec.id)
    async with api.client() as anonymous:
        body = await anonymous(
            "mutation($id: ID!) { acknowledgeRecommendation(input: {id: $id, version: 4}) { __typename } }",
            {"id": gid("Recommendation", rec.id)},
        )
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert await snapshot(rec.id) == before
    assert (await Case.get(id=rec.id)).state == State.SERVED


async def test_board_lists_columns_in_lifecycle_order(api: Api) -> None:
    await served(api.world, served_on=date(2026, 9, 1))
    async with api.as_user("prosecutor") as prosecutor:
        board = await prosecutor(
            "{ board { cursor columns { id label } cards { caseNo column availableActions { action target } } } }"
        )
    columns = [c["id"] for c in board["data"]["board"]["columns"]]
    assert columns[:6] == [
        "DRAFT",
        "PENDING_APPROVAL",
        "APPROVED",
        "SERVED",
        "RECTIFYING",
        "OVERDUE",
    ]
    assert board["data"]["board"]["cursor"] == str(await CaseEvent.all().count())
    card = board["data"]["board"]["cards"][0]
    assert (
        card["availableActions"] == [{"action": "URGE", "target": None}]
        or card["column"] != "OVERDUE"
    )


async def test_column_filter_matches_the_board(api: Api) -> None:
    world = api.world
    overdue = await served(world, served_on=TODAY - timedelta(days=80))
    fresh = await served(world, served_on=TODAY - timedelta(days=1))
    query = "query($c: BoardColumn!) { recommendations(filter: {column: $c}) { edges { node { docNo column } } } }"
    async with api.as_user("office") as office:
        late = await office(query, {"c": "OVERDUE"})
        waiting = await office(query, {"c": "SERVED"})
    assert [e["node"] for e in late["data"]["recommendations"]["edges"]] == [
        {"docNo": overdue.case_no, "column": "OVERDUE"}
    ]
    assert [e["node"] for e in waiting["data"]["recommendations"]["edges"]] == [
        {"docNo": fresh.case_no, "column": "SERVED"}
    ]
