"""Fuzzing the real schema: every query and mutation field with arguments drawn from hostile
values (lone surrogates, controls, bidirectional overrides, huge and negative numbers, dates
from year 1 to 9999, IDs of every type with any id), as a prosecutor and as an agency token.

No response may carry ``INTERNAL`` (an unhandled exception) and the server may log no
traceback: every input is refused with a code or accepted. Bounded to a few hundred
examples per database so it runs in well under a minute.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    get_named_type,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strawberry.relay import to_base64

from hub.schema import build_schema
from hub.services import auth
from tests.app_clients import Api, GraphQLClient
from tests.factories import PASSWORD, draft, served

EXAMPLES = 300
# logout would end the session the rest of the run uses; login is throttled (a delay per
# failure) and has its own test below.
SKIP = {"logout", "login"}
SCHEMA = build_schema()._schema
NODE_TYPES = sorted(t.name for t in SCHEMA.get_possible_types(SCHEMA.get_type("Node")))  # type: ignore[arg-type]

HOSTILE = st.sampled_from([
    "", " ", "\ud800", "a\udfffb", "\x00", "\r\n", "宿检行建〔2026〕1号\nBcc: x@y", "\u202e反向",
    "\u2066x\u2069", "\u200f", "\ufeff", "e\u0301", "Ａ１２３", "١٢٣", "𝟙𝟚𝟛", "=?utf-8?q?x?=",
    "x" * 65, "长" * 201, "x" * 20_001, "-1", "0", "9" * 25, "1e309", "NaN", "null", "{}",
    "2026-02-30", "0001-01-01", "9999-12-31", "2026-12-01T22:30:00+08:00", "24:00",
])  # fmt: skip
TEXT = HOSTILE | st.text(max_size=40) | st.text(st.characters(codec=None), max_size=20)
INT = st.sampled_from([0, 1, 2, -1, 2**31 - 1, -(2**31), 2**53, 10**25]) | st.integers(-5, 50)
DATE = st.dates().map(str) | HOSTILE
DATETIME = st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()) | HOSTILE


def global_ids(real: list[str]) -> st.SearchStrategy[Any]:
    made = st.builds(
        to_base64,
        st.sampled_from([*NODE_TYPES, "Nope", ""]),
        st.sampled_from(["1", "0", "-1", "١", "１", "9" * 25, "1.5", " 1", "x"]) | INT.map(str),
    )
    return st.sampled_from(real) | made | TEXT


def value_for(kind: GraphQLInputType, ids: st.SearchStrategy[Any], depth: int = 0) -> Any:
    """A strategy of JSON values for an input type (required fields always, others maybe)."""
    if isinstance(kind, GraphQLNonNull):
        return value_for(kind.of_type, ids, depth)
    nullable = st.none()
    if isinstance(kind, GraphQLList):
        return nullable | st.lists(value_for(kind.of_type, ids, depth + 1), max_size=3)
    if isinstance(kind, GraphQLEnumType):
        return st.sampled_from(list(kind.values)) | TEXT
    if isinstance(kind, GraphQLInputObjectType):
        if depth > 3:
            return st.just({})
        required = {n: value_for(f.type, ids, depth + 1) for n, f in kind.fields.items()
                    if isinstance(f.type, GraphQLNonNull)}  # fmt: skip
        optional = {n: value_for(f.type, ids, depth + 1) for n, f in kind.fields.items()
                    if not isinstance(f.type, GraphQLNonNull)}  # fmt: skip
        return st.fixed_dictionaries(required, optional=optional)
    assert isinstance(kind, GraphQLScalarType)
    scalars: dict[str, st.SearchStrategy[Any]] = {
        "String": TEXT, "Int": INT, "Float": st.floats(allow_nan=False) | INT,
        "Boolean": st.booleans(), "ID": ids, "GlobalID": ids, "Date": DATE,
        "DateTime": DATETIME, "Decimal": INT.map(str) | TEXT,
        "JSON": st.recursive(st.none() | INT | TEXT, lambda inner: st.lists(inner, max_size=3)
                             | st.dictionaries(TEXT, inner, max_size=3), max_leaves=6),
    }  # fmt: skip
    return scalars.get(kind.name, TEXT)


def selection(field: GraphQLField) -> str:
    named = get_named_type(field.type)
    return "" if isinstance(named, GraphQLScalarType | GraphQLEnumType) else " { __typename }"


def operation(root: str, name: str, field: GraphQLField, ids: st.SearchStrategy[Any]) -> Any:
    """A strategy of (document, variables) calling ``name`` with every argument a variable."""
    arguments = list(field.args.items())
    declared = ", ".join(f"${a}: {arg.type}" for a, arg in arguments)
    passed = ", ".join(f"{a}: ${a}" for a, _ in arguments)
    document = (f"{root}{f'({declared})' if declared else ''} "
                f"{{ {name}{f'({passed})' if passed else ''}{selection(field)} }}")  # fmt: skip
    required = {a: value_for(arg.type, ids) for a, arg in arguments
                if isinstance(arg.type, GraphQLNonNull)}  # fmt: skip
    optional = {a: value_for(arg.type, ids) for a, arg in arguments
                if not isinstance(arg.type, GraphQLNonNull)}  # fmt: skip
    return st.tuples(st.just(document), st.fixed_dictionaries(required, optional=optional))


def operations(ids: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    roots = [("query", SCHEMA.query_type), ("mutation", SCHEMA.mutation_type)]
    choices = [
        operation(root, name, field, ids)
        for root, kind in roots
        if isinstance(kind, GraphQLObjectType)
        for name, field in sorted(kind.fields.items())
        if name not in SKIP
    ]
    return st.one_of(choices)


class Logged(logging.Handler):
    """Every record at ERROR or above with a traceback, from any logger."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.tracebacks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info or record.stack_info or "Traceback" in record.getMessage():
            self.tracebacks.append(f"{record.name}: {record.getMessage()[:500]}")


async def test_no_input_ends_in_an_internal_error(api: Api) -> None:
    world = api.world
    rec = await served(world, served_on=world_day())
    other = await draft(world)
    real = [to_base64("Recommendation", rec.id), to_base64("Recommendation", other.id),
            to_base64("Unit", world.unit_a.id), to_base64("Unit", world.unit_b.id)]  # fmt: skip
    login = await auth.login("prosecutor", PASSWORD, ttl=timedelta(hours=1))
    token = await auth.create_api_token("ecology_env", "fuzz")
    loop = asyncio.get_running_loop()
    failures: list[str] = []
    handler = Logged()
    logging.getLogger().addHandler(handler)
    try:
        async with (
            api.client() as user,
            api.client({"Authorization": f"Bearer {token.secret}"}) as agency,
        ):
            user.http.cookies.set(auth.SESSION_COOKIE, login.session_secret)
            send = _sender(loop, {"user": user, "agency": agency}, failures, handler)

            @settings(max_examples=EXAMPLES, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            @given(st.sampled_from(["user", "agency"]), operations(global_ids(real)))
            def fuzz(who: str, op: tuple[str, dict[str, Any]]) -> None:
                send(who, *op)

            await asyncio.to_thread(fuzz)
    finally:
        logging.getLogger().removeHandler(handler)
    assert failures == [], "\n".join(failures[:20])


def world_day() -> Any:
    from hub import clock

    return clock.today() - timedelta(days=10)


def _sender(
    loop: asyncio.AbstractEventLoop,
    clients: dict[str, GraphQLClient],
    failures: list[str],
    handler: Logged,
) -> Callable[[str, str, dict[str, Any]], None]:
    """Post one operation on the test's loop (from hypothesis's thread) and record what is
    wrong with the answer. Variables go as ASCII JSON, so lone surrogates arrive as such."""

    def send(who: str, document: str, variables: dict[str, Any]) -> None:
        body = json.dumps({"query": document, "variables": variables})
        future = asyncio.run_coroutine_threadsafe(
            clients[who].http.post(
                "/graphql", content=body, headers={"content-type": "application/json"}
            ),
            loop,
        )
        response = future.result(timeout=60)
        what = f"{who} {document} {body[:300]}"
        if response.status_code >= 500:
            failures.append(f"HTTP {response.status_code}: {what}")
            return
        try:
            answer = response.json()
        except ValueError:
            failures.append(f"not JSON ({response.status_code}): {what}")
            return
        for error in answer.get("errors") or []:
            if (error.get("extensions") or {}).get("code") == "INTERNAL":
                failures.append(f"INTERNAL {error.get('path')}: {what}")
        if handler.tracebacks:
            failures.extend(f"logged {t}: {what}" for t in handler.tracebacks)
            handler.tracebacks.clear()

    return send


@pytest.mark.parametrize("text", ["\ud800", "a\x00b", "宿检\r\n1号", "\u202e1号"])
async def test_hostile_document_numbers_are_refused_with_a_code(api: Api, text: str) -> None:
    document = """mutation($no: String!, $unit: ID!) {
      createRecommendation(input: {docNo: $no, title: "t", type: SOCIAL_GOVERNANCE, addresseeUnit: $unit}) {
        __typename ... on ValidationError { code field } } }"""
    variables = {"no": text, "unit": to_base64("Unit", api.world.unit_a.id)}
    async with api.as_user("prosecutor") as client:
        response = await client.http.post(
            "/graphql", content=json.dumps({"query": document, "variables": variables}),
            headers={"content-type": "application/json"},
        )  # fmt: skip
    body = response.json()
    if "\ud800" in text or "\x00" in text:  # not storable text: refused at the boundary
        assert body["data"] is None
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "VALIDATION_FAILED", "field": "$no"}
        return
    assert body["data"]["createRecommendation"] == {
        "__typename": "ValidationError", "code": "VALIDATION_FAILED", "field": "docNo",
    }  # fmt: skip


@pytest.mark.parametrize(
    "username", ["x" * 65, "x" * 10_000, "\ud800", "a\x00b", "\u202eadmin", ""]
)
async def test_hostile_usernames_fail_login_with_a_code(api: Api, username: str) -> None:
    document = """mutation($u: String!) { login(input: {username: $u, password: "x"}) {
      __typename ... on Error { code } } }"""
    async with api.client() as client:
        response = await client.http.post(
            "/graphql", content=json.dumps({"query": document, "variables": {"u": username}}),
            headers={"content-type": "application/json"},
        )  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    if "\ud800" in username or "\x00" in username:  # not text: refused at the boundary
        assert [e["extensions"]["code"] for e in body["errors"]] == ["VALIDATION_FAILED"]
        return
    assert "errors" not in body, body
    assert body["data"]["login"]["code"] in {"UNAUTHENTICATED", "VALIDATION_FAILED", "RATE_LIMITED"}
