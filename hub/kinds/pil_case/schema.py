# mypy: disable-error-code="untyped-decorator"
"""The PIL case in GraphQL: its type implementing Case, its records, the managed list of
fields (``pilDomains``). Its typed steps are in ``hub.kinds.pil_case.mutations``.

The assessment and the internal note are null for the government side; the pre-suit
recommendation is one of ``linkedCases`` (its ``sourceCase`` is this case).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any, Self, cast

import strawberry
from strawberry import relay
from tortoise.expressions import Subquery

from hub.domain.kinds import PartyRole
from hub.kinds.pil_case.enums import registered
from hub.kinds.pil_case.models import PilConsultation as ConsultationModel
from hub.kinds.pil_case.models import PilDetail
from hub.kinds.pil_case.models import PilDomain as DomainModel
from hub.kinds.pil_case.models import PilFollowUp as FollowUpModel
from hub.kinds.pil_case.mutations import Mutation
from hub.kinds.pil_case.spec import (
    AWAITING_CONFIRMATION,
    CLUE_SOURCE_LABELS,
    CONSULTATION_FORM_LABELS,
    FOLLOW_UP_METHOD_LABELS,
    LITIGATION_RESULT_LABELS,
    OUTCOME_LABELS,
    SPEC,
    TERMINATION_REASON_LABELS,
    ClueSource,
    ConsultationForm,
    FollowUpMethod,
    LitigationResult,
    Outcome,
    TerminationReason,
)
from hub.schema.case import Case, CaseView
from hub.schema.context import Info
from hub.schema.kinds import KindSchema, Reads, edit_form_of
from hub.schema.types import Unit, in_order, node_pks
from hub.services.visibility import visible_cases

assert registered  # the enums carry their GraphQL names before any type uses them


@strawberry.type(name="PilDomain", description="公益诉讼领域（管理员维护的清单）")
class Domain:
    code: str
    name: str
    statutory: bool = strawberry.field(description="法律明确规定的领域；否则为探索领域")
    active: bool


@strawberry.type(description="诉前磋商记录：承办检察官记录，行政机关联络员确认")
class PilConsultation(relay.Node):
    id: relay.NodeID[int]
    form: ConsultationForm
    held_on: date
    participants: str
    agreed_measures: str = strawberry.field(description="行政机关认可的整改措施")
    minutes: str = strawberry.field(description="磋商纪要或记录")
    recorded_by: str
    recorded_at: datetime
    confirmed_by: str = strawberry.field(description="确认的联络员；未确认为空")
    confirmed_at: datetime | None
    confirmation_note: str

    @strawberry.field
    def form_label(self) -> str:
        return CONSULTATION_FORM_LABELS[self.form]

    @strawberry.field(description="待行政机关确认")
    def awaiting_confirmation(self) -> bool:
        return self.confirmed_at is None

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        return isinstance(obj, ConsultationModel)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        visible = visible_cases(info.context.audience).filter(kind=SPEC.kind).values("id")
        wanted = node_pks(node_ids)
        known = [i for i in wanted if i is not None]
        rows = await ConsultationModel.filter(id__in=known, case_id__in=Subquery(visible))
        return in_order(wanted, rows)


@strawberry.type(description="跟进调查记录")
class PilFollowUp:
    method: FollowUpMethod
    investigated_on: date
    finding: str
    recorded_by: str
    recorded_at: datetime

    @strawberry.field
    def method_label(self) -> str:
        return FOLLOW_UP_METHOD_LABELS[self.method]


def _grouped(model: Any, name: str) -> Callable[[Sequence[int]], Awaitable[list[list[Any]]]]:
    async def load(ids: Sequence[int]) -> list[list[Any]]:
        grouped: dict[int, list[Any]] = defaultdict(list)
        for row in await model.filter(case_id__in=set(ids)).order_by("id"):
            grouped[row.case_id].append(row)
        return [grouped[i] for i in ids]

    load.__name__ = name
    return load


async def _domains_by_id(ids: Sequence[int]) -> list[DomainModel | None]:
    found = {d.id: d for d in await DomainModel.filter(id__in=set(ids))}
    return [found.get(i) for i in ids]


_consultations = _grouped(ConsultationModel, "pil_consultations_by_case_id")
_follow_ups = _grouped(FollowUpModel, "pil_follow_ups_by_case_id")


def _label(labels: Mapping[str, str], value: Any) -> str | None:
    return labels[value] if value else None


class PilCaseView(CaseView):
    """A PIL case as one viewer sees it: the PilCase type's own fields."""

    __slots__ = ()

    def _d(self, name: str) -> Any:
        return self.data.detail[name]

    @property
    def clue_source(self) -> ClueSource:
        return ClueSource(self._d("clue_source"))

    @property
    def clue_source_label(self) -> str:
        return CLUE_SOURCE_LABELS[self._d("clue_source")]

    @property
    def clue_received_on(self) -> date:
        return cast("date", self._d("clue_received_on"))

    @property
    def department(self) -> str:
        return str(self._d("department"))

    @property
    def domain(self) -> Any:
        return self.ctx.loaders.get("pil_domains_by_id", _domains_by_id).load(self._d("domain_id"))

    # The unit now when preloaded (lists), else its loader's future.
    @property
    def agency_unit(self) -> Any:
        return self.ctx.unit(self.data.unit_of(PartyRole.ADDRESSEE) or 0)

    @property
    def prosecutor_name(self) -> Any:
        user_id = self.data.person_of(PartyRole.HANDLING_PROSECUTOR)
        return None if user_id is None else self.ctx.loaders.user_name_by_id.load(user_id)

    @property
    def harm_description(self) -> str:
        return str(self._d("harm_description"))

    @property
    def duty_basis(self) -> str:
        return str(self._d("duty_basis"))

    @property
    def urgent(self) -> bool:
        return bool(self._d("urgent"))

    @property
    def assessment(self) -> str | None:
        return str(self._d("assessment")) if self.ctx.audience.sees_internal else None

    @property
    def filed_on(self) -> date | None:
        return cast("date | None", self._d("filed_on"))

    @property
    def filing_decision_no(self) -> str | None:
        return cast("str | None", self._d("filing_decision_no"))

    @property
    def filing_served_on(self) -> date | None:
        return cast("date | None", self._d("filing_served_on"))

    @property
    def awaiting_confirmation(self) -> bool:
        return AWAITING_CONFIRMATION in self.data.flags

    @property
    def consultations(self) -> Any:
        return self.ctx.loaders.get("pil_consultations", _consultations).load(self.id)

    @property
    def follow_ups(self) -> Any:
        return self.ctx.loaders.get("pil_follow_ups", _follow_ups).load(self.id)

    @property
    def outcome(self) -> Outcome | None:
        value = self._d("outcome")
        return Outcome(value) if value else None

    @property
    def outcome_label(self) -> str | None:
        return _label(OUTCOME_LABELS, self._d("outcome"))

    @property
    def termination_reason(self) -> TerminationReason | None:
        value = self._d("termination_reason")
        return TerminationReason(value) if value else None

    @property
    def termination_reason_label(self) -> str | None:
        return _label(TERMINATION_REASON_LABELS, self._d("termination_reason"))

    @property
    def outcome_note(self) -> str:
        return str(self._d("outcome_note"))

    @property
    def decided_on(self) -> date | None:
        return cast("date | None", self._d("decided_on"))

    @property
    def court(self) -> str:
        return str(self._d("court"))

    @property
    def suit_filed_on(self) -> date | None:
        return cast("date | None", self._d("suit_filed_on"))

    @property
    def indictment_no(self) -> str:
        return str(self._d("indictment_no"))

    @property
    def litigation_result(self) -> LitigationResult | None:
        value = self._d("litigation_result")
        return LitigationResult(value) if value else None

    @property
    def litigation_result_label(self) -> str | None:
        return _label(LITIGATION_RESULT_LABELS, self._d("litigation_result"))


@strawberry.type(description="行政公益诉讼案件（看板上的一张卡片）")
class PilCase(Case):
    clue_source: ClueSource = strawberry.field(description="线索来源")
    clue_source_label: str
    clue_received_on: date = strawberry.field(description="线索受理日期")
    department: str = strawberry.field(description="承办部门")
    domain: Domain = strawberry.field(description="领域")
    agency_unit: Unit = strawberry.field(description="被监督行政机关（当事方 ADDRESSEE）")
    prosecutor_name: str | None = strawberry.field(description="承办检察官的姓名")
    harm_description: str = strawberry.field(description="公益受损情况")
    duty_basis: str = strawberry.field(description="行政机关的法定职责及法律依据")
    urgent: bool = strawberry.field(
        description="公益损害继续扩大等紧急情形（检察建议可适用15日回复期限）"
    )
    assessment: str | None = strawberry.field(description="线索评估意见；对政府一方为 null")
    filed_on: date | None = strawberry.field(description="立案日期")
    filing_decision_no: str | None = strawberry.field(description="立案决定书文号")
    filing_served_on: date | None = strawberry.field(description="立案决定书送达日期")
    awaiting_confirmation: bool = strawberry.field(description="有磋商记录待行政机关确认")
    consultations: list[PilConsultation] = strawberry.field(description="诉前磋商记录")
    follow_ups: list[PilFollowUp] = strawberry.field(description="跟进调查记录")
    outcome: Outcome | None = strawberry.field(
        description="结果：不予立案、终结或诉讼结案；办理中为 null"
    )
    outcome_label: str | None
    termination_reason: TerminationReason | None = strawberry.field(description="终结理由")
    termination_reason_label: str | None
    outcome_note: str = strawberry.field(description="不予立案或终结的理由、诉讼结果的说明")
    decided_on: date | None = strawberry.field(description="不予立案、终结或结案的日期")
    court: str = strawberry.field(description="受理法院")
    suit_filed_on: date | None = strawberry.field(description="起诉日期")
    indictment_no: str = strawberry.field(description="起诉书文号")
    litigation_result: LitigationResult | None = strawberry.field(description="诉讼结果")
    litigation_result_label: str | None


@strawberry.type
class Query:
    @strawberry.field(description="公益诉讼领域清单（新建、修改案件时的 domainCode 取值）")
    async def pil_domains(self, include_inactive: bool = False) -> list[Domain]:
        query = DomainModel.all() if include_inactive else DomainModel.filter(active=True)
        rows = await query.order_by("position", "id")
        return [Domain(code=d.code, name=d.name, statutory=d.statutory, active=d.active)
                for d in rows]  # fmt: skip


def _reads(*columns: str) -> Reads:
    return Reads(detail=columns)


_FIELDS = (
    "clue_source", "clue_received_on", "department", "harm_description", "duty_basis", "urgent",
    "assessment", "filed_on", "filing_decision_no", "filing_served_on", "outcome", "outcome_note",
    "decided_on", "court", "suit_filed_on", "indictment_no", "litigation_result",
    "termination_reason",
)  # fmt: skip


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


# The draft-edit form: every field of the create form but the case number.
_EDITABLE = tuple(
    f.name for f in (SPEC.create_form.fields if SPEC.create_form else ()) if f.name != "caseNo"
)

SCHEMA = KindSchema(
    case_type=PilCase,
    view=PilCaseView,
    types=(Domain, PilConsultation, PilFollowUp),
    query=Query,
    mutation=Mutation,
    detail=PilDetail,
    reads={
        **{_camel(name): _reads(name) for name in _FIELDS},
        "clueSourceLabel": _reads("clue_source"), "outcomeLabel": _reads("outcome"),
        "terminationReasonLabel": _reads("termination_reason"),
        "litigationResultLabel": _reads("litigation_result"), "domain": _reads("domain_id"),
        "agencyUnit": Reads(), "prosecutorName": Reads(), "consultations": Reads(),
        "followUps": Reads(), "awaitingConfirmation": Reads(("flags",)),
    },
    edit_form=edit_form_of(SPEC, "updatePilCase", "UpdatePilCaseInput", _EDITABLE),
)  # fmt: skip
