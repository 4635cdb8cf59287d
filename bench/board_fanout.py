"""T5: mutation committed → the last of 1,000 board subscribers notified (one process, memory://).

Target (design.md §5): p99 ≤ 250 ms with 0 lost. Baseline, measured in the same run: the
same hub with ``HUB_SHARE_SUBSCRIPTION_EXECUTION=false``, which executes the subscription once
per subscriber (strawberry's default behaviour).

    python -m bench.board_fanout [--clients 1000] [--rounds 30]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import tempfile
import time
from pathlib import Path

import httpx
from strawberry.relay import to_base64
from websockets.asyncio.client import ClientConnection, connect

from bench.harness import (
    demo_database,
    dumps,
    hub_process,
    percentile,
    session_cookies,
    summary,
)
from hub.db import database
from hub.models import Case
from hub.services.demo import liaison_username

# The board's own subscription (frontend/js/api.js): the generic card and the kind's line.
SUBSCRIPTION = """subscription($after: String, $kinds: [CaseKind!]) {
  boardEvents(after: $after, kinds: $kinds) {
    cursor
    event { seq action actionLabel actorName }
    case {
      id kind caseNo title state stateLabel column columnLabel version updatedAt
      parties { role unit { id name } }
      clocks { name label status dueOn dueAt daysLeft level provisional explanation }
      availableActions { action label target }
      ... on Recommendation { typeLabel isOverdue }
    }
  }
}"""
URGE = """mutation($id: ID!, $v: Int!) {
  takeStep(input: {id: $id, version: $v, action: "URGE", comment: "请尽快回复"}) {
    __typename ... on CaseStepSuccess { case { version } event { seq } }
  }
}"""


async def open_client(url: str, cookie: str, arrivals: dict[str, list[float]]) -> ClientConnection:
    ws = await connect(url, subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
                       additional_headers={"Cookie": cookie}, max_queue=None)  # fmt: skip
    await ws.send(dumps({"type": "connection_init", "payload": {}}))
    assert "connection_ack" in str(await ws.recv())
    variables = {"after": None, "kinds": ["RECOMMENDATION"]}
    await ws.send(dumps({"id": "b", "type": "subscribe",
                         "payload": {"query": SUBSCRIPTION, "variables": variables}}))  # fmt: skip

    async def receive() -> None:
        async for raw in ws:
            now = time.perf_counter()
            text = str(raw)
            start = text.find('"cursor":"')
            if start >= 0:
                cursor = text[start + 10 : text.index('"', start + 10)]
                arrivals.setdefault(cursor, []).append(now)

    asyncio.get_running_loop().create_task(receive())
    return ws


async def measure(
    db_url: str, clients: int, rounds: int, share: bool
) -> tuple[list[float], list[float]]:
    """(committed → last notified, request sent → last notified), in ms.

    The mutation's response leaves the server after its transaction committed, so its arrival
    bounds the commit from above; the second figure also counts the commit itself (an fsync).
    """
    unit_user = liaison_username("ecology_env")
    users = ["office", "prosecutor", "prosecutor2", "chief", unit_user]
    cookies = await session_cookies(db_url, users)
    async with database(db_url):
        target = await Case.get(case_no__startswith="宿检行建", title__contains="黑臭水体")
        rec_id, version = to_base64("Recommendation", target.id), target.version
    env = {
        "HUB_SHARE_SUBSCRIPTION_EXECUTION": "true" if share else "false",
        # Five users open 1,000 sockets: each subscription start is priced against its user's
        # per-minute budget (hub.schema.guard), which this fan-out measurement must not hit.
        "HUB_COST_BUDGET_PER_MINUTE": str(10**12),
    }
    latencies: list[float] = []
    from_request: list[float] = []
    async with hub_process(db_url, **env) as hub:
        arrivals: dict[str, list[float]] = {}
        sockets = []
        for i in range(clients):
            sockets.append(await open_client(hub.ws_url, cookies[users[i % len(users)]], arrivals))
        await asyncio.sleep(2)
        # The measuring client holds 1,000 sockets: keep its own collector out of the figures.
        gc.collect()
        gc.freeze()
        async with httpx.AsyncClient(
            base_url=hub.base_url, headers={"Cookie": cookies["office"]}, timeout=60
        ) as http:
            for round_no in range(rounds + 3):  # the first 3 warm up
                started = time.perf_counter()
                response = await http.post(
                    "/graphql", json={"query": URGE, "variables": {"id": rec_id, "v": version}}
                )
                committed = time.perf_counter()
                body = response.json()["data"]["takeStep"]
                assert body["__typename"] == "CaseStepSuccess", body
                version = body["case"]["version"]
                cursor = str(body["event"]["seq"])
                deadline = time.perf_counter() + 60  # the baseline needs seconds at 1,000
                while len(arrivals.get(cursor, [])) < clients and time.perf_counter() < deadline:
                    await asyncio.sleep(0.002)
                got = arrivals.get(cursor, [])
                if len(got) < clients:
                    closed = sum(1 for ws in sockets if ws.close_code is not None)
                    raise SystemExit(
                        f"LOST ({'shared' if share else 'baseline'}, round {round_no}): "
                        f"{clients - len(got)} of {clients} never received {cursor}; "
                        f"{closed} sockets closed by then"
                    )
                latencies.append(max(0.0, max(got) - committed) * 1000)
                if os.environ.get("BENCH_VERBOSE"):
                    print(f"    round {round_no}: {latencies[-1]:.1f} ms", flush=True)
                from_request.append((max(got) - started) * 1000)
                await asyncio.sleep(0.2)
        for ws in sockets:
            await ws.close()
    return latencies[3:], from_request[3:]


async def main(clients: int, rounds: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db_url = await demo_database(Path(tmp))
        print(
            f"T5 board fan-out: {clients} subscribers, {rounds} mutations each, one process, memory://"
        )
        baseline, baseline_req = await measure(db_url, clients, rounds, share=False)
        shared, shared_req = await measure(db_url, clients, rounds, share=True)
        print("  committed → last subscriber notified:")
        print(f"    baseline, executed per subscriber (ms): {summary(baseline)}")
        print(f"    hub, once per audience, direct     (ms): {summary(shared)}")
        print("  request sent → last subscriber notified (adds the commit's fsync):")
        print(f"    baseline                           (ms): {summary(baseline_req)}")
        print(f"    hub                                (ms): {summary(shared_req)}")
        ratio = percentile(baseline, 99) / percentile(shared, 99)
        verdict = "PASS" if percentile(shared, 99) <= 250 else "FAIL"
        print(f"  p99 ratio baseline/hub: {ratio:.2f}x   target p99 ≤ 250 ms, 0 lost: {verdict}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    asyncio.run(main(args.clients, args.rounds))
