"""Checking free text from users and systems before it is stored.

``clean_text`` is the one text-cleaning function. Every value is normalised to NFC (so one
document number is stored one way, whatever keyboard typed it) and refused when it holds a
lone surrogate (not Unicode text; it cannot be stored or sent) or a control character.
Multi-line text keeps its line breaks (``\\r\\n`` and ``\\r`` become ``\\n``) and tabs.
Single-line identifiers and names (document numbers, titles, names) refuse line breaks and
the invisible formatting characters that make a text display differently from what it is:
bidirectional overrides, embeddings, isolates and marks, line and paragraph separators.
Bidirectional overrides and isolates are refused in multi-line text as well.
"""

from __future__ import annotations

import re
import unicodedata

from hub.domain.errors import ValidationFailed

MAX_TEXT = 20_000
# A limit at or below this marks a single-line value (a number, a title, a name) unless the
# caller says otherwise: every such field of the hub is at most 200 characters.
ONE_LINE_LIMIT = 200

_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 controls except tab and line feed; DEL.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates ("Trojan Source").
_BIDI_OVERRIDE = re.compile("[\u202a-\u202e\u2066-\u2069]")
# What a single line may not hold besides: line breaks, tabs, marks, separators, BOM.
_NOT_ONE_LINE = re.compile("[\t\n\u200e\u200f\u061c\u2028\u2029\ufeff]")


def clean_text(
    value: str,
    field: str,
    *,
    required: bool = True,
    limit: int = MAX_TEXT,
    one_line: bool | None = None,
) -> str:
    """NFC text, stripped, within ``limit`` characters; empty only where not ``required``.

    ``one_line`` (default: ``limit <= ONE_LINE_LIMIT``) refuses line breaks and invisible
    formatting characters, for document numbers and names.
    """
    if _SURROGATE.search(value):
        raise ValidationFailed("内容含有无效字符（不成对的代理码元）", field=field)
    if one_line is None:
        one_line = limit <= ONE_LINE_LIMIT
    if not one_line:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = unicodedata.normalize("NFC", value).strip()
    if _CONTROL.search(value) or (one_line and _NOT_ONE_LINE.search(value)):
        what = "换行、控制字符或不可见的格式字符" if one_line else "控制字符"
        raise ValidationFailed(f"内容不能包含{what}", field=field)
    if _BIDI_OVERRIDE.search(value):
        raise ValidationFailed("内容不能包含改变文字方向的控制字符", field=field)
    if required and not value:
        raise ValidationFailed("此项不能为空", field=field)
    if len(value) > limit:
        raise ValidationFailed(f"内容过长（最多 {limit} 字）", field=field)
    return value


def clean_identifier(value: str, field: str, *, required: bool = True, limit: int = 64) -> str:
    """A single-line identifier or name (a document number, a case number, a person)."""
    return clean_text(value, field, required=required, limit=limit, one_line=True)
