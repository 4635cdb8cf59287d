"""Cases are read for GraphQL in a fixed number of queries, with every value as the ORM has it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from hub import clock
from hub.domain.engine import ClockStatus, Party
from hub.domain.kinds import CaseKind, PartyRole
from hub.kinds.recommendation.models import RecommendationDetail
from hub.kinds.recommendation.spec import RecommendationType
from hub.models import Case, CaseClock, CaseParty
from hub.resolvers.cases import ClockRow, load_cases
from hub.schema import build_schema
from tests.app_clients import Api
from tests.factories import World, draft, served

TODAY = clock.today()


@contextmanager
def counting_queries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every SQL statement the database client runs meanwhile."""
    client = type(Case._meta.db)
    seen: list[str] = []
    for name in ("execute_query", "execute_query_dict"):
        original = getattr(client, name)

        def counted(self: Any, query: str, *args: Any, _original: Any = original) -> Any:
            seen.append(query)
            return _original(self, query, *args)

        monkeypatch.setattr(client, name, counted)
    yield seen
    monkeypatch.undo()


async def test_loaded_values_equal_the_orms(world: World) -> None:
    build_schema()  # registers the kinds' detail tables
    rec = await served(world, served_on=TODAY - timedelta(days=20))
    due_at = datetime(2026, 11, 30, 1, 30, tzinfo=UTC)
    await CaseClock.filter(case_id=rec.id).update(due_at=due_at, provisional=True)
    (data,) = await load_cases(Case.filter(id=rec.id))
    row = await CaseClock.get(case_id=rec.id)
    assert data.clocks == (
        ClockRow(row.name, row.rule, ClockStatus.RUNNING, row.started_on, row.due_on, due_at,
                 True, row.explanation),
    )  # fmt: skip
    assert data.clocks[0].due_at == due_at
    parties = await CaseParty.filter(case_id=rec.id).order_by("id")
    assert data.parties == tuple(Party(p.role, p.unit_id, p.user_id) for p in parties)
    assert [p.role for p in data.parties] == [
        PartyRole.ISSUER, PartyRole.HANDLING_PROSECUTOR, PartyRole.ADDRESSEE,
    ]  # fmt: skip
    assert data.row == (await Case.filter(id=rec.id).values())[0]
    assert data.detail == (await RecommendationDetail.filter(case_id=rec.id).values())[0]
    assert data.detail["rec_type"] is RecommendationType.SOCIAL_GOVERNANCE
    assert data.kind is CaseKind.RECOMMENDATION


BOARD = """{ board { cards { id caseNo title state column version updatedAt
  parties { role unit { id name } } clocks { name level dueOn explanation }
  availableActions { action target }
  ... on Recommendation { typeLabel addresseeUnit { name } deadline { dueOn level } } } } }"""


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_the_board_reads_any_number_of_cards_in_the_same_queries(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    counts = []
    async with api.as_user("office") as office:
        await office("{ viewer { name } }")  # the session's own queries, once
        for more in (2, 10):
            for _ in range(more):
                await served(api.world, served_on=TODAY - timedelta(days=70))
                await draft(api.world)
            with counting_queries(monkeypatch) as seen:
                body = await office(BOARD)
            assert "errors" not in body, body
            assert len(body["data"]["board"]["cards"]) == await Case.all().count()
            counts.append(len(seen))
    assert counts[0] == counts[1] and counts[0] >= 5, counts  # cases, parties, clocks, detail…
