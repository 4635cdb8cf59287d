"""The ``hub`` command: migrate, demo, serve, token, user, deadline, export-schema, alerts,
audit."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from hub.domain.holidays import HolidayCalendar
from hub.settings import Settings, get_settings

Command = Callable[[argparse.Namespace, Settings], Awaitable[int]]


async def cmd_migrate(args: argparse.Namespace, settings: Settings) -> int:
    from hub.db import apply_migrations

    await apply_migrations(settings.database_url)
    print("数据库已迁移到最新版本")
    return 0


async def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    from hub.db import database
    from hub.services import demo

    password = settings.demo_password.get_secret_value()
    async with database(settings.database_url):
        if await demo.is_loaded():
            if not args.if_empty:
                print("数据库中已有数据，未重复加载演示数据", file=sys.stderr)
                return 1
            print("演示数据已存在，跳过加载")
        else:
            counts = await demo.load_demo(password)
            print(
                f"已加载演示数据：{counts['units']} 个单位、{counts['users']} 个账号、"
                f"{counts['recommendations']} 件检察建议、{counts.get('cases', 0)} 件其他案件"
            )
    _print_demo_accounts(password)
    return 0


def _print_demo_accounts(password: str) -> None:
    from hub.services.demo import STAFF, liaison_username

    print(f"\n演示账号（密码均为 {password}）：")
    for account in STAFF:
        print(f"  {account.username:<20} {account.display_name}")
    print(f"  {liaison_username('ecology_env'):<20} 市生态环境局联络员")
    print(f"  {liaison_username('transport'):<20} 市交通运输局联络员")
    print("  （每个成员单位一个联络员账号：liaison_<单位代码>）")


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from hub.app import create_app
    from hub.ops.logs import configure as configure_logging
    from hub.security.log import install_handler

    print(f"府检联动平台启动：http://{args.host}:{args.port}/", flush=True)
    json_lines = settings.log_json if settings.log_json is not None else settings.production
    configure_logging(json_lines=json_lines)  # every logger, with the request id
    install_handler()  # the security log: JSON lines on stderr
    # No permessage-deflate: a board event goes to many sockets, and compressing the same
    # bytes once per socket cost more than everything else in the fan-out (bench/).
    uvicorn.run(
        create_app(settings),
        host=args.host,
        port=args.port,
        log_level="info",
        log_config=None,  # hub.ops.logs formats uvicorn's records too
        access_log=False,  # hub.ops.middleware logs each request with its operation
        ws="websockets-sansio",
        ws_per_message_deflate=False,
        # SIGTERM drains: stop accepting, close WebSockets with 1012 (service restart), let
        # in-flight requests finish for up to this long, then run the lifespan's shutdown.
        timeout_graceful_shutdown=settings.shutdown_timeout_s,
    )
    return 0


async def cmd_token_create(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import timedelta

    from hub.db import database
    from hub.domain.errors import HubError
    from hub.services.auth import create_api_token, parse_role

    try:
        role = parse_role(args.role) if args.role else None
    except HubError as exc:  # before opening the database: a typo needs no connection
        print(exc.message, file=sys.stderr)
        return 2
    async with database(settings.database_url):
        try:
            issued = await create_api_token(
                args.unit, args.name, role=role, scopes=args.scopes,
                ttl=timedelta(days=args.days) if args.days else None,
            )  # fmt: skip
        except HubError as exc:
            print(exc.message, file=sys.stderr)
            return 2
    token = issued.token
    print(issued.secret)
    expires = token.expires_at.date().isoformat() if token.expires_at else "—"
    print(
        f"令牌 #{token.id}（{token.name}，角色 {token.role.value}，权限 {token.scopes}，"
        f"{expires} 到期）只显示这一次，请妥善保存。",
        file=sys.stderr,
    )
    return 0


async def cmd_token_list(args: argparse.Namespace, settings: Settings) -> int:
    from hub import clock
    from hub.db import database
    from hub.domain.errors import HubError
    from hub.services.auth import list_api_tokens

    async with database(settings.database_url):
        try:
            tokens = await list_api_tokens(args.unit)
        except HubError as exc:
            print(exc.message, file=sys.stderr)
            return 2
    now = clock.now()

    def day(at: datetime | None) -> str:
        return at.astimezone(clock.BUSINESS_TZ).strftime("%Y-%m-%d %H:%M") if at else "—"

    print("编号\t单位\t角色\t权限\t状态\t创建\t到期\t最近使用\t最近地址\t名称")
    for t in tokens:
        print("\t".join((
            str(t.id), t.unit_code, t.role.value, t.scopes.replace(" ", ","), t.status(now),
            day(t.created_at), day(t.expires_at), day(t.last_used_at), t.last_used_ip or "—",
            t.name,
        )))  # fmt: skip
    if not tokens:
        print("（没有令牌）", file=sys.stderr)
    return 0


async def cmd_token_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from hub.db import database
    from hub.security.revocation import publishing
    from hub.services.auth import revoke_api_token

    async with database(settings.database_url), publishing(settings.broadcast_url):
        revoked = await revoke_api_token(args.id)
    print("令牌已吊销" if revoked else "没有这个有效令牌", file=sys.stderr if not revoked else None)
    return 0 if revoked else 1


async def cmd_user_deactivate(args: argparse.Namespace, settings: Settings) -> int:
    from hub.db import database
    from hub.domain.errors import HubError
    from hub.security.revocation import publishing
    from hub.services.auth import deactivate_user

    async with database(settings.database_url), publishing(settings.broadcast_url):
        try:
            changed = await deactivate_user(args.username)
        except HubError as exc:
            print(exc.message, file=sys.stderr)
            return 2
    print(f"账号 {args.username} 已停用" if changed else f"账号 {args.username} 此前已停用")
    return 0


async def cmd_deadline(args: argparse.Namespace, settings: Settings) -> int:
    from hub.domain.clock_rules import DEFAULT_MAX_CUSTOM
    from hub.domain.deadlines import Period, PeriodUnit, ReplyRule, compute_deadline, reply_period

    for amount, unit in ((args.days, PeriodUnit.DAYS), (args.months, PeriodUnit.MONTHS)):
        if amount and amount > DEFAULT_MAX_CUSTOM[unit]:
            print(f"期限最长为{Period(DEFAULT_MAX_CUSTOM[unit], unit).describe()}", file=sys.stderr)
            return 2
    if args.rule:
        return await _rule_deadline(args, settings)
    if isinstance(args.served, datetime):
        print("只有按小时计算的规则（--rule）才接受时刻，请给出 YYYY-MM-DD 日期", file=sys.stderr)
        return 2
    if args.urgent:
        period = reply_period(ReplyRule.URGENT_15_DAYS)
    elif args.days:
        period = Period(args.days, PeriodUnit.DAYS)
    elif args.months:
        period = Period(args.months, PeriodUnit.MONTHS)
    else:
        period = reply_period(ReplyRule.STATUTORY_2_MONTHS)
    deadline = compute_deadline(args.served, period, await _calendar(settings))
    print(deadline.due_on.isoformat() + (" provisional" if deadline.provisional else ""))
    print(deadline.explanation)
    return 0


async def _rule_deadline(args: argparse.Namespace, settings: Settings) -> int:
    """``--rule``: --days / --months give the period of a rule set case by case."""
    from hub.domain.clock_rules import ClockRuleError, compute_clock
    from hub.domain.deadlines import Period, PeriodUnit

    if args.urgent:
        print("--urgent 不能与 --rule 同时使用，紧急情形请用 --rule ji21_15d", file=sys.stderr)
        return 2
    custom = None
    if args.days or args.months:
        unit = PeriodUnit.DAYS if args.days else PeriodUnit.MONTHS
        custom = Period(args.days or args.months, unit)
    try:
        clock = compute_clock(args.rule, args.served, await _calendar(settings), custom=custom)
    except ClockRuleError as exc:
        print(exc, file=sys.stderr)
        return 2
    due = clock.due_at.isoformat() if clock.due_at else clock.due_on.isoformat()
    print(due + (" provisional" if clock.provisional else ""))
    print(clock.explanation)
    return 0


def _served(value: str) -> date | datetime:
    """A date, or for hour rules an ISO instant; one without an offset is Asia/Shanghai time."""
    from hub.clock import BUSINESS_TZ

    try:
        return _iso_date(value)
    except argparse.ArgumentTypeError as not_a_date:
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            hint = "；按小时计算的规则可给出时刻，如 2026-12-01T22:30+08:00"
            raise argparse.ArgumentTypeError(f"{not_a_date}{hint}") from None
    return instant if instant.tzinfo else instant.replace(tzinfo=BUSINESS_TZ)


def _rule_id(value: str) -> str:
    from hub.domain.clock_rules import UnknownRule, rule

    try:
        return rule(value).id
    except UnknownRule as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


async def _calendar(settings: Settings) -> HolidayCalendar:
    """The database calendar when there is a migrated database, else the package's data."""
    from tortoise.exceptions import BaseORMException

    from hub.db import database, is_sqlite
    from hub.domain.holidays import StatutoryCalendar
    from hub.services.calendar import current_calendar

    if is_sqlite(settings.database_url) and not _sqlite_exists(settings.database_url):
        return StatutoryCalendar()
    try:
        async with database(settings.database_url):
            return await current_calendar()
    except (BaseORMException, OSError):
        return StatutoryCalendar()


def _sqlite_exists(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    return Path(parsed.path or parsed.netloc).exists()


async def cmd_calendar_import(args: argparse.Namespace, settings: Settings) -> int:
    """Enter a year's State Council holiday arrangement from a JSON file, then recompute."""
    import json

    from hub.db import database
    from hub.domain.errors import HubError
    from hub.services.calendar import publish_year
    from hub.services.clocks import recompute_provisional_clocks

    try:
        data = json.loads(args.file.read_text("utf-8"))
        days = [(date.fromisoformat(d["day"]), bool(d["workday"]), str(d.get("name", "")))
                for d in data["days"]]  # fmt: skip
        year = int(data["year"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        print(f"无法读取节假日文件：{exc}", file=sys.stderr)
        return 2
    async with database(settings.database_url):
        try:
            entered = await publish_year(year, days, source=str(data.get("source", "")))
        except HubError as exc:
            print(exc.message, file=sys.stderr)
            return 2
        moved = await recompute_provisional_clocks()
    print(f"已录入 {year} 年节假日安排 {entered} 日；重新计算了 {moved} 件检察建议的回复期限")
    return 0


async def cmd_export_schema(args: argparse.Namespace, settings: Settings) -> int:
    from hub.schema import schema_sdl

    sys.stdout.write(schema_sdl())
    return 0


async def cmd_alerts_run_once(args: argparse.Namespace, settings: Settings) -> int:
    from hub.alerts.worker import run_once
    from hub.db import database

    async with database(settings.database_url):
        report = await run_once(settings)
    print(report.summary())
    return 0


async def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> int:
    from hub.db import database
    from hub.services.audit import verify_chain

    async with database(settings.database_url):
        result = await verify_chain()
    if result.finding is not None:
        print(f"事件链校验失败：{result.finding.describe()}", file=sys.stderr)
        print(f"已检查 {result.checked} 个事件", file=sys.stderr)
        return 1
    print(f"事件链完整：{result.checked} 个事件，用时 {result.seconds:.2f} 秒")
    print(f"链头 seq={result.head_seq} hash={result.head_hash}")
    return 0


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是 YYYY-MM-DD 格式的日期：{value}") from None


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("必须是正整数")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="hub", description="府检联动 Hub")
    sub = parser.add_subparsers(dest="command", required=True)

    sub.add_parser("migrate", help="apply the database migrations").set_defaults(run=cmd_migrate)

    demo = sub.add_parser("demo", help="load the demo data from the city document")
    demo.add_argument("--if-empty", action="store_true", help="do nothing when data exists")
    demo.set_defaults(run=cmd_demo)

    serve = sub.add_parser("serve", help="start the hub")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.set_defaults(run=cmd_serve)

    token = sub.add_parser("token", help="API tokens for agency systems").add_subparsers(
        dest="token_command", required=True
    )
    create = token.add_parser("create", help="create a token and print it once")
    create.add_argument("--unit", required=True, help="unit code, e.g. ecology_env")
    create.add_argument("--name", required=True, help="what system uses it")
    create.add_argument(
        "--role",
        help="default: unit_liaison for a government unit, prosecutor for the procuratorate; "
        "a government unit may have unit_liaison or viewer",
    )
    create.add_argument(
        "--scopes", default=None, help="read, or read,write (the default): read cannot mutate"
    )
    create.add_argument(
        "--days",
        type=_positive,
        default=None,
        help="lifetime in days (default HUB_TOKEN_TTL_DAYS, 365)",
    )
    create.set_defaults(run=cmd_token_create)
    listing = token.add_parser("list", help="list tokens (never their secrets)")
    listing.add_argument("--unit", help="only this unit's tokens")
    listing.set_defaults(run=cmd_token_list)
    revoke = token.add_parser("revoke", help="revoke a token by its number")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(run=cmd_token_revoke)

    user = sub.add_parser("user", help="user accounts").add_subparsers(
        dest="user_command", required=True
    )
    deactivate = user.add_parser(
        "deactivate", help="the user can no longer sign in; their sessions and sockets end"
    )
    deactivate.add_argument("username")
    deactivate.set_defaults(run=cmd_user_deactivate)

    deadline = sub.add_parser("deadline", help="compute a reply deadline")
    deadline.add_argument(
        "--served", type=_served, required=True, help="service date (hour rules: ISO instant)"
    )
    from hub.domain.clock_rules import RULES

    deadline.add_argument(
        "--rule", type=_rule_id, choices=tuple(RULES), metavar="RULE_ID",
        help="a deadline rule (--days/--months set a custom one): " + ", ".join(RULES),
    )  # fmt: skip
    period = deadline.add_mutually_exclusive_group()
    period.add_argument("--urgent", action="store_true", help="15 days (JI Art. 21(2))")
    period.add_argument("--days", type=_positive, help="a period of N days")
    period.add_argument("--months", type=_positive, help="a period of N months")
    deadline.set_defaults(run=cmd_deadline)

    cal = sub.add_parser("calendar", help="holiday calendar").add_subparsers(
        dest="calendar_command", required=True
    )
    imp = cal.add_parser("import", help="enter a year's holidays from JSON and recompute")
    imp.add_argument(
        "file",
        type=Path,
        help='{"year": 2027, "source": "…", "days": '
        '[{"day": "2027-01-01", "workday": false, "name": "元旦"}, …]}',
    )
    imp.set_defaults(run=cmd_calendar_import)

    sub.add_parser("export-schema", help="print the GraphQL SDL").set_defaults(
        run=cmd_export_schema
    )

    alerts = sub.add_parser("alerts", help="overdue email alerts").add_subparsers(
        dest="alerts_command", required=True
    )
    alerts.add_parser("run-once", help="decide due alerts and send the outbox once").set_defaults(
        run=cmd_alerts_run_once
    )

    audit = sub.add_parser("audit", help="the tamper-evident event log").add_subparsers(
        dest="audit_command", required=True
    )
    audit.add_parser(
        "verify", help="walk the event hash chain and name the first altered, removed or "
        "inserted event (exit 1)",
    ).set_defaults(run=cmd_audit_verify)  # fmt: skip

    from hub.kinds.task_measure.cli import add_tasklist_parser

    add_tasklist_parser(sub)
    from hub.export_cli import add_export_parser

    add_export_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = get_settings()
    result = args.run(args, settings)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return int(result)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
