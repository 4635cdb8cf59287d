"""Request ids, structured access logs and ``/metrics`` (hub.ops): what an operator reads."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from datetime import timedelta

import httpx
import pytest
from pydantic import SecretStr

from hub.app import create_app
from hub.ops import logs, metrics
from hub.services import auth
from tests.api.test_board_subscription import cookie_for
from tests.api.ws import BOARD_EVENTS, graphql_ws
from tests.app_clients import Api, RunningServer
from tests.app_clients import test_settings as settings_for_tests
from tests.factories import PASSWORD, TODAY, World, served

NAMED = "query HubHealthProbe { kinds { kind } }"


def sample(text: str, name: str, **labels: str) -> float:
    """One sample's value from a Prometheus text body (0 when absent)."""
    wanted = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        series, _, value = line.rpartition(" ")
        metric, _, label_text = series.partition("{")
        found = ",".join(sorted(label_text.rstrip("}").split(","))) if label_text else ""
        if metric == name and found == wanted:
            return float(value)
    return 0.0


async def _session(api: Api, username: str) -> httpx.AsyncClient:
    result = await auth.login(username, PASSWORD, ttl=timedelta(hours=1))
    client = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=api.app), base_url="http://testserver"
    )
    client.cookies.set(auth.SESSION_COOKIE, result.session_secret)
    return client


async def test_each_response_carries_a_request_id_and_a_plain_incoming_one_is_kept(
    api: Api,
) -> None:
    async with api.client() as client:
        fresh = await client.post(NAMED)
        kept = await client.http.post(
            "/graphql", json={"query": NAMED}, headers={"X-Request-ID": "nginx-7f3a.1"}
        )
        forged = await client.http.post(
            "/graphql",
            json={"query": NAMED},
            headers={"X-Request-ID": 'x"{evil}" level=error ' * 20},
        )
        static = await client.http.get("/app.js")
    assert re.fullmatch(r"[0-9a-f]{32}", fresh.headers["x-request-id"])
    assert kept.headers["x-request-id"] == "nginx-7f3a.1"
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["x-request-id"])
    assert re.fullmatch(r"[0-9a-f]{32}", static.headers["x-request-id"])


async def test_the_access_log_is_one_json_line_with_operation_viewer_and_duration(
    api: Api, world: World, capsys: pytest.CaptureFixture[str]
) -> None:
    handler = logs.configure(json_lines=True)
    try:
        client = await _session(api, "liaison_a")
        async with client:
            response = await client.post("/graphql", json={"query": NAMED})
        assert response.status_code == 200
        logging.getLogger("hub.test").warning("outside any request")
    finally:
        logging.getLogger().removeHandler(handler)
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.strip()]
    access = [e for e in lines if e.get("event") == "request"]
    assert len(access) == 1, lines
    entry = access[0]
    assert entry["request_id"] == response.headers["x-request-id"]
    assert entry["operation"] == "HubHealthProbe" and entry["operation_type"] == "query"
    assert entry["unit_id"] == world.unit_a.id and entry["actor"].startswith("user:")
    assert entry["status"] == 200 and entry["duration_ms"] > 0
    assert entry["level"] == "info" and entry["logger"] == "hub.request" and entry["at"]
    other = next(e for e in lines if e.get("event") == "outside any request")
    assert "request_id" not in other and other["level"] == "warning"


async def test_the_console_format_is_for_people(
    api: Api, capsys: pytest.CaptureFixture[str]
) -> None:
    handler = logs.configure(json_lines=False)
    try:
        async with api.client() as client:
            await client.post(NAMED)
    finally:
        logging.getLogger().removeHandler(handler)
    err = capsys.readouterr().err
    line = next(line for line in err.splitlines() if "request" in line and "HubHealthProbe" in line)
    assert not line.lstrip().startswith("{")
    assert "request_id=" in line and "duration_ms=" in line


async def test_metrics_count_operations_and_errors_and_read_the_outbox(api: Api) -> None:
    async with api.as_user("office") as client, api.client() as anonymous:
        before = (await client.http.get("/metrics")).text
        for _ in range(3):
            await client.post(NAMED)
        await client.post("query Broken { noSuchField }")
        await anonymous.post("query { kinds { kind } }")
        response = await client.http.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    after = response.text

    def grew(name: str, **labels: str) -> float:
        return sample(after, name, **labels) - sample(before, name, **labels)

    count = "hub_request_duration_seconds_count"
    assert grew(count, kind="graphql", operation="HubHealthProbe") == 3
    assert grew(count, kind="graphql", operation="Broken") == 1
    assert grew(count, kind="graphql", operation="anonymous") == 1
    assert grew("hub_graphql_errors_total", code="VALIDATION_FAILED") == 1
    assert grew("hub_graphql_errors_total", code="UNAUTHENTICATED") == 1
    for status in ("pending", "sent", "held", "failed", "cancelled"):
        assert f'hub_outbox_rows{{status="{status}"}} 0.0' in after
    for name in ("hub_websockets_active", "hub_event_log_lag_events", "hub_pubsub_reconnects",
                 "hub_subscriptions_active", "hub_alert_scan_seconds_count",
                 "hub_alerts_sent_total", "hub_alerts_failed_total"):  # fmt: skip
        assert f"\n{name} " in after, name


def test_operation_names_cannot_grow_the_series_without_bound() -> None:
    assert metrics.operation_label("x\ny") == "invalid"
    assert metrics.operation_label(None) == "anonymous"
    for n in range(metrics.MAX_OPERATIONS + 5):
        metrics.operation_label(f"Op{n}")
    assert metrics.operation_label("OneMoreAfterTheCap") == "other"


async def test_metrics_are_refused_through_a_proxy_and_need_the_token_when_one_is_set(
    api: Api,
) -> None:
    async with api.client() as client:
        proxied = await client.http.get("/metrics", headers={"X-Forwarded-For": "10.0.0.9"})
    assert proxied.status_code == 403
    guarded = create_app(
        settings_for_tests(metrics_token=SecretStr("scrape-secret-1")), manage_database=False
    )
    transport = httpx.ASGITransport(app=guarded)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        assert (await client.get("/metrics")).status_code == 403
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403
        ok = await client.get("/metrics", headers={"Authorization": "Bearer scrape-secret-1"})
    assert ok.status_code == 200 and "hub_request_duration_seconds" in ok.text


async def test_fanout_latency_is_observed_from_commit_to_the_last_socket(
    world: World, server: RunningServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(metrics.fanout, "settle_s", 0.2)
    before = sample(metrics.exposition()[0].decode(), "hub_fanout_seconds_count")
    async with (
        graphql_ws(server.ws_url, cookie=await cookie_for("office")) as one,
        graphql_ws(server.ws_url, cookie=await cookie_for("prosecutor")) as two,
    ):
        await one.subscribe("1", BOARD_EVENTS, {"after": None})
        await two.subscribe("1", BOARD_EVENTS, {"after": None})
        await asyncio.sleep(0.2)
        await served(world, served_on=TODAY - timedelta(days=3))  # four events
        await one.collect(4, wait=10)
        await two.collect(4, wait=10)
        await asyncio.sleep(0.4)
        async with httpx.AsyncClient(base_url=server.base_url) as client:
            text = (await client.get("/metrics")).text
        assert sample(text, "hub_websockets_active") >= 2
        assert sample(text, "hub_subscriptions_active") >= 2
    observed = sample(text, "hub_fanout_seconds_count") - before
    assert observed == 4
    assert sample(text, "hub_fanout_seconds_sum") > 0
