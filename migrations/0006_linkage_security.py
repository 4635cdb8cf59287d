from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops
from hub.domain.kinds import CaseKind, PartyRole
from hub.kinds.consultation.spec import MeetingType as ConsultationMeetingType
from hub.kinds.consultation.spec import Topic
from hub.kinds.lead_transfer.enums import Direction as LeadDirection
from hub.kinds.lead_transfer.enums import LeadOutcome, SanctionResult
from hub.kinds.meeting.spec import Matter
from hub.kinds.meeting.spec import MeetingType as MeetingMeetingType
from hub.kinds.notification.spec import Category as NotificationCategory
from hub.kinds.notification.spec import Direction as NotificationDirection
from hub.kinds.notification.spec import Period
from hub.kinds.reconsideration.spec import DecisionType, Mode, Result, SessionKind
from hub.kinds.resolution.spec import RecordKind
from hub.kinds.task_measure.spec import Category as TaskCategory
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index
from hub.services.audit import backfill_event_hashes


class ChoicesOnly(ops.AlterField):
    """A field whose enum gained values: only its recorded choices change, the varchar column
    stays. Tortoise's SQLite ``alter_field`` rebuilds the table, and dropping the old ``case``
    table cascaded to every ``case_party`` row (foreign keys are on); so no DDL here."""

    async def database_forward(self, *args: Any, **kwargs: Any) -> None:
        return None

    async def database_backward(self, *args: Any, **kwargs: Any) -> None:
        return None


class Migration(migrations.Migration):
    dependencies = [("hub", "0005_dispute")]

    initial = False

    operations = [
        ops.CreateModel(
            name="ConsultationAnswer",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "hub.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="consultation_answers",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "unit",
                    fields.ForeignKeyField(
                        "hub.Unit",
                        source_field="unit_id",
                        description="答复单位",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("answer", fields.TextField(unique=False)),
                ("basis", fields.TextField(default="", unique=False)),
                ("answered_by", fields.CharField(max_length=128)),
                ("answered_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "consultation_answer",
                "app": "hub",
                "unique_together": (("case", "unit"),),
                "pk_attr": "id",
                "table_description": "One responder unit's answer (答复意见).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ConsultationDetail",
            fields=[
                (
                    "case",
                    fields.OneToOneField(
                        "hub.Case",
                        source_field="case_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="consultation",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "topic",
                    fields.CharEnumField(
                        description="咨询事项类别", enum_type=Topic, max_length=32
                    ),
                ),
                ("question", fields.TextField(unique=False)),
                (
                    "suggested_units",
                    fields.TextField(
                        default="", description="申请单位建议的答复单位（名称）", unique=False
                    ),
                ),
                ("office_note", fields.TextField(default="", description="分办意见", unique=False)),
                (
                    "meeting_type",
                    fields.CharEnumField(
                        null=True,
                        description="COORDINATION: coordination\nCONSULTATION: consultation\nBRIEFING: briefing\nSYMPOSIUM: symposium\nANALYSIS: analysis",
                        enum_type=ConsultationMeetingType,
                        max_length=16,
                    ),
                ),
                ("meeting_on", fields.DateField(null=True)),
                ("meeting_place", fields.CharField(default="", max_length=200)),
                ("meeting_reason", fields.TextField(default="", unique=False)),
                ("meeting_conclusion", fields.TextField(default="", unique=False)),
                ("meeting_case_id", fields.IntField(null=True)),
                ("referral_reason", fields.TextField(default="", unique=False)),
                ("accepted_by", fields.CharField(default="", max_length=128)),
                (
                    "accepted_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("acceptance_note", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "consultation_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "The question, responders are RECIPIENT parties, answers child rows.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LeadTransferDetail",
            fields=[
                (
                    "case",
                    fields.OneToOneField(
                        "hub.Case",
                        source_field="case_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="lead_transfer",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "direction",
                    fields.CharEnumField(
                        description="CRIME_TO_POLICE: crime_to_police\nREVERSE: reverse\nPIL_LEAD: pil_lead\nWORK_SAFETY: work_safety\nSUPERVISION: supervision",
                        enum_type=LeadDirection,
                        max_length=32,
                    ),
                ),
                ("subject", fields.TextField(unique=False)),
                ("offence", fields.CharField(default="", max_length=200)),
                (
                    "materials",
                    fields.CharField(default="", description="comma-separated", max_length=200),
                ),
                ("approved_by", fields.CharField(default="", max_length=64)),
                (
                    "approved_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "transferred_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("received_on", fields.DateField(null=True)),
                (
                    "decision",
                    fields.CharField(default="", description="filed / not_filed", max_length=32),
                ),
                ("decided_on", fields.DateField(null=True)),
                ("reconsideration_requested_on", fields.DateField(null=True)),
                ("supervision_requested_on", fields.DateField(null=True)),
                ("handed_over_on", fields.DateField(null=True)),
                (
                    "result",
                    fields.CharEnumField(
                        null=True,
                        description="PENALTY: penalty\nDISCIPLINE: discipline\nBOTH: both\nNONE: none",
                        enum_type=SanctionResult,
                        max_length=32,
                    ),
                ),
                (
                    "outcome",
                    fields.CharEnumField(
                        null=True,
                        description="PIL_CASE: pil_case\nRECOMMENDATION: recommendation\nHANDLED: handled\nREJECTED: rejected",
                        enum_type=LeadOutcome,
                        max_length=32,
                    ),
                ),
            ],
            options={
                "table": "lead_transfer_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "What is transferred, to whom and how far the chain has come (domain.md §6 K5).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LeadTransferRecord",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "hub.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="lead_transfer_records",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("action", fields.CharField(max_length=32)),
                ("label", fields.CharField(max_length=64)),
                ("on", fields.DateField()),
                ("at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ("doc_no", fields.CharField(default="", max_length=64)),
                ("person", fields.CharField(default="", description="批准负责人等", max_length=64)),
                ("text", fields.TextField(default="", unique=False)),
                ("recorded_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "lead_transfer_record",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "One step's record: its date or instant, document number and text.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="LoginThrottle",
            fields=[
                (
                    "key",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=100),
                ),
                ("failures", fields.IntField(default=0)),
                (
                    "last_failure_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "blocked_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "locked",
                    fields.BooleanField(default=False, description="blocked_until is a lock"),
                ),
            ],
            options={
                "table": "login_throttle",
                "app": "hub",
                "pk_attr": "key",
                "table_description": "Failed logins per account (``user:NAME``) and per client address (``ip:ADDR``).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MeetingAgendaItem",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "hub.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="meeting_agenda",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("topic", fields.CharField(max_length=200)),
                (
                    "proposer_unit",
                    fields.ForeignKeyField(
                        "hub.Unit",
                        source_field="proposer_unit_id",
                        description="提出单位",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "matter",
                    fields.CharEnumField(
                        description="TASK_LIST: task_list\nPRIORITY_DISPUTE: priority_dispute\nRECONSIDERATION_DISPUTE: reconsideration_dispute\nPIL_SUPPORT: pil_support\nENFORCEMENT_SUPPORT: enforcement_support\nUNIFY_STANDARDS: unify_standards\nOTHER: other",
                        enum_type=Matter,
                        max_length=32,
                    ),
                ),
            ],
            options={
                "table": "meeting_agenda_item",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "One agenda item (议题) with the unit that proposed it and its kind of matter.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="MeetingDetail",
            fields=[
                (
                    "case",
                    fields.OneToOneField(
                        "hub.Case",
                        source_field="case_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="meeting",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "meeting_type",
                    fields.CharEnumField(
                        description="JOINT: joint\nTOPIC: topic\nLIAISON: liaison\nBRIEFING: briefing\nCOORDINATION: coordination\nSYMPOSIUM: symposium\nANALYSIS: analysis",
                        enum_type=MeetingMeetingType,
                        max_length=16,
                    ),
                ),
                ("scheduled_on", fields.DateField()),
                ("place", fields.CharField(default="", max_length=200)),
                ("held_on", fields.DateField(null=True)),
                ("chair", fields.CharField(default="", max_length=100)),
                ("minutes_no", fields.CharField(default="", max_length=64)),
                ("minutes", fields.TextField(default="", unique=False)),
                ("minutes_on", fields.DateField(null=True)),
                ("cancel_reason", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "meeting_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "What the meeting is, attendees are PARTICIPANT parties, resolutions linked cases.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="NotificationAcknowledgement",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "hub.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="notification_acknowledgements",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "unit",
                    fields.ForeignKeyField(
                        "hub.Unit",
                        source_field="unit_id",
                        description="接收单位",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("delivered_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "acknowledged_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("acknowledged_by", fields.CharField(default="", max_length=128)),
                ("note", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "notification_acknowledgement",
                "app": "hub",
                "unique_together": (("case", "unit"),),
                "pk_attr": "id",
                "table_description": "One recipient's receipt: delivered when the Office forwards, acknowledged by the unit.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="NotificationDetail",
            fields=[
                (
                    "case",
                    fields.OneToOneField(
                        "hub.Case",
                        source_field="case_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="notification",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "category",
                    fields.CharEnumField(
                        description="通报类别", enum_type=NotificationCategory, max_length=32
                    ),
                ),
                (
                    "direction",
                    fields.CharEnumField(
                        description="TO_PROCURATORATE: to_procuratorate\nTO_GOVERNMENT: to_government",
                        enum_type=NotificationDirection,
                        max_length=32,
                    ),
                ),
                (
                    "issuer_unit",
                    fields.ForeignKeyField(
                        "hub.Unit",
                        source_field="issuer_unit_id",
                        description="通报单位",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("body", fields.TextField(unique=False)),
                (
                    "period",
                    fields.CharEnumField(
                        null=True, description="报送周期", enum_type=Period, max_length=16
                    ),
                ),
                ("period_start", fields.DateField(null=True, description="所属期的第一日")),
                ("next_due_on", fields.DateField(null=True, description="下期报送期限")),
                ("office_note", fields.TextField(default="", unique=False)),
                ("successor_id", fields.IntField(null=True, description="接续报送的下期通报")),
            ],
            options={
                "table": "notification_detail",
                "app": "hub",
                "indexes": [Index(fields=["issuer_unit_id", "category"])],
                "pk_attr": "case_id",
                "table_description": "What is notified, recipients are RECIPIENT parties, acknowledgements child rows.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ReconsiderationDetail",
            fields=[
                (
                    "case",
                    fields.OneToOneField(
                        "hub.Case",
                        source_field="case_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="reconsideration",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("reconsideration_no", fields.CharField(max_length=64)),
                ("applicant", fields.CharField(max_length=200)),
                ("respondent", fields.CharField(max_length=200)),
                ("matter", fields.TextField(unique=False)),
                (
                    "accepted_on",
                    fields.DateField(description="复议申请受理日期：60日决定期限自此起算"),
                ),
                ("session_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "requested_mode",
                    fields.CharEnumField(
                        description="CO_DELIBERATION: co_deliberation\nOBSERVATION: observation",
                        enum_type=Mode,
                        max_length=32,
                    ),
                ),
                (
                    "mode",
                    fields.CharEnumField(
                        null=True,
                        description="CO_DELIBERATION: co_deliberation\nOBSERVATION: observation",
                        enum_type=Mode,
                        max_length=32,
                    ),
                ),
                ("decline_reason", fields.TextField(default="", unique=False)),
                (
                    "attended_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                (
                    "session_kind",
                    fields.CharEnumField(
                        null=True,
                        description="HEARING: hearing\nDELIBERATION: deliberation\nMEDIATION: mediation",
                        enum_type=SessionKind,
                        max_length=32,
                    ),
                ),
                ("attendance_notes", fields.TextField(default="", unique=False)),
                ("opinion", fields.TextField(default="", unique=False)),
                ("opinion_on", fields.DateField(null=True)),
                (
                    "result",
                    fields.CharEnumField(
                        null=True,
                        description="MEDIATION: mediation\nSETTLEMENT_WITHDRAWN: settlement_withdrawn\nDECISION: decision",
                        enum_type=Result,
                        max_length=32,
                    ),
                ),
                (
                    "decision_type",
                    fields.CharEnumField(
                        null=True,
                        description="UPHOLD: uphold\nREVOKE: revoke\nCHANGE: change\nCONFIRM_ILLEGAL: confirm_illegal\nORDER_PERFORMANCE: order_performance\nDISMISS: dismiss",
                        enum_type=DecisionType,
                        max_length=32,
                    ),
                ),
                ("decided_on", fields.DateField(null=True)),
                ("document_no", fields.CharField(default="", max_length=64)),
                ("result_summary", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "reconsideration_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "The invitation, the procuratorate's answer and the body's result.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ResolutionDetail",
            fields=[
                (
                    "case",
                    fields.OneToOneField(
                        "hub.Case",
                        source_field="case_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="resolution",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "matter",
                    fields.CharEnumField(
                        description="TASK_LIST: task_list\nPRIORITY_DISPUTE: priority_dispute\nRECONSIDERATION_DISPUTE: reconsideration_dispute\nPIL_SUPPORT: pil_support\nENFORCEMENT_SUPPORT: enforcement_support\nUNIFY_STANDARDS: unify_standards\nOTHER: other",
                        enum_type=Matter,
                        max_length=32,
                    ),
                ),
                ("content", fields.TextField(unique=False)),
                ("decided_on", fields.DateField()),
                ("due_on", fields.DateField()),
            ],
            options={
                "table": "resolution_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "The decision, its meeting is the case's ``source``, its units LEAD/RESPONSIBLE parties.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ResolutionRecord",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "hub.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="resolution_records",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="PROGRESS: progress\nCLAIM: claim\nACCEPTED: accepted\nRETURNED: returned\nURGED: urged",
                        enum_type=RecordKind,
                        max_length=16,
                    ),
                ),
                (
                    "unit",
                    fields.ForeignKeyField(
                        "hub.Unit",
                        source_field="unit_id",
                        description="记录单位",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("on", fields.DateField(null=True)),
                ("text", fields.TextField(unique=False)),
                ("evidence", fields.TextField(default="", unique=False)),
                ("recorded_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "resolution_record",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "One entry of its record: a unit's progress or completion, the Office's check or urge.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SpecialActionDetail",
            fields=[
                (
                    "case",
                    fields.OneToOneField(
                        "hub.Case",
                        source_field="case_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="special_action",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("theme", fields.TextField(unique=False)),
                ("starts_on", fields.DateField()),
                ("ends_on", fields.DateField()),
                ("summary", fields.TextField(default="", unique=False)),
                ("cases_found", fields.IntField(null=True)),
                ("cases_rectified", fields.IntField(null=True)),
                ("cancel_reason", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "special_action_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "The action's theme and period, participants are PARTICIPANT parties.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="SpecialActionReport",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "hub.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="special_action_reports",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "unit",
                    fields.ForeignKeyField(
                        "hub.Unit",
                        source_field="unit_id",
                        description="报告单位",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("reported_on", fields.DateField()),
                ("progress", fields.TextField(unique=False)),
                ("cases_found", fields.IntField(null=True)),
                ("reported_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "special_action_report",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "One progress report (进展报告) of a unit taking part.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TaskList",
            fields=[
                (
                    "year",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("doc_no", fields.CharField(default="", description="印发文号", max_length=64)),
                ("title", fields.CharField(max_length=200)),
                ("issued_on", fields.DateField(description="印发日期：完成时限自此起算")),
            ],
            options={
                "table": "task_list",
                "app": "hub",
                "pk_attr": "year",
                "table_description": "A year's 重点工作任务清单: the document it came with and the date it was issued.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TaskListTask",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "task_list",
                    fields.ForeignKeyField(
                        "hub.TaskList",
                        source_field="task_list_id",
                        db_constraint=True,
                        to_field="year",
                        related_name="tasks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("no", fields.IntField(description="任务序号")),
                (
                    "category",
                    fields.CharEnumField(
                        description="REFORM: reform\nCONFLICT: conflict\nPROJECTS: projects\nRISK: risk\nINTERESTS: interests",
                        enum_type=TaskCategory,
                        max_length=16,
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
            ],
            options={
                "table": "task_list_task",
                "app": "hub",
                "unique_together": (("task_list", "no"),),
                "pk_attr": "id",
                "table_description": "One task (任务) of a year's list and its category.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TaskMeasureDetail",
            fields=[
                (
                    "case",
                    fields.OneToOneField(
                        "hub.Case",
                        source_field="case_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="task_measure",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "task",
                    fields.ForeignKeyField(
                        "hub.TaskListTask",
                        source_field="task_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="measures",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("year", fields.IntField()),
                (
                    "category",
                    fields.CharEnumField(
                        description="= the task's", enum_type=TaskCategory, max_length=16
                    ),
                ),
                ("seq", fields.CharField(description="措施序号，如 ①", max_length=8)),
                ("text", fields.TextField(unique=False)),
                (
                    "deadline_raw",
                    fields.CharField(default="", description="如 12月底前", max_length=64),
                ),
                ("due_on", fields.DateField(null=True)),
                ("ongoing", fields.BooleanField(default=False, description="长期坚持")),
                ("responsible_raw", fields.TextField(default="", unique=False)),
                (
                    "unmapped",
                    fields.TextField(
                        default="", description="清单所列、未能对应到单位的责任主体", unique=False
                    ),
                ),
                ("claimed_on", fields.DateField(null=True)),
                ("claim_summary", fields.TextField(default="", unique=False)),
                ("claim_evidence", fields.TextField(default="", unique=False)),
                ("return_reason", fields.TextField(default="", unique=False)),
                ("year_end_note", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "task_measure_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "The measure: its task, text and deadline, responsible bodies are LEAD / RESPONSIBLE",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TaskMeasureInspection",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "hub.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="task_measure_inspections",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("joint", fields.BooleanField(description="联合督导调研（否则为督查）")),
                ("held_on", fields.DateField()),
                ("participants", fields.TextField(default="", unique=False)),
                ("findings", fields.TextField(unique=False)),
                ("requirements", fields.TextField(default="", unique=False)),
                ("recorded_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "task_measure_inspection",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "A 督查 or a 联合督导调研 the Office recorded, ``participants`` are unit names.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TaskMeasureReport",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "hub.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="task_measure_reports",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "unit",
                    fields.ForeignKeyField(
                        "hub.Unit",
                        source_field="unit_id",
                        description="报告单位",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("reported_on", fields.DateField()),
                ("progress", fields.TextField(unique=False)),
                ("evidence", fields.TextField(default="", unique=False)),
                ("reported_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "task_measure_report",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "One progress report (进展报告) of a lead or responsible unit.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TrainingDetail",
            fields=[
                (
                    "case",
                    fields.OneToOneField(
                        "hub.Case",
                        source_field="case_id",
                        primary_key=True,
                        db_index=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="training",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("topic", fields.TextField(unique=False)),
                ("held_on", fields.DateField()),
                ("venue", fields.CharField(max_length=200)),
                ("places", fields.IntField(description="places reserved for other units")),
                ("registration_deadline", fields.DateField()),
                ("attendance", fields.IntField(null=True)),
                ("summary", fields.TextField(default="", unique=False)),
                ("cancel_reason", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "training_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "The training, the units places are offered to are RECIPIENT parties.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="TrainingEnrolment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "hub.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="training_enrolments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "unit",
                    fields.ForeignKeyField(
                        "hub.Unit",
                        source_field="unit_id",
                        db_constraint=True,
                        to_field="id",
                        related_name=False,
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("count", fields.IntField()),
                ("attendees", fields.TextField(unique=False)),
                ("taken_by", fields.CharField(max_length=128)),
                ("taken_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "returned_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("return_reason", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "training_enrolment",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "Places one unit took (报名), ``returned_at`` once it gave them back.",
            },
            bases=["Model"],
        ),
        ops.AddField(
            model_name="ApiToken",
            name="expires_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name="ApiToken",
            name="last_used_ip",
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name="ApiToken",
            name="scopes",
            field=fields.CharField(
                default="read write", description="space-separated", max_length=64
            ),
        ),
        ChoicesOnly(
            model_name="Case",
            name="kind",
            field=fields.CharEnumField(
                description="RECOMMENDATION: recommendation\nPIL_CASE: pil_case\nDISPUTE: dispute\nMEETING: meeting\nRESOLUTION: resolution\nTASK_MEASURE: task_measure\nNOTIFICATION: notification\nCONSULTATION: consultation\nLEAD_TRANSFER: lead_transfer\nRECONSIDERATION: reconsideration\nSPECIAL_ACTION: special_action\nTRAINING: training",
                enum_type=CaseKind,
                max_length=32,
            ),
        ),
        ops.AddField(
            model_name="CaseEvent",
            name="hash",
            field=fields.CharField(null=True, max_length=64),
        ),
        # Chain the events written before the hash existed (hub audit verify).
        ops.RunPython(backfill_event_hashes),
        ChoicesOnly(
            model_name="CaseParty",
            name="role",
            field=fields.CharEnumField(
                description="ISSUER: issuer\nADDRESSEE: addressee\nRESPONDENT: respondent\nHANDLING_PROSECUTOR: handling_prosecutor\nCOPIED: copied\nLEAD: lead\nRESPONSIBLE: responsible\nRECIPIENT: recipient\nPARTICIPANT: participant\nHANDLER: handler\nRESPONDED: responded\nOFFICE: office",
                enum_type=PartyRole,
                max_length=32,
            ),
        ),
        ops.AddField(
            model_name="User",
            name="deactivated_at",
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        # Tortoise records a one-to-one primary key's options once more after CreateModel
        # (as 0003-0005 do for their detail models); without these it asks again.
        ops.AlterModelOptions(
            name="ConsultationDetail",
            options={
                "table": "consultation_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "The question, responders are RECIPIENT parties, answers child rows.",
            },
        ),
        ops.AlterModelOptions(
            name="LeadTransferDetail",
            options={
                "table": "lead_transfer_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "What is transferred, to whom and how far the chain has come (domain.md §6 K5).",
            },
        ),
        ops.AlterModelOptions(
            name="MeetingDetail",
            options={
                "table": "meeting_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "What the meeting is, attendees are PARTICIPANT parties, resolutions linked cases.",
            },
        ),
        ops.AlterModelOptions(
            name="NotificationDetail",
            options={
                "table": "notification_detail",
                "app": "hub",
                "indexes": [Index(fields=["issuer_unit_id", "category"])],
                "pk_attr": "case_id",
                "table_description": "What is notified, recipients are RECIPIENT parties, acknowledgements child rows.",
            },
        ),
        ops.AlterModelOptions(
            name="ReconsiderationDetail",
            options={
                "table": "reconsideration_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "The invitation, the procuratorate's answer and the body's result.",
            },
        ),
        ops.AlterModelOptions(
            name="ResolutionDetail",
            options={
                "table": "resolution_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "The decision, its meeting is the case's ``source``, its units LEAD/RESPONSIBLE parties.",
            },
        ),
        ops.AlterModelOptions(
            name="SpecialActionDetail",
            options={
                "table": "special_action_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "The action's theme and period, participants are PARTICIPANT parties.",
            },
        ),
        ops.AlterModelOptions(
            name="TaskMeasureDetail",
            options={
                "table": "task_measure_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "The measure: its task, text and deadline, responsible bodies are LEAD / RESPONSIBLE",
            },
        ),
        ops.AlterModelOptions(
            name="TrainingDetail",
            options={
                "table": "training_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "The training, the units places are offered to are RECIPIENT parties.",
            },
        ),
    ]
