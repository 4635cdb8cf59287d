"""Checking a PIL step's input inside its transaction, with errors naming the GraphQL field."""

from __future__ import annotations

from datetime import date
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from hub.domain.dates import text_date
from hub.domain.errors import ValidationFailed
from hub.kinds.pil_case.models import PilDetail, PilDomain
from hub.kinds.pil_case.spec import DOMAINS
from hub.services.cases import StepContext
from hub.services.text import clean_text

__all__ = ["clean_text", "day_between", "detail_of", "domain_by_code", "ensure_domains", "text"]


def text(value: str, field: str, *, required: bool = True, limit: int = 20_000) -> str:
    return clean_text(value, field, required=required, limit=limit)


def day_between(
    value: date, field: str, label: str, *, after: date | None, after_label: str, today: date
) -> date:
    """``value`` no later than today and no earlier than ``after`` (when known)."""
    if value > today:
        raise ValidationFailed(f"{label}不能晚于今天（{text_date(today)}）", field=field)
    if after is not None and value < after:
        raise ValidationFailed(f"{label}不能早于{after_label}（{after}）", field=field)
    return value


async def detail_of(ctx: StepContext) -> PilDetail:
    return await PilDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()


async def domain_by_code(code: str, conn: BaseDBAsyncClient | None = None) -> PilDomain:
    """An active entry of the managed list of fields."""
    query = PilDomain.filter(code=code.strip(), active=True)
    domain = await (query.using_db(conn) if conn is not None else query).first()
    if domain is None:
        raise ValidationFailed("领域不存在或已停用", field="domainCode")
    return domain


async def ensure_domains() -> int:
    """Insert the seeded fields that are missing (a database built without migration 0004,
    e.g. from the models in tests); returns how many were added. Existing rows are kept."""
    have = {domain.code for domain in await PilDomain.all()}
    added: list[dict[str, Any]] = [
        {"code": code, "name": name, "statutory": statutory, "position": position}
        for position, (code, name, statutory) in enumerate(DOMAINS, start=1)
        if code not in have
    ]
    for row in added:
        await PilDomain.create(**row)
    return len(added)
