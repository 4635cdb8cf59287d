"""The one place pub/sub messages are encoded and decoded: a JSON object in, a JSON object out."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final

RESYNC_MESSAGE: Final = '{"resync":true}'
"""Delivered by a backend on a channel whose messages may have been lost (e.g. after Redis came
back from an outage): the receiver should catch up from the event log instead of waiting."""


class MessageDecodeError(ValueError):
    """A pub/sub message that is not a JSON object."""


def encode(payload: Mapping[str, Any]) -> str:
    """Compact, strict JSON (no NaN/Infinity, which browsers cannot parse), UTF-8 kept as is."""
    return json.dumps(dict(payload), ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def decode(message: str) -> dict[str, Any]:
    try:
        payload = json.loads(message, parse_constant=_reject_constant)
    except (ValueError, TypeError) as exc:
        raise MessageDecodeError(f"pub/sub message is not valid JSON: {_preview(message)}") from exc
    if not isinstance(payload, dict):
        raise MessageDecodeError(f"pub/sub message is JSON but not an object: {_preview(message)}")
    return payload


def is_resync(message: str) -> bool:
    return message == RESYNC_MESSAGE


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _preview(message: object) -> str:
    text = repr(message)
    return text if len(text) <= 80 else f"{text[:77]}..."
