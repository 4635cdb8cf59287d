from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.migrations.schema_editor import BaseSchemaEditor
from hub.domain.deadlines import PeriodUnit
from hub.domain.engine import ClockStatus
from hub.domain.kinds import CaseKind, ClockOp, PartyRole
from hub.kinds.recommendation.models import ServiceMethod
from hub.kinds.recommendation.spec import EscalationTarget, RecommendationType
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


# Every recommendation becomes a case with the same id, so global IDs already sent in emails
# (``Recommendation:<id>``) keep resolving. Its issuer, addressee and handling prosecutor
# become parties, its reply deadline a clock, the rest its detail row. The reply rule ids
# follow the recommendation's type: a public-interest recommendation's statutory periods cite
# the PIL interpretation Art. 21, any other type's the 2019 recommendation rules.
_COPY = (
    'INSERT INTO "case" (id, kind, case_no, title, state, version, flags, internal_note,'
    " author_id, source_id, created_at, updated_at, closed_at)"
    " SELECT id, 'recommendation', doc_no, title, state, version,"
    " CASE WHEN rec_type = 'public_interest' THEN 'public_interest' ELSE '' END,"
    " internal_note, prosecutor_id, NULL, created_at, updated_at, closed_at"
    ' FROM "recommendation"',
    # "urged": the escalation step needs to know the unit was urged before.
    """UPDATE "case" SET flags = CASE WHEN flags = '' THEN 'urged' ELSE flags || ',urged' END"""
    """ WHERE id IN (SELECT recommendation_id FROM "case_event" WHERE action = 'urge')""",
    'INSERT INTO "case_party" (case_id, role, unit_id, user_id)'
    " SELECT id, 'issuer', issuer_unit_id, NULL FROM \"recommendation\"",
    'INSERT INTO "case_party" (case_id, role, unit_id, user_id)'
    " SELECT id, 'addressee', addressee_unit_id, NULL FROM \"recommendation\"",
    'INSERT INTO "case_party" (case_id, role, unit_id, user_id)'
    " SELECT id, 'handling_prosecutor', issuer_unit_id, prosecutor_id FROM \"recommendation\""
    " WHERE prosecutor_id IS NOT NULL",
    'INSERT INTO "recommendation_detail" (case_id, rec_type, issues, suggestions, legal_basis,'
    " served_on, service_method)"
    " SELECT id, rec_type, issues, suggestions, legal_basis, served_on, service_method"
    ' FROM "recommendation"',
    'INSERT INTO "case_clock" (case_id, name, rule, status, started_on, started_at, due_on,'
    " due_at, provisional, explanation, version, custom_amount, custom_unit, suspended_on)"
    " SELECT id, 'reply',"
    " CASE WHEN reply_rule = 'urgent_15d' THEN 'ji21_15d'"
    " WHEN reply_rule = 'custom' THEN 'jy_custom'"
    " WHEN rec_type = 'public_interest' THEN 'ji21_2m' ELSE 'jy_2m' END,"
    " CASE WHEN state IN ('closed_adopted', 'withdrawn') THEN 'stopped' ELSE 'running' END,"
    " served_on, NULL, reply_due, NULL, due_provisional, due_explanation, deadline_version,"
    " custom_period_amount, custom_period_unit, NULL"
    ' FROM "recommendation" WHERE served_on IS NOT NULL AND reply_due IS NOT NULL',
)
_RESET_SEQUENCE = (
    "SELECT setval(pg_get_serial_sequence('\"case\"', 'id'),"
    ' (SELECT COALESCE(MAX(id), 0) + 1 FROM "case"), false)'
)


async def copy_recommendations(apps: Any, schema_editor: BaseSchemaEditor) -> None:
    client = schema_editor.client
    for sql in _COPY:
        await client.execute_script(sql)
    if client.capabilities.dialect == "postgres":
        await client.execute_script(_RESET_SEQUENCE)


def _nullable_link(model: str, related_name: str) -> ops.AlterField:
    """The old link made nullable just before it is removed. Tortoise 1.1.9's SQLite
    RemoveField of a foreign key rebuilds the table with the link's column still in it, NOT
    NULL and not copied, which fails on the first row; nullable, the rebuild goes through and
    ``drop_leftover_columns`` drops the empty column."""
    return ops.AlterField(
        model_name=model,
        name="recommendation",
        field=fields.ForeignKeyField(
            "hub.Recommendation",
            source_field="recommendation_id",
            null=True,
            db_constraint=True,
            to_field="id",
            related_name=related_name,
            on_delete=OnDelete.CASCADE,
        ),
    )


async def drop_leftover_columns(apps: Any, schema_editor: BaseSchemaEditor) -> None:
    """Tortoise 1.1.9's SQLite RemoveField of a foreign key rebuilds the table but keeps the
    column (without its constraint): drop it here. PostgreSQL dropped it already."""
    client = schema_editor.client
    if client.capabilities.dialect != "sqlite":
        return
    for table in ("case_event", "objection", "reply", "outbox_email"):
        columns = await client.execute_query_dict(f'PRAGMA table_info("{table}")')
        if any(c["name"] == "recommendation_id" for c in columns):
            await client.execute_script(f'ALTER TABLE "{table}" DROP COLUMN "recommendation_id"')


class Migration(migrations.Migration):
    dependencies = [("hub", "0002_outbox")]

    initial = False

    operations = [
        ops.CreateModel(
            name="Case",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="RECOMMENDATION: recommendation\nPIL_CASE: pil_case\nDISPUTE: dispute",
                        enum_type=CaseKind,
                        max_length=32,
                    ),
                ),
                ("case_no", fields.CharField(unique=True, description="文号或案号", max_length=64)),
                ("title", fields.CharField(max_length=200)),
                ("state", fields.CharField(max_length=32)),
                ("version", fields.IntField(default=1)),
                (
                    "flags",
                    fields.CharField(
                        default="",
                        description="comma-separated facts the kind's guards test",
                        max_length=200,
                    ),
                ),
                (
                    "internal_note",
                    fields.TextField(
                        default="", description="检察院内部备注，对政府一方不可见", unique=False
                    ),
                ),
                (
                    "author",
                    fields.ForeignKeyField(
                        "hub.User",
                        source_field="author_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="authored_cases",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "source",
                    fields.ForeignKeyField(
                        "hub.Case",
                        source_field="source_id",
                        null=True,
                        description="the case this one was opened from (a PIL case's recommendation)",
                        db_constraint=True,
                        to_field="id",
                        related_name="spawned",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "case",
                "app": "hub",
                "indexes": [Index(fields=["kind", "state"])],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CaseClock",
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
                        related_name="clocks",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=32)),
                ("rule", fields.CharField(max_length=48)),
                (
                    "status",
                    fields.CharEnumField(
                        description="RUNNING: running\nSUSPENDED: suspended\nSTOPPED: stopped",
                        enum_type=ClockStatus,
                        max_length=16,
                    ),
                ),
                ("started_on", fields.DateField()),
                (
                    "started_at",
                    fields.DatetimeField(
                        null=True, description="for hour rules", auto_now=False, auto_now_add=False
                    ),
                ),
                ("due_on", fields.DateField(null=True)),
                (
                    "due_at",
                    fields.DatetimeField(
                        null=True, description="for hour rules", auto_now=False, auto_now_add=False
                    ),
                ),
                ("provisional", fields.BooleanField(default=False)),
                ("explanation", fields.TextField(default="", unique=False)),
                ("version", fields.IntField(default=1)),
                ("custom_amount", fields.IntField(null=True)),
                (
                    "custom_unit",
                    fields.CharEnumField(
                        null=True,
                        description="DAYS: days\nMONTHS: months\nWORKING_DAYS: working_days\nHOURS: hours",
                        enum_type=PeriodUnit,
                        max_length=16,
                    ),
                ),
                ("suspended_on", fields.DateField(null=True)),
            ],
            options={
                "table": "case_clock",
                "app": "hub",
                "unique_together": (("case_id", "name"),),
                "indexes": [Index(fields=["name", "status", "due_on"])],
                "pk_attr": "id",
                "table_description": "A running, suspended or stopped deadline of a case, computed by the deadline engine.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CaseParty",
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
                        related_name="parties",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "role",
                    fields.CharEnumField(
                        description="ISSUER: issuer\nADDRESSEE: addressee\nRESPONDENT: respondent\nHANDLING_PROSECUTOR: handling_prosecutor\nCOPIED: copied\nOFFICE: office",
                        enum_type=PartyRole,
                        max_length=32,
                    ),
                ),
                (
                    "unit",
                    fields.ForeignKeyField(
                        "hub.Unit",
                        source_field="unit_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="case_parties",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "hub.User",
                        source_field="user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="case_parties",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
            ],
            options={
                "table": "case_party",
                "app": "hub",
                "indexes": [
                    Index(fields=["unit_id", "role", "case_id"]),
                    Index(fields=["case_id", "role"]),
                ],
                "pk_attr": "id",
                "table_description": "A unit — or one person of it — taking part in a case in a role.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ClockAdjustment",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "clock",
                    fields.ForeignKeyField(
                        "hub.CaseClock",
                        source_field="clock_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="adjustments",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "op",
                    fields.CharEnumField(
                        description="SUSPEND: suspend\nRESUME: resume\nEXTEND: extend",
                        enum_type=ClockOp,
                        max_length=16,
                    ),
                ),
                ("start_on", fields.DateField()),
                ("end_on", fields.DateField(null=True, description="the day a suspension ended")),
                ("amount", fields.IntField(null=True)),
                (
                    "unit",
                    fields.CharEnumField(
                        null=True,
                        description="DAYS: days\nMONTHS: months\nWORKING_DAYS: working_days\nHOURS: hours",
                        enum_type=PeriodUnit,
                        max_length=16,
                    ),
                ),
                ("reason", fields.TextField(unique=False)),
                ("approved_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "clock_adjustment",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "A suspension (with its resumption) or an extension of a clock, with reason and approver.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Escalation",
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
                        related_name="escalations",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "target",
                    fields.CharEnumField(
                        description="HIGHER_PROCURATORATE: higher_procuratorate\nSUPERIOR_AGENCY: superior_agency\nPARTY_COMMITTEE_AND_CONGRESS: party_committee_and_congress\nGOVERNMENT_AND_SUPERVISION: government_and_supervision",
                        enum_type=EscalationTarget,
                        max_length=40,
                    ),
                ),
                ("decided_on", fields.DateField()),
                ("decided_by", fields.CharField(max_length=128)),
                ("note", fields.TextField(default="", unique=False)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "escalation",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "One report or notification the chief decided when a unit did not rectify (D6).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="RecommendationDetail",
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
                        related_name="recommendation",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "rec_type",
                    fields.CharEnumField(
                        description="RETRIAL: retrial\nCORRECTION: correction\nPUBLIC_INTEREST: public_interest\nSOCIAL_GOVERNANCE: social_governance\nOTHER: other",
                        enum_type=RecommendationType,
                        max_length=32,
                    ),
                ),
                ("issues", fields.TextField(default="", description="发现的问题", unique=False)),
                ("suggestions", fields.TextField(default="", description="建议事项", unique=False)),
                ("legal_basis", fields.TextField(default="", unique=False)),
                ("served_on", fields.DateField(null=True)),
                (
                    "service_method",
                    fields.CharEnumField(
                        null=True,
                        description="WRITTEN: written\nANNOUNCED: announced",
                        enum_type=ServiceMethod,
                        max_length=16,
                    ),
                ),
            ],
            options={"table": "recommendation_detail", "app": "hub", "pk_attr": "case_id"},
            bases=["Model"],
        ),
        ops.RunPython(copy_recommendations),
        ops.RemoveIndex(
            model_name="OutboxEmail",
            name=None,
            fields=["recommendation_id", "deadline_version", "level"],
        ),
        ops.AlterField(
            model_name="CaseEvent",
            name="internal",
            field=fields.BooleanField(default=False, description="hidden from the government side"),
        ),
        ops.AddField(
            model_name="CaseEvent",
            name="case",
            field=fields.ForeignKeyField(
                "hub.Case",
                source_field="case_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="events",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.RunSQL('UPDATE "case_event" SET "case_id" = "recommendation_id"'),
        ops.AlterField(
            model_name="CaseEvent",
            name="case",
            field=fields.ForeignKeyField(
                "hub.Case",
                source_field="case_id",
                db_constraint=True,
                to_field="id",
                related_name="events",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.AddField(
            model_name="Objection",
            name="case",
            field=fields.ForeignKeyField(
                "hub.Case",
                source_field="case_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="objections",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.RunSQL('UPDATE "objection" SET "case_id" = "recommendation_id"'),
        ops.AlterField(
            model_name="Objection",
            name="case",
            field=fields.ForeignKeyField(
                "hub.Case",
                source_field="case_id",
                db_constraint=True,
                to_field="id",
                related_name="objections",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.AddField(
            model_name="Reply",
            name="case",
            field=fields.ForeignKeyField(
                "hub.Case",
                source_field="case_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="replies",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.RunSQL('UPDATE "reply" SET "case_id" = "recommendation_id"'),
        ops.AlterField(
            model_name="Reply",
            name="case",
            field=fields.ForeignKeyField(
                "hub.Case",
                source_field="case_id",
                db_constraint=True,
                to_field="id",
                related_name="replies",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.AddField(
            model_name="OutboxEmail",
            name="case",
            field=fields.ForeignKeyField(
                "hub.Case",
                source_field="case_id",
                null=True,
                db_constraint=True,
                to_field="id",
                related_name="outbox_emails",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        ops.RunSQL('UPDATE "outbox_email" SET "case_id" = "recommendation_id"'),
        ops.AlterField(
            model_name="OutboxEmail",
            name="case",
            field=fields.ForeignKeyField(
                "hub.Case",
                source_field="case_id",
                db_constraint=True,
                to_field="id",
                related_name="outbox_emails",
                on_delete=OnDelete.CASCADE,
            ),
        ),
        _nullable_link("CaseEvent", "events"),
        ops.RemoveField(model_name="CaseEvent", name="recommendation"),
        ops.AddIndex(
            model_name="CaseEvent",
            index=Index(fields=["case_id", "seq"]),
        ),
        _nullable_link("Objection", "objections"),
        ops.RemoveField(model_name="Objection", name="recommendation"),
        ops.AlterModelOptions(
            name="OutboxEmail",
            options={
                "table": "outbox_email",
                "app": "hub",
                "indexes": [
                    Index(fields=["case_id", "clock", "deadline_version", "level"]),
                    Index(fields=["status", "next_attempt_at"]),
                    Index(fields=["recipient_user_id", "created_at"]),
                ],
                "pk_attr": "id",
                "table_description": "One alert email to one recipient. ``dedupe_key`` (case, clock, deadline version,",
            },
        ),
        ops.AlterField(
            model_name="OutboxEmail",
            name="deadline_version",
            field=fields.IntField(description="the clock's version when decided"),
        ),
        # Nullable first, filled, then NOT NULL: neither backend adds a NOT NULL column without
        # a database default to a table with rows (every old alert was on the reply deadline).
        ops.AddField(
            model_name="OutboxEmail",
            name="clock",
            field=fields.CharField(
                null=True, default="reply", description="the clock alerted on", max_length=32
            ),
        ),
        ops.RunSQL('UPDATE "outbox_email" SET "clock" = \'reply\''),
        ops.AlterField(
            model_name="OutboxEmail",
            name="clock",
            field=fields.CharField(
                default="reply", description="the clock alerted on", max_length=32
            ),
        ),
        _nullable_link("OutboxEmail", "outbox_emails"),
        ops.RemoveField(model_name="OutboxEmail", name="recommendation"),
        ops.AddIndex(
            model_name="OutboxEmail",
            index=Index(fields=["case_id", "clock", "deadline_version", "level"]),
        ),
        _nullable_link("Reply", "replies"),
        ops.RemoveField(model_name="Reply", name="recommendation"),
        ops.DeleteModel(name="Recommendation"),
        ops.RunPython(drop_leftover_columns),
        # CreateModel records a one-to-one primary key as the relation ("case"); the model's
        # own options name the column ("case_id"). State only: no SQL.
        ops.AlterModelOptions(
            name="RecommendationDetail",
            options={"table": "recommendation_detail", "app": "hub", "pk_attr": "case_id"},
        ),
    ]
