"""``hub tasklist import FILE [--year YEAR]``: enter a year's task list from its JSON."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from hub.settings import Settings


async def cmd_tasklist_import(args: argparse.Namespace, settings: Settings) -> int:
    from hub.db import database
    from hub.domain.errors import HubError
    from hub.kinds.task_measure.tasklist import import_tasklist

    path: Path = args.file
    try:
        data = json.loads(await asyncio.to_thread(path.read_text, "utf-8"))
    except (OSError, ValueError) as exc:
        print(f"无法读取任务清单文件 {args.file}：{exc}", file=sys.stderr)
        return 2
    async with database(settings.database_url):
        try:
            report = await import_tasklist(data, year=args.year)
        except HubError as exc:
            print(exc.message, file=sys.stderr)
            return 2
    print("\n".join(report.lines()))
    return 0


def add_tasklist_parser(sub: Any) -> None:
    """Add ``tasklist import`` to the ``hub`` command's subparsers."""
    tasklist = sub.add_parser("tasklist", help="the annual task list").add_subparsers(
        dest="tasklist_command", required=True
    )
    imp = tasklist.add_parser(
        "import", help="import a year's task list from JSON (idempotent; unmapped names are "
        "reported)",
    )  # fmt: skip
    imp.add_argument("file", type=Path, help="e.g. hub/data/tasklist_2022.json")
    imp.add_argument("--year", type=int, default=None, help="the list's year (default: the file's)")
    imp.set_defaults(run=cmd_tasklist_import)
