"""Running one service step for GraphQL: expected failures become values, not exceptions."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from strawberry.relay import GlobalID

from hub.domain.errors import HubError, NotFound
from hub.services.recommendations import Change

RECOMMENDATION_TYPE = "Recommendation"


def recommendation_pk(global_id: GlobalID) -> int:
    """The database id behind a global ID; anything else is as unknown as a missing row."""
    if global_id.type_name != RECOMMENDATION_TYPE:
        raise NotFound("检察建议不存在", field="id")
    try:
        return int(global_id.node_id)
    except ValueError:
        raise NotFound("检察建议不存在", field="id") from None


async def attempt(step: Callable[[], Awaitable[Change]]) -> Change | HubError:
    try:
        return await step()
    except HubError as error:
        return error
