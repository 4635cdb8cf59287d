"""Cost before execution: the static cost, the per-request maximum, the per-minute budget
(across instances over Redis), ``extensions.cost``, and the inputs the GraphQL boundary refuses
with a code before anything runs (deep JSON, long strings, IDs no row can have)."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta
from typing import Any

import httpx
import pytest
from graphql import GraphQLSchema, parse
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.relay import to_base64

from hub import clock
from hub.models import Case, CaseEvent
from hub.schema import HubSchema, build_schema
from hub.schema.cost import CostModel, query_cost
from hub.schema.guard import Guard, cost_model
from hub.schema.limits import decode_json, global_id_error
from hub.services.budget import MemoryBudget, RedisBudget
from hub.settings import Settings
from tests.app_clients import Api
from tests.app_clients import test_settings as hub_settings
from tests.factories import served
from tests.private_redis import PrivateRedis

TODAY = clock.today()
FIXED_NOW = 1_800_000_000.0  # the budget's clock in tests: one minute window throughout
W = hub_settings().cost_case_weight  # what one case costs


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    built = build_schema(hub_settings())
    return built._schema


def cost(schema: GraphQLSchema, query: str, **variables: Any) -> int:
    model = cost_model(hub_settings())
    return query_cost(schema, parse(query), model, variables=variables)


# ---- the static cost ------------------------------------------------------------------------


def test_every_field_counts_once_per_object_and_typename_is_free(schema: GraphQLSchema) -> None:
    assert cost(schema, "{ viewer { name roleLabel __typename } }") == 3
    assert cost(schema, "{ __typename }") == 0


def test_lists_multiply_by_their_page_and_nested_lists_multiply(schema: GraphQLSchema) -> None:
    # cases 1 + totalCount 1 + 10 edges × (edge 1 + a case W + id 1 + title 1)
    assert cost(schema, "{ cases(first: 10) { totalCount edges { node { id title } } } }") == (
        1 + 1 + 10 * (1 + W + 2)
    )
    # each of 10 nodes: the case W + events 20 × (event 1 + seq 1)
    nested = "{ cases(first: 10) { edges { node { events(last: 20) { seq } } } } }"
    assert cost(schema, nested) == 1 + 10 * (1 + W + 20 * 2)
    deeper = "{ cases(first: 10) { edges { node { events(last: 20) { case { events(last: 20) { seq } } } } } } }"
    assert cost(schema, deeper) == 1 + 10 * (1 + W + 20 * (1 + W + 20 * 2))
    # no argument: the argument's default (cases 50, events 50)
    assert cost(schema, "{ cases { edges { node { events { seq } } } } }") == 1 + 50 * (
        1 + W + 50 * 2
    )


def test_page_sizes_come_from_variables_and_their_defaults(schema: GraphQLSchema) -> None:
    query = "query($n: Int = 7) { cases(first: $n) { edges { node { id } } } }"
    assert cost(schema, query) == 1 + 7 * (1 + W + 1)
    assert cost(schema, query, n=3) == 1 + 3 * (1 + W + 1)
    # above max_page_size the resolver refuses (LIMIT_EXCEEDED) before any work: priced at it
    assert cost(schema, query, n=10**9) == cost(schema, query, n=hub_settings().max_page_size)


def test_aliases_and_fragments_count_where_they_are_used(schema: GraphQLSchema) -> None:
    one = cost(schema, "{ cases(first: 5) { edges { node { id } } } }")
    assert cost(schema, "{ a: cases(first: 5) { edges { node { id } } } b: cases(first: 5) { edges { node { id } } } }") == 2 * one  # fmt: skip
    fragment = (
        "fragment F on Case { id title } { cases(first: 5) { edges { node { ...F ...F } } } }"
    )
    assert cost(schema, fragment) == 1 + 5 * (1 + W + 4)


def test_an_abstract_selection_costs_its_dearest_concrete_type(schema: GraphQLSchema) -> None:
    query = """{ cases(first: 1) { edges { node {
      ... on Recommendation { replies { id } }
      ... on PilCase { consultations { id } followUps { id } }
    } } } }"""
    default = cost_model(hub_settings()).default_list
    # a PilCase has two lists of the default size, a Recommendation one: not both added up
    assert cost(schema, query) == 1 + 1 * (1 + W + 2 * default * 2)


def test_a_list_without_page_argument_counts_its_largest_size(schema: GraphQLSchema) -> None:
    settings = hub_settings()
    assert cost_model(settings).list_size("Query", "units") == 100
    assert CostModel(default_list=9).list_size("Anything", "rows") == 9


def test_a_boards_cards_cost_first_per_column(schema: GraphQLSchema) -> None:
    settings = hub_settings()
    columns = cost_model(settings).sizes["columns"]  # the most columns a kind's board has
    # board 1 + columns × (column 1 + first × (a card 10 + id 1)); a card weighs 10
    assert cost(schema, "{ board(first: 20) { columns { cards { id } } } }") == (
        1 + columns * (1 + 20 * (10 + 1))
    )
    # the deprecated union of the columns' first pages: first × columns cards
    assert cost(schema, "{ board(first: 20) { cards { id } } }") == 1 + 20 * columns * (10 + 1)
    assert cost(schema, "{ board { cards { id } } }") == 1 + 30 * columns * (10 + 1)  # default
    assert cost(
        schema, "query($n: Int) { board(first: $n) { columns { cards { id } } } }", n=7
    ) == (1 + columns * (1 + 7 * 11))
    # above board_page_max the resolver refuses (LIMIT_EXCEEDED) before any work: priced at it
    largest = settings.board_page_max
    assert cost(schema, "{ board(first: 100000) { cards { id } } }") == (1 + largest * columns * 11)
    page = '{ boardColumn(kind: RECOMMENDATION, column: "DRAFT", first: 40) { totalCount cards { id } } }'
    assert cost(schema, page) == 1 + 1 + 40 * 11
    # a column's other fields are not multiplied by the page
    assert cost(schema, "{ board(first: 50) { totalCount columns { id totalCount } } }") == (
        1 + 1 + columns * 3
    )


def test_the_introspection_query_graphiql_sends_fits_the_maximum(schema: GraphQLSchema) -> None:
    from graphql import get_introspection_query

    guard = Guard.from_settings(hub_settings())
    model = guard.model_for(schema)
    assert (
        0
        < query_cost(schema, parse(get_introspection_query()), model)
        < guard.settings.max_query_cost
    )


def test_the_boards_own_documents_fit_the_maximum(schema: GraphQLSchema) -> None:
    card = """id kind caseNo title state stateLabel column columnLabel version updatedAt
      clocks { name label status dueOn dueAt daysLeft level provisional explanation }
      availableActions { action label target }"""
    board = f"{{ board {{ kind kindLabel cursor columns {{ id label collapsed overdue }} cards {{ {card} }} }} }}"
    assert cost(schema, board) <= hub_settings().max_query_cost
    paged = f"""{{ board(first: 30) {{ kind kindLabel cursor totalCount overdueCount dueSoonCount
      columns {{ id label collapsed overdue totalCount hasMore endCursor cards {{ {card} }} }} }} }}"""
    assert cost(schema, paged) <= hub_settings().max_query_cost
    more = f"""{{ boardColumn(kind: RECOMMENDATION, column: "DRAFT", first: 100) {{
      totalCount hasMore endCursor cards {{ {card} }} }} }}"""
    assert cost(schema, more) <= hub_settings().max_query_cost


# ---- refusals before execution --------------------------------------------------------------


def app_with(api: Api, **settings: Any) -> Api:
    from hub.app import create_app

    return Api(create_app(hub_settings(**settings), manage_database=False), api.world)


def guard_of(app: Starlette) -> Guard:
    for route in app.routes:
        if isinstance(route, Route) and route.path == "/graphql":
            schema = route.app.schema  # type: ignore[attr-defined]
            assert isinstance(schema, HubSchema) and schema.guard is not None
            return schema.guard
    raise AssertionError("no /graphql route")


def without_traceback(caplog: pytest.LogCaptureFixture) -> None:
    logged = [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert not logged, [r.getMessage() for r in logged]


STEP = """mutation($id: ID!, $v: Int!) {
  acknowledgeRecommendation(input: {id: $id, version: $v}) {
    __typename
    ... on RecommendationStepSuccess {
      recommendation { id title events { seq actionLabel comment } }
    }
  }
}"""


async def test_a_mutation_over_the_maximum_is_refused_and_changes_nothing(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=3))
    events = await CaseEvent.filter(case_id=rec.id).count()
    small = app_with(api, max_query_cost=20)
    variables = {"id": to_base64("Recommendation", rec.id), "v": rec.version}
    async with small.as_token("ecology_env") as agency:
        body = await agency(STEP, variables)
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"] == {"code": "COST_EXCEEDED"}
    requested = 1 + W + 2 + 50 * 4  # the step, the case, its id and title, 50 events
    assert body["extensions"]["cost"]["requested"] == requested
    assert body["extensions"]["cost"]["maximum"] == 20
    assert (await Case.get(id=rec.id)).version == rec.version
    assert await CaseEvent.filter(case_id=rec.id).count() == events
    without_traceback(caplog)

    # The same step under the maximum runs.
    async with api.as_token("ecology_env") as agency:
        body = await agency(STEP, variables)
    assert body["data"]["acknowledgeRecommendation"]["__typename"] == "RecommendationStepSuccess"
    assert (await Case.get(id=rec.id)).version == rec.version + 1


async def test_the_minute_budget_refuses_with_rate_limited_and_runs_nothing(api: Api) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=3))
    limited = app_with(api, cost_budget_per_minute=800)
    budget = guard_of(limited.app).budget
    assert isinstance(budget, MemoryBudget)
    budget._now = lambda: FIXED_NOW
    variables = {"id": to_base64("Recommendation", rec.id), "v": rec.version}
    async with limited.as_token("ecology_env") as agency:
        first = await agency(STEP, variables)  # 503
        assert first["extensions"]["cost"]["remaining"] == 800 - 503
        assert first["data"]["acknowledgeRecommendation"]["__typename"] == (
            "RecommendationStepSuccess"
        )
        second = await agency(STEP, {**variables, "v": rec.version + 1})
        assert second["data"] is None
        assert second["errors"][0]["extensions"] == {"code": "RATE_LIMITED"}
        assert second["extensions"]["cost"] == {
            "requested": 503, "remaining": 297, "reset": "2027-01-15T08:01:00Z", "limit": 800,
            "maximum": hub_settings().max_query_cost,
        }  # fmt: skip
        cheap = await agency("{ viewer { name } }")  # a refusal spent nothing: 297 still fit
        assert cheap["data"]["viewer"] and cheap["extensions"]["cost"]["remaining"] == 295
    assert (await Case.get(id=rec.id)).version == rec.version + 1  # the second never ran
    # Another token of the same unit has a budget of its own.
    async with limited.as_token("ecology_env") as other:
        assert (await other("{ viewer { name } }"))["extensions"]["cost"]["remaining"] == 798


async def test_every_response_reports_its_cost(api: Api) -> None:
    async with api.as_token("ecology_env") as agency:
        ok = await agency("{ viewer { name } }")
        invalid = await agency("{ viewer { nope } }")
        syntax = await agency("{ viewer { ")
        mutation = await agency("mutation { logout }")
    for body in (ok, invalid, syntax, mutation):
        reported = body["extensions"]["cost"]
        assert set(reported) == {"requested", "remaining", "reset", "limit", "maximum"}
    assert ok["extensions"]["cost"]["requested"] == 2
    assert invalid["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert syntax["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert invalid["extensions"]["cost"]["requested"] == 0


async def test_depth_and_alias_limits_carry_limit_exceeded(api: Api) -> None:
    aliases = "{ " + " ".join(f"a{i}: viewer {{ name }}" for i in range(40)) + " }"
    deep = "{ cases { edges { node { " + "events { case { " * 6 + "id" + " } }" * 6 + " } } } }"
    async with api.as_token("ecology_env") as agency:
        for query in (aliases, deep):
            body = await agency(query)
            assert body["data"] is None
            assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED", body


async def test_nested_lists_of_a_case_are_paged_and_capped(api: Api) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=3))
    seqs = list(
        await CaseEvent.filter(case_id=rec.id, internal=False)
        .order_by("seq")
        .values_list("seq", flat=True)
    )
    query = "query($id: ID!, $n: Int!) { node(id: $id) { ... on Case { events(last: $n) { seq } linkedCases(first: $n) { id } } } }"  # fmt: skip
    gid = to_base64("Recommendation", rec.id)
    async with api.as_token("ecology_env") as agency:
        two = await agency(query, {"id": gid, "n": 2})
        over = await agency(query, {"id": gid, "n": 201})
    assert [e["seq"] for e in two["data"]["node"]["events"]] == seqs[-2:]
    assert over["errors"][0]["extensions"]["code"] in {"LIMIT_EXCEEDED", "COST_EXCEEDED"}


# ---- the budget across instances ------------------------------------------------------------


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(RedisBudget, "__init__", _fixed_init(RedisBudget.__init__))


def _fixed_init(original: Any) -> Any:
    def init(self: RedisBudget, url: str, limit: int, **kwargs: Any) -> None:
        original(self, url, limit, **{**kwargs, "now": lambda: FIXED_NOW})

    return init


async def test_the_budget_holds_across_two_instances_sharing_redis(
    api: Api, private_redis: PrivateRedis, fixed_clock: None
) -> None:
    settings = {"broadcast_url": private_redis.url, "cost_budget_per_minute": 10}
    one, two = app_with(api, **settings), app_with(api, **settings)
    try:
        issued_headers = await _token_headers()
        spent = []
        for app in (one, two, one, two, one, two):
            async with app.client(issued_headers) as client:
                spent.append(await client("{ viewer { name roleLabel } }"))  # 3 each
        remaining = [b.get("extensions", {}).get("cost", {}).get("remaining") for b in spent]
        assert remaining[:3] == [7, 4, 1]
        for refused in spent[3:]:
            assert refused["data"] is None
            assert refused["errors"][0]["extensions"] == {"code": "RATE_LIMITED"}
    finally:
        for app in (one, two):
            await guard_of(app.app).budget.aclose()


async def _token_headers() -> dict[str, str]:
    from hub.services import auth

    issued = await auth.create_api_token("ecology_env", "两实例测试")
    return {"Authorization": f"Bearer {issued.secret}"}


async def test_without_redis_the_budget_is_counted_in_memory_and_the_api_answers(
    caplog: pytest.LogCaptureFixture,
) -> None:
    budget = RedisBudget("redis://127.0.0.1:1/0", 10, timeout_s=0.2, now=lambda: FIXED_NOW)
    try:
        assert (await budget.spend("token:1", 4)).remaining == 6
        assert (await budget.spend("token:1", 7)).allowed is False
    finally:
        await budget.aclose()
    assert "unreachable" in caplog.text


# ---- inputs the boundary refuses ------------------------------------------------------------


def gid_of(raw: str) -> str:
    return base64.b64encode(raw.encode()).decode()


ODD_IDS = [
    gid_of("Recommendation:" + "9" * 25),
    gid_of("Recommendation:9223372036854775808"),
    gid_of("Recommendation:١٢"),
    gid_of("Recommendation:²"),
    gid_of("Unit:" + "9" * 25),
    gid_of("Recommendation:-1"),
    gid_of("Recommendation:"),
    "not base64!",
    "",
]


@pytest.mark.parametrize("odd", ODD_IDS)
async def test_ids_no_row_can_have_are_refused_with_a_code(
    api: Api, caplog: pytest.LogCaptureFixture, odd: str
) -> None:
    async with api.as_token("ecology_env") as agency:
        as_variable = await agency("query($id: ID!) { node(id: $id) { id } }", {"id": odd})
        literal = await agency(f'{{ node(id: "{odd}") {{ id }} }}')
        step = await agency(STEP, {"id": odd, "v": 1})
        nested = await agency(
            "query($f: CaseFilter) { cases(filter: $f) { totalCount } }", {"f": {"unitId": odd}}
        )
    for body in (as_variable, literal, step, nested):
        assert body["data"] is None, body
        assert body["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED", body
    assert as_variable["errors"][0]["extensions"]["field"] == "$id"
    assert nested["errors"][0]["extensions"]["field"] == "$f.unitId"
    without_traceback(caplog)


def test_the_largest_row_id_is_still_an_id() -> None:
    """Row ids are PostgreSQL integers: one past 2³¹−1 names no row and is refused."""
    assert global_id_error(gid_of("Recommendation:2147483647"), "id") is None
    assert global_id_error(gid_of("Recommendation:2147483648"), "id") is not None


async def test_deep_json_variables_are_refused_with_a_code(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    deep: Any = "x"
    for _ in range(200):
        deep = [deep]
    async with api.as_token("ecology_env") as agency:
        body = await agency("query($f: CaseFilter) { cases(filter: $f) { totalCount } }", {"f": {"search": "x"}, "junk": deep})  # fmt: skip
        in_a_list = await agency(
            "query($f: CaseFilter) { cases(filter: $f) { totalCount } }", {"f": {"states": deep}}
        )
    for refused in (body, in_a_list):
        assert refused["data"] is None
        assert refused["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    without_traceback(caplog)


def test_json_too_deep_for_the_parser_is_a_client_error() -> None:
    with pytest.raises(ValueError, match="JSON"):
        decode_json("[" * 100_000 + "]" * 100_000)
    assert decode_json('{"a": [1]}') == {"a": [1]}


async def test_json_too_deep_for_the_parser_gets_an_answer_not_a_crash(api: Api) -> None:
    body = '{"query": "{ __typename }", "variables": {"x": ' + "[" * 50_000 + "]" * 50_000 + "}}"
    transport = httpx.ASGITransport(app=api.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.post(
            "/graphql", content=body, headers={"content-type": "application/json"}
        )
    # Answered as any malformed body (strawberry's plain-text 400), never a 500.
    assert response.status_code == 400
    assert "JSON" in response.text


async def test_strings_longer_than_the_boundary_allows_are_refused(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    short = app_with(api, max_input_string_length=1000)
    async with short.as_token("ecology_env") as agency:
        variable = await agency(
            "query($f: CaseFilter) { cases(filter: $f) { totalCount } }",
            {"f": {"search": "长" * 1001}},
        )
        literal = await agency('{ caseByNo(caseNo: "%s") { id } }' % ("x" * 1001))
        fits = await agency(
            "query($f: CaseFilter) { cases(filter: $f) { totalCount } }",
            {"f": {"search": "长" * 1000}},
        )
    for body in (variable, literal):
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    assert variable["errors"][0]["extensions"]["field"] == "$f.search"
    assert fits["data"]["cases"]["totalCount"] == 0
    without_traceback(caplog)


def test_settings_document_their_limits() -> None:
    fields = Settings.model_fields
    for name in ("max_query_cost", "cost_budget_per_minute", "max_input_depth"):
        assert fields[name].description
