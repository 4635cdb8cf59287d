from tortoise import migrations
from tortoise.migrations import operations as ops
from hub.kinds.pil_case.spec import (
    ClueSource,
    ConsultationForm,
    FollowUpMethod,
    LitigationResult,
    Outcome,
    TerminationReason,
)
from tortoise.fields.base import OnDelete
from tortoise import fields

# The fields of public interest (domain.md §7) as the managed list starts: the statutory
# fields (行政诉讼法 Art. 25(4) and the special laws), the new fields the city document names
# (task 11①), and 其他. Kept here as data, not imported, so this migration never changes.
_DOMAINS = (
    ("ecology_resources", "生态环境和资源保护", True),
    ("food_drug", "食品药品安全", True),
    ("state_property", "国有财产保护", True),
    ("land_grant", "国有土地使用权出让", True),
    ("heroes_martyrs", "英烈保护", True),
    ("minors", "未成年人保护", True),
    ("work_safety", "安全生产", True),
    ("military_rights", "军人权益保护", True),
    ("personal_information", "个人信息保护", True),
    ("cultural_heritage", "文物和文化遗产保护", False),
    ("cyberspace", "网络空间治理", False),
    ("platform_competition", "平台反垄断和不正当竞争", False),
    ("intellectual_property", "知识产权", False),
    ("new_forms_workers", "新业态劳动者权益保障", False),
    ("other", "其他", False),
)
_SEED_DOMAINS = (
    'INSERT INTO "pil_domain" (code, name, statutory, position, active) VALUES '
    + ", ".join(
        f"('{code}', '{name}', {'TRUE' if statutory else 'FALSE'}, {position}, TRUE)"
        for position, (code, name, statutory) in enumerate(_DOMAINS, start=1)
    )
)


class Migration(migrations.Migration):
    dependencies = [("hub", "0003_cases")]

    initial = False

    operations = [
        ops.CreateModel(
            name="PilConsultation",
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
                        related_name="pil_consultations",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "form",
                    fields.CharEnumField(
                        description="MEETING: meeting\nFACT_CONFIRMATION: fact_confirmation\nOTHER: other",
                        enum_type=ConsultationForm,
                        max_length=32,
                    ),
                ),
                ("held_on", fields.DateField()),
                ("participants", fields.TextField(unique=False)),
                (
                    "agreed_measures",
                    fields.TextField(
                        default="", description="行政机关认可的整改措施", unique=False
                    ),
                ),
                (
                    "minutes",
                    fields.TextField(default="", description="磋商纪要或记录", unique=False),
                ),
                ("recorded_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ("confirmed_by", fields.CharField(default="", max_length=128)),
                (
                    "confirmed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
                ("confirmation_note", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "pil_consultation",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "One pre-suit consultation (诉前磋商) record, confirmed by the agency's liaison.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PilDomain",
            fields=[
                (
                    "id",
                    fields.IntField(generated=True, primary_key=True, unique=True, db_index=True),
                ),
                ("code", fields.CharField(unique=True, max_length=48)),
                ("name", fields.CharField(max_length=64)),
                ("statutory", fields.BooleanField(default=False, description="法律明确规定的领域")),
                ("position", fields.IntField(default=0)),
                ("active", fields.BooleanField(default=True)),
            ],
            options={
                "table": "pil_domain",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "A field of public interest (领域, domain.md §7), statutory or newly explored.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PilDetail",
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
                        related_name="pil",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "clue_source",
                    fields.CharEnumField(
                        description="OWN_DUTY: own_duty\nHOTLINE_12345: hotline_12345\nHOTLINE_12309: hotline_12309\nMEMBER_TRANSFER: member_transfer\nPETITION: petition\nMEDIA: media\nASSIGNED: assigned",
                        enum_type=ClueSource,
                        max_length=32,
                    ),
                ),
                ("clue_received_on", fields.DateField()),
                ("department", fields.CharField(default="", description="承办部门", max_length=64)),
                (
                    "domain",
                    fields.ForeignKeyField(
                        "hub.PilDomain",
                        source_field="domain_id",
                        db_constraint=True,
                        to_field="id",
                        related_name="cases",
                        on_delete=OnDelete.RESTRICT,
                    ),
                ),
                (
                    "harm_description",
                    fields.TextField(default="", description="公益受损情况", unique=False),
                ),
                (
                    "duty_basis",
                    fields.TextField(
                        default="", description="行政机关的法定职责及法律依据", unique=False
                    ),
                ),
                (
                    "urgent",
                    fields.BooleanField(default=False, description="公益损害继续扩大等紧急情形"),
                ),
                (
                    "assessment",
                    fields.TextField(default="", description="线索评估意见", unique=False),
                ),
                ("filed_on", fields.DateField(null=True)),
                ("filing_decision_no", fields.CharField(null=True, unique=True, max_length=64)),
                ("filing_served_on", fields.DateField(null=True)),
                (
                    "outcome",
                    fields.CharEnumField(
                        null=True,
                        description="NOT_FILED: not_filed\nTERMINATED: terminated\nLITIGATED: litigated",
                        enum_type=Outcome,
                        max_length=16,
                    ),
                ),
                (
                    "termination_reason",
                    fields.CharEnumField(
                        null=True,
                        description="FULLY_PERFORMED: fully_performed\nPROTECTED: protected\nNO_VIOLATION: no_violation\nOTHER: other",
                        enum_type=TerminationReason,
                        max_length=32,
                    ),
                ),
                (
                    "outcome_note",
                    fields.TextField(
                        default="", description="不予立案或终结的理由、诉讼结果说明", unique=False
                    ),
                ),
                (
                    "decided_on",
                    fields.DateField(null=True, description="不予立案、终结或结案的日期"),
                ),
                ("court", fields.CharField(default="", max_length=128)),
                ("suit_filed_on", fields.DateField(null=True)),
                (
                    "indictment_no",
                    fields.CharField(default="", description="起诉书文号", max_length=64),
                ),
                (
                    "litigation_result",
                    fields.CharEnumField(
                        null=True,
                        description="UPHELD: upheld\nPARTLY_UPHELD: partly_upheld\nDISMISSED: dismissed\nWITHDRAWN: withdrawn",
                        enum_type=LitigationResult,
                        max_length=16,
                    ),
                ),
            ],
            options={"table": "pil_detail", "app": "hub", "pk_attr": "case_id"},
            bases=["Model"],
        ),
        ops.CreateModel(
            name="PilFollowUp",
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
                        related_name="pil_follow_ups",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "method",
                    fields.CharEnumField(
                        description="ON_SITE: on_site\nINQUIRY: inquiry\nRECORDS: records\nLOOK_BACK: look_back",
                        enum_type=FollowUpMethod,
                        max_length=16,
                    ),
                ),
                ("investigated_on", fields.DateField()),
                ("finding", fields.TextField(unique=False)),
                ("recorded_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "pil_follow_up",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "One follow-up investigation (跟进调查) after the recommendation's reply or period.",
            },
            bases=["Model"],
        ),
        # Tortoise 1.1.9 records a one-to-one primary key's pk_attr as the relation's name
        # ("case") after CreateModel; this restates it as the model has it ("case_id").
        ops.AlterModelOptions(
            name="PilDetail",
            options={"table": "pil_detail", "app": "hub", "pk_attr": "case_id"},
        ),
        ops.RunSQL(_SEED_DOMAINS, reverse_sql='DELETE FROM "pil_domain"'),
    ]
