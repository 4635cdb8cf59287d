"""T10: the worst query an agency token can send under the limits holds the loop ≤ 250 ms.

A SQLite database with the demo data plus ``--cases`` served recommendations (half of them
addressed to 市生态环境局, whose liaison system's API token sends every query) and their events.
Each candidate is the heaviest of its shape that the limits let through: deep nesting of
events → case → events, 30 aliases, ``first``/``last`` at the largest value the per-request cost
maximum allows (found with the hub's own cost calculator), fragments, the board, the GraphiQL
introspection query. Each runs ``--runs`` times in process (httpx over ASGI); a ticker task
measures the longest time the event loop was held in one stretch while it ran (what every
other request on the instance waits), and the request's wall time. The app runs with its
lifespan, as under ``hub serve``. Baseline in the same run:
a trivial query (``{ viewer { name } }``).

    python -m bench.worst_query [--cases 2000] [--runs 15]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from graphql import get_introspection_query, parse
from starlette.routing import Route
from tortoise import Tortoise

from bench.harness import PASSWORD, percentile
from hub.app import create_app
from hub.db import database
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import ServiceMethod
from hub.kinds.recommendation.spec import RecommendationType
from hub.models import Case, CaseEvent, EventCounter, Unit, User
from hub.schema.cost import query_cost
from hub.services import auth
from hub.services.auth import actor_for_user
from hub.services.demo import load_demo
from hub.settings import Settings

TARGET_MS = 250.0
AGENCY = "ecology_env"

CARD = """id kind caseNo title state stateLabel column columnLabel version createdAt updatedAt
  internalNote clocks { name label rule ruleLabel legalBasis status startedOn dueOn dueAt
  provisional explanation daysLeft level }
  availableActions { action label target }
  parties { role roleLabel unit { id name code } userName }"""
# The board's card as frontend/js/api.js asks for it (the kinds' card lines included).
BOARD_CARD = """id kind caseNo title state stateLabel column columnLabel version updatedAt
  clocks { name label status dueOn dueAt daysLeft level provisional explanation }
  availableActions { action label target }
  ... on Recommendation { addresseeUnit { name } }
  ... on PilCase { agencyUnit { name } domain { name } }
  ... on Dispute { agencyUnit { name } stageLabel }"""
EVENT = "seq cursor action actionLabel fromState fromStateLabel toState toStateLabel version actorName comment payload createdAt"  # fmt: skip
FORM = "mutation inputType fields { name label type required help maxLength options { value label } rules { id label basis custom } fields { name label type } } fixed { name value }"  # fmt: skip

# Each shape with {n} where its page sizes go; ``n`` is raised as far as the limits allow.
SHAPES: dict[str, str] = {
    "cases × full card": "{ cases(first: {n}) { totalCount edges { node { " + CARD + " } } } }",
    "cases × events (nested list)": "{ cases(first: 200) { edges { node { id title events(last: {n}) { "
    + EVENT
    + " } } } } }",
    "events → case → events (deep)": "{ cases(first: {n}) { edges { node { events(last: {n}) { seq case { "
    + "id title events(last: {n}) { seq comment case { id title caseNo state events(last: {n}) { seq actorName } } } } } } } } }",
    "30 aliases × fragment": "fragment C on Case { "
    + CARD
    + " events(last: 10) { "
    + EVENT
    + " } }\n{ "
    + " ".join(f"a{i}: cases(first: {{n}}) {{ edges {{ node {{ ...C }} }} }}" for i in range(30))
    + " }",
    "available actions with forms": "{ cases(first: {n}) { edges { node { id availableActions { action label target form { "
    + FORM
    + " } } editForm { "
    + FORM
    + " } } } } }",
    "legacy recommendations × replies": "{ recommendations(first: {n}) { edges { node { id docNo title "
    + "replies { id content measures } objections { grounds reasons } escalations { note } "
    + "events(last: 20) { "
    + EVENT
    + " } addresseeUnit { name } deadline { dueOn explanation level daysLeft } } } } }",
    "board, the frontend's cards + events": "{ board { kind cursor columns { id label } cards { "
    + BOARD_CARD
    + " events(last: {n}) { seq actionLabel } } } }",
    # The paged board (issue 10): the columns' first pages at the largest page, each card
    # with its events; the board 30 times over; a column's page 30 times over.
    "board pages (first: 100) + events": "{ board(first: 100) { kind cursor totalCount "
    + "overdueCount dueSoonCount columns { id label totalCount hasMore endCursor cards { "
    + BOARD_CARD
    + " events(last: {n}) { seq actionLabel } } } } }",
    "30 aliases × board": "fragment B on Case { "
    + BOARD_CARD
    + " }\n{ "
    + " ".join(
        f"a{i}: board(first: {{n}}) {{ totalCount columns {{ id totalCount cards {{ ...B }} }} }}"
        for i in range(30)
    )
    + " }",
    "30 aliases × boardColumn": "fragment B on Case { "
    + BOARD_CARD
    + " }\n{ "
    + " ".join(
        f'a{i}: boardColumn(kind: RECOMMENDATION, column: "SERVED", first: {{n}}) '
        + "{ totalCount hasMore endCursor cards { ...B } }"
        for i in range(30)
    )
    + " }",
    "linked and source cases": "{ cases(first: {n}) { edges { node { id sourceCase { "
    + CARD
    + " linkedCases(first: 20) { id title } } linkedCases(first: 20) { "
    + CARD
    + " } } } } }",
}
# The shapes whose n is a board's first (at most settings.board_page_max).
BOARD_FIRST = frozenset({"30 aliases × board", "30 aliases × boardColumn"})
BASELINE = "{ viewer { name } }"


async def prepare(directory: Path, cases: int) -> str:
    url = f"sqlite://{directory / 'bench.sqlite3'}?busy_timeout=10000"
    async with database(url):
        # The models' tables as the code has them now (the tests do the same on SQLite), so
        # that the benchmark runs while a migration for a new column is still to be written.
        await Tortoise.generate_schemas()
        await EventCounter.create(id=1, value=0)
        await load_demo(PASSWORD)
        prosecutor = await User.get(username="prosecutor").select_related("unit")
        chief = await User.get(username="chief").select_related("unit")
        p, c = actor_for_user(prosecutor, prosecutor.unit), actor_for_user(chief, chief.unit)
        mine = await Unit.get(code=AGENCY)
        others = await Unit.filter(kind="member").exclude(code=AGENCY)
        served_on = date.today() - timedelta(days=20)
        at = datetime.now(UTC) - timedelta(days=20)
        for n in range(cases):
            unit = mine if n % 2 == 0 else others[n % len(others)]
            change = await recs.create_recommendation(p, recs.NewRecommendation(
                doc_no=f"宿检行建〔2025〕{n + 1}号", title=f"关于第 {n + 1} 项监管问题的检察建议",
                rec_type=RecommendationType.SOCIAL_GOVERNANCE, addressee_unit_id=unit.id,
            ), now=at)  # fmt: skip
            case_id = change.case.id
            v = (await recs.submit_for_approval(p, case_id, 1, now=at)).case.version
            v = (await recs.approve(c, case_id, v, now=at)).case.version
            await recs.serve(p, case_id, v, served_on=served_on, method=ServiceMethod.WRITTEN,
                             now=at)  # fmt: skip
        print(
            f"database: {await Case.all().count()} cases, {await CaseEvent.all().count()} events; "
            f"{AGENCY} sees {await Case.filter(parties__unit_id=mine.id).distinct().count()}"
        )
    return url


def largest(shape: str, fits: Callable[[str], bool], hi: int = 200) -> tuple[str, int] | None:
    """The shape at the largest n in 1..hi whose document the limits let through."""
    lo, best = 1, None
    while lo <= hi:
        mid = (lo + hi) // 2
        if fits(shape.replace("{n}", str(mid))):
            best, lo = mid, mid + 1
        else:
            hi = mid - 1
    return (shape.replace("{n}", str(best)), best) if best is not None else None


class Ticker:
    """Measures how long the loop goes without running this task (the loop held)."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

    @contextlib.asynccontextmanager
    async def watching(self) -> AsyncIterator[None]:
        self.longest = 0.0
        self._task = asyncio.create_task(self._run())
        await asyncio.sleep(0)
        try:
            yield
        finally:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


async def measure(
    client: httpx.AsyncClient, query: str, runs: int
) -> tuple[list[float], list[float], dict[str, Any]]:
    ticker, held, wall = Ticker(), [], []
    body: dict[str, Any] = {}
    for _ in range(runs):
        async with ticker.watching():
            start = time.perf_counter()
            response = await client.post("/graphql", json={"query": query})
            wall.append((time.perf_counter() - start) * 1000)
        held.append(ticker.longest * 1000)
        body = response.json()
    return held, wall, body


def figures(values: list[float]) -> str:
    return f"p50 {percentile(values, 50):7.1f}  p99 {percentile(values, 99):7.1f}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = await prepare(Path(tmp), args.cases)
        # The budget per minute is a rate, not a size: lifted so that repeats are not refused.
        settings = Settings(database_url=url, alerts_enabled=False, cost_budget_per_minute=10**12)
        app = create_app(settings, manage_database=False)
        route = next(r for r in app.routes if isinstance(r, Route) and r.path == "/graphql")
        schema = route.app.schema  # type: ignore[attr-defined]
        model = schema.guard.model_for(schema._schema)

        def cost(query: str) -> int:
            return query_cost(schema._schema, parse(query), model)

        # The app's lifespan as ``hub serve`` runs it (its background tasks, and the cyclic
        # collector's settings: startup objects frozen, a larger young generation), which
        # ASGITransport alone would skip: the collector's full passes are much of the loop time.
        async with database(url), app.router.lifespan_context(app):
            issued = await auth.create_api_token(AGENCY, "压力测试系统")
            headers = {"Authorization": f"Bearer {issued.secret}"}
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://bench", headers=headers, timeout=120
            ) as client:

                async def fits(query: str) -> bool:
                    response = await client.post("/graphql", json={"query": query})
                    errors = response.json().get("errors") or []
                    codes = {e.get("extensions", {}).get("code") for e in errors}
                    return not codes & {"COST_EXCEEDED", "LIMIT_EXCEEDED", "VALIDATION_FAILED"}

                candidates: list[tuple[str, str]] = [
                    ("GraphiQL introspection", get_introspection_query())
                ]
                for name, shape in SHAPES.items():
                    # The calculator narrows n; the server has the last word (depth, aliases…).
                    found = largest(
                        shape,
                        lambda q: cost(q) <= settings.max_query_cost,
                        settings.board_page_max if name in BOARD_FIRST else 200,
                    )
                    n = found[1] if found is not None else 0
                    while n >= 1 and not await fits(shape.replace("{n}", str(n))):
                        n = n * 3 // 4
                    if n < 1:
                        print(f"{name}: refused by the limits at every size")
                        continue
                    candidates.append((f"{name} (n={n})", shape.replace("{n}", str(n))))

                held0, wall0, _ = await measure(client, BASELINE, args.runs * 4)
                print(
                    f"\nbaseline {BASELINE}: loop held {figures(held0)} ms; wall {figures(wall0)} ms"
                )
                print(f"{'query':44} {'cost':>7} {'bytes':>9}  loop held ms        wall ms")
                worst: tuple[float, str] = (0.0, "")
                for name, query in candidates:
                    held, wall, body = await measure(client, query, args.runs)
                    errors = body.get("errors") or []
                    size = len(str(body.get("data")))
                    note = (
                        f"  errors: {errors[0].get('extensions', {}).get('code')}" if errors else ""
                    )
                    print(
                        f"{name:44} {cost(query):7} {size:9}  {figures(held)}  {figures(wall)}{note}"
                    )
                    worst = max(worst, (percentile(held, 99), name))
        print(
            f"\nworst: {worst[1]} — loop held p99 {worst[0]:.1f} ms (target ≤ {TARGET_MS:.0f} ms; "
            f"baseline p99 {percentile(held0, 99):.1f} ms): "
            + ("MET" if worst[0] <= TARGET_MS else "NOT MET")
        )


if __name__ == "__main__":
    asyncio.run(main())
