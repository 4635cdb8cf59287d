"""T1 and T4, against one hub process on SQLite (the embedded default).

T1: the board query with 500 cards, server side including the database: p99 ≤ 120 ms.
    Baseline in the same run: loading the same 500 rows with the ORM and nothing else.
T4: a card-move mutation round trip including the publish: p99 ≤ 20 ms.
    Baseline in the same run: the smallest authenticated query round trip.

    python -m bench.board_query [--cards 500] [--runs 60]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from strawberry.relay import to_base64

from bench.harness import PASSWORD, hub_process, percentile, session_cookies, summary
from hub.db import apply_migrations, database
from hub.models import Recommendation, RecommendationType, ServiceMethod, Unit, User
from hub.services import recommendations as recs
from hub.services.auth import actor_for_user
from hub.services.demo import load_demo

BOARD = """{ board { cursor columns { column label } cards {
  id docNo title state column version
  addresseeUnit { name }
  deadline { dueOn level daysLeft explanation provisional }
  availableActions { action label target }
} } }"""
MOVE = """mutation($id: ID!, $v: Int!) { urgeReply(input: {id: $id, version: $v}) {
  __typename ... on RecommendationStepSuccess { recommendation { version column } event { seq } } } }"""
SMALLEST = "{ viewer { name } }"


async def prepare(directory: Path, cards: int) -> tuple[str, int]:
    url = f"sqlite://{directory / 'bench.sqlite3'}?busy_timeout=10000"
    await apply_migrations(url)
    async with database(url):
        await load_demo(PASSWORD)
        prosecutor = await User.get(username="prosecutor").select_related("unit")
        chief = await User.get(username="chief").select_related("unit")
        p, c = actor_for_user(prosecutor, prosecutor.unit), actor_for_user(chief, chief.unit)
        units = await Unit.filter(kind="member")
        served_on = date.today() - timedelta(days=70)
        at = datetime.now(UTC) - timedelta(days=70)
        existing = await Recommendation.all().count()
        for n in range(cards - existing):
            change = await recs.create_recommendation(p, recs.NewRecommendation(
                doc_no=f"宿检行建〔2025〕{n + 1}号", title=f"关于第 {n + 1} 项监管问题的检察建议",
                rec_type=RecommendationType.SOCIAL_GOVERNANCE, addressee_unit_id=units[n % len(units)].id,
            ), now=at)  # fmt: skip
            v = (
                await recs.submit_for_approval(p, change.recommendation.id, 1, now=at)
            ).recommendation.version
            v = (await recs.approve(c, change.recommendation.id, v, now=at)).recommendation.version
            await recs.serve(p, change.recommendation.id, v, served_on=served_on,
                             method=ServiceMethod.WRITTEN, now=at)  # fmt: skip
        overdue = await Recommendation.filter(state="served", reply_due__lt=date.today()).first()
        assert overdue is not None
        return url, overdue.id


async def timed(
    client: httpx.AsyncClient, query: str, variables: dict[str, object] | None = None
) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = await client.post("/graphql", json={"query": query, "variables": variables or {}})
    elapsed = (time.perf_counter() - started) * 1000
    body = response.json()
    assert "errors" not in body, body
    return elapsed, body["data"]


async def orm_baseline(url: str) -> list[float]:
    times = []
    async with database(url):
        for _ in range(RUNS):
            started = time.perf_counter()
            rows = await Recommendation.all().order_by("id").limit(2000)
            assert len(rows) >= CARDS
            times.append((time.perf_counter() - started) * 1000)
    return times


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url, overdue_id = await prepare(Path(tmp), CARDS)
        cookie = (await session_cookies(url, ["office"]))["office"]
        baseline = await orm_baseline(url)
        async with (
            hub_process(url) as hub,
            httpx.AsyncClient(
                base_url=hub.base_url, headers={"Cookie": cookie}, timeout=30
            ) as client,
        ):
            for _ in range(5):
                await timed(client, BOARD)
            board = []
            for _ in range(RUNS):
                elapsed, data = await timed(client, BOARD)
                assert len(data["board"]["cards"]) >= CARDS
                board.append(elapsed)
            smallest = [(await timed(client, SMALLEST))[0] for _ in range(RUNS)]
            rec_id = to_base64("Recommendation", overdue_id)
            _, node = await timed(
                client,
                "query($id: ID!) { node(id: $id) { ... on Recommendation { version } } }",
                {"id": rec_id},
            )
            version = node["node"]["version"]
            moves = []
            for _ in range(RUNS):
                elapsed, data = await timed(client, MOVE, {"id": rec_id, "v": version})
                assert data["urgeReply"]["__typename"] == "RecommendationStepSuccess", data
                version = data["urgeReply"]["recommendation"]["version"]
                moves.append(elapsed)
    print(f"T1 board query, {CARDS} cards, over HTTP to one hub process (SQLite)")
    print(f"  baseline, ORM load of the rows only (ms): {summary(baseline)}")
    print(f"  hub, board query                    (ms): {summary(board)}")
    print(f"  ratio p99 hub/baseline: {percentile(board, 99) / percentile(baseline, 99):.2f}x   "
          f"target p99 ≤ 120 ms: {'PASS' if percentile(board, 99) <= 120 else 'FAIL'}")  # fmt: skip
    print("T4 card-move mutation round trip incl. publish")
    print(f"  baseline, smallest query round trip (ms): {summary(smallest)}")
    print(f"  hub, urgeReply mutation             (ms): {summary(moves)}")
    print(f"  ratio p99 hub/baseline: {percentile(moves, 99) / percentile(smallest, 99):.2f}x   "
          f"target p99 ≤ 20 ms: {'PASS' if percentile(moves, 99) <= 20 else 'FAIL'}")  # fmt: skip


CARDS, RUNS = 500, 60

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=500)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    CARDS, RUNS = args.cards, args.runs
    asyncio.run(main())
