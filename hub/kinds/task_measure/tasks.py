"""A year's list, its task rows and the numbers of its measures (``2023-任务05-④``).

The year's own list (its import, or the Office entering it measure by measure) owns the task
numbers. A measure carried over from the year before (``source`` = the old measure) keeps its
old task's number in the new year when it can. When the year's list is entered, the carried
task gives way (``give_way``): it moves to the number the list gives a task of its name, or,
when the list gives its number to another task, past the list's tasks; its measures are
renumbered with it, each with a ``renumber`` event.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.transactions import in_transaction

from hub.domain.errors import ValidationFailed
from hub.domain.roles import Actor
from hub.kinds.task_measure.models import TaskList, TaskListTask, TaskMeasureDetail
from hub.kinds.task_measure.spec import CATEGORY_LABELS, RENUMBER, Category
from hub.models import Case
from hub.services.cases import announce
from hub.services.events import append_event

Wanted = Mapping[int, tuple[Category, str]]  # task number → its category and name


def case_no_of(year: int, task_no: int, seq: str) -> str:
    return f"{year}-任务{task_no:02d}-{seq}"


def list_title(year: int) -> str:
    return f"{year}年度“府检联动”重点工作任务清单"


def check_same_task(task: TaskListTask, year: int, category: Category, title: str) -> None:
    """A measure of task ``task.no`` must name that task as the year's list does."""
    if task.category is not category:
        label = CATEGORY_LABELS[task.category]
        raise ValidationFailed(f"任务{task.no}属于“{label}”类别", field="category")
    if task.title != title:
        raise ValidationFailed(f"{year}年任务{task.no}为“{task.title}”", field="taskTitle")


async def task_row(
    conn: BaseDBAsyncClient, year: int, no: int, category: Category, title: str, issued_on: date
) -> TaskListTask:
    """The task, made with the year's list when they are new; an existing task of that
    number must have the same category and name."""
    defaults = {"title": list_title(year), "issued_on": issued_on}
    await TaskList.get_or_create(year=year, defaults=defaults, using_db=conn)
    task = await TaskListTask.filter(task_list_id=year, no=no).using_db(conn).first()
    if task is None:
        return await TaskListTask.create(
            using_db=conn, task_list_id=year, no=no, category=category, title=title
        )
    check_same_task(task, year, category, title)
    return task


async def carried_task_no(
    conn: BaseDBAsyncClient, year: int, no: int, category: Category, title: str
) -> int:
    """Where a carried task goes in ``year``'s list: its old number when that is free or the
    same task, else the task of the same name under another number, else the first free."""
    rows = list(await TaskListTask.filter(task_list_id=year).using_db(conn))
    same = [r.no for r in rows if (r.category, r.title) == (category, title)]
    if no in same or all(r.no != no for r in rows):
        return no
    return same[0] if same else max(r.no for r in rows) + 1


async def _entered_tasks(conn: BaseDBAsyncClient, year: int) -> set[int]:
    """The year's tasks that hold a measure entered with its list (not carried in)."""
    rows = TaskMeasureDetail.filter(year=year, case__source_id__isnull=True).using_db(conn)
    return set(await rows.values_list("task_id", flat=True))  # type: ignore[arg-type]


def _plan(rows: list[TaskListTask], entered: set[int], wanted: Wanted) -> dict[int, int]:
    """Where each carried task that must move goes (task id → number): to the number the
    list gives a task of its name when that is free, else, when the list gives its own
    number to another task, past the list's tasks; otherwise it stays."""
    home = {task: no for no, task in wanted.items()}
    carried = [r for r in rows if r.id not in entered]
    wants = {r.id: home.get((r.category, r.title), r.no) for r in carried}
    clash = {r.id for r in carried if r.no in wanted and wanted[r.no] != (r.category, r.title)}
    movers = [r for r in carried if wants[r.id] != r.no or r.id in clash]
    fixed = {r.no for r in rows} - {r.no for r in movers}
    while True:  # until no mover is left stuck on its number (each round fixes some)
        targets: dict[int, int] = {}
        for r in movers:
            to = wants[r.id]
            if to != r.no and to not in fixed and to not in targets.values():
                targets[r.id] = to
            elif r.id in clash:
                targets[r.id] = 0  # past the end, numbered below
        stuck = {r.no for r in movers if r.id not in targets}
        if not stuck:
            break
        fixed |= stuck
        movers = [r for r in movers if r.id in targets]
    last = max([*wanted, *fixed, *targets.values()], default=0)
    for task_id in sorted(t for t, no in targets.items() if no == 0):
        last += 1
        targets[task_id] = last
    return targets


async def give_way(actor: Actor, year: int, wanted: Wanted, *, at: datetime) -> list[str]:
    """Make room for the tasks ``wanted`` numbers: a carried task moves to the number given
    its own name, or off a number given another task (``_plan``), its measures renumbered; a
    number held by a task entered with the list is refused, before anything moves. Says what
    moved (``2023-任务05-④ → 2023-任务15-④``)."""
    seqs: list[int] = []
    async with in_transaction() as conn:
        rows = list(await TaskListTask.filter(task_list_id=year).using_db(conn))
        entered = await _entered_tasks(conn, year)
        for row in rows:
            if row.id in entered and row.no in wanted:
                check_same_task(row, year, *wanted[row.no])
        targets = _plan(rows, entered, wanted)
        if not targets:
            return []
        moving = [r for r in rows if r.id in targets]
        for row in moving:  # off their numbers first: two may swap
            await TaskListTask.filter(id=row.id).using_db(conn).update(no=-row.id)
        lines = await _renumber(conn, actor, {r.id: targets[r.id] for r in moving}, at, seqs)
        for row in moving:
            await TaskListTask.filter(id=row.id).using_db(conn).update(no=targets[row.id])
    for seq in seqs:
        await announce(seq)
    return lines


async def _renumber(
    conn: BaseDBAsyncClient, actor: Actor, targets: dict[int, int], at: datetime,
    seqs: list[int],
) -> list[str]:  # fmt: skip
    """Renumber the measures of the moving tasks (each version bumped, with an event)."""
    details = TaskMeasureDetail.filter(task_id__in=list(targets)).using_db(conn)
    moves = []
    for detail in await details.order_by("case_id"):
        case = await Case.filter(id=detail.case_id).select_for_update().using_db(conn).get()
        moves.append((case, case_no_of(detail.year, targets[detail.task_id], detail.seq)))
        await Case.filter(id=case.id).using_db(conn).update(case_no=f"~{case.id}")
    for case, new_no in moves:  # the numbers may swap too
        version = case.version + 1
        await (
            Case.filter(id=case.id)
            .using_db(conn)
            .update(case_no=new_no, version=version, updated_at=at)
        )
        event = await append_event(
            conn, case_id=case.id, action=RENUMBER, from_state=case.state, to_state=case.state,
            version=version, actor=actor, at=at, payload={"from": case.case_no, "to": new_no},
        )  # fmt: skip
        seqs.append(event.seq)
    return [f"{case.case_no} → {new_no}" for case, new_no in moves]
