"""Every case kind the hub knows, in board order. Generic code reads this, never a kind."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from hub.domain.kinds import CaseKind, KindSpec
from hub.kinds.dispute.spec import SPEC as DISPUTE
from hub.kinds.pil_case.spec import SPEC as PIL_CASE
from hub.kinds.recommendation.spec import SPEC as RECOMMENDATION
from hub.kinds.special_action.spec import SPEC as SPECIAL_ACTION

SPECS: tuple[KindSpec, ...] = (RECOMMENDATION, PIL_CASE, DISPUTE, SPECIAL_ACTION)
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
)

# Each kind's GraphQL module exporting SCHEMA = hub.schema.kinds.KindSchema(...); a kind not
# listed here is served with the Case fields only.
SCHEMA_MODULES: tuple[str, ...] = (
    "hub.kinds.recommendation.schema",
    "hub.kinds.pil_case.schema",
    "hub.kinds.dispute.schema",
    "hub.kinds.special_action.schema",
)


def spec_of(kind: str) -> KindSpec:
    """The spec of a stored kind id; an unknown id is a bug in the data, not user input."""
    return BY_KIND[CaseKind(kind)]


# Each new kind's demo cases (``load_demo(units, users) -> int``), loaded by ``hub demo``.
DEMO_MODULES: tuple[str, ...] = ("hub.kinds.pil_case.demo", "hub.kinds.dispute.demo")
