"""The GraphQL names of the PIL case's enums, given once before any type or input uses them."""

from __future__ import annotations

import strawberry

from hub.kinds.pil_case.spec import (
    ClueSource,
    ConsultationForm,
    FollowUpMethod,
    LitigationResult,
    Outcome,
    TerminationReason,
)

for enum, name in (
    (ClueSource, "PilClueSource"), (ConsultationForm, "PilConsultationForm"),
    (FollowUpMethod, "PilFollowUpMethod"), (TerminationReason, "PilTerminationReason"),
    (LitigationResult, "PilLitigationResult"), (Outcome, "PilOutcome"),
):  # fmt: skip
    strawberry.enum(enum, name=name)

registered = True
