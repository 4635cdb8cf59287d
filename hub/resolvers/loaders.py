"""DataLoaders, built fresh per request (and per subscription event), named by their key.

Loaders that read cases read them as the request's audience may see them, so a nested
field (an event's case, a source case, linked cases) never shows what the viewer may not.
A kind's schema module adds its own loaders with ``Loaders.get(name, load_fn)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader
from strawberry.relay import to_base64

from hub.domain.visibility import Audience
from hub.models import Case, CaseEvent, Unit, User
from hub.resolvers.cases import CaseData, load_cases
from hub.services.visibility import visible_cases

K = TypeVar("K")
V = TypeVar("V")


class UnitRow:
    """A unit as GraphQL shows it, with its global ID made once (a card shows several units,
    and a relay ID resolver per unit was a tenth of the board query)."""

    __slots__ = ("_id", "code", "id", "kind", "name", "side")

    def __init__(self, unit: Unit) -> None:
        self.id, self.code, self.name, self.kind, self.side = (
            unit.id, unit.code, unit.name, unit.kind, unit.side,
        )  # fmt: skip
        self._id = to_base64("Unit", unit.id)


async def all_units() -> list[UnitRow]:
    return [UnitRow(unit) for unit in await Unit.all()]


async def _units_by_id(ids: Sequence[int]) -> list[UnitRow | None]:
    found = {unit.id: UnitRow(unit) for unit in await Unit.filter(id__in=set(ids))}
    return [found.get(i) for i in ids]


async def _user_names_by_id(ids: Sequence[int]) -> list[str | None]:
    found = dict(await User.filter(id__in=set(ids)).values_list("id", "display_name"))
    return [found.get(i) for i in ids]


async def _events_by_case_id(ids: Sequence[int]) -> list[list[CaseEvent]]:
    grouped: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in await CaseEvent.filter(case_id__in=set(ids)).order_by("seq"):
        grouped[event.case_id].append(event)
    return [grouped[i] for i in ids]


class Loaders:
    """The request's loaders; ``audience`` is who is asking (None: nobody signed in)."""

    def __init__(self, audience: Audience | None) -> None:
        self.audience = audience
        self.unit_by_id: DataLoader[int, UnitRow | None] = DataLoader(load_fn=_units_by_id)
        self.user_name_by_id: DataLoader[int, str | None] = DataLoader(load_fn=_user_names_by_id)
        self.events_by_case_id: DataLoader[int, list[CaseEvent]] = DataLoader(
            load_fn=_events_by_case_id
        )
        self.case_by_id: DataLoader[int, CaseData | None] = DataLoader(load_fn=self._cases_by_id)
        self.cases_by_source_id: DataLoader[int, list[CaseData]] = DataLoader(
            load_fn=self._cases_by_source_id
        )
        self._more: dict[str, DataLoader[Any, Any]] = {}

    def get(
        self, name: str, load_fn: Callable[[Sequence[K]], Awaitable[Sequence[V]]]
    ) -> DataLoader[K, V]:
        """The request's loader called ``name``, made from ``load_fn`` on first use."""
        loader = self._more.get(name)
        if loader is None:
            loader = self._more[name] = DataLoader(load_fn=load_fn)
        return loader

    def _visible(self) -> Any:
        if self.audience is None:
            return Case.filter(id__in=[])
        return visible_cases(self.audience)

    async def _cases_by_id(self, ids: Sequence[int]) -> list[CaseData | None]:
        cases = await load_cases(self._visible().filter(id__in=set(ids)))
        found = {case.id: case for case in cases}
        return [found.get(i) for i in ids]

    async def _cases_by_source_id(self, ids: Sequence[int]) -> list[list[CaseData]]:
        grouped: dict[int, list[CaseData]] = defaultdict(list)
        cases = await load_cases(self._visible().filter(source_id__in=set(ids)).order_by("id"))
        for case in cases:
            grouped[case.row["source_id"]].append(case)
        return [grouped[i] for i in ids]
