"""Messages are JSON objects, encoded and decoded in one place."""

from __future__ import annotations

import math

import pytest

from hub.pubsub import RESYNC_MESSAGE, MessageDecodeError, decode, encode, is_resync


def test_encode_is_compact_and_keeps_chinese_text() -> None:
    assert encode({"case": "行政争议", "seq": 7}) == '{"case":"行政争议","seq":7}'


def test_decode_reverses_encode() -> None:
    payload = {"event_id": 42, "kind": "card_moved", "to": "整改回复", "tags": ["a"], "x": None}
    assert decode(encode(payload)) == payload


def test_encode_refuses_what_browsers_cannot_parse() -> None:
    with pytest.raises(ValueError, match="JSON"):
        encode({"ratio": math.nan})


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("{not json", "not valid JSON"),
        ("", "not valid JSON"),
        ('{"x": NaN}', "not valid JSON"),
        ("[1, 2]", "not an object"),
        ('"text"', "not an object"),
        ("null", "not an object"),
    ],
)
def test_decode_rejects_anything_but_a_json_object(message: str, reason: str) -> None:
    with pytest.raises(MessageDecodeError, match=reason):
        decode(message)


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(MessageDecodeError, ValueError)


def test_resync_notice_is_itself_a_valid_message() -> None:
    assert decode(RESYNC_MESSAGE) == {"resync": True}
    assert is_resync(RESYNC_MESSAGE)
    assert not is_resync(encode({"seq": 1}))
