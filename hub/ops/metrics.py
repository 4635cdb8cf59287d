"""Prometheus metrics (prometheus-client), served at ``/metrics``.

Counters and histograms are updated where things happen (the request middleware, the
dispatcher, the sockets, the alert pass); gauges that describe state (outbox backlog, event-log
lag, subscriptions, pub/sub reconnects) are read when scraped. With
``PROMETHEUS_MULTIPROC_DIR`` set (several worker processes behind one port) the values live in
that directory and a scrape adds up every process's.

Operation names come from clients: only plain names are kept as labels, and past
``MAX_OPERATIONS`` distinct ones the rest count as ``other``, so no client can grow the series
without bound.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections import OrderedDict
from datetime import datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

REGISTRY = CollectorRegistry(auto_describe=True)
MAX_OPERATIONS = 200
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.08, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_FANOUT_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.0, 5.0)

REQUEST_SECONDS = Histogram(
    "hub_request_duration_seconds",
    "Time to answer a request, per GraphQL operation (or route for other requests)",
    ("kind", "operation"),
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
GRAPHQL_ERRORS = Counter(
    "hub_graphql_errors_total", "GraphQL errors returned, by code", ("code",), registry=REGISTRY
)
WEBSOCKETS = Gauge(
    "hub_websockets_active", "Open WebSockets", registry=REGISTRY, multiprocess_mode="livesum"
)
SUBSCRIPTIONS = Gauge(
    "hub_subscriptions_active",
    "Live board subscriptions (listeners of this instance's dispatcher)",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
FANOUT_SECONDS = Histogram(
    "hub_fanout_seconds",
    "From an event's commit to the last of this instance's sockets it was written to",
    buckets=_FANOUT_BUCKETS,
    registry=REGISTRY,
)
PUBSUB_RECONNECTS = Gauge(
    "hub_pubsub_reconnects",
    "Times this instance's pub/sub subscriber connection was re-established since start",
    registry=REGISTRY,
    multiprocess_mode="livesum",
)
EVENT_LOG_LAG = Gauge(
    "hub_event_log_lag_events",
    "Events committed (by any instance) that this instance has not dispatched yet",
    registry=REGISTRY,
    multiprocess_mode="livemax",
)
OUTBOX = Gauge(
    "hub_outbox_rows",
    "Alert emails in the outbox, by status",
    ("status",),
    registry=REGISTRY,
    multiprocess_mode="livemax",
)
ALERTS_SENT = Counter("hub_alerts_sent_total", "Alert emails sent", registry=REGISTRY)
ALERTS_FAILED = Counter(
    "hub_alerts_failed_total", "Alert email attempts that failed", registry=REGISTRY
)
SCAN_SECONDS = Histogram(
    "hub_alert_scan_seconds",
    "Duration of one alert pass (decide and send)",
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0),
    registry=REGISTRY,
)

_operations: set[str] = set()
_operations_lock = threading.Lock()


def operation_label(name: str | None) -> str:
    if not name:
        return "anonymous"
    if not _PLAIN_NAME.fullmatch(name):
        return "invalid"
    with _operations_lock:
        if name in _operations:
            return name
        if len(_operations) >= MAX_OPERATIONS:
            return "other"
        _operations.add(name)
        return name


class FanoutTracker:
    """Commit → last socket written, per event: ``committed`` when the dispatcher hands an
    event to its listeners, ``written`` each time a socket gets it; an event is observed once
    no write came for ``settle_s`` (or when it falls out of the bounded window)."""

    def __init__(self, *, settle_s: float = 2.0, window: int = 2_000) -> None:
        self.settle_s = settle_s
        self.window = window
        # seq -> [commit wall time, last write wall time or None, last touch monotonic]
        self._events: OrderedDict[int, list[float | None]] = OrderedDict()

    def committed(self, seq: int, at: datetime) -> None:
        self._events[seq] = [at.timestamp(), None, time.monotonic()]
        while len(self._events) > self.window:
            self._observe(*self._events.popitem(last=False))
        self.flush()

    def written(self, seq: int) -> None:
        entry = self._events.get(seq)
        if entry is not None:
            entry[1], entry[2] = time.time(), time.monotonic()

    def flush(self) -> None:
        now = time.monotonic()
        while self._events:
            seq, entry = next(iter(self._events.items()))
            touched = entry[2]
            if touched is None or now - touched < self.settle_s:
                return
            del self._events[seq]
            self._observe(seq, entry)

    @staticmethod
    def _observe(seq: int, entry: list[float | None]) -> None:
        committed_at, written_at, _ = entry
        if committed_at is not None and written_at is not None:
            FANOUT_SECONDS.observe(max(0.0, written_at - committed_at))


fanout = FanoutTracker()


def exposition() -> tuple[bytes, str]:
    """The scrape body: this process's registry, or every process's in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
