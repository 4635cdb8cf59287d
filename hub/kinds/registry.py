"""Every case kind the hub knows, in board order. Generic code reads this, never a kind."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from hub.domain.kinds import CaseKind, KindSpec
from hub.domain.statistics import KindStats
from hub.kinds.consultation.spec import SPEC as CONSULTATION
from hub.kinds.dispute.spec import SPEC as DISPUTE
from hub.kinds.dispute.stats import STATS as DISPUTE_STATS
from hub.kinds.lead_transfer.spec import SPEC as LEAD_TRANSFER
from hub.kinds.meeting.spec import SPEC as MEETING
from hub.kinds.notification.spec import SPEC as NOTIFICATION
from hub.kinds.pil_case.spec import SPEC as PIL_CASE
from hub.kinds.pil_case.stats import STATS as PIL_CASE_STATS
from hub.kinds.recommendation.spec import SPEC as RECOMMENDATION
from hub.kinds.recommendation.stats import STATS as RECOMMENDATION_STATS
from hub.kinds.reconsideration.spec import SPEC as RECONSIDERATION
from hub.kinds.resolution.spec import SPEC as RESOLUTION
from hub.kinds.resolution.stats import STATS as RESOLUTION_STATS
from hub.kinds.special_action.spec import SPEC as SPECIAL_ACTION
from hub.kinds.task_measure.spec import SPEC as TASK_MEASURE
from hub.kinds.task_measure.stats import STATS as TASK_MEASURE_STATS
from hub.kinds.training.spec import SPEC as TRAINING

SPECS: tuple[KindSpec, ...] = (
    RECOMMENDATION,
    PIL_CASE,
    DISPUTE,
    SPECIAL_ACTION,
    TRAINING,
    NOTIFICATION,
    CONSULTATION,
    MEETING,
    RESOLUTION,
    TASK_MEASURE,
    LEAD_TRANSFER,
    RECONSIDERATION,
)
# The board a viewer sees first: the first kind in board order.
DEFAULT_KIND: CaseKind = SPECS[0].kind
BY_KIND: Mapping[CaseKind, KindSpec] = MappingProxyType({s.kind: s for s in SPECS})
BY_TYPE_NAME: Mapping[str, KindSpec] = MappingProxyType({s.graphql_type: s for s in SPECS})

# Each kind's Tortoise models, for the ORM config (hub.db).
MODEL_MODULES: tuple[str, ...] = (
    "hub.kinds.recommendation.models",
    "hub.kinds.pil_case.models",
    "hub.kinds.dispute.models",
    "hub.kinds.special_action.models",
    "hub.kinds.training.models",
    "hub.kinds.notification.models",
    "hub.kinds.consultation.models",
    "hub.kinds.meeting.models",
    "hub.kinds.resolution.models",
    "hub.kinds.task_measure.models",
    "hub.kinds.lead_transfer.models",
    "hub.kinds.reconsideration.models",
)

# Each kind's GraphQL module exporting SCHEMA = hub.schema.kinds.KindSchema(...); a kind not
# listed here is served with the Case fields only.
SCHEMA_MODULES: tuple[str, ...] = (
    "hub.kinds.recommendation.schema",
    "hub.kinds.pil_case.schema",
    "hub.kinds.dispute.schema",
    "hub.kinds.special_action.schema",
    "hub.kinds.training.schema",
    "hub.kinds.notification.schema",
    "hub.kinds.consultation.schema",
    "hub.kinds.meeting.schema",
    "hub.kinds.resolution.schema",
    "hub.kinds.task_measure.schema",
    "hub.kinds.lead_transfer.schema",
    "hub.kinds.reconsideration.schema",
)


# Each kind's figures and ledger columns (``hub.kinds.<kind>.stats``), read by the statistics
# engine and the ledger export; a kind not listed has no figures of its own (its overdue
# clocks still count in the ageing).
STATS: tuple[KindStats, ...] = (
    RECOMMENDATION_STATS,
    PIL_CASE_STATS,
    DISPUTE_STATS,
    RESOLUTION_STATS,
    TASK_MEASURE_STATS,
)
STATS_BY_KIND: Mapping[CaseKind, KindStats] = MappingProxyType({s.kind: s for s in STATS})


def spec_of(kind: str) -> KindSpec:
    """The spec of a stored kind id; an unknown id is a bug in the data, not user input."""
    return BY_KIND[CaseKind(kind)]


# Each new kind's demo cases (``load_demo(units, users) -> int``), loaded by ``hub demo``.
DEMO_MODULES: tuple[str, ...] = (
    "hub.kinds.pil_case.demo",
    "hub.kinds.dispute.demo",
    "hub.kinds.special_action.demo",
    "hub.kinds.training.demo",
    "hub.kinds.notification.demo",
    "hub.kinds.consultation.demo",
    "hub.kinds.task_measure.demo",
    "hub.kinds.meeting.demo",
    "hub.kinds.lead_transfer.demo",
    "hub.kinds.reconsideration.demo",
)
