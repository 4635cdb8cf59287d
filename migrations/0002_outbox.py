from tortoise import migrations
from tortoise.migrations import operations as ops
from hub.domain.alerts import AlertLevel, RecipientRole
from hub.models.outbox import OutboxStatus
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("hub", "0001_initial")]

    initial = False

    operations = [
        ops.CreateModel(
            name="OutboxEmail",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("dedupe_key", fields.CharField(unique=True, max_length=320)),
                (
                    "recommendation",
                    fields.ForeignKeyField(
                        "hub.Recommendation",
                        source_field="recommendation_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="outbox_emails",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("deadline_version", fields.IntField()),
                (
                    "level",
                    fields.CharEnumField(
                        description="DUE_SOON: due_soon\nOVERDUE: overdue\nESCALATION: escalation",
                        enum_type=AlertLevel,
                        max_length=16,
                    ),
                ),
                (
                    "recipient_user",
                    fields.ForeignKeyField(
                        "hub.User",
                        source_field="recipient_user_id",
                        null=True,
                        db_constraint=True,
                        to_field="id",
                        related_name="outbox_emails",
                        on_delete=OnDelete.SET_NULL,
                    ),
                ),
                (
                    "recipient_role",
                    fields.CharEnumField(
                        description="LIAISON: liaison\nPROSECUTOR: prosecutor\nOFFICE: office\nAPPROVER: approver",
                        enum_type=RecipientRole,
                        max_length=16,
                    ),
                ),
                ("recipient_name", fields.CharField(max_length=64)),
                ("recipient_email", fields.CharField(max_length=254)),
                ("subject", fields.CharField(max_length=255)),
                ("body", fields.TextField(unique=False)),
                (
                    "status",
                    fields.CharEnumField(
                        description="PENDING: pending\nSENT: sent\nHELD: held\nFAILED: failed\nCANCELLED: cancelled",
                        enum_type=OutboxStatus,
                        max_length=16,
                    ),
                ),
                ("attempts", fields.IntField(default=0)),
                ("next_attempt_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "claimed_until",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("claim_token", fields.CharField(null=True, max_length=32)),
                ("last_error", fields.TextField(default="", unique=False)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("sent_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "outbox_email",
                "app": "hub",
                "indexes": [
                    Index(fields=["recommendation_id", "deadline_version", "level"]),
                    Index(fields=["status", "next_attempt_at"]),
                    Index(fields=["recipient_user_id", "created_at"]),
                ],
                "pk_attr": "id",
                "table_description": "One alert email to one recipient. ``dedupe_key`` (case, deadline version, level,",
            },
            bases=["Model"],
        ),
    ]
