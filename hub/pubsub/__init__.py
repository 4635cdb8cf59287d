"""Pub/sub for live updates: broadcaster's ``Broadcast`` interface with backends that work.

Messages are fire-and-forget: the event log is the source of truth, and a subscriber that gets
``RESYNC_MESSAGE`` catches up from it.
"""

from __future__ import annotations

from hub.pubsub.broadcast import HubBroadcast, HubSubscriber, PublishError, create_backend
from hub.pubsub.messages import RESYNC_MESSAGE, MessageDecodeError, decode, encode, is_resync

__all__ = [
    "RESYNC_MESSAGE",
    "HubBroadcast",
    "HubSubscriber",
    "MessageDecodeError",
    "PublishError",
    "create_broadcast",
    "decode",
    "encode",
    "is_resync",
]


def create_broadcast(url: str) -> HubBroadcast:
    """``memory://`` (one process) or ``redis://``/``rediss://``; ValueError for anything else."""
    return HubBroadcast(backend=create_backend(url))
