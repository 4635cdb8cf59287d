"""``hub export ledger --out FILE [--from --to --kinds --unit CODE]``: the 台账 workbook, as the
Linkage Office sees it, or as one unit sees it (``--unit``: its code, e.g. ecology_env)."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date
from typing import Any

from hub import clock
from hub.settings import Settings


async def cmd_export_ledger(args: argparse.Namespace, settings: Settings) -> int:
    from hub.db import database
    from hub.domain.kinds import CaseKind
    from hub.domain.roles import Side
    from hub.domain.visibility import Audience
    from hub.models import Unit
    from hub.services.ledger import LedgerInput, write_ledger

    today = clock.today()
    start = args.from_ or date(today.year, 1, 1)
    end = args.to or date(today.year, 12, 31)
    try:
        kinds = (
            tuple(CaseKind(k.strip().lower()) for k in args.kinds.split(","))
            if args.kinds
            else None
        )
    except ValueError:
        valid = "、".join(k.value for k in CaseKind)
        print(f"没有这类案件：{args.kinds}（可选：{valid}）", file=sys.stderr)
        return 2
    if start > end:
        print("--to 不能早于 --from", file=sys.stderr)
        return 2
    async with database(settings.database_url):
        if args.unit:
            unit = await Unit.get_or_none(code=args.unit)
            if unit is None:
                print(f"没有代码为 {args.unit} 的单位", file=sys.stderr)
                return 2
            audience = Audience(False, unit.id, unit.side)
        else:  # the Linkage Office: every case
            audience = Audience(True, 0, Side.PROCURATORATE)
        began = time.perf_counter()
        counts = await write_ledger(
            audience, LedgerInput(start, end, kinds), args.out, today=today,
            timezone=settings.timezone,
        )  # fmt: skip
    rows = "，".join(f"{k} {n} 行" for k, n in counts.items())
    print(f"已导出 {args.out}：{rows}；用时 {time.perf_counter() - began:.2f} 秒")
    return 0


def add_export_parser(sub: Any) -> None:
    export = sub.add_parser("export", help="exports").add_subparsers(
        dest="export_command", required=True
    )
    ledger = export.add_parser("ledger", help="the 台账 workbook (.xlsx)")
    ledger.add_argument("--out", required=True, help="the .xlsx file to write")
    ledger.add_argument("--from", dest="from_", type=date.fromisoformat, help="YYYY-MM-DD")
    ledger.add_argument("--to", type=date.fromisoformat, help="YYYY-MM-DD")
    ledger.add_argument("--kinds", help="comma-separated kind ids, e.g. recommendation,pil_case")
    ledger.add_argument("--unit", help="export as this unit sees it (its code)")
    ledger.set_defaults(run=cmd_export_ledger)
