"""``GET /export/ledger.xlsx``: the 台账 workbook for the signed-in viewer (session cookie or
bearer token, as /graphql), with the filters of ``cases``: ``from``, ``to`` (ISO dates; default
the current year), ``kinds`` (comma-separated kind ids) and ``unitIds`` (comma-separated Unit
global ids). What the viewer may not see is never in the file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from strawberry.relay import GlobalID

from hub import clock
from hub.domain.errors import ValidationFailed
from hub.domain.ids import database_id
from hub.domain.kinds import CaseKind
from hub.domain.visibility import audience_of
from hub.services import auth
from hub.services.ledger import LedgerInput, write_ledger
from hub.settings import Settings

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Authenticate = Callable[[Request], Awaitable[auth.Identity | None]]


def _error(code: str, message: str, status: int) -> JSONResponse:
    body = {"errors": [{"message": message, "extensions": {"code": code}}]}
    return JSONResponse(body, status_code=status)


def _date(request: Request, name: str, default: date) -> date:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValidationFailed(f"{name} 须为 YYYY-MM-DD 格式的日期", field=name) from None


def _list(request: Request, name: str) -> list[str] | None:
    raw = request.query_params.get(name)
    return [x.strip() for x in raw.split(",") if x.strip()] if raw else None


def ledger_input(request: Request, today: date) -> LedgerInput:
    start = _date(request, "from", date(today.year, 1, 1))
    end = _date(request, "to", date(today.year, 12, 31))
    if end < start:
        raise ValidationFailed("结束日期不能早于开始日期", field="to")
    kinds = None
    if (names := _list(request, "kinds")) is not None:
        try:
            kinds = tuple(CaseKind(n.lower()) for n in names)
        except ValueError:
            raise ValidationFailed("没有这种案件种类", field="kinds") from None
    units = None
    if (ids := _list(request, "unitIds")) is not None:
        found = []
        for raw in ids:
            try:
                gid = GlobalID.from_id(raw)
            except Exception:
                raise ValidationFailed("无效的单位 ID", field="unitIds") from None
            pk = database_id(gid.node_id) if gid.type_name == "Unit" else None
            found.append(pk if pk is not None else -1)
        units = tuple(found)
    return LedgerInput(start, end, kinds, units)


def ledger_endpoint(
    settings: Settings, authenticate: Authenticate
) -> Callable[[Request], Awaitable[Response]]:
    async def ledger(request: Request) -> Response:
        identity = await authenticate(request)
        if identity is None:
            return _error("UNAUTHENTICATED", "请先登录或提供有效的令牌", 401)
        today = clock.today()
        try:
            inp = ledger_input(request, today)
        except ValidationFailed as error:
            return _error("VALIDATION_FAILED", error.message, 400)
        fd, path = tempfile.mkstemp(suffix=".xlsx")
        os.close(fd)
        try:
            await write_ledger(
                audience_of(identity.actor), inp, path, today=today, timezone=settings.timezone,
                agencies_see_city_totals=settings.statistics_city_totals_for_agencies,
            )  # fmt: skip
        except BaseException:
            os.unlink(path)
            raise
        name = f"ledger-{inp.start.isoformat()}-{inp.end.isoformat()}.xlsx"
        return FileResponse(path, media_type=XLSX, filename=name,
                            background=BackgroundTask(os.unlink, path))  # fmt: skip

    return ledger
