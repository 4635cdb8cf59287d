"""交流培训 (the city document §三(六): 加强交流培训) as a kind spec: a training one unit holds,
with places reserved for other units, and who took them.

Choices where domain.md leaves one:

- The host unit (ISSUER, worded 主办单位) opens the training: the Linkage Office, a prosecutor
  of the procuratorate or a member unit's liaison. The person who opened it is its handler.
- The units places are offered to (RECIPIENT, worded 受邀单位) see the training in every state;
  each takes places for named people while registration is open, within the places left, and
  may give them back before the training is held; one unit may take places more than once.
- The host records that the training was held (with attendance), or cancels it.
- The registration deadline is shown, not alerted: no statutory period applies.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType

from hub.domain.kinds import (
    ALL_STATES,
    CaseKind,
    Column,
    FieldType,
    Form,
    FormField,
    KindSpec,
    PartyRole,
    UnitScope,
    step,
    steps_by,
)
from hub.domain.roles import OFFICE_STAFF as OFFICE
from hub.domain.roles import UNIT_STAFF, Role, Side


class State(StrEnum):
    OPEN = "open"
    HELD = "held"
    CANCELLED = "cancelled"


class Action(StrEnum):
    TAKE_PLACES = "take_places"
    RETURN_PLACES = "return_places"
    HOLD = "hold"
    CANCEL = "cancel"


STATE_LABELS: Mapping[str, str] = MappingProxyType(
    {State.OPEN: "报名中", State.HELD: "已举办", State.CANCELLED: "已取消"}
)

MAX_PLACES = 10_000

CREATE = Form(
    "createTraining",
    "CreateTrainingInput",
    (
        FormField(
            "caseNo", "培训编号", required=True, max_length=64, help="如 宿府检培〔2026〕2号"
        ),
        FormField("title", "培训名称", required=True, max_length=200),
        FormField("topic", "培训内容", FieldType.TEXTAREA, required=True, max_length=5000),
        FormField("heldOn", "举办日期", FieldType.DATE, required=True),
        FormField("venue", "地点", required=True, max_length=200),
        FormField("places", "为其他单位预留名额", FieldType.INTEGER, required=True,
                  min_value=1, max_value=MAX_PLACES),
        FormField("registrationDeadline", "报名截止日期", FieldType.DATE, required=True),
        FormField("invitedUnitIds", "受邀单位", FieldType.UNITS, required=True,
                  unit_scope=UnitScope.ANY),
    ),
)  # fmt: skip
TAKE = Form(
    "takeTrainingPlaces",
    "TakeTrainingPlacesInput",
    (
        FormField("count", "报名人数", FieldType.INTEGER, required=True, min_value=1,
                  max_value=MAX_PLACES),
        FormField("attendees", "参训人员", FieldType.TEXTAREA, required=True, max_length=2000,
                  help="姓名、职务，每行一人"),
    ),
)  # fmt: skip
RETURN = Form(
    "returnTrainingPlaces",
    "ReturnTrainingPlacesInput",
    (FormField("reason", "退回原因", FieldType.TEXTAREA, max_length=2000),),
)
HOLD = Form(
    "holdTraining",
    "HoldTrainingInput",
    (
        FormField("attendance", "实到人数", FieldType.INTEGER, required=True, min_value=0,
                  max_value=MAX_PLACES),
        FormField("summary", "举办情况", FieldType.TEXTAREA, max_length=5000),
    ),
)  # fmt: skip
CANCEL = Form(
    "cancelTraining",
    "CancelTrainingInput",
    (FormField("reason", "取消原因", FieldType.TEXTAREA, required=True, max_length=2000),),
)

HOST_OR_OFFICE = ((PartyRole.ISSUER, UNIT_STAFF), (PartyRole.OFFICE, OFFICE))

SPEC = KindSpec(
    kind=CaseKind.TRAINING,
    label="交流培训",
    graphql_type="Training",
    states=STATE_LABELS,
    initial=State.OPEN,
    closed=frozenset({State.HELD, State.CANCELLED}),
    transitions=(
        step(
            Action.TAKE_PLACES,
            [State.OPEN],
            None,
            PartyRole.RECIPIENT,
            UNIT_STAFF,
            "报名参训",
            form=TAKE,
        ),
        step(
            Action.RETURN_PLACES,
            [State.OPEN],
            None,
            PartyRole.RECIPIENT,
            UNIT_STAFF,
            "退回名额",
            form=RETURN,
        ),
        *steps_by(Action.HOLD, [State.OPEN], State.HELD, HOST_OR_OFFICE, "记录举办情况", form=HOLD),
        *steps_by(
            Action.CANCEL, [State.OPEN], State.CANCELLED, HOST_OR_OFFICE, "取消培训", form=CANCEL
        ),
    ),
    columns=(
        Column("OPEN", "报名中", frozenset({State.OPEN})),
        Column("HELD", "已举办", frozenset({State.HELD})),
        Column("CANCELLED", "已取消", frozenset({State.CANCELLED}), collapsed=True),
    ),
    sees={
        PartyRole.ISSUER: ALL_STATES,
        PartyRole.RECIPIENT: ALL_STATES,
        PartyRole.HANDLER: ALL_STATES,
    },
    draft_states=frozenset({State.OPEN}),
    case_no_label="培训编号",
    create_roles=frozenset({Role.OFFICE_ADMIN, Role.PROSECUTOR, Role.UNIT_LIAISON}),
    create_sides=frozenset({Side.PROCURATORATE, Side.GOVERNMENT}),
    create_form=CREATE,
    author_person=PartyRole.HANDLER,
    party_labels={PartyRole.ISSUER: "主办单位", PartyRole.RECIPIENT: "受邀单位"},
    create_internal=False,  # every party sees a new one arrive
)
