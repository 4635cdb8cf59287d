from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from hub.domain.kinds import CaseKind
from json import dumps, loads
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index


class Migration(migrations.Migration):
    dependencies = [("hub", "0006_linkage_security")]

    initial = False

    operations = [
        ops.CreateModel(
            name="BoardView",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "hub.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="board_views",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "kind",
                    fields.CharEnumField(
                        description="RECOMMENDATION: recommendation\nPIL_CASE: pil_case\nDISPUTE: dispute\nMEETING: meeting\nRESOLUTION: resolution\nTASK_MEASURE: task_measure\nNOTIFICATION: notification\nCONSULTATION: consultation\nLEAD_TRANSFER: lead_transfer\nRECONSIDERATION: reconsideration\nSPECIAL_ACTION: special_action\nTRAINING: training",
                        enum_type=CaseKind,
                        max_length=32,
                    ),
                ),
                ("name", fields.CharField(max_length=64)),
                (
                    "criteria",
                    fields.JSONField(
                        default=dict,
                        encoder=functools.partial(dumps, separators=(",", ":")),
                        decoder=loads,
                    ),
                ),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "board_view",
                "app": "hub",
                "unique_together": (("user_id", "kind", "name"),),
                "pk_attr": "id",
                "table_description": "A named set of board filters one user saved for one kind's board. The built-in views",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="Notification",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                (
                    "user",
                    fields.ForeignKeyField(
                        "hub.User",
                        source_field="user_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="notifications",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "case",
                    fields.ForeignKeyField(
                        "hub.Case",
                        source_field="case_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="notifications",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("seq", fields.BigIntField(null=True, description="the event it is about, if any")),
                ("topic", fields.CharField(max_length=32)),
                ("text", fields.CharField(max_length=255)),
                ("dedupe_key", fields.CharField(unique=True, max_length=200)),
                ("created_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("read_at", fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "notification",
                "app": "hub",
                "indexes": [Index(fields=["user_id", "read_at"]), Index(fields=["user_id", "id"])],
                "pk_attr": "id",
                "table_description": "Something that concerns one user, shown in the page's notification centre: a case",
            },
            bases=["Model"],
        ),
    ]
