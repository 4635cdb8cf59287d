"""The GraphQL names of the dispute's enums, given once before any type or input uses them."""

from __future__ import annotations

import strawberry

from hub.kinds.dispute.spec import (
    ActType,
    AidDecision,
    AidStatus,
    ApplicantKind,
    FollowUpResult,
    InvestigationMethod,
    Outcome,
    RiskLevel,
    Stage,
)

for enum, name in (
    (Stage, "DisputeStage"), (ActType, "DisputeActType"), (RiskLevel, "PetitionRiskLevel"),
    (ApplicantKind, "DisputeApplicantKind"), (InvestigationMethod, "DisputeInvestigationMethod"),
    (Outcome, "DisputeOutcome"), (AidStatus, "JudicialAidStatus"),
    (AidDecision, "JudicialAidDecision"), (FollowUpResult, "DisputeFollowUpResult"),
):  # fmt: skip
    strawberry.enum(enum, name=name)

registered = True
