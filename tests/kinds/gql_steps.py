"""Helpers for driving a kind through its generated mutations in tests: a world with a police
unit, a justice bureau and a unit leader, and one call per form step."""

from __future__ import annotations

from typing import Any

from strawberry.relay import to_base64

from hub.domain.roles import Role, Side, UnitKind
from hub.models import Case, CaseClock, CaseEvent, CaseParty, Unit, User
from tests.app_clients import GraphQLClient
from tests.factories import World

RESULT = "__typename ... on CaseStepSuccess { case { %s } } ... on Error { code message field }"
CLOCKS = "clocks { name dueOn dueAt status explanation }"


def gid(type_name: str, pk: int) -> str:
    return to_base64(type_name, pk)


async def add_unit(code: str, name: str, username: str, *, role: Role = Role.UNIT_LIAISON,
                   world: World) -> Unit:  # fmt: skip
    """A government unit with one user (logging in with the factories' password)."""
    unit = await Unit.create(code=code, name=name, kind=UnitKind.MEMBER, side=Side.GOVERNMENT)
    await add_user(username, role, unit, world)
    return unit


async def add_user(username: str, role: Role, unit: Unit, world: World) -> User:
    template = world.users["liaison_a"]
    return await User.create(
        username=username, display_name=f"{username}-姓名", password_hash=template.password_hash,
        role=role, unit_id=unit.id, email=f"{username}@example.test",
    )  # fmt: skip


async def run(
    client: GraphQLClient, mutation: str, input: dict[str, Any], fields: str
) -> dict[str, Any]:
    """The mutation's result member (the case for a success)."""
    input_type = f"{mutation[0].upper()}{mutation[1:]}Input"
    result_fields = RESULT.replace("%s", fields)
    query = (
        f"mutation($input: {input_type}!) {{ r: {mutation}(input: $input) {{ {result_fields} }} }}"
    )
    body = await client(query, {"input": input})
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]["r"]
    if result["__typename"] == "CaseStepSuccess":
        return dict(result["case"])
    return result


async def snapshot(case_id: int) -> tuple[Any, ...]:
    """Everything a refused step must leave as it was."""
    case = await Case.get(id=case_id)
    return (
        case.state, case.version, case.flags,
        await CaseEvent.filter(case_id=case_id).count(),
        sorted(await CaseParty.filter(case_id=case_id).values_list("role", "unit_id", "user_id")),
        sorted(await CaseClock.filter(case_id=case_id).values_list(
            "name", "status", "due_on", "version")),
    )  # fmt: skip


def clock(case: dict[str, Any], name: str) -> dict[str, Any]:
    return next(c for c in case["clocks"] if c["name"] == name)


LISTS = """query($no: String!, $kind: CaseKind!) {
  cases(first: 50) { edges { node { caseNo } } }
  caseByNo(caseNo: $no) { caseNo }
  board(kind: $kind) { cards { caseNo } }
}"""
NODE = "query($id: ID!) { node(id: $id) { id ... on Case { caseNo events { action } } } }"
