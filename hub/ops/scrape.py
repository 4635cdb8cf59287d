"""``GET /metrics``: Prometheus text format, for a bearer token (``HUB_METRICS_TOKEN``) or,
without one, only for a client on this machine that did not come through a proxy."""

from __future__ import annotations

import hmac
import ipaddress

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from tortoise.functions import Count

from hub.models import OutboxEmail
from hub.models.outbox import OutboxStatus
from hub.ops import metrics
from hub.services import auth
from hub.services.events import last_seq


def may_scrape(request: Request) -> bool:
    token = request.app.state.settings.metrics_token
    if token is not None:
        secret = auth.bearer_secret(request.headers.get("authorization"))
        return secret is not None and hmac.compare_digest(
            secret.encode(), token.get_secret_value().encode()
        )
    if "x-forwarded-for" in request.headers or request.client is None:
        return False
    try:
        return ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:
        return False


async def refresh(request: Request) -> None:
    """Read the gauges that describe state rather than count happenings."""
    state = request.app.state
    dispatcher = state.dispatcher
    metrics.SUBSCRIPTIONS.set(dispatcher.listener_count)
    metrics.EVENT_LOG_LAG.set(max(0, await last_seq() - dispatcher.position))
    metrics.PUBSUB_RECONNECTS.set(state.broadcast.reconnects)
    rows = await OutboxEmail.all().annotate(n=Count("id")).group_by("status").values("status", "n")
    counts = {str(row["status"]): int(row["n"]) for row in rows}
    for status in OutboxStatus:
        metrics.OUTBOX.labels(status.value).set(counts.get(status.value, 0))
    metrics.fanout.flush()


async def metrics_endpoint(request: Request) -> Response:
    if not may_scrape(request):
        return PlainTextResponse("forbidden: set HUB_METRICS_TOKEN or scrape from localhost", 403)
    await refresh(request)
    body, content_type = metrics.exposition()
    return Response(body, headers={"content-type": content_type, "cache-control": "no-store"})
