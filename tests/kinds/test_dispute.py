"""The dispute kind (行政争议实质性化解) on real databases: every path, every refusal."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from hub.clock import today as clock_today
from hub.domain.engine import available_transitions, board_column, is_clock_overdue
from hub.domain.errors import (
    HubError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    VersionConflict,
)
from hub.domain.kinds import FieldType, PartyRole, RecipientRole
from hub.domain.roles import Actor, Role
from hub.domain.visibility import audience_of
from hub.kinds.dispute import aid, resolution
from hub.kinds.dispute import steps as disputes
from hub.kinds.dispute.checks import Applicant
from hub.kinds.dispute.models import (
    DisputeApplicant,
    DisputeDetail,
    DisputeFollowUp,
    DisputeHearing,
    DisputeInvestigation,
    DisputeJudicialAid,
    DisputeMaterial,
    DisputePlan,
)
from hub.kinds.dispute.spec import (
    FOLLOW_UP,
    SPEC,
    Action,
    ActType,
    AidDecision,
    AidStatus,
    ApplicantKind,
    FollowUpResult,
    InvestigationMethod,
    Outcome,
    RiskLevel,
    Stage,
    State,
)
from hub.kinds.recommendation.models import RecommendationDetail
from hub.kinds.recommendation.spec import RecommendationType
from hub.models import Case, CaseClock, CaseEvent, CaseParty, User
from hub.services.auth import actor_for_user
from hub.services.cases import Change
from hub.services.visibility import visible_cases, visible_events
from tests.app_clients import Api
from tests.factories import NOW, TODAY, World, facts

A = Action
DAY = timedelta(days=1)
_numbers = iter(range(1, 10_000))


@dataclass
class D:
    """A dispute under test: its id and the version the next step must name."""

    id: int
    v: int

    def took(self, change: Change) -> Change:
        self.v = change.case.version
        return change


async def snapshot(case_id: int) -> dict[str, Any]:
    """Everything a step could change about one dispute (and the cases it could open)."""
    children = (DisputeApplicant, DisputeInvestigation, DisputeHearing, DisputePlan,
                DisputeJudicialAid, DisputeFollowUp, DisputeMaterial)  # fmt: skip
    return {
        "row": await Case.filter(id=case_id).values(),
        "detail": await DisputeDetail.filter(case_id=case_id).values(),
        "parties": await CaseParty.filter(case_id=case_id).order_by("id").values(),
        "clocks": await CaseClock.filter(case_id=case_id).order_by("id").values(),
        **{m.__name__: await m.filter(case_id=case_id).order_by("id").values() for m in children},
        "events": await CaseEvent.filter(case_id=case_id).count(),
        "all_events": await CaseEvent.all().count(),
        "all_cases": await Case.all().count(),
    }


async def refused(
    error: type[HubError], d: D, attempt: Awaitable[object], field: str | None = None
) -> HubError:
    """The attempt fails with ``error`` (on ``field``) and changes nothing."""
    before = await snapshot(d.id)
    with pytest.raises(error) as info:
        await attempt
    assert await snapshot(d.id) == before
    if field is not None:
        assert info.value.field == field
    return info.value


async def second_prosecutor(world: World) -> Actor:
    user = await User.create(
        username="prosecutor2", display_name="赵雪",
        password_hash=world.users["prosecutor"].password_hash, role=Role.PROSECUTOR,
        unit_id=world.procuratorate.id, email="prosecutor2@example.test",
    )  # fmt: skip
    return actor_for_user(user, world.procuratorate)


def new_dispute(world: World, **overrides: Any) -> disputes.NewDispute:
    fields: dict[str, Any] = {
        "case_no": f"宿检行化〔2026〕{next(_numbers)}号",
        "title": "某公司诉市生态环境局行政许可争议",
        "stage": Stage.LITIGATION,
        "agency_unit_id": world.unit_a.id,
        "act_type": ActType.LICENSING,
        "applicants": (Applicant("宿州某环保科技有限公司", ApplicantKind.ORGANISATION, "0557-1234567"),
                       Applicant("张某", ApplicantKind.PERSON)),
        "core_demand": "撤销不予许可决定，重新作出许可",
        "petition_risk": RiskLevel.MEDIUM,
        "third_parties": "相邻企业",
        "amount": Decimal("120000.50"),
        "reconsideration_no": "宿政复〔2026〕12号",
        "internal_note": "内部：拟召开听证",
    }  # fmt: skip
    fields.update(overrides)
    return disputes.NewDispute(**fields)


async def registered(world: World, **overrides: Any) -> D:
    change = await disputes.create_dispute(world.prosecutor, new_dispute(world, **overrides),
                                           now=NOW - 30 * DAY)  # fmt: skip
    return D(change.case.id, change.case.version)


async def accepted(world: World) -> D:
    d = await registered(world)
    d.took(await disputes.step(world.prosecutor, d.id, d.v, A.SUBMIT_FOR_ACCEPTANCE, now=NOW))
    d.took(await disputes.step(world.chief, d.id, d.v, A.ACCEPT, now=NOW))
    return d


async def investigating(world: World) -> D:
    d = await accepted(world)
    d.took(await disputes.record_investigation(
        world.prosecutor, d.id, d.v, investigated_on=TODAY - 20 * DAY,
        method=InvestigationMethod.FILE_REVIEW, finding="调取许可审查卷宗，材料齐全", now=NOW))  # fmt: skip
    return d


async def mediating(world: World) -> D:
    d = await investigating(world)
    d.took(await disputes.propose_plan(
        world.prosecutor, d.id, d.v, content="行政机关重新审查许可申请", parties="申请人、市生态环境局",
        agreed_on=TODAY - 10 * DAY, agreed_by="申请人及市生态环境局均同意", now=NOW))  # fmt: skip
    return d


async def resolved(world: World, resolved_on: date = date(2026, 11, 2)) -> D:
    d = await mediating(world)
    d.took(await resolution.resolve(world.prosecutor, d.id, d.v, outcome=Outcome.SETTLED,
                                  resolved_on=resolved_on, summary="双方达成和解", now=NOW))  # fmt: skip
    return d


async def state_of(d: D) -> str:
    return (await Case.get(id=d.id)).state


# ---------------------------------------------------------------------------- main path


async def test_main_path_from_registration_to_closing(world: World) -> None:
    d = await registered(world)
    case = await Case.get(id=d.id)
    assert (case.state, case.kind, case.author_id) == (State.INTAKE, "dispute", world.prosecutor.id)
    parties = {(p.role, p.unit_id, p.user_id) for p in await CaseParty.filter(case_id=d.id)}
    assert parties == {
        (PartyRole.ISSUER, world.procuratorate.id, None),
        (PartyRole.HANDLING_PROSECUTOR, world.procuratorate.id, world.prosecutor.id),
        (PartyRole.RESPONDENT, world.unit_a.id, None),
    }
    detail = await DisputeDetail.get(case_id=d.id)
    assert (detail.stage, detail.act_type, detail.petition_risk) == (
        Stage.LITIGATION, ActType.LICENSING, RiskLevel.MEDIUM)  # fmt: skip
    assert detail.amount == Decimal("120000.50")
    assert [(a.name, a.kind) for a in await DisputeApplicant.filter(case_id=d.id)] == [
        ("宿州某环保科技有限公司", ApplicantKind.ORGANISATION), ("张某", ApplicantKind.PERSON)]  # fmt: skip

    d.took(await disputes.step(world.prosecutor, d.id, d.v, A.SUBMIT_FOR_ACCEPTANCE, now=NOW))
    d.took(await disputes.step(world.chief, d.id, d.v, A.ACCEPT, now=NOW))
    assert await state_of(d) == State.ACCEPTED
    d.took(await disputes.submit_materials(world.liaison_a, d.id, d.v,
                                           content="不予许可决定书及审查材料", now=NOW))  # fmt: skip
    d.took(await disputes.record_investigation(
        world.prosecutor, d.id, d.v, investigated_on=TODAY - 20 * DAY,
        method=InvestigationMethod.INTERVIEW, finding="询问申请人，了解实际诉求", now=NOW))  # fmt: skip
    assert await state_of(d) == State.INVESTIGATING
    d.took(await disputes.schedule_hearing(
        world.prosecutor, d.id, d.v, hearing_on=TODAY - 15 * DAY, hearing_officers="人大代表王某、律师李某",
        public=True, venue="市检察院听证室", now=NOW))  # fmt: skip
    assert await state_of(d) == State.HEARING
    d.took(await disputes.record_hearing(world.prosecutor, d.id, d.v, held_on=TODAY - 15 * DAY,
                                         result="听证员一致认为应重新审查", now=NOW))  # fmt: skip
    assert await state_of(d) == State.INVESTIGATING
    hearing = await DisputeHearing.get(case_id=d.id)
    assert (hearing.public, hearing.held_on, hearing.result) == (
        True, TODAY - 15 * DAY, "听证员一致认为应重新审查")  # fmt: skip
    d.took(await disputes.propose_plan(
        world.prosecutor, d.id, d.v, content="重新审查许可", parties="申请人、市生态环境局",
        agreed_on=TODAY - 10 * DAY, agreed_by="各方同意", now=NOW))  # fmt: skip
    d.took(await disputes.confirm_plan(world.liaison_a, d.id, d.v, now=NOW))
    plan = await DisputePlan.get(case_id=d.id)
    assert plan.confirmed_by == world.liaison_a.label and plan.confirmed_at == NOW
    d.took(await resolution.resolve(world.prosecutor, d.id, d.v, outcome=Outcome.AGENCY_CORRECTED,
                                  resolved_on=date(2026, 11, 2), summary="重新作出许可", now=NOW))  # fmt: skip
    clock = await CaseClock.get(case_id=d.id, name=FOLLOW_UP)
    assert (clock.rule, clock.started_on, clock.due_on) == (
        "dispute_follow_up_30d", date(2026, 11, 2), date(2026, 12, 2))  # fmt: skip
    assert clock.explanation == "2026年11月2日化解，期限30日，届满日为2026年12月2日。"
    d.took(await resolution.record_follow_up(
        world.prosecutor, d.id, d.v, result=FollowUpResult.PERFORMED, checked_on=TODAY,
        finding="许可证已颁发，申请人无异议", now=NOW))  # fmt: skip

    case = await Case.get(id=d.id)
    assert (case.state, case.closed_at, case.version) == (State.CLOSED_RESOLVED, NOW, 11)
    assert (await CaseClock.get(case_id=d.id)).status == "stopped"
    follow_up = await DisputeFollowUp.get(case_id=d.id)
    assert (follow_up.performed, follow_up.checked_on) == (True, TODAY)
    assert (await DisputeDetail.get(case_id=d.id)).outcome is Outcome.AGENCY_CORRECTED
    events = await CaseEvent.filter(case_id=d.id).order_by("seq")
    assert [(e.action, e.internal) for e in events] == [
        ("create", True), (A.SUBMIT_FOR_ACCEPTANCE, True), (A.ACCEPT, False),
        (A.SUBMIT_MATERIALS, False), (A.RECORD_INVESTIGATION, False), (A.SCHEDULE_HEARING, False),
        (A.RECORD_HEARING, False), (A.PROPOSE_PLAN, False), (A.CONFIRM_PLAN, False),
        (A.RESOLVE, False), (A.CLOSE_AFTER_FOLLOW_UP, False),
    ]  # fmt: skip
    assert [e.version for e in events] == list(range(1, 12))


async def test_rejection_with_reasons_closes_it_out_of_the_agencys_sight(world: World) -> None:
    d = await registered(world)
    d.took(await disputes.step(world.prosecutor, d.id, d.v, A.SUBMIT_FOR_ACCEPTANCE, now=NOW))
    await refused(ValidationFailed, d, disputes.reject(world.chief, d.id, d.v, reasons="  "),
                  "reasons")  # fmt: skip
    d.took(await disputes.reject(world.chief, d.id, d.v, reasons="不属于本院管辖", now=NOW))
    case = await Case.get(id=d.id)
    assert (case.state, case.closed_at) == (State.REJECTED, NOW)
    assert (await DisputeDetail.get(case_id=d.id)).rejection_reason == "不属于本院管辖"
    assert await visible_cases(audience_of(world.liaison_a)).filter(id=d.id).count() == 0
    assert await visible_events(audience_of(world.liaison_a)).filter(case_id=d.id).count() == 0


async def test_returned_for_revision_the_author_edits_it_again(world: World) -> None:
    d = await registered(world)
    d.took(await disputes.step(world.prosecutor, d.id, d.v, A.SUBMIT_FOR_ACCEPTANCE, now=NOW))
    await refused(ValidationFailed, d, disputes.update_dispute(world.prosecutor, d.id, d.v,
                                                               title="改"), "id")  # fmt: skip
    d.took(await disputes.step(world.chief, d.id, d.v, A.RETURN_FOR_REVISION, now=NOW,
                               comment="请补充申请人联系方式"))  # fmt: skip
    assert await state_of(d) == State.INTAKE
    other = await second_prosecutor(world)
    await refused(PermissionDenied, d, disputes.update_dispute(other, d.id, d.v, title="改"))
    d.took(await disputes.update_dispute(
        world.prosecutor, d.id, d.v, title="张某等诉市交通运输局行政处罚争议", stage=Stage.RECONSIDERATION,
        agency_unit_id=world.unit_b.id, act_type=ActType.PENALTY, amount=None,
        applicants=[Applicant("张某", ApplicantKind.PERSON, "13900000000")], now=NOW))  # fmt: skip
    case = await Case.get(id=d.id)
    assert case.title == "张某等诉市交通运输局行政处罚争议"
    respondent = await CaseParty.get(case_id=d.id, role=PartyRole.RESPONDENT)
    assert respondent.unit_id == world.unit_b.id
    detail = await DisputeDetail.get(case_id=d.id)
    assert (detail.stage, detail.act_type, detail.amount) == (
        Stage.RECONSIDERATION, ActType.PENALTY, None)  # fmt: skip
    assert detail.core_demand == "撤销不予许可决定，重新作出许可"  # untouched
    assert [(a.name, a.contact) for a in await DisputeApplicant.filter(case_id=d.id)] == [
        ("张某", "13900000000")]  # fmt: skip
    await refused(ValidationFailed, d, disputes.update_dispute(world.prosecutor, d.id, d.v,
                                                               applicants=[]), "applicants")  # fmt: skip
    await refused(ValidationFailed, d, disputes.update_dispute(
        world.prosecutor, d.id, d.v, agency_unit_id=world.procuratorate.id), "agencyUnitId")  # fmt: skip
    d.took(await disputes.step(world.prosecutor, d.id, d.v, A.SUBMIT_FOR_ACCEPTANCE, now=NOW))
    d.took(await disputes.step(world.chief, d.id, d.v, A.ACCEPT, now=NOW))
    assert await visible_cases(audience_of(world.liaison_b)).filter(id=d.id).count() == 1
    assert await visible_cases(audience_of(world.liaison_a)).filter(id=d.id).count() == 0


# ------------------------------------------------------------------ alternative paths


async def test_judicial_aid_applied_approved_paid_then_resolved_by_aid(world: World) -> None:
    d = await mediating(world)
    await refused(ValidationFailed, d, resolution.resolve(
        world.prosecutor, d.id, d.v, outcome=Outcome.JUDICIAL_AID, resolved_on=TODAY,
        summary="救助化解"), "outcome")  # fmt: skip
    d.took(await aid.apply_judicial_aid(world.prosecutor, d.id, d.v, amount=Decimal("30000"),
                                        applied_on=TODAY - 5 * DAY, reason="因案致贫", now=NOW))  # fmt: skip
    assert {t.action for t in available_transitions(SPEC, world.chief, await facts(d.id), TODAY)} == {
        A.APPROVE_JUDICIAL_AID, A.DENY_JUDICIAL_AID}  # fmt: skip
    await refused(ValidationFailed, d, resolution.resolve(
        world.prosecutor, d.id, d.v, outcome=Outcome.SETTLED, resolved_on=TODAY, summary="和解"))  # fmt: skip
    await refused(InvalidTransition, d, aid.apply_judicial_aid(
        world.prosecutor, d.id, d.v, amount=Decimal(1), applied_on=TODAY, reason="再次申请"))  # fmt: skip
    await refused(ValidationFailed, d, aid.decide_judicial_aid(
        world.chief, d.id, d.v, decision=AidDecision.APPROVED, decided_on=TODAY - 6 * DAY),
        "decidedOn")  # fmt: skip
    d.took(await aid.decide_judicial_aid(world.chief, d.id, d.v, decision=AidDecision.APPROVED,
                                         decided_on=TODAY - 3 * DAY, amount=Decimal("25000"),
                                         now=NOW))  # fmt: skip
    row = await DisputeJudicialAid.get(case_id=d.id)
    assert (row.status, row.amount, row.approved_amount, row.decided_by) == (
        AidStatus.APPROVED, Decimal("30000.00"), Decimal("25000.00"), world.chief.label)  # fmt: skip
    assert (await Case.get(id=d.id)).flags == "aid_granted"
    d.took(await aid.record_aid_payment(world.prosecutor, d.id, d.v, paid_on=TODAY - DAY, now=NOW))
    d.took(await resolution.resolve(world.prosecutor, d.id, d.v, outcome=Outcome.JUDICIAL_AID,
                                  resolved_on=TODAY, summary="救助金发放后申请人息诉", now=NOW))  # fmt: skip
    assert (await DisputeJudicialAid.get(case_id=d.id)).status is AidStatus.PAID
    assert await state_of(d) == State.RESOLVED
    internal = [e.action for e in await CaseEvent.filter(case_id=d.id, internal=True)]
    assert {A.APPLY_JUDICIAL_AID, A.APPROVE_JUDICIAL_AID, A.RECORD_AID_PAYMENT} <= set(internal)
    agency_events = await visible_events(audience_of(world.liaison_a)).filter(case_id=d.id)
    assert not {e.action for e in agency_events} & set(internal)


async def test_judicial_aid_denied_may_be_applied_for_again(world: World) -> None:
    d = await investigating(world)
    d.took(await aid.apply_judicial_aid(world.prosecutor, d.id, d.v, amount=Decimal("5000.5"),
                                        applied_on=TODAY, reason="生活困难", now=NOW))  # fmt: skip
    await refused(ValidationFailed, d, aid.decide_judicial_aid(
        world.chief, d.id, d.v, decision=AidDecision.DENIED, decided_on=TODAY), "reasons")  # fmt: skip
    d.took(await aid.decide_judicial_aid(world.chief, d.id, d.v, decision=AidDecision.DENIED,
                                         decided_on=TODAY, reasons="不符合救助条件", now=NOW))  # fmt: skip
    assert (await Case.get(id=d.id)).flags == ""
    await refused(InvalidTransition, d, aid.record_aid_payment(world.prosecutor, d.id, d.v,
                                                               paid_on=TODAY))  # fmt: skip
    d.took(await aid.apply_judicial_aid(world.prosecutor, d.id, d.v, amount=Decimal(8000),
                                        applied_on=TODAY, reason="补充材料后再次申请", now=NOW))  # fmt: skip
    assert [a.status for a in await DisputeJudicialAid.filter(case_id=d.id)] == [
        AidStatus.DENIED, AidStatus.APPLIED]  # fmt: skip


async def test_a_recommendation_is_opened_linked_to_the_dispute(world: World) -> None:
    d = await mediating(world)
    await refused(ValidationFailed, d, resolution.resolve(
        world.prosecutor, d.id, d.v, outcome=Outcome.RECOMMENDATION_ISSUED, resolved_on=TODAY,
        summary="制发检察建议"), "outcome")  # fmt: skip
    await refused(ValidationFailed, d, resolution.issue_recommendation(
        world.prosecutor, d.id, d.v, rec_type=RecommendationType.PUBLIC_INTEREST,
        doc_no="宿检行建〔2026〕90号", title="关于规范许可审查的检察建议"), "recType")  # fmt: skip
    change = d.took(await resolution.issue_recommendation(
        world.prosecutor, d.id, d.v, rec_type=RecommendationType.SOCIAL_GOVERNANCE,
        doc_no="宿检行建〔2026〕91号", title="关于规范许可审查的检察建议", suggestions="一、规范审查。",
        now=NOW))  # fmt: skip
    spawned = await Case.get(id=change.event.payload["recommendationId"])
    assert (spawned.kind, spawned.state, spawned.source_id) == ("recommendation", "draft", d.id)
    addressee = await CaseParty.get(case_id=spawned.id, role=PartyRole.ADDRESSEE)
    assert addressee.unit_id == world.unit_a.id
    detail = await RecommendationDetail.get(case_id=spawned.id)
    assert (detail.rec_type, detail.suggestions) == (RecommendationType.SOCIAL_GOVERNANCE,
                                                     "一、规范审查。")  # fmt: skip
    assert [c.id for c in await Case.filter(source_id=d.id)] == [spawned.id]
    assert await state_of(d) == State.MEDIATING
    assert (await Case.get(id=d.id)).flags == "recommendation_issued"
    # The same document number again: the recommendation and the dispute's step both roll back.
    await refused(ValidationFailed, d, resolution.issue_recommendation(
        world.prosecutor, d.id, d.v, rec_type=RecommendationType.CORRECTION,
        doc_no="宿检行建〔2026〕91号", title="重复"), "docNo")  # fmt: skip
    d.took(await resolution.resolve(world.prosecutor, d.id, d.v,
                                  outcome=Outcome.RECOMMENDATION_ISSUED, resolved_on=TODAY,
                                  summary="行政机关采纳建议后申请人撤诉", now=NOW))  # fmt: skip
    assert (await DisputeDetail.get(case_id=d.id)).outcome is Outcome.RECOMMENDATION_ISSUED


async def test_not_resolved_sent_back_then_terminated_by_the_chief(world: World) -> None:
    d = await mediating(world)
    await refused(PermissionDenied, d, resolution.declare_not_resolved(
        world.chief, d.id, d.v, reasons="申请人拒绝方案"))  # fmt: skip
    d.took(await resolution.declare_not_resolved(world.prosecutor, d.id, d.v,
                                               reasons="申请人拒绝方案", now=NOW))  # fmt: skip
    assert await state_of(d) == State.NOT_RESOLVED
    assert await visible_cases(audience_of(world.liaison_a)).filter(id=d.id).count() == 1
    await refused(PermissionDenied, d, disputes.step(world.prosecutor, d.id, d.v, A.TERMINATE))
    d.took(await disputes.step(world.chief, d.id, d.v, A.RESUME_RESOLUTION, now=NOW))
    assert await state_of(d) == State.INVESTIGATING
    d.took(await resolution.declare_not_resolved(world.prosecutor, d.id, d.v,
                                               reasons="经再次协调仍无法达成一致", now=NOW))  # fmt: skip
    d.took(await disputes.step(world.chief, d.id, d.v, A.TERMINATE, now=NOW))
    case = await Case.get(id=d.id)
    assert (case.state, case.closed_at) == (State.CLOSED_TERMINATED, NOW)
    assert (await DisputeDetail.get(case_id=d.id)).not_resolved_reason == "经再次协调仍无法达成一致"


async def test_follow_up_not_performed_reopens_mediation_and_restarts_the_clock(
    world: World,
) -> None:
    d = await resolved(world)
    d.took(await resolution.record_follow_up(
        world.prosecutor, d.id, d.v, result=FollowUpResult.NOT_PERFORMED, checked_on=TODAY - DAY,
        finding="行政机关未按方案重新审查", now=NOW))  # fmt: skip
    assert await state_of(d) == State.MEDIATING
    clock = await CaseClock.get(case_id=d.id, name=FOLLOW_UP)
    assert clock.status == "stopped"
    detail = await DisputeDetail.get(case_id=d.id)
    assert (detail.outcome, detail.resolved_on) == (None, None)
    assert not (await DisputeFollowUp.get(case_id=d.id)).performed
    d.took(await resolution.resolve(world.prosecutor, d.id, d.v, outcome=Outcome.SETTLED,
                                  resolved_on=TODAY, summary="再次协调后达成和解", now=NOW))  # fmt: skip
    clock = await CaseClock.get(case_id=d.id, name=FOLLOW_UP)
    assert (clock.status, clock.started_on, clock.due_on, clock.version) == (
        "running", TODAY, date(2026, 12, 28), 2)  # fmt: skip


# ---------------------------------------------------------------------------- clocks


async def test_follow_up_clock_overdue_column_and_its_alert_policy(world: World) -> None:
    d = await resolved(world, resolved_on=date(2026, 10, 20))
    clock = await CaseClock.get(case_id=d.id, name=FOLLOW_UP)
    assert clock.due_on == date(2026, 11, 19)
    assert clock.explanation == "2026年10月20日化解，期限30日，届满日为2026年11月19日。"
    f = await facts(d.id)
    assert is_clock_overdue(f, FOLLOW_UP, TODAY)
    assert board_column(SPEC, f, TODAY).id == "overdue"
    assert board_column(SPEC, f, date(2026, 11, 19)).id == State.RESOLVED
    policy = SPEC.clock(FOLLOW_UP).alert
    assert policy is not None and policy.escalate_after_days is None
    assert [(r.role, r.parties) for r in policy.recipients] == [
        (RecipientRole.PROSECUTOR, (PartyRole.HANDLING_PROSECUTOR,))]  # fmt: skip
    assert policy.escalation_recipients == ()
    # Once closed the clock no longer counts, and the card leaves the overdue column.
    d.took(await resolution.record_follow_up(
        world.prosecutor, d.id, d.v, result=FollowUpResult.PERFORMED, checked_on=TODAY,
        finding="已履行", now=NOW))  # fmt: skip
    assert board_column(SPEC, await facts(d.id), TODAY).id == State.CLOSED_RESOLVED


async def test_a_follow_up_due_on_a_holiday_moves_to_the_next_working_day(world: World) -> None:
    d = await resolved(world, resolved_on=date(2026, 9, 1))  # +30 days: 国庆节 2026-10-01
    clock = await CaseClock.get(case_id=d.id, name=FOLLOW_UP)
    assert clock.due_on is not None and clock.due_on > date(2026, 10, 1)
    assert "国庆节" in clock.explanation


# ------------------------------------------------------------------------- refusals


async def test_creation_refusals_change_nothing(world: World) -> None:
    before = await Case.all().count()
    for actor in (world.liaison_a, world.chief, world.office):
        with pytest.raises(PermissionDenied):
            await disputes.create_dispute(actor, new_dispute(world))
    bad: list[tuple[dict[str, Any], str]] = [
        ({"agency_unit_id": world.procuratorate.id}, "agencyUnitId"),
        ({"agency_unit_id": 999_999}, "agencyUnitId"),
        ({"applicants": ()}, "applicants"),
        ({"applicants": (Applicant(" ", ApplicantKind.PERSON),)}, "applicants"),
        ({"amount": Decimal("-1")}, "amount"),
        ({"amount": Decimal("1.005")}, "amount"),
        ({"amount": Decimal("NaN")}, "amount"),
        ({"core_demand": ""}, "coreDemand"),
        ({"case_no": ""}, "caseNo"),
        ({"title": " "}, "title"),
    ]
    for overrides, field in bad:
        with pytest.raises(ValidationFailed) as info:
            await disputes.create_dispute(world.prosecutor, new_dispute(world, **overrides))
        assert info.value.field == field, overrides
    assert await Case.all().count() == before
    d = await registered(world, case_no="宿检行化〔2026〕500号")
    await refused(ValidationFailed, d, disputes.create_dispute(
        world.prosecutor, new_dispute(world, case_no="宿检行化〔2026〕500号")), "caseNo")  # fmt: skip


async def test_wrong_state_role_and_version_are_refused(world: World) -> None:
    d = await accepted(world)
    await refused(InvalidTransition, d, disputes.record_hearing(
        world.prosecutor, d.id, d.v, held_on=TODAY, result="无"))  # fmt: skip
    await refused(InvalidTransition, d, resolution.resolve(
        world.prosecutor, d.id, d.v, outcome=Outcome.SETTLED, resolved_on=TODAY, summary="和解"))  # fmt: skip
    await refused(InvalidTransition, d, disputes.step(world.chief, d.id, d.v, A.ACCEPT))
    await refused(PermissionDenied, d, disputes.record_investigation(
        world.liaison_a, d.id, d.v, investigated_on=TODAY, method=InvestigationMethod.OTHER,
        finding="越权"))  # fmt: skip
    await refused(PermissionDenied, d, disputes.record_investigation(
        world.chief, d.id, d.v, investigated_on=TODAY, method=InvestigationMethod.OTHER,
        finding="越权"))  # fmt: skip
    await refused(PermissionDenied, d, disputes.submit_materials(world.prosecutor, d.id, d.v,
                                                                 content="材料"))  # fmt: skip
    await refused(VersionConflict, d, disputes.record_investigation(
        world.prosecutor, d.id, d.v - 1, investigated_on=TODAY, method=InvestigationMethod.OTHER,
        finding="旧版本"))  # fmt: skip
    intake = await registered(world)
    await refused(PermissionDenied, intake, disputes.step(world.chief, intake.id, intake.v,
                                                          A.SUBMIT_FOR_ACCEPTANCE))  # fmt: skip
    await refused(PermissionDenied, intake, disputes.step(world.office, intake.id, intake.v,
                                                          A.SUBMIT_FOR_ACCEPTANCE))  # fmt: skip


async def test_bad_inputs_are_refused_with_their_field(world: World) -> None:
    d = await investigating(world)
    p = world.prosecutor
    cases: list[tuple[Awaitable[object], str]] = [
        (disputes.record_investigation(p, d.id, d.v, investigated_on=TODAY + DAY,
                                       method=InvestigationMethod.OTHER, finding="x", now=NOW),
         "investigatedOn"),
        (disputes.record_investigation(p, d.id, d.v, investigated_on=TODAY,
                                       method=InvestigationMethod.OTHER, finding=" ", now=NOW),
         "finding"),
        (disputes.schedule_hearing(p, d.id, d.v, hearing_on=TODAY, hearing_officers="王某",
                                   public=False, now=NOW), "comment"),
        (disputes.schedule_hearing(p, d.id, d.v, hearing_on=TODAY, hearing_officers="",
                                   public=True, now=NOW), "hearingOfficers"),
        (disputes.propose_plan(p, d.id, d.v, content="方案", parties="各方",
                               agreed_on=TODAY + DAY, agreed_by="各方", now=NOW), "agreedOn"),
        (disputes.propose_plan(p, d.id, d.v, content="方案", parties="各方", agreed_on=TODAY,
                               agreed_by="", now=NOW), "agreedBy"),
        (aid.apply_judicial_aid(p, d.id, d.v, amount=Decimal(0), applied_on=TODAY, reason="x",
                                now=NOW), "amount"),
        (aid.apply_judicial_aid(p, d.id, d.v, amount=Decimal(10), applied_on=TODAY + DAY,
                                reason="x", now=NOW), "appliedOn"),
        (resolution.declare_not_resolved(p, d.id, d.v, reasons="", now=NOW), "reasons"),
        (resolution.issue_recommendation(p, d.id, d.v, rec_type=RecommendationType.OTHER,
                                       doc_no="", title="标题", now=NOW), "docNo"),
    ]  # fmt: skip
    for attempt, field in cases:
        await refused(ValidationFailed, d, attempt, field)
    d = await resolved(world)
    await refused(ValidationFailed, d, resolution.record_follow_up(
        p, d.id, d.v, result=FollowUpResult.PERFORMED, checked_on=date(2026, 11, 1), finding="x",
        now=NOW), "checkedOn")  # fmt: skip
    m = await mediating(world)
    await refused(ValidationFailed, m, resolution.resolve(
        p, m.id, m.v, outcome=Outcome.SETTLED, resolved_on=TODAY + DAY, summary="和解", now=NOW),
        "resolvedOn")  # fmt: skip


# ------------------------------------------------------------------ who sees, who acts


def _every_step(world: World) -> list[Callable[[Actor, D], Awaitable[object]]]:
    t = TODAY
    return [
        lambda a, d: disputes.update_dispute(a, d.id, d.v, title="改"),
        *(lambda a, d, x=x: disputes.step(a, d.id, d.v, x) for x in (
            A.SUBMIT_FOR_ACCEPTANCE, A.ACCEPT, A.RETURN_FOR_REVISION, A.TERMINATE,
            A.RESUME_RESOLUTION)),
        lambda a, d: disputes.reject(a, d.id, d.v, reasons="理由"),
        lambda a, d: disputes.record_investigation(a, d.id, d.v, investigated_on=t,
                                                   method=InvestigationMethod.OTHER, finding="x"),
        lambda a, d: disputes.submit_materials(a, d.id, d.v, content="材料"),
        lambda a, d: disputes.schedule_hearing(a, d.id, d.v, hearing_on=t, hearing_officers="王某",
                                               public=True),
        lambda a, d: disputes.record_hearing(a, d.id, d.v, held_on=t, result="结果"),
        lambda a, d: disputes.propose_plan(a, d.id, d.v, content="方案", parties="各方",
                                           agreed_on=t, agreed_by="各方"),
        lambda a, d: disputes.confirm_plan(a, d.id, d.v),
        lambda a, d: aid.apply_judicial_aid(a, d.id, d.v, amount=Decimal(1), applied_on=t,
                                            reason="x"),
        lambda a, d: aid.decide_judicial_aid(a, d.id, d.v, decision=AidDecision.APPROVED,
                                             decided_on=t),
        lambda a, d: aid.record_aid_payment(a, d.id, d.v, paid_on=t),
        lambda a, d: resolution.issue_recommendation(a, d.id, d.v, rec_type=RecommendationType.OTHER,
                                                   doc_no="宿检建〔2026〕7号", title="建议"),
        lambda a, d: resolution.resolve(a, d.id, d.v, outcome=Outcome.SETTLED, resolved_on=t,
                                      summary="x"),
        lambda a, d: resolution.declare_not_resolved(a, d.id, d.v, reasons="x"),
        lambda a, d: resolution.record_follow_up(a, d.id, d.v, result=FollowUpResult.PERFORMED,
                                               checked_on=t, finding="x"),
    ]  # fmt: skip


async def test_a_unit_that_is_no_party_sees_nothing_and_reaches_nothing(world: World) -> None:
    cases = [await registered(world), await mediating(world), await resolved(world)]
    audience = audience_of(world.liaison_b)
    assert await visible_cases(audience).filter(kind="dispute").count() == 0
    assert await visible_events(audience).count() == 0
    for d in cases:
        for attempt in _every_step(world):
            await refused(NotFound, d, attempt(world.liaison_b, d))


async def test_the_agency_sees_the_dispute_from_acceptance_without_internals(
    world: World,
) -> None:
    d = await registered(world)
    audience = audience_of(world.liaison_a)
    assert await visible_cases(audience).filter(id=d.id).count() == 0
    await refused(NotFound, d, disputes.submit_materials(world.liaison_a, d.id, d.v, content="x"))
    d.took(await disputes.step(world.prosecutor, d.id, d.v, A.SUBMIT_FOR_ACCEPTANCE, now=NOW))
    assert await visible_cases(audience).filter(id=d.id).count() == 0
    d.took(await disputes.step(world.chief, d.id, d.v, A.ACCEPT, now=NOW))
    assert await visible_cases(audience).filter(id=d.id).count() == 1
    assert [e.action for e in await visible_events(audience).filter(case_id=d.id)] == [A.ACCEPT]
    offered = available_transitions(SPEC, world.liaison_a, await facts(d.id), TODAY)
    assert [t.action for t in offered] == [A.SUBMIT_MATERIALS]
    assert "internalNote" in SPEC.internal_fields and "judicialAids" in SPEC.internal_fields


async def test_another_prosecutor_is_neither_offered_nor_allowed_the_handlers_steps(
    world: World,
) -> None:
    other = await second_prosecutor(world)
    d = await investigating(world)
    handler = {t.action for t in available_transitions(SPEC, world.prosecutor, await facts(d.id),
                                                       TODAY)}  # fmt: skip
    assert handler == {A.RECORD_INVESTIGATION, A.SCHEDULE_HEARING, A.PROPOSE_PLAN,
                       A.APPLY_JUDICIAL_AID, A.ISSUE_RECOMMENDATION, A.DECLARE_NOT_RESOLVED}  # fmt: skip
    assert available_transitions(SPEC, other, await facts(d.id), TODAY) == []
    assert await visible_cases(audience_of(other)).filter(id=d.id).count() == 1  # same unit
    for attempt in _every_step(world)[1:]:
        error = await refused(HubError, d, attempt(other, d))
        assert isinstance(error, PermissionDenied | InvalidTransition)
    await refused(PermissionDenied, d, disputes.record_investigation(
        other, d.id, d.v, investigated_on=TODAY, method=InvestigationMethod.OTHER, finding="x"))  # fmt: skip


# ----------------------------------------------------------------------------- spec


def test_every_state_has_a_column_and_every_form_names_its_fields() -> None:
    for state in State:
        assert any(state in c.states and c.overdue_clock is None for c in SPEC.columns), state
    assert {c.id for c in SPEC.columns if c.collapsed} == {
        State.CLOSED_RESOLVED, State.CLOSED_TERMINATED, State.REJECTED}  # fmt: skip
    assert SPEC.create_form is not None
    applicants = next(f for f in SPEC.create_form.fields if f.name == "applicants")
    assert applicants.type is FieldType.LIST
    assert [f.name for f in applicants.fields] == ["name", "kind", "contact"]
    for t in SPEC.transitions:
        assert all(f.name and f.label for f in t.form.fields), t.action
    agency_sees = SPEC.sees[PartyRole.RESPONDENT]
    assert agency_sees is not None
    assert not agency_sees & {State.INTAKE, State.PENDING_ACCEPTANCE,
                                                  State.REJECTED}  # fmt: skip


# ----------------------------------------------------------------------------- demo


async def test_demo_disputes_are_made_through_the_steps(db: str) -> None:
    from hub.kinds.dispute.demo import CASES, load_demo
    from hub.services.demo import load_accounts, load_units

    units = await load_units()
    users = await load_accounts(units, "demo-password-1")
    assert await load_demo(units, users) == len(CASES)
    states = [c.state for c in await Case.filter(kind="dispute").order_by("id")]
    assert states == [State.RESOLVED, State.RESOLVED, State.INVESTIGATING, State.CLOSED_RESOLVED,
                      State.CLOSED_TERMINATED, State.PENDING_ACCEPTANCE, State.INTAKE]  # fmt: skip
    hearings = await DisputeHearing.all().order_by("id")
    assert [h.public for h in hearings] == [True, False]
    assert [a.status for a in await DisputeJudicialAid.all()] == [AidStatus.PAID]
    spawned = await Case.get(kind="recommendation")
    assert spawned.source_id == (await Case.filter(kind="dispute").order_by("id"))[1].id
    overdue = [board_column(SPEC, await facts(c.id), clock_today()).id
               for c in await Case.filter(kind="dispute").order_by("id")][:2]  # fmt: skip
    assert overdue == [State.RESOLVED, "overdue"]


# --------------------------------------------------------------------------- GraphQL


def test_every_form_names_fields_of_its_graphql_input() -> None:
    from graphql import GraphQLInputObjectType

    from hub.kinds.dispute.schema import SCHEMA
    from hub.schema import build_schema

    types = build_schema()._schema.type_map
    forms = [t.form for t in SPEC.transitions if t.form.mutation != "takeStep"]
    assert SPEC.create_form is not None and SCHEMA.edit_form is not None
    forms += [SPEC.create_form, SCHEMA.edit_form]
    mutations = build_schema()._schema.mutation_type
    assert mutations is not None
    for form in forms:
        input_type = types[form.input_type]
        assert isinstance(input_type, GraphQLInputObjectType), form.input_type
        names = {f.name for f in form.fields} | {name for name, _ in form.fixed}
        assert names <= set(input_type.fields), (form.input_type, names - set(input_type.fields))
        assert form.mutation in mutations.fields, form.mutation
    applicant = types["DisputeApplicantInput"]
    assert isinstance(applicant, GraphQLInputObjectType)
    assert set(applicant.fields) == {"name", "kind", "contact"}


_CREATE = """
mutation($input: CreateDisputeInput!) {
  createDispute(input: $input) {
    __typename
    ... on CaseStepSuccess { case { id version state ... on Dispute { amount applicants { name kindLabel } } } }
    ... on Error { code message field }
  }
}"""
_TAKE = """
mutation($input: TakeStepInput!) {
  takeStep(input: $input) { __typename ... on CaseStepSuccess { case { version state } } ... on Error { code field } }
}"""
_INVESTIGATE = """
mutation($input: RecordDisputeInvestigationInput!) {
  recordDisputeInvestigation(input: $input) {
    __typename ... on CaseStepSuccess { case { version state } } ... on Error { code message field }
  }
}"""
_ISSUE = """
mutation($input: IssueDisputeRecommendationInput!) {
  issueDisputeRecommendation(input: $input) {
    ... on CaseStepSuccess { case { linkedCases { __typename caseNo state sourceCase { id } } } }
    ... on Error { code message field }
  }
}"""
_READ = """
query($id: ID!) {
  node(id: $id) {
    ... on Dispute {
      state stageLabel actTypeLabel petitionRiskLabel coreDemand amount agencyUnit { name }
      applicants { name kind } investigations { methodLabel finding } judicialAids { status }
      rejectionReason internalNote availableActions { action form { mutation fields { name } } }
    }
  }
}"""


async def test_graphql_registration_steps_and_what_each_side_reads(api: Api) -> None:
    from strawberry.relay import to_base64

    world = api.world
    new = {
        "caseNo": "宿检行化〔2026〕77号", "title": "某公司诉市生态环境局行政许可争议",
        "stage": "LITIGATION", "agencyUnitId": to_base64("Unit", world.unit_a.id),
        "actType": "LICENSING", "coreDemand": "重新作出许可", "petitionRisk": "HIGH",
        "amount": 1200.5, "applicants": [{"name": "宿州某公司", "kind": "ORGANISATION"}],
    }  # fmt: skip
    async with api.as_user("liaison_a") as liaison:
        body = await liaison(_CREATE, {"input": new})
        assert body["data"]["createDispute"]["code"] == "PERMISSION_DENIED"
    async with api.as_user("prosecutor") as prosecutor:
        bad = await prosecutor(_CREATE, {"input": {**new, "applicants": []}})
        assert bad["data"]["createDispute"] == {
            "__typename": "ValidationError", "code": "VALIDATION_FAILED",
            "message": "请至少填写一名申请人", "field": "applicants"}  # fmt: skip
        body = await prosecutor(_CREATE, {"input": new})
        case = body["data"]["createDispute"]["case"]
        assert (case["state"], case["amount"]) == ("INTAKE", "1200.50")
        assert case["applicants"] == [{"name": "宿州某公司", "kindLabel": "法人或其他组织"}]
        step = {"id": case["id"], "version": case["version"], "action": "SUBMIT_FOR_ACCEPTANCE"}
        body = await prosecutor(_TAKE, {"input": step})
        version = body["data"]["takeStep"]["case"]["version"]
    async with api.as_user("chief") as chief:
        body = await chief(_TAKE, {"input": {"id": case["id"], "version": version,
                                             "action": "ACCEPT"}})  # fmt: skip
        assert body["data"]["takeStep"]["case"] == {"version": version + 1, "state": "ACCEPTED"}
    async with api.as_user("prosecutor") as prosecutor:
        step = {"id": case["id"], "version": version + 1, "investigatedOn": "2999-01-01",
                "method": "INTERVIEW", "finding": "询问申请人"}  # fmt: skip
        body = await prosecutor(_INVESTIGATE, {"input": step})
        assert body["data"]["recordDisputeInvestigation"]["field"] == "investigatedOn"
        body = await prosecutor(_INVESTIGATE, {"input": {**step, "investigatedOn": "2026-01-05"}})
        assert body["data"]["recordDisputeInvestigation"]["case"]["state"] == "INVESTIGATING"
        mine = (await prosecutor(_READ, {"id": case["id"]}))["data"]["node"]
        assert mine["judicialAids"] == [] and mine["internalNote"] == ""
        offered = {a["action"]: a["form"]["mutation"] for a in mine["availableActions"]}
        assert offered["SCHEDULE_HEARING"] == "scheduleDisputeHearing"
        assert offered["ISSUE_RECOMMENDATION"] == "issueDisputeRecommendation"
        issue = {"id": case["id"], "version": version + 2, "recType": "SOCIAL_GOVERNANCE",
                 "docNo": "宿检行建〔2026〕88号", "title": "关于规范许可审查的检察建议"}  # fmt: skip
        body = await prosecutor(_ISSUE, {"input": issue})
        linked = body["data"]["issueDisputeRecommendation"]["case"]["linkedCases"]
        assert linked == [{"__typename": "Recommendation", "caseNo": "宿检行建〔2026〕88号",
                           "state": "DRAFT", "sourceCase": {"id": case["id"]}}]  # fmt: skip
    async with api.as_user("liaison_a") as liaison:
        seen = (await liaison(_READ, {"id": case["id"]}))["data"]["node"]
        assert seen["stageLabel"] == "行政诉讼" and seen["agencyUnit"]["name"] == world.unit_a.name
        assert seen["investigations"] == [{"methodLabel": "询问当事人", "finding": "询问申请人"}]
        assert (seen["judicialAids"], seen["rejectionReason"], seen["internalNote"]) == (
            None, None, None)  # fmt: skip
        assert [a["action"] for a in seen["availableActions"]] == ["SUBMIT_MATERIALS"]
    async with api.as_user("liaison_b") as other:
        assert (await other(_READ, {"id": case["id"]}))["data"]["node"] is None
