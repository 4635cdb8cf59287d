"""The two traps that halved the agency query's throughput (T2, issue 12), each shown gone:
the validation cache hits for a document seen before, and a Tortoise model instance is not
taken for an awaitable."""

from __future__ import annotations

from typing import Any

from graphql.pyutils import is_awaitable as graphql_core_is_awaitable
from strawberry.extensions.validation_cache import _get_validate_cache

from hub.models import Unit
from hub.resolvers.execution import is_awaitable
from tests.app_clients import Api

QUERY = "query Units { units { name } kinds { kind label } }"


async def test_a_document_seen_before_is_not_validated_again(api: Api) -> None:
    cache: Any = _get_validate_cache(256)  # the lru_cache hub.schema's ValidationCache uses
    async with api.as_user("liaison_a") as liaison:
        first = await liaison(QUERY)
        before = cache.cache_info()
        for _ in range(5):
            again = await liaison(QUERY)
            assert again["data"] == first["data"]
        after = cache.cache_info()
        too_deep = await liaison(
            "{ cases { edges { node { " + "events { case { " * 6 + "id" + " } }" * 6 + " } } } }"
        )
    assert after.hits - before.hits == 5
    assert after.misses == before.misses
    # The limits still apply: their rules are in the cached validation.
    assert too_deep["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"


async def test_a_model_instance_is_not_an_awaitable(api: Api) -> None:
    unit = await Unit.get(id=api.world.unit_a.id)
    assert graphql_core_is_awaitable(unit)  # the trap: Tortoise models define __await__
    assert not is_awaitable(unit)  # the hub's executor does not fall into it

    async def coroutine() -> int:
        return 1

    pending = coroutine()
    assert is_awaitable(pending)
    assert await pending == 1
