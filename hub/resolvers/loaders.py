"""DataLoaders, built fresh per request (and per subscription event), named by their key."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from strawberry.dataloader import DataLoader

from hub.models import CaseEvent, Objection, Recommendation, Reply, Unit, User


async def _units_by_id(ids: Sequence[int]) -> list[Unit | None]:
    found = {unit.id: unit for unit in await Unit.filter(id__in=set(ids))}
    return [found.get(i) for i in ids]


async def _user_names_by_id(ids: Sequence[int]) -> list[str | None]:
    found = dict(await User.filter(id__in=set(ids)).values_list("id", "display_name"))
    return [found.get(i) for i in ids]


async def _replies_by_recommendation_id(ids: Sequence[int]) -> list[list[Reply]]:
    grouped: dict[int, list[Reply]] = defaultdict(list)
    for reply in await Reply.filter(recommendation_id__in=set(ids)).order_by("id"):
        grouped[reply.recommendation_id].append(reply)
    return [grouped[i] for i in ids]


async def _objections_by_recommendation_id(ids: Sequence[int]) -> list[list[Objection]]:
    grouped: dict[int, list[Objection]] = defaultdict(list)
    for objection in await Objection.filter(recommendation_id__in=set(ids)).order_by("id"):
        grouped[objection.recommendation_id].append(objection)
    return [grouped[i] for i in ids]


async def _events_by_recommendation_id(ids: Sequence[int]) -> list[list[CaseEvent]]:
    grouped: dict[int, list[CaseEvent]] = defaultdict(list)
    for event in await CaseEvent.filter(recommendation_id__in=set(ids)).order_by("seq"):
        grouped[event.recommendation_id].append(event)
    return [grouped[i] for i in ids]


async def _recommendations_by_id(ids: Sequence[int]) -> list[Recommendation | None]:
    found = {rec.id: rec for rec in await Recommendation.filter(id__in=set(ids))}
    return [found.get(i) for i in ids]


@dataclass
class Loaders:
    unit_by_id: DataLoader[int, Unit | None] = field(
        default_factory=lambda: DataLoader(load_fn=_units_by_id)
    )
    user_name_by_id: DataLoader[int, str | None] = field(
        default_factory=lambda: DataLoader(load_fn=_user_names_by_id)
    )
    replies_by_recommendation_id: DataLoader[int, list[Reply]] = field(
        default_factory=lambda: DataLoader(load_fn=_replies_by_recommendation_id)
    )
    objections_by_recommendation_id: DataLoader[int, list[Objection]] = field(
        default_factory=lambda: DataLoader(load_fn=_objections_by_recommendation_id)
    )
    events_by_recommendation_id: DataLoader[int, list[CaseEvent]] = field(
        default_factory=lambda: DataLoader(load_fn=_events_by_recommendation_id)
    )
    recommendation_by_id: DataLoader[int, Recommendation | None] = field(
        default_factory=lambda: DataLoader(load_fn=_recommendations_by_id)
    )
