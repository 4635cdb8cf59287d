"""The task list's own storage: a year's list, its tasks, and each measure's detail, reports
and the Office's inspection records. The measure is the case; the list and its tasks are
plain rows (not cases) the measures point at."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

from hub.kinds.task_measure.spec import Category

if TYPE_CHECKING:
    from hub.models.case import Case
    from hub.models.unit import Unit


class TaskList(Model):
    """A year's 重点工作任务清单: the document it came with and the date it was issued."""

    year = fields.IntField(primary_key=True)
    doc_no = fields.CharField(max_length=64, default="", description="印发文号")
    title = fields.CharField(max_length=200)
    issued_on = fields.DateField(description="印发日期：完成时限自此起算")

    class Meta:
        table = "task_list"


class TaskListTask(Model):
    """One task (任务) of a year's list and its category."""

    id = fields.IntField(primary_key=True)
    task_list: fields.ForeignKeyRelation[TaskList] = fields.ForeignKeyField(
        "hub.TaskList", related_name="tasks", on_delete=fields.CASCADE
    )
    task_list_id: int
    no = fields.IntField(description="任务序号")
    category = fields.CharEnumField(Category, max_length=16)
    title = fields.CharField(max_length=200)

    class Meta:
        table = "task_list_task"
        unique_together = (("task_list", "no"),)
        ordering = ("task_list_id", "no")


class TaskMeasureDetail(Model):
    """The measure: its task, text and deadline, responsible bodies are LEAD / RESPONSIBLE
    parties, ``responsible_raw`` the list's own wording of them."""

    case: fields.OneToOneRelation[Case] = fields.OneToOneField(
        "hub.Case", related_name="task_measure", on_delete=fields.CASCADE, primary_key=True
    )
    case_id: int
    task: fields.ForeignKeyRelation[TaskListTask] = fields.ForeignKeyField(
        "hub.TaskListTask", related_name="measures", on_delete=fields.RESTRICT
    )
    task_id: int
    year = fields.IntField()
    category = fields.CharEnumField(Category, max_length=16, description="= the task's")
    seq = fields.CharField(max_length=8, description="措施序号，如 ①")
    text = fields.TextField()
    deadline_raw = fields.CharField(max_length=64, default="", description="如 12月底前")
    due_on = fields.DateField(null=True)
    ongoing = fields.BooleanField(default=False, description="长期坚持")
    responsible_raw = fields.TextField(default="")
    unmapped = fields.TextField(default="", description="清单所列、未能对应到单位的责任主体")
    claimed_on = fields.DateField(null=True)
    claim_summary = fields.TextField(default="")
    claim_evidence = fields.TextField(default="")
    return_reason = fields.TextField(default="")
    year_end_note = fields.TextField(default="")

    class Meta:
        table = "task_measure_detail"


class TaskMeasureReport(Model):
    """One progress report (进展报告) of a lead or responsible unit."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="task_measure_reports", on_delete=fields.CASCADE
    )
    case_id: int
    unit: fields.ForeignKeyRelation[Unit] = fields.ForeignKeyField(
        "hub.Unit", related_name=False, on_delete=fields.RESTRICT, description="报告单位"
    )
    unit_id: int
    reported_on = fields.DateField()
    progress = fields.TextField()
    evidence = fields.TextField(default="")
    reported_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "task_measure_report"
        ordering = ("id",)


class TaskMeasureInspection(Model):
    """A 督查 or a 联合督导调研 the Office recorded, ``participants`` are unit names."""

    id = fields.IntField(primary_key=True)
    case: fields.ForeignKeyRelation[Case] = fields.ForeignKeyField(
        "hub.Case", related_name="task_measure_inspections", on_delete=fields.CASCADE
    )
    case_id: int
    joint = fields.BooleanField(description="联合督导调研（否则为督查）")
    held_on = fields.DateField()
    participants = fields.TextField(default="")
    findings = fields.TextField()
    requirements = fields.TextField(default="")
    recorded_by = fields.CharField(max_length=128)
    recorded_at = fields.DatetimeField()

    class Meta:
        table = "task_measure_inspection"
        ordering = ("id",)
