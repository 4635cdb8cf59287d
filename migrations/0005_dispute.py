from tortoise import migrations
from tortoise.migrations import operations as ops
from hub.kinds.dispute.spec import (
    ActType,
    AidStatus,
    ApplicantKind,
    InvestigationMethod,
    Outcome,
    RiskLevel,
    Stage,
)
from tortoise.fields.base import OnDelete
from tortoise import fields


class Migration(migrations.Migration):
    dependencies = [("hub", "0004_pil_case")]

    initial = False

    operations = [
        ops.CreateModel(
            name="DisputeApplicant",
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
                        related_name="dispute_applicants",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("name", fields.CharField(max_length=100)),
                (
                    "kind",
                    fields.CharEnumField(
                        description="PERSON: person\nORGANISATION: organisation",
                        enum_type=ApplicantKind,
                        max_length=16,
                    ),
                ),
                ("contact", fields.CharField(default="", max_length=200)),
            ],
            options={
                "table": "dispute_applicant",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "An applicant (申请人), who is not a user of the hub.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DisputeDetail",
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
                        related_name="dispute",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "stage",
                    fields.CharEnumField(
                        description="RECONSIDERATION: reconsideration\nLITIGATION: litigation\nJUDGMENT_SUPERVISION: judgment_supervision\nPRE_LITIGATION: pre_litigation\nPETITION: petition",
                        enum_type=Stage,
                        max_length=32,
                    ),
                ),
                (
                    "act_type",
                    fields.CharEnumField(
                        description="APPROVAL: approval\nLICENSING: licensing\nAGREEMENT: agreement\nPENALTY: penalty\nEXPROPRIATION: expropriation\nREGISTRATION: registration\nOTHER: other",
                        enum_type=ActType,
                        max_length=32,
                    ),
                ),
                ("third_parties", fields.TextField(default="", unique=False)),
                ("core_demand", fields.TextField(unique=False)),
                (
                    "amount",
                    fields.DecimalField(
                        null=True, description="涉案金额（元）", max_digits=14, decimal_places=2
                    ),
                ),
                (
                    "petition_risk",
                    fields.CharEnumField(
                        description="LOW: low\nMEDIUM: medium\nHIGH: high",
                        enum_type=RiskLevel,
                        max_length=16,
                    ),
                ),
                (
                    "reconsideration_no",
                    fields.CharField(default="", description="关联复议案号", max_length=64),
                ),
                ("rejection_reason", fields.TextField(default="", unique=False)),
                (
                    "outcome",
                    fields.CharEnumField(
                        null=True,
                        description="SETTLED: settled\nAGENCY_CORRECTED: agency_corrected\nAPPLICATION_WITHDRAWN: application_withdrawn\nJUDICIAL_AID: judicial_aid\nRECOMMENDATION_ISSUED: recommendation_issued",
                        enum_type=Outcome,
                        max_length=32,
                    ),
                ),
                ("resolved_on", fields.DateField(null=True)),
                ("resolution_summary", fields.TextField(default="", unique=False)),
                ("not_resolved_reason", fields.TextField(default="", unique=False)),
            ],
            options={
                "table": "dispute_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "What a dispute is about. The agency whose act is disputed is the RESPONDENT party.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DisputeFollowUp",
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
                        related_name="dispute_follow_ups",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("checked_on", fields.DateField()),
                ("finding", fields.TextField(unique=False)),
                ("performed", fields.BooleanField()),
                ("recorded_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "dispute_follow_up",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "A follow-up check (跟进核查) of a resolved dispute.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DisputeHearing",
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
                        related_name="dispute_hearings",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("hearing_on", fields.DateField(description="scheduled date")),
                ("hearing_officers", fields.TextField(description="听证员", unique=False)),
                ("public", fields.BooleanField()),
                ("venue", fields.CharField(default="", max_length=200)),
                ("held_on", fields.DateField(null=True)),
                ("result", fields.TextField(default="", unique=False)),
                ("recorded_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "dispute_hearing",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "A hearing (听证), scheduled and then, once held, its result.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DisputeInvestigation",
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
                        related_name="dispute_investigations",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("investigated_on", fields.DateField()),
                (
                    "method",
                    fields.CharEnumField(
                        description="FILE_REVIEW: file_review\nINTERVIEW: interview\nAGENCY_INQUIRY: agency_inquiry\nSITE_VISIT: site_visit\nEXPERT: expert\nOTHER: other",
                        enum_type=InvestigationMethod,
                        max_length=32,
                    ),
                ),
                ("finding", fields.TextField(unique=False)),
                ("recorded_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "dispute_investigation",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "One 调查核实 record.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DisputeJudicialAid",
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
                        related_name="dispute_aids",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                (
                    "amount",
                    fields.DecimalField(
                        description="申请金额（元）", max_digits=14, decimal_places=2
                    ),
                ),
                (
                    "approved_amount",
                    fields.DecimalField(
                        null=True, description="核定金额（元）", max_digits=14, decimal_places=2
                    ),
                ),
                ("reason", fields.TextField(unique=False)),
                ("applied_on", fields.DateField()),
                (
                    "status",
                    fields.CharEnumField(
                        description="APPLIED: applied\nAPPROVED: approved\nPAID: paid\nDENIED: denied",
                        enum_type=AidStatus,
                        max_length=16,
                    ),
                ),
                ("decided_on", fields.DateField(null=True)),
                ("decided_by", fields.CharField(default="", max_length=128)),
                ("decision_note", fields.TextField(default="", unique=False)),
                ("paid_on", fields.DateField(null=True)),
                ("recorded_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "dispute_judicial_aid",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "A 司法救助 application and the chief's decision on it.",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DisputeMaterial",
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
                        related_name="dispute_materials",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("content", fields.TextField(unique=False)),
                ("submitted_by", fields.CharField(max_length=128)),
                ("submitted_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": "dispute_material",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "Materials the respondent agency submitted (说明、证据).",
            },
            bases=["Model"],
        ),
        ops.CreateModel(
            name="DisputePlan",
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
                        related_name="dispute_plans",
                        on_delete=OnDelete.CASCADE,
                    ),
                ),
                ("content", fields.TextField(unique=False)),
                ("parties", fields.TextField(unique=False)),
                ("agreed_on", fields.DateField()),
                ("agreed_by", fields.TextField(unique=False)),
                ("recorded_by", fields.CharField(max_length=128)),
                ("recorded_at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
                (
                    "confirmed_by",
                    fields.CharField(default="", description="the agency's", max_length=128),
                ),
                (
                    "confirmed_at",
                    fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
                ),
            ],
            options={
                "table": "dispute_plan",
                "app": "hub",
                "pk_attr": "id",
                "table_description": "A resolution plan (化解方案). The latest one is current.",
            },
            bases=["Model"],
        ),
        # Tortoise's autodetector records a one-to-one primary key's options once more after
        # CreateModel (as 0003 does for RecommendationDetail); without it, it asks again.
        ops.AlterModelOptions(
            name="DisputeDetail",
            options={
                "table": "dispute_detail",
                "app": "hub",
                "pk_attr": "case_id",
                "table_description": "What a dispute is about. The agency whose act is disputed is the RESPONDENT party.",
            },
        ),
    ]
