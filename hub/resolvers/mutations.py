"""Running one service step for GraphQL: expected failures become values, not exceptions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from strawberry.relay import GlobalID

from hub.domain.errors import HubError, NotFound
from hub.domain.ids import database_id
from hub.domain.kinds import KindSpec
from hub.kinds.registry import BY_TYPE_NAME
from hub.models import Case
from hub.resolvers.cases import CaseData, all_details, cases_of
from hub.resolvers.rows import all_fields
from hub.services.cases import Change

CASE_NOT_FOUND = "案件不存在"


def case_of(global_id: GlobalID) -> tuple[KindSpec, int]:
    """The kind and database id behind a case's global ID. Any other type, or an id that is
    not a number, is as unknown as a missing row."""
    spec = BY_TYPE_NAME.get(global_id.type_name)
    pk = database_id(global_id.node_id)
    if spec is None or pk is None:
        raise NotFound(CASE_NOT_FOUND, field="id")
    return spec, pk


def pk_of(global_id: GlobalID, spec: KindSpec) -> int:
    """The database id behind a global ID of ``spec``'s type, else not found alike."""
    pk = database_id(global_id.node_id)
    if global_id.type_name != spec.graphql_type or pk is None:
        raise NotFound(f"{spec.label}不存在", field="id")
    return pk


def unit_pk(global_id: GlobalID | None) -> int | None:
    """The unit behind a global ID; another type is a unit that does not exist (-1)."""
    if global_id is None:
        return None
    pk = database_id(global_id.node_id)
    return pk if global_id.type_name == "Unit" and pk is not None else -1


async def attempt(step: Callable[[], Awaitable[Change]]) -> Change | HubError:
    try:
        return await step()
    except HubError as error:
        return error


async def case_after(change: Change) -> CaseData:
    """The case as the step left it: its row as the step wrote it, and its parties, clocks
    and detail read after commit."""
    case = change.case
    row = {name: getattr(case, name) for name in all_fields(Case)}
    (data,) = await cases_of([row], details=all_details())
    return data
