from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from hub.domain.deadlines import PeriodUnit, ReplyRule
from hub.kinds.recommendation.spec import RecommendationType, State
from hub.domain.roles import ActorKind, Role, Side, UnitKind
from hub.kinds.recommendation.models import (
    Completeness,
    ObjectionDecision,
    ReplyDecision,
    ServiceMethod,
)
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name="CalendarDay",
            fields=[
                ("day", fields.DateField(primary_key=True, unique=True, db_index=True)),
                ("is_workday", fields.BooleanField()),
                ("name", fields.CharField(default="", max_length=32)),
            ],
            options={
                "table": "calendar_day",
                "app": "hub",
                "pk_attr": "day",
                "table_description": "A day that differs from the weekday rule: a holiday, or a weekend made a working day.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CalendarYear",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("year", fields.IntField(unique=True)),
                (
                    "source",
                    fields.CharField(
                        default="", description="e.g. 国办发明电〔2026〕x号", max_length=200
                    ),
                ),
                ("entered_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "calendar_year",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "A year whose holiday arrangement (节假日安排) has been published and entered.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="EventCounter",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("value", fields.BigIntField(default=0)),
            ],
            options={
                "table": "event_counter",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "A single row whose ``value`` is the last allocated event sequence.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Unit",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "code",
                    fields.CharField(
                        unique=True, description="stable code, e.g. ecology_env", max_length=64
                    ),
                ),
                ("name", fields.CharField(max_length=128)),
                ("name_en", fields.CharField(default="", max_length=200)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="GOVERNMENT: government\nPROCURATORATE: procuratorate\nMEMBER: member\nOTHER: other",
                        enum_type=UnitKind,
                        max_length=32,
                    ),
                ),
                (
                    "side",
                    fields.CharEnumField(
                        description="PROCURATORATE: procuratorate\nGOVERNMENT: government",
                        enum_type=Side,
                        max_length=16,
                    ),
                ),
                (
                    "aliases",
                    fields.JSONField(
                        default=list,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("position", fields.IntField(default=0, description="order in the city document")),
            ],
            options={"table": "unit", "app": "hub", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="ApiToken",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("name", fields.CharField(max_length=128)),
                (
                    "unit",
                    fields.ForeignKeyField(
                        "hub.Unit",
                        source_field="unit_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="api_tokens",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "role",
                    fields.CharEnumField(
                        description="OFFICE_ADMIN: office_admin\nPROSECUTOR: prosecutor\nPROCURATOR_APPROVER: procurator_approver\nUNIT_LIAISON: unit_liaison\nUNIT_LEADER: unit_leader\nVIEWER: viewer",
                        enum_type=Role,
                        max_length=32,
                    ),
                ),
                ("token_hash", fields.CharField(unique=True, max_length=64)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("revoked_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                (
                    "last_used_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "api_token",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "An agency system credential, of which only the SHA-256 of the secret is stored.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="User",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("username", fields.CharField(unique=True, max_length=64)),
                ("display_name", fields.CharField(max_length=64)),
                ("password_hash", fields.CharField(max_length=255)),
                (
                    "role",
                    fields.CharEnumField(
                        description="OFFICE_ADMIN: office_admin\nPROSECUTOR: prosecutor\nPROCURATOR_APPROVER: procurator_approver\nUNIT_LIAISON: unit_liaison\nUNIT_LEADER: unit_leader\nVIEWER: viewer",
                        enum_type=Role,
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
                        related_name="users",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                ("title", fields.CharField(default="", max_length=64)),
                ("email", fields.CharField(default="", max_length=254)),
                ("phone", fields.CharField(default="", max_length=32)),
                ("is_active", fields.BooleanField(default=True)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={"table": "user", "app": "hub", "pk_attr": "id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Recommendation",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "doc_no",
                    fields.CharField(
                        unique=True, description="文号, e.g. 宿检行建〔2026〕3号", max_length=64
                    ),
                ),
                ("title", fields.CharField(max_length=200)),
                (
                    "rec_type",
                    fields.CharEnumField(
                        description="RETRIAL: retrial\nCORRECTION: correction\nPUBLIC_INTEREST: public_interest\nSOCIAL_GOVERNANCE: social_governance\nOTHER: other",
                        enum_type=RecommendationType,
                        max_length=32,
                    ),
                ),
                (
                    "issuer_unit",
                    fields.ForeignKeyField(
                        "hub.Unit",
                        source_field="issuer_unit_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="issued_recommendations",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "addressee_unit",
                    fields.ForeignKeyField(
                        "hub.Unit",
                        source_field="addressee_unit_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="received_recommendations",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "prosecutor",
                    fields.ForeignKeyField(
                        "hub.User",
                        source_field="prosecutor_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="handled_recommendations",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                ("issues", fields.TextField(default="", description="发现的问题", unique=False)),
                ("suggestions", fields.TextField(default="", description="建议事项", unique=False)),
                ("legal_basis", fields.TextField(default="", unique=False)),
                (
                    "internal_note",
                    fields.TextField(
                        default="", description="检察院内部备注，对被建议单位不可见", unique=False
                    ),
                ),
                (
                    "state",
                    fields.CharEnumField(
                        db_index=True,
                        description="DRAFT: draft\nPENDING_APPROVAL: pending_approval\nAPPROVED: approved\nSERVED: served\nRECTIFYING: rectifying\nOBJECTION_REVIEW: objection_review\nREPLIED: replied\nCLOSED_ADOPTED: closed_adopted\nWITHDRAWN: withdrawn",
                        enum_type=State,
                        max_length=32,
                    ),
                ),
                ("urgent", fields.BooleanField(default=False)),
                (
                    "reply_rule",
                    fields.CharEnumField(
                        default=ReplyRule.STATUTORY_2_MONTHS,
                        description="STATUTORY_2_MONTHS: statutory_2m\nURGENT_15_DAYS: urgent_15d\nCUSTOM: custom",
                        enum_type=ReplyRule,
                        max_length=32,
                    ),
                ),
                ("custom_period_amount", fields.IntField(null=True)),
                (
                    "custom_period_unit",
                    fields.CharEnumField(
                        null=True,
                        description="DAYS: days\nMONTHS: months",
                        enum_type=PeriodUnit,
                        max_length=16,
                    ),
                ),
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
                ("reply_due", fields.DateField(null=True, db_index=True)),
                ("due_provisional", fields.BooleanField(default=False)),
                ("due_explanation", fields.TextField(default="", unique=False)),
                (
                    "deadline_version",
                    fields.IntField(default=0, description="bumped whenever reply_due changes"),
                ),
                ("version", fields.IntField(default=1)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("updated_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("closed_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "recommendation",
                "app": "hub",
                "indexes": [
                    Index(fields=["addressee_unit_id", "state"]),
                    Index(fields=["issuer_unit_id", "state"]),
                ],
                "pk_attr": "id",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="CaseEvent",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("seq", fields.BigIntField(unique=True)),
                (
                    "recommendation",
                    fields.ForeignKeyField(
                        "hub.Recommendation",
                        source_field="recommendation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="events",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("action", fields.CharField(max_length=48)),
                ("from_state", fields.CharField(null=True, max_length=32)),
                ("to_state", fields.CharField(max_length=32)),
                ("version", fields.IntField(description="the case's version after this step")),
                (
                    "actor_kind",
                    fields.CharEnumField(
                        description="USER: user\nAPI_TOKEN: api_token\nSYSTEM: system",
                        enum_type=ActorKind,
                        max_length=16,
                    ),
                ),
                ("actor_id", fields.IntField()),
                ("actor_name", fields.CharField(max_length=128)),
                ("actor_unit_id", fields.IntField()),
                ("comment", fields.TextField(default="", unique=False)),
                (
                    "payload",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                (
                    "internal",
                    fields.BooleanField(
                        default=False, description="hidden from the addressee side"
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "case_event",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "One step on one case. ``seq`` is allocated from ``EventCounter`` inside the writing",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Objection",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "recommendation",
                    fields.ForeignKeyField(
                        "hub.Recommendation",
                        source_field="recommendation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="objections",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("grounds", fields.TextField(unique=False)),
                ("raised_by", fields.CharField(max_length=128)),
                ("raised_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "decision",
                    fields.CharEnumField(
                        null=True,
                        description="REJECTED: rejected\nAMENDED: amended\nWITHDRAWN: withdrawn",
                        enum_type=ObjectionDecision,
                        max_length=16,
                    ),
                ),
                ("reasons", fields.TextField(default="", unique=False)),
                ("decided_by", fields.CharField(default="", max_length=128)),
                ("decided_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "objection",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "An addressee's objection (异议) and the approver's decision on it.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Reply",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "recommendation",
                    fields.ForeignKeyField(
                        "hub.Recommendation",
                        source_field="recommendation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="replies",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("content", fields.TextField(unique=False)),
                ("measures", fields.TextField(default="", unique=False)),
                (
                    "completeness",
                    fields.CharEnumField(
                        description="FULL: full\nPARTIAL: partial\nNONE: none",
                        enum_type=Completeness,
                        max_length=16,
                    ),
                ),
                ("submitted_by", fields.CharField(max_length=128)),
                ("submitted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "decision",
                    fields.CharEnumField(
                        null=True,
                        description="ADOPTED: adopted\nPARTIALLY_ADOPTED: partially_adopted",
                        enum_type=ReplyDecision,
                        max_length=32,
                    ),
                ),
                ("review_comment", fields.TextField(default="", unique=False)),
                ("reviewed_by", fields.CharField(default="", max_length=128)),
                (
                    "reviewed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "reply",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "An agency's written rectification reply (整改回复) and the procuratorate's review.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Session",
            fields=[
                (
                    "token_hash",
                    fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "hub.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="sessions",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "expires_at",
                    fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "session",
                "app": "hub",
                "pk_attr": "token_hash",
                "table_description": "A browser session, of which only the SHA-256 of the cookie value is stored.",
            },
            bases=["Model"],
        ),
        # The event sequence counter's single row (see hub.services.events.next_seq).
        ops.RunSQL(
            "INSERT INTO event_counter (id, value) VALUES (1, 0)",
            reverse_sql="DELETE FROM event_counter WHERE id = 1",
        ),
    ]
