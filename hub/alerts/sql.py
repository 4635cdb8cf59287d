"""The alert scan's two raw statements: find undecided clocks, insert outbox rows.

Raw SQL because both run over many rows: Tortoise would build a model object per row
(~50–100 µs each here). Values are bound parameters; the table ``"case"`` is a reserved word
and is always quoted. Both statements work on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date

from hub.domain.alerts import level_ranges
from hub.domain.engine import ClockStatus
from hub.domain.kinds import ClockSpec, KindSpec


class Params:
    """Bound parameters in the order they appear: ``$n`` on PostgreSQL, ``?`` on SQLite."""

    def __init__(self, dialect: str) -> None:
        if dialect not in {"postgres", "sqlite"}:  # pragma: no cover - the hub runs on these
            raise NotImplementedError(f"alerts do not support {dialect}")
        self.dialect = dialect
        self.values: list[object] = []

    def __call__(self, value: object) -> str:
        self.values.append(value)
        return f"${len(self.values)}" if self.dialect == "postgres" else "?"


_SELECT = (
    'SELECT "k"."id", "k"."case_id", "k"."version", "k"."due_on", "k"."explanation"'
    ' FROM "case_clock" "k"'
)


def scan_sql(
    dialect: str, spec: KindSpec, clock: ClockSpec, today: date, after_id: int, limit: int
) -> tuple[str, list[object]]:
    """The next ``limit`` clocks (by id, after ``after_id``) with an alert due and undecided.

    Undecided: no outbox row for the level the clock's last day is at today, at the clock's
    current version. The level is ``alert_level`` written as a CASE over the policy's ranges
    (``level_ranges``), served by the outbox's (case_id, clock, deadline_version, level)
    index. Relies on a case-level's rows being inserted by one statement.

    Both lookups (the outbox row, the case's kind and state) are correlated scalar
    subqueries, never joins: PostgreSQL does not flatten them, so each is one index probe per
    clock in the window whatever the planner's statistics say. (As a join and a NOT EXISTS,
    a table without statistics yet, e.g. just after a bulk load, got nested loops that
    rescanned "case" and "outbox_email" for every clock: 24 s a chunk at 100k cases.)
    """
    assert clock.alert is not None
    ranges = level_ranges(clock.alert, today)
    p = Params(dialect)
    sql = (
        f'{_SELECT} WHERE "k"."name" = {p(clock.name)}'
        f' AND "k"."status" = {p(ClockStatus.RUNNING.value)}'
        f' AND "k"."due_on" <= {p(ranges[0][2])} AND "k"."id" > {p(after_id)}'
        ' AND (SELECT 1 FROM "outbox_email" "o"'
        ' WHERE "o"."case_id" = "k"."case_id" AND "o"."clock" = "k"."name"'
        ' AND "o"."deadline_version" = "k"."version" AND "o"."level" = CASE'
    )
    # Ranges come latest last day first; only the last one is unbounded below.
    for level, first, _ in ranges[:-1]:
        sql += f' WHEN "k"."due_on" >= {p(first)} THEN \'{level.value}\''
    sql += f" ELSE '{ranges[-1][0].value}' END LIMIT 1) IS NULL"
    case = f'FROM "case" "c" WHERE "c"."id" = "k"."case_id" AND "c"."kind" = {p(spec.kind.value)}'
    if clock.runs_in is None:
        sql += f" AND (SELECT 1 {case}) IS NOT NULL"
    else:
        states = ", ".join(p(s) for s in sorted(clock.runs_in))
        sql += f' AND (SELECT "c"."state" {case}) IN ({states})'
    sql += f' ORDER BY "k"."id" LIMIT {p(limit)}'
    return sql, p.values


INSERT_BATCH = 200  # rows per INSERT statement (17 parameters each), whole cases only
INSERT_COLUMNS = (
    "dedupe_key",
    "case_id",
    "clock",
    "deadline_version",
    "level",
    "recipient_user_id",
    "recipient_role",
    "recipient_name",
    "recipient_email",
    "subject",
    "body",
    "status",
    "attempts",
    "next_attempt_at",
    "claimed_until",
    "last_error",
    "created_at",
)


def insert_sql(dialect: str, rows: int) -> str:
    """One multi-row INSERT that skips keys already present and returns the rows it added.

    Tortoise's ``bulk_create(ignore_conflicts=True)`` works on both databases too, but it
    builds a model object per row and cannot say how many rows it added.
    """
    p = Params(dialect)
    groups = ("(" + ", ".join(p(None) for _ in INSERT_COLUMNS) + ")" for _ in range(rows))
    columns = ", ".join(f'"{c}"' for c in INSERT_COLUMNS)
    return (
        f'INSERT INTO "outbox_email" ({columns}) VALUES {", ".join(groups)}'
        ' ON CONFLICT ("dedupe_key") DO NOTHING RETURNING "id"'
    )
