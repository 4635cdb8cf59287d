"""The 台账 export: 20,000 recommendations to an .xlsx workbook (target: ≤ 5 s, bounded memory).

Timed, each round: ``hub.services.ledger.write_ledger`` as the Linkage Office for the year —
the statistics of the summary sheet, the task-list sheet and every kind's sheet, the cases read
in chunks of 2,000 and streamed with xlsxwriter's constant-memory mode. Baseline in the same
run: the same export with the row writing switched off (the same queries, statistics and
chunks read, an empty workbook closed), so the ratio is the cost of writing. Peak memory is
measured in a separate run under tracemalloc (Python allocations) and as the process's max RSS.

    python -m bench.ledger_export [--cases 20000] [--rounds 5] [--database sqlite|postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import resource
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from tortoise import Tortoise

from bench.alert_scan import NOW, TODAY, _insert, scratch_database
from bench.harness import summary
from hub.db import database
from hub.domain.kinds import PartyRole
from hub.domain.roles import Side, UnitKind
from hub.domain.visibility import Audience
from hub.models import Unit
from hub.services import ledger

_CASE = ("id", "kind", "case_no", "title", "state", "version", "flags", "internal_note",
         "created_at", "updated_at")  # fmt: skip
_DETAIL = ("case_id", "rec_type", "issues", "suggestions", "legal_basis", "served_on",
           "service_method")  # fmt: skip
_PARTY = ("case_id", "role", "unit_id", "user_id")
_CLOCK = ("case_id", "name", "rule", "status", "started_on", "due_on", "provisional",
          "explanation", "version")  # fmt: skip
_REPLY = ("case_id", "content", "measures", "completeness", "submitted_by", "submitted_at",
          "decision", "review_comment", "reviewed_by", "reviewed_at")  # fmt: skip


async def seed(cases: int) -> None:
    office = await Unit.create(code="procuratorate", name="宿州市人民检察院",
                               kind=UnitKind.PROCURATORATE, side=Side.PROCURATORATE)  # fmt: skip
    units = [await Unit.create(code=f"unit{i}", name=f"成员单位{i}", kind=UnitKind.MEMBER,
                               side=Side.GOVERNMENT) for i in range(28)]  # fmt: skip
    rng = random.Random(11)
    rows: dict[str, list[list[Any]]] = {
        t: [] for t in ("case", "recommendation_detail", "case_party", "case_clock", "reply")
    }
    for i in range(1, cases + 1):
        served = date(2026, 1, 1) + timedelta(days=rng.randint(0, 320))
        due = served + timedelta(days=61)
        replied = rng.random() < 0.6
        state = "replied" if replied else "rectifying"
        rows["case"].append([i, "recommendation", f"宿检行建〔2026〕{i}号",
                             "关于加强河道管理、落实河长制的检察建议", state, 3, "", "", NOW, NOW])  # fmt: skip
        rows["recommendation_detail"].append([i, "social_governance", "发现的问题", "建议事项",
                                              "法律依据", served, "written"])  # fmt: skip
        rows["case_party"] += [
            [i, PartyRole.ISSUER.value, office.id, None],
            [i, PartyRole.ADDRESSEE.value, rng.choice(units).id, None],
        ]
        rows["case_clock"].append([i, "reply", "jy_2m", "running", served, due, False,
                                   f"{served.isoformat()}送达，期限两个月，届满日为{due.isoformat()}。", 1])  # fmt: skip
        if replied:
            at = NOW - timedelta(days=rng.randint(1, 200))
            rows["reply"].append([i, "已整改", "", "full", "联络员", at, None, "", "", None])
    conn = Tortoise.get_connection("default")
    dialect = conn.capabilities.dialect
    for table, columns in (
        ("case", _CASE),
        ("recommendation_detail", _DETAIL),
        ("case_party", _PARTY),
        ("case_clock", _CLOCK),
        ("reply", _REPLY),
    ):
        sql = _insert(dialect, table, columns)
        for start in range(0, len(rows[table]), 5000):
            await conn.execute_many(sql, rows[table][start : start + 5000])


async def export(target: Path) -> dict[str, int]:
    audience = Audience(True, 0, Side.PROCURATORATE)
    inp = ledger.LedgerInput(date(2026, 1, 1), date(2026, 12, 31))
    return await ledger.write_ledger(audience, inp, target, today=TODAY, timezone="Asia/Shanghai")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    args = parser.parse_args()
    async with scratch_database(args.database) as url, database(url):
        began = time.perf_counter()
        await seed(args.cases)
        print(f"seeded {args.cases} recommendations in {time.perf_counter() - began:.1f} s")
        write_rows = ledger._write_rows
        with tempfile.TemporaryDirectory() as directory:
            out = Path(directory) / "ledger.xlsx"
            counts = await export(out)  # warm-up
            print(f"rows per sheet: {counts}; file {out.stat().st_size / 1e6:.1f} MB")
            timed, baseline = [], []
            for _ in range(args.rounds):
                began = time.perf_counter()
                await export(out)
                timed.append((time.perf_counter() - began) * 1000)
                ledger._write_rows = lambda *_: None
                began = time.perf_counter()
                await export(Path(directory) / "empty.xlsx")
                baseline.append((time.perf_counter() - began) * 1000)
                ledger._write_rows = write_rows
            tracemalloc.start()
            await export(out)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
    print(f"export (ms)            {summary(timed)}")
    print(f"read only, baseline    {summary(baseline)}")
    ratio = sorted(timed)[len(timed) // 2] / sorted(baseline)[len(baseline) // 2]
    print(f"export / baseline (p50) {ratio:.2f}")
    print(
        f"peak Python allocations during one export: {peak / 2**20:.1f} MiB; "
        f"max RSS of the process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    asyncio.run(main())
