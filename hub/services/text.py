"""Checking free text from users and systems before it is stored."""

from __future__ import annotations

from hub.domain.errors import ValidationFailed

MAX_TEXT = 20_000


def clean_text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    """Stripped text within ``limit`` characters; empty only where not ``required``."""
    value = value.strip()
    if required and not value:
        raise ValidationFailed("此项不能为空", field=field)
    if len(value) > limit:
        raise ValidationFailed(f"内容过长（最多 {limit} 字）", field=field)
    return value
