"""``node(id:)`` for every type that implements ``Node``: one instance of each, from the demo
data, resolves for a viewer who may see it and is not found, as an unknown id is, for a unit
that is no party to its case."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

import pytest
from graphql import GraphQLObjectType
from strawberry.relay import to_base64
from tortoise.models import Model

from hub.domain.ids import database_id, sequence_number
from hub.domain.roles import Role
from hub.kinds.pil_case.models import PilConsultation
from hub.kinds.recommendation.models import Reply
from hub.kinds.registry import BY_TYPE_NAME
from hub.models import Case, CaseParty, Unit, User
from hub.schema import build_schema
from hub.services import auth
from hub.services.demo import load_demo
from tests.app_clients import Api
from tests.factories import PASSWORD  # the demo and the test world alike

# Node types that are not cases: the model of their rows (each row belongs to a case).
CHILD_NODES: dict[str, type[Model]] = {"Reply": Reply, "PilConsultation": PilConsultation}
PUBLIC_NODES = {"Unit"}  # every logged-in viewer may read them


def node_types() -> list[str]:
    graphql = build_schema()._schema
    node = graphql.get_type("Node")
    assert node is not None
    implementations = graphql.get_possible_types(node)  # type: ignore[arg-type]
    return sorted(t.name for t in implementations if isinstance(t, GraphQLObjectType))


async def one_of(type_name: str) -> tuple[int, int | None] | None:
    """(primary key, its case's id) of one row of ``type_name``; the case is None for units."""
    if type_name in PUBLIC_NODES:
        unit = await Unit.all().order_by("id").first()
        assert unit is not None
        return unit.id, None
    spec = BY_TYPE_NAME.get(type_name)
    if spec is not None:
        case = await Case.filter(kind=spec.kind).order_by("id").first()
        return (case.id, case.id) if case is not None else None
    model = CHILD_NODES[type_name]
    row: Any = await model.all().order_by("id").first()
    return (int(row.id), int(row.case_id)) if row is not None else None


async def foreign_liaison(case_id: int) -> str | None:
    """A liaison officer of a unit that is no party to the case (None: every unit is, as
    in a notice to all member units)."""
    parties = set(await CaseParty.filter(case_id=case_id).values_list("unit_id", flat=True))
    user = await User.filter(role=Role.UNIT_LIAISON).exclude(unit_id__in=parties).first()
    return str(user.username) if user is not None else None


QUERY = "query($id: ID!) { node(id: $id) { __typename id } }"


async def ask(api: Api, username: str, global_id: str) -> dict[str, Any]:
    login = await auth.login(username, PASSWORD, ttl=timedelta(hours=1))
    async with api.client() as client:
        client.http.cookies.set(auth.SESSION_COOKIE, login.session_secret)
        body = await client(QUERY, {"id": global_id})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]
    return result


def test_every_node_type_is_covered() -> None:
    known = PUBLIC_NODES | set(CHILD_NODES) | set(BY_TYPE_NAME)
    assert set(node_types()) <= known, "a new Node type: add it to CHILD_NODES"


async def test_node_resolves_every_node_type(api: Api) -> None:
    await load_demo(PASSWORD)
    types = node_types()
    assert {"Unit", "Recommendation", "Reply", "PilConsultation"} <= set(types)
    problems = [p for type_name in types if (p := await check(api, type_name))]
    assert problems == [], "\n".join(problems)


async def check(api: Api, type_name: str) -> str | None:
    """What is wrong with ``node(id:)`` for one ``type_name``, or None."""
    found = await one_of(type_name)
    if found is None:
        return f"the demo has no {type_name}"
    pk, case_id = found
    global_id = to_base64(type_name, pk)
    expected = {"__typename": type_name, "id": global_id}
    if (await ask(api, "office", global_id))["node"] != expected:
        return f"{type_name}: the Linkage Office cannot read it"
    if (await ask(api, "office", to_base64(type_name, 987_654)))["node"] is not None:
        return f"{type_name}: an unknown id was found"
    if case_id is None:
        return None
    party = await CaseParty.filter(case_id=case_id).exclude(user_id=None).first()
    if party is not None and party.user_id is not None:
        user = await User.get(id=party.user_id)
        if (await ask(api, user.username, global_id))["node"] != expected:
            return f"{type_name}: {user.username}, a party to its case, cannot read it"
    foreign = await foreign_liaison(case_id)
    if foreign is not None and (await ask(api, foreign, global_id))["node"] is not None:
        return f"{type_name} reached {foreign}, of a unit that is no party to its case"
    return None


# Node ids no row can have: past PostgreSQL's integer, digits ``int`` refuses or reads as
# another number, signs, spaces, and more digits than Python converts.
ODD_NODE_IDS = ["0", "-1", "+1", " 1", "1.0", "", "2147483648", "9007199254740992", "²", "١",
                "1" * 5000]  # fmt: skip


def test_database_id_takes_only_ids_a_row_could_have() -> None:
    assert database_id("1") == 1
    assert database_id("2147483647") == 2**31 - 1
    assert [database_id(odd) for odd in ODD_NODE_IDS] == [None] * len(ODD_NODE_IDS)
    assert sequence_number("0") == 0
    assert sequence_number("9007199254740992") == 2**53
    assert sequence_number("9223372036854775808") is None


async def test_an_id_no_row_could_have_is_refused_at_the_boundary(
    api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    await load_demo(PASSWORD)
    case = await Case.all().order_by("id").first()
    assert case is not None
    before = (case.version, case.state)
    login = await auth.login("office", PASSWORD, ttl=timedelta(hours=1))
    step = """mutation($id: ID!) {
        takeStep(input: {id: $id, version: 1, action: "SUBMIT"}) { __typename } }"""
    refused = [
        {
            "message": "$id 不是有效的 ID",
            "extensions": {"code": "VALIDATION_FAILED", "field": "$id"},
        }
    ]
    async with api.client() as client:
        client.http.cookies.set(auth.SESSION_COOKIE, login.session_secret)
        for type_name in node_types():
            for odd in ODD_NODE_IDS:
                global_id = to_base64(type_name, odd)
                body = await client(QUERY, {"id": global_id})
                assert body.get("errors") == refused, (odd, body)
                if type_name in BY_TYPE_NAME:
                    body = await client(step, {"id": global_id})
                    assert body.get("errors") == refused, (odd, body)
                # Written into the query, the id is refused alike.
                inline = to_base64(type_name, 2**53)
                literal = [{**refused[0], "message": "id 不是有效的 ID"}]
                literal[0]["extensions"] = {"code": "VALIDATION_FAILED", "field": "id"}
                body = await client(f'{{ node(id: "{inline}") {{ id }} }}')
                assert body.get("errors") == literal, body
    await case.refresh_from_db()
    assert (case.version, case.state) == before
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
