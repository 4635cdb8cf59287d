"""A case's child rows (a kind's records: consultations, reports, answers …), batched.

Every kind's GraphQL type lists its records the same way: one query per model per request,
whatever the number of cards. The case is already visible to the viewer when its fields
resolve, so its child rows are too.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from tortoise.models import Model

from hub.resolvers.loaders import Loaders


def child_rows(loaders: Loaders, model: type[Model], case_id: int) -> Awaitable[list[Any]]:
    """The rows of ``model`` (a table with ``case_id``) of one case, in id order."""
    name = f"children:{model._meta.db_table}"
    return loaders.get(name, _loader(model)).load(case_id)


_LOADERS: dict[type[Model], Callable[[Sequence[int]], Awaitable[list[list[Any]]]]] = {}


def _loader(model: type[Model]) -> Callable[[Sequence[int]], Awaitable[list[list[Any]]]]:
    load = _LOADERS.get(model)
    if load is None:

        async def load(ids: Sequence[int]) -> list[list[Any]]:
            grouped: dict[int, list[Any]] = defaultdict(list)
            for row in await model.filter(case_id__in=set(ids)).order_by("id"):
                grouped[row.case_id].append(row)  # type: ignore[attr-defined]
            return [grouped[i] for i in ids]

        _LOADERS[model] = load
    return load
