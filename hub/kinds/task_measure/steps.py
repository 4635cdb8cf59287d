"""The task measure's steps: each receives its form's checked values (hub.services.forms).

``open_measure`` is the one way a measure enters the hub: the Office's create form, the
list import (``hub.kinds.task_measure.tasklist``) and the year-end carry-over (which opens the
measure in the next year's list, in its own step's transaction) all go through it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from hub import clock
from hub.domain.dates import text_date
from hub.domain.engine import Party
from hub.domain.errors import ValidationFailed
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Actor
from hub.kinds.task_measure.models import (
    TaskList,
    TaskListTask,
    TaskMeasureDetail,
    TaskMeasureInspection,
    TaskMeasureReport,
)
from hub.kinds.task_measure.spec import DATED, ONGOING, Action, Category
from hub.kinds.task_measure.tasks import carried_task_no, case_no_of, give_way, task_row
from hub.models import Case, Unit
from hub.services.cases import Change, NewCase, StepContext, create_case, ensure_may_create
from hub.services.clocks import start_clock_until
from hub.services.forms import KindSteps, Values

KIND = CaseKind.TASK_MEASURE
TITLE_LENGTH = 120


@dataclass(frozen=True, slots=True)
class NewMeasure:
    """A measure of a year's list, its responsible bodies already units (or reported)."""

    year: int
    task_no: int
    task_title: str
    category: Category
    seq: str
    text: str
    due_on: date | None
    ongoing: bool
    deadline_raw: str
    lead: int | None
    responsible: tuple[int, ...]
    responsible_raw: str = ""
    unmapped: str = ""
    source_id: int | None = None  # the measure of the year before it was carried over from


def deadline_wording(due_on: date | None, ongoing: bool) -> str:
    """The list's own wording of a deadline (12月底前, 长期坚持, 5月底前完成并长期坚持)."""
    if due_on is None:
        return "长期坚持"
    month = f"{due_on.month}月底前" if _month_end(due_on) else f"{text_date(due_on)}前"
    return f"{month}完成并长期坚持" if ongoing else month


def _month_end(day: date) -> bool:
    return day.month != date.fromordinal(day.toordinal() + 1).month


def clock_start(issued_on: date, due_on: date) -> date:
    """The deadline counts from the list's date; one before it from 1 January of the year."""
    return issued_on if due_on > issued_on else date(issued_on.year, 1, 1)


def _check_deadline(year: int, due_on: date | None, ongoing: bool) -> None:
    if due_on is None and not ongoing:
        raise ValidationFailed("请填写完成时限，或选择长期坚持", field="dueOn")
    if due_on is not None and due_on.year < year:
        raise ValidationFailed(f"完成时限{text_date(due_on)}早于{year}年", field="dueOn")


async def open_measure(
    actor: Actor, m: NewMeasure, *, issued_on: date, now: datetime | None = None
) -> Change:
    """Enter one measure; its deadline clock starts on the list's date (``issued_on``, used
    as well for a list the measure is the first of). A carried task holding its number gives
    way first (``tasks.give_way``)."""
    ensure_may_create(actor, KIND)  # before a carried task is moved for it
    _check_deadline(m.year, m.due_on, m.ongoing)
    await give_way(actor, m.year, {m.task_no: (m.category, m.task_title)}, at=now or clock.now())
    parties = [Party(PartyRole.LEAD, m.lead)] if m.lead is not None else []
    parties += [Party(PartyRole.RESPONSIBLE, u) for u in m.responsible if u != m.lead]
    flags = frozenset({DATED} if m.due_on else set()) | frozenset({ONGOING} if m.ongoing else set())
    title = m.text if len(m.text) <= TITLE_LENGTH else m.text[: TITLE_LENGTH - 1] + "…"

    async def detail(ctx: StepContext) -> dict[str, Any]:
        task = await task_row(ctx.conn, m.year, m.task_no, m.category, m.task_title, issued_on)
        listed = await TaskList.filter(year=m.year).using_db(ctx.conn).get()
        await TaskMeasureDetail.create(
            using_db=ctx.conn, case_id=ctx.case.id, task_id=task.id, year=m.year,
            category=m.category, seq=m.seq, text=m.text,
            deadline_raw=m.deadline_raw or deadline_wording(m.due_on, m.ongoing),
            due_on=m.due_on, ongoing=m.ongoing, responsible_raw=m.responsible_raw,
            unmapped=m.unmapped,
        )  # fmt: skip
        if m.due_on is not None:
            started = clock_start(min(listed.issued_on, ctx.today), m.due_on)
            await start_clock_until(ctx, "due", started, m.due_on, field="dueOn")
        return {"year": m.year, "task": m.task_no, "dueOn": m.due_on and m.due_on.isoformat()}

    case_no = case_no_of(m.year, m.task_no, m.seq)
    new = NewCase(case_no, title, tuple(parties), flags=flags, source_id=m.source_id)
    return await create_case(actor, KIND, new, detail, now=now)


async def create(actor: Actor, values: Values) -> Change:
    """The Office enters a measure with its lead unit and the other responsible units."""
    others: list[int] = values["responsibleUnitIds"]
    measure = NewMeasure(
        year=values["year"], task_no=values["taskNo"], task_title=values["taskTitle"],
        category=values["category"], seq=values["seq"], text=values["text"],
        due_on=values["dueOn"], ongoing=values["ongoing"], deadline_raw=values["deadlineRaw"],
        lead=values["leadUnitId"], responsible=tuple(others),
    )  # fmt: skip
    return await open_measure(actor, measure, issued_on=clock.today())


async def _detail(ctx: StepContext) -> TaskMeasureDetail:
    return await TaskMeasureDetail.filter(case_id=ctx.case.id).using_db(ctx.conn).get()


def _not_after_today(ctx: StepContext, day: date, name: str, label: str) -> None:
    if day > ctx.today:
        raise ValidationFailed(
            f"{label}{text_date(day)}晚于今天（{text_date(ctx.today)}）", field=name
        )


async def report_progress(ctx: StepContext, values: Values) -> dict[str, Any]:
    _not_after_today(ctx, values["reportedOn"], "reportedOn", "报告日期")
    await TaskMeasureReport.create(
        using_db=ctx.conn, case_id=ctx.case.id, unit_id=ctx.actor.unit_id,
        reported_on=values["reportedOn"], progress=values["progress"],
        evidence=values["evidence"], reported_by=ctx.actor.name, recorded_at=ctx.at,
    )  # fmt: skip
    return {"reportedOn": values["reportedOn"].isoformat()}


async def claim_complete(ctx: StepContext, values: Values) -> dict[str, Any]:
    _not_after_today(ctx, values["completedOn"], "completedOn", "完成日期")
    detail = await _detail(ctx)
    detail.claimed_on = values["completedOn"]
    detail.claim_summary, detail.claim_evidence = values["summary"], values["evidence"]
    await detail.save(using_db=ctx.conn)
    return {"completedOn": values["completedOn"].isoformat()}


async def return_claim(ctx: StepContext, values: Values) -> dict[str, Any]:
    await (
        TaskMeasureDetail.filter(case_id=ctx.case.id)
        .using_db(ctx.conn)
        .update(return_reason=values["reason"])
    )
    return {}


async def _inspection(ctx: StepContext, values: Values, *, joint: bool) -> dict[str, Any]:
    _not_after_today(ctx, values["heldOn"], "heldOn", "调研日期" if joint else "督查日期")
    ids = values.get("participantUnitIds") or []
    names = {u.id: u.name for u in await Unit.filter(id__in=ids).using_db(ctx.conn)}
    await TaskMeasureInspection.create(
        using_db=ctx.conn, case_id=ctx.case.id, joint=joint, held_on=values["heldOn"],
        participants="、".join(names[i] for i in ids), findings=values["findings"],
        requirements=values["requirements"], recorded_by=ctx.actor.name, recorded_at=ctx.at,
    )  # fmt: skip
    return {"heldOn": values["heldOn"].isoformat()}


async def record_inspection(ctx: StepContext, values: Values) -> dict[str, Any]:
    return await _inspection(ctx, values, joint=False)


async def record_joint_visit(ctx: StepContext, values: Values) -> dict[str, Any]:
    return await _inspection(ctx, values, joint=True)


async def year_end(ctx: StepContext, values: Values) -> dict[str, Any]:
    """年终评估: not before 1 December of the list's year."""
    detail = await _year_end(ctx, values)
    return {"year": detail.year}


async def _year_end(ctx: StepContext, values: Values) -> TaskMeasureDetail:
    detail = await _detail(ctx)
    if ctx.today < date(detail.year, 12, 1):
        raise ValidationFailed(f"年终评估须在 {detail.year} 年 12 月 1 日以后进行", field="id")
    detail.year_end_note = values["note"]
    await detail.save(using_db=ctx.conn, update_fields=["year_end_note"])
    return detail


async def carry_over(ctx: StepContext, values: Values) -> dict[str, Any]:
    """结转下一年度: the year-end review, and the same measure opened in the next year's list
    (its ``source`` this one), ongoing and not started."""
    detail = await _year_end(ctx, values)
    task = await TaskListTask.filter(id=detail.task_id).using_db(ctx.conn).get()
    year = detail.year + 1
    no = await carried_task_no(ctx.conn, year, task.no, task.category, task.title)
    case_no = case_no_of(year, no, detail.seq)
    if await Case.filter(case_no=case_no).using_db(ctx.conn).exists():
        raise ValidationFailed(f"{year} 年度清单已有措施 {case_no}，不能结转", field="id")
    lead = next((p.unit_id for p in ctx.parties if p.role is PartyRole.LEAD), None)
    measure = NewMeasure(
        year=year, task_no=no, task_title=task.title, category=task.category, seq=detail.seq,
        text=detail.text, due_on=None, ongoing=True, deadline_raw="", lead=lead,
        responsible=tuple(p.unit_id for p in ctx.parties if p.role is PartyRole.RESPONSIBLE),
        responsible_raw=detail.responsible_raw, unmapped=detail.unmapped, source_id=ctx.case.id,
    )  # fmt: skip
    carried = await open_measure(ctx.actor, measure, issued_on=date(year, 1, 1), now=ctx.at)
    return {"year": detail.year, "carriedToId": carried.case.id, "caseNo": case_no}


STEPS = KindSteps(
    kind=KIND,
    create=create,
    steps={
        Action.REPORT_PROGRESS: report_progress,
        Action.CLAIM_COMPLETE: claim_complete,
        Action.RETURN: return_claim,
        Action.INSPECT: record_inspection,
        Action.JOINT_VISIT: record_joint_visit,
        Action.CARRY_OVER: carry_over,
        Action.CLOSE_FOR_YEAR: year_end,
    },
    together=frozenset({Action.CARRY_OVER}),  # it opens the next year's measure
)
