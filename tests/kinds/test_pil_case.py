"""The PIL case (行政公益诉讼案件) on real databases: every path, every refusal, its clocks,
its link to the pre-suit recommendation, and who sees and may do what."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest

from hub.domain.engine import available_transitions, board_column, is_clock_overdue
from hub.domain.errors import (
    HubError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    VersionConflict,
)
from hub.domain.kinds import PartyRole
from hub.domain.roles import Actor, Role
from hub.domain.visibility import audience_of
from hub.kinds.pil_case import steps as pil
from hub.kinds.pil_case.inputs import ensure_domains
from hub.kinds.pil_case.models import PilConsultation, PilDetail, PilDomain, PilFollowUp
from hub.kinds.pil_case.spec import (
    AWAITING_CONFIRMATION,
    DOMAINS,
    FILING_SERVICE,
    LITIGATION_REVIEW,
    SPEC,
    Action,
    ClueSource,
    ConsultationForm,
    FollowUpMethod,
    LitigationResult,
    Outcome,
    State,
    TerminationReason,
)
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import Completeness, ReplyDecision, ServiceMethod
from hub.kinds.recommendation.spec import LINKED_PIL, PUBLIC_INTEREST
from hub.kinds.recommendation.spec import State as RecState
from hub.models import Case, CaseClock, CaseEvent, CaseParty, Unit, User
from hub.services.auth import actor_for_user
from hub.services.cases import Change
from hub.services.visibility import visible_cases, visible_events
from tests.app_clients import Api, GraphQLClient
from tests.factories import World, facts

_numbers = iter(range(1, 10_000))


def at(day: date) -> datetime:
    """10:00 in Asia/Shanghai on ``day``."""
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)


@dataclass
class Pil:
    """The small world plus a second prosecutor of the same procuratorate."""

    w: World
    prosecutor2: Actor


@pytest.fixture
async def p(world: World) -> Pil:
    await ensure_domains()  # SQLite test databases are built from the models, not migrations
    user = await User.create(
        username="prosecutor2", display_name="prosecutor2-姓名", password_hash="x",
        role=Role.PROSECUTOR, unit_id=world.procuratorate.id, email="p2@example.test",
    )  # fmt: skip
    return Pil(world, actor_for_user(user, world.procuratorate))


@dataclass
class Flow:
    """One PIL case taken step by step along its lifecycle, each step on its own day."""

    p: Pil
    id: int
    version: int

    @property
    def w(self) -> World:
        return self.p.w

    def took(self, change: Change) -> Change:
        assert change.case.id == self.id
        self.version = change.case.version
        return change

    async def state(self) -> str:
        return (await Case.get(id=self.id)).state

    async def assessed(self, day: date = date(2026, 6, 2)) -> Flow:
        self.took(await pil.assess_clue(self.w.prosecutor, self.id, self.version,
                                        assessment="线索属实，可能损害公益", now=at(day)))  # fmt: skip
        return self

    async def proposed(self, day: date = date(2026, 6, 3)) -> Flow:
        await self.assessed(day)
        self.took(await pil.propose_filing(self.w.prosecutor, self.id, self.version, now=at(day)))
        return self

    async def filed(self, day: date = date(2026, 6, 5)) -> Flow:
        return await (await self.proposed(day)).filed_only(day)

    async def served(self, filed: date = date(2026, 6, 5), day: date = date(2026, 6, 10)) -> Flow:
        return await (await self.filed(filed)).served_only(day)

    async def proposed_only(self, day: date = date(2026, 6, 3)) -> Flow:
        self.took(await pil.propose_filing(self.w.prosecutor, self.id, self.version, now=at(day)))
        return self

    async def filed_only(self, day: date = date(2026, 6, 5)) -> Flow:
        self.took(await pil.file_case(
            self.w.chief, self.id, self.version, filing_decision_no=f"宿检行公立〔2026〕{next(_numbers)}号",
            filed_on=day, now=at(day)))  # fmt: skip
        return self

    async def served_only(self, day: date = date(2026, 6, 10)) -> Flow:
        self.took(await pil.serve_filing_decision(self.w.prosecutor, self.id, self.version,
                                                  served_on=day, now=at(day)))  # fmt: skip
        return self

    async def consult(self, day: date = date(2026, 6, 20)) -> Flow:
        self.took(await pil.record_consultation(
            self.w.prosecutor, self.id, self.version, form=ConsultationForm.MEETING, held_on=day,
            participants="承办检察官、市生态环境局分管负责人", agreed_measures="三个月内完成截污纳管",
            minutes="双方确认水体黑臭、截污不到位", now=at(day)))  # fmt: skip
        return self

    async def confirm(self, day: date = date(2026, 6, 22), **kw: Any) -> Flow:
        self.took(await pil.confirm_consultation(self.w.liaison_a, self.id, self.version,
                                                 now=at(day), **kw))  # fmt: skip
        return self

    async def recommend(self, day: date = date(2026, 7, 1), doc_no: str | None = None) -> int:
        change = self.took(await pil.draft_recommendation(
            self.w.prosecutor, self.id, self.version, doc_no=doc_no or f"宿检行公建〔2026〕{next(_numbers)}号",
            title="关于督促整治黑臭水体的检察建议", issues="水体黑臭", suggestions="依法履职，限期整治",
            now=at(day)))  # fmt: skip
        rec_id = change.event.payload["recommendationId"]
        assert isinstance(rec_id, int)
        return rec_id

    async def follow_up(self, day: date, method: FollowUpMethod = FollowUpMethod.ON_SITE) -> Flow:
        self.took(await pil.record_follow_up(self.w.prosecutor, self.id, self.version,
                                             method=method, investigated_on=day,
                                             finding="仍有污水直排", now=at(day)))  # fmt: skip
        return self


async def new_clue(p: Pil, *, agency: Unit | None = None, day: date = date(2026, 6, 1)) -> Flow:
    change = await pil.create_pil_case(
        p.w.prosecutor,
        pil.NewPilCase(
            case_no=f"宿检公线〔2026〕{next(_numbers)}号", title="城区河道黑臭水体公益损害",
            agency_unit_id=(agency or p.w.unit_a).id, clue_source=ClueSource.HOTLINE_12345,
            clue_received_on=day, domain_code="ecology_resources",
            harm_description="城区河道长期黑臭，周边群众反映强烈", duty_basis="《水污染防治法》第九条",
            internal_note="内部：拟重点办理",
        ),
        now=at(day),
    )  # fmt: skip
    return Flow(p, change.case.id, change.case.version)


async def serve_rec(w: World, rec_id: int, day: date, *, reply: bool = False) -> int:
    """Approve and serve the linked recommendation (two months, Art. 21); optionally reply."""
    v = (await Case.get(id=rec_id)).version
    v = (await recs.submit_for_approval(w.prosecutor, rec_id, v, now=at(day))).case.version
    v = (await recs.approve(w.chief, rec_id, v, now=at(day))).case.version
    v = (await recs.serve(w.prosecutor, rec_id, v, served_on=day, method=ServiceMethod.WRITTEN,
                          rule="ji21_2m", now=at(day))).case.version  # fmt: skip
    if reply:
        v = (await recs.submit_reply(w.liaison_a, rec_id, v, content="已部分整改",
                                     completeness=Completeness.PARTIAL,
                                     now=at(date(2026, 8, 20)))).case.version  # fmt: skip
    return v


async def snapshot(case_id: int) -> dict[str, Any]:
    """Everything a PIL step could change, to assert that a refused one changed nothing."""
    return {
        "row": await Case.filter(id=case_id).values(),
        "detail": await PilDetail.filter(case_id=case_id).values(),
        "parties": await CaseParty.filter(case_id=case_id).order_by("id").values(),
        "clocks": await CaseClock.filter(case_id=case_id).order_by("id").values(),
        "consultations": await PilConsultation.filter(case_id=case_id).order_by("id").values(),
        "follow_ups": await PilFollowUp.filter(case_id=case_id).order_by("id").values(),
        "events": await CaseEvent.filter(case_id=case_id).count(),
        "spawned": await Case.filter(source_id=case_id).order_by("id").values(),
        "all_cases": await Case.all().count(),
        "all_events": await CaseEvent.all().count(),
    }


async def refused(
    error: type[HubError], case_id: int, step: Awaitable[Change], field: str | None = None
) -> HubError:
    """``step`` fails with ``error`` (on ``field``) and leaves the case exactly as it was."""
    before = await snapshot(case_id)
    with pytest.raises(error) as caught:
        await step
    assert await snapshot(case_id) == before
    if field is not None:
        assert caught.value.field == field
    return caught.value


async def clock(case_id: int, name: str) -> CaseClock:
    return await CaseClock.get(case_id=case_id, name=name)


async def actions(actor: Actor, case_id: int, day: date) -> list[str]:
    return [t.action for t in available_transitions(SPEC, actor, await facts(case_id), day)]


# --- the main path ---------------------------------------------------------------------------


async def test_main_path_from_clue_to_judgment(p: Pil) -> None:
    w = p.w
    flow = await new_clue(p)
    case = await Case.get(id=flow.id)
    assert (case.state, case.version, case.kind) == (State.CLUE, 1, "pil_case")
    detail = await PilDetail.get(case_id=flow.id).prefetch_related("domain")
    assert detail.domain.name == "生态环境和资源保护" and detail.domain.statutory
    parties = {(r.role, r.unit_id, r.user_id) for r in await CaseParty.filter(case_id=flow.id)}
    assert parties == {
        (PartyRole.ISSUER, w.procuratorate.id, None),
        (PartyRole.HANDLING_PROSECUTOR, w.procuratorate.id, w.prosecutor.id),
        (PartyRole.ADDRESSEE, w.unit_a.id, None),
    }

    await flow.served()
    detail = await PilDetail.get(case_id=flow.id)
    assert detail.filed_on == date(2026, 6, 5) and detail.filing_served_on == date(2026, 6, 10)
    assert detail.assessment == "线索属实，可能损害公益"
    service = await clock(flow.id, FILING_SERVICE)
    assert (service.rule, service.status, service.due_on) == (
        "gz_filing_service_7d",
        "stopped",
        date(2026, 6, 12),
    )
    assert service.explanation == "2026年6月5日立案，期限7日，届满日为2026年6月12日。"

    await flow.consult()
    assert AWAITING_CONFIRMATION in (await Case.get(id=flow.id)).flags
    await flow.confirm(note="记录属实")
    record = await PilConsultation.get(case_id=flow.id)
    assert (
        record.confirmed_by == "liaison_a-姓名（联络员）" and record.confirmation_note == "记录属实"
    )
    assert (await Case.get(id=flow.id)).flags == ""

    rec_id = await flow.recommend()
    rec = await Case.get(id=rec_id)
    assert (rec.kind, rec.state, rec.source_id) == ("recommendation", RecState.DRAFT, flow.id)
    assert set(rec.flags.split(",")) == {PUBLIC_INTEREST, LINKED_PIL}
    rec_parties = {(r.role, r.unit_id) for r in await CaseParty.filter(case_id=rec_id)}
    assert (PartyRole.ADDRESSEE, w.unit_a.id) in rec_parties
    assert await flow.state() == State.RECOMMENDED

    rec_version = await serve_rec(w, rec_id, date(2026, 7, 6), reply=True)
    await flow.follow_up(date(2026, 9, 10))
    assert await flow.state() == State.FOLLOW_UP

    rec_change, pil_change = await pil.convert_recommendation_to_litigation(
        w.chief, rec_id, rec_version, comment="整改不到位", now=at(date(2026, 9, 15))
    )
    flow.took(pil_change)
    assert rec_change.case.state == RecState.CONVERTED
    assert pil_change.case.state == State.LITIGATION_REVIEW
    review = await clock(flow.id, LITIGATION_REVIEW)
    assert (review.rule, review.started_on, review.due_on) == (
        "zn_litigation_review_2m",
        date(2026, 9, 7),
        date(2026, 11, 9),
    )
    assert review.explanation == (
        "2026年9月7日起诉审查起算，期限两个月，届满日2026年11月7日为周末，顺延至2026年11月9日。"
    )
    assert pil_change.event.payload["since"] == "reply_period_expired"

    flow.took(await pil.file_suit(
        w.chief, flow.id, flow.version, court="宿州市埇桥区人民法院",
        suit_filed_on=date(2026, 10, 20), indictment_no="宿检行公诉〔2026〕1号",
        now=at(date(2026, 10, 20))))  # fmt: skip
    assert (await clock(flow.id, LITIGATION_REVIEW)).status == "stopped"
    final = flow.took(await pil.close_litigation(
        w.prosecutor, flow.id, flow.version, result=LitigationResult.UPHELD,
        decided_on=date(2026, 11, 25), note="判决责令履行", now=at(date(2026, 11, 25))))  # fmt: skip
    assert final.case.state == State.CLOSED_LITIGATED and final.case.closed_at is not None
    detail = await PilDetail.get(case_id=flow.id)
    assert (detail.outcome, detail.litigation_result, detail.court) == (
        Outcome.LITIGATED,
        LitigationResult.UPHELD,
        "宿州市埇桥区人民法院",
    )
    actions_taken = [e.action for e in await CaseEvent.filter(case_id=flow.id).order_by("seq")]
    assert actions_taken == [
        "create", "assess", "propose_filing", "file", "serve_filing_decision",
        "record_consultation", "confirm_consultation", "draft_recommendation",
        "record_follow_up", "start_litigation_review", "file_suit", "close_litigation",
    ]  # fmt: skip
    assert final.case.version == 12


# --- alternative paths -----------------------------------------------------------------------


async def test_a_clue_rejected_at_assessment_closes_without_filing(p: Pil) -> None:
    flow = await (await new_clue(p)).assessed()
    change = flow.took(await pil.reject_clue(p.w.prosecutor, flow.id, flow.version,
                                             reason="不属于公益诉讼受案范围",
                                             decided_on=date(2026, 6, 3),
                                             now=at(date(2026, 6, 3))))  # fmt: skip
    assert change.case.state == State.CLOSED_NOT_FILED and change.case.closed_at is not None
    assert change.event.internal
    detail = await PilDetail.get(case_id=flow.id)
    assert (detail.outcome, detail.outcome_note, detail.decided_on) == (
        Outcome.NOT_FILED,
        "不属于公益诉讼受案范围",
        date(2026, 6, 3),
    )
    # The agency was never told: it does not see the closed clue.
    assert not await visible_cases(audience_of(p.w.liaison_a)).filter(id=flow.id).exists()


async def test_a_clue_may_be_rejected_before_it_is_assessed(p: Pil) -> None:
    flow = await new_clue(p)
    change = await pil.reject_clue(p.w.prosecutor, flow.id, flow.version, reason="重复线索",
                                   decided_on=date(2026, 6, 1), now=at(date(2026, 6, 1)))  # fmt: skip
    assert change.case.state == State.CLOSED_NOT_FILED


async def test_the_chief_returns_a_proposal_and_the_author_edits_it(p: Pil) -> None:
    w = p.w
    flow = await (await new_clue(p)).proposed()
    refusal = await refused(ValidationFailed, flow.id, pil.update_pil_case(
        w.prosecutor, flow.id, flow.version, title="改", now=at(date(2026, 6, 4))))  # fmt: skip
    assert "草稿" in refusal.message
    flow.took(await pil.return_for_revision(w.chief, flow.id, flow.version, comment="补充职责依据",
                                            now=at(date(2026, 6, 4))))  # fmt: skip
    assert await flow.state() == State.ASSESSED
    await refused(PermissionDenied, flow.id, pil.update_pil_case(
        p.prosecutor2, flow.id, flow.version, title="改"))  # fmt: skip
    flow.took(await pil.update_pil_case(
        w.prosecutor, flow.id, flow.version, title="城区河道黑臭水体（补充）",
        duty_basis="《水污染防治法》第九条、第五十条", domain_code="other", urgent=True,
        agency_unit_id=w.unit_b.id, assessment="补充后的评估意见", now=at(date(2026, 6, 4))))  # fmt: skip
    detail = await PilDetail.get(case_id=flow.id).prefetch_related("domain")
    assert (detail.duty_basis, detail.domain.code, detail.urgent, detail.assessment) == (
        "《水污染防治法》第九条、第五十条",
        "other",
        True,
        "补充后的评估意见",
    )
    addressee = await CaseParty.get(case_id=flow.id, role=PartyRole.ADDRESSEE)
    assert addressee.unit_id == w.unit_b.id
    flow.took(await pil.propose_filing(w.prosecutor, flow.id, flow.version))
    assert await flow.state() == State.PENDING_FILING


async def test_closed_after_consultation_once_every_record_is_confirmed(p: Pil) -> None:
    w = p.w
    flow = await (await new_clue(p)).served()
    await flow.consult(date(2026, 6, 20))
    await flow.consult(date(2026, 6, 25))
    terminate = pil.terminate(w.chief, flow.id, flow.version,
                              reason=TerminationReason.FULLY_PERFORMED,
                              decided_on=date(2026, 6, 30), now=at(date(2026, 6, 30)))  # fmt: skip
    await refused(InvalidTransition, flow.id, terminate)
    assert Action.TERMINATE not in await actions(w.chief, flow.id, date(2026, 6, 30))
    first = await PilConsultation.filter(case_id=flow.id).order_by("id").first()
    assert first is not None
    await flow.confirm(consultation_id=first.id)
    assert AWAITING_CONFIRMATION in (await Case.get(id=flow.id)).flags  # the second still waits
    await flow.confirm()
    assert await PilConsultation.filter(case_id=flow.id, confirmed_at__isnull=True).count() == 0
    assert Action.CONFIRM_CONSULTATION not in await actions(w.liaison_a, flow.id, date(2026, 6, 30))
    change = flow.took(await pil.terminate(
        w.chief, flow.id, flow.version, reason=TerminationReason.FULLY_PERFORMED,
        decided_on=date(2026, 6, 30), now=at(date(2026, 6, 30))))  # fmt: skip
    assert change.case.state == State.CLOSED_TERMINATED
    detail = await PilDetail.get(case_id=flow.id)
    assert (detail.outcome, detail.termination_reason) == (
        Outcome.TERMINATED,
        TerminationReason.FULLY_PERFORMED,
    )


async def test_a_recommendation_may_be_drafted_without_consultation_and_confirmed_late(
    p: Pil,
) -> None:
    flow = await (await new_clue(p)).served()
    await flow.consult()
    rec_id = await flow.recommend()
    assert await flow.state() == State.RECOMMENDED
    assert Action.CONFIRM_CONSULTATION in await actions(p.w.liaison_a, flow.id, date(2026, 7, 2))
    await flow.confirm(date(2026, 7, 2))
    assert (await Case.get(id=flow.id)).flags == ""
    other = await (await new_clue(p)).served()
    await other.recommend()
    assert await other.state() == State.RECOMMENDED
    assert rec_id


async def test_follow_up_needs_a_reply_or_an_expired_period(p: Pil) -> None:
    w = p.w
    flow = await (await new_clue(p)).served()
    rec_id = await flow.recommend()
    await serve_rec(w, rec_id, date(2026, 7, 6))  # due 2026-09-07, no reply
    early = pil.record_follow_up(w.prosecutor, flow.id, flow.version, method=FollowUpMethod.ON_SITE,
                                 investigated_on=date(2026, 9, 7), finding="未整改",
                                 now=at(date(2026, 9, 7)))  # fmt: skip
    refusal = await refused(InvalidTransition, flow.id, early)
    assert "尚未回复且回复期限未届满" in refusal.message
    await flow.follow_up(date(2026, 9, 8), FollowUpMethod.LOOK_BACK)  # the day after the last day
    await flow.follow_up(date(2026, 9, 9), FollowUpMethod.INQUIRY)
    methods = [f.method for f in await PilFollowUp.filter(case_id=flow.id).order_by("id")]
    assert methods == [FollowUpMethod.LOOK_BACK, FollowUpMethod.INQUIRY]


async def test_closed_as_protected_after_the_recommendation_was_adopted(p: Pil) -> None:
    w = p.w
    flow = await (await new_clue(p)).served()
    rec_id = await flow.recommend()
    v = await serve_rec(w, rec_id, date(2026, 7, 6), reply=True)
    await flow.follow_up(date(2026, 8, 25))
    terminate = pil.terminate(w.chief, flow.id, flow.version, reason=TerminationReason.PROTECTED,
                              decided_on=date(2026, 8, 26), now=at(date(2026, 8, 26)))  # fmt: skip
    refusal = await refused(InvalidTransition, flow.id, terminate)
    assert "尚未办结" in refusal.message
    await recs.review_reply(w.prosecutor, rec_id, v, decision=ReplyDecision.ADOPTED,
                            now=at(date(2026, 8, 26)))  # fmt: skip
    change = flow.took(await pil.terminate(
        w.chief, flow.id, flow.version, reason=TerminationReason.PROTECTED,
        decided_on=date(2026, 8, 26), now=at(date(2026, 8, 26))))  # fmt: skip
    assert change.case.state == State.CLOSED_TERMINATED


async def test_litigation_review_from_the_pil_card_converts_the_open_recommendation(
    p: Pil,
) -> None:
    w = p.w
    flow = await (await new_clue(p)).served()
    rec_id = await flow.recommend()
    await serve_rec(w, rec_id, date(2026, 9, 1), reply=False)  # due 2026-11-02 (11-01 a Sunday)
    await serve_rec_reply(w, rec_id, date(2026, 9, 20))
    await flow.follow_up(date(2026, 9, 25))
    change = flow.took(await pil.start_litigation_review(
        w.chief, flow.id, flow.version, comment="回复与实际不符", now=at(date(2026, 9, 28))))  # fmt: skip
    assert change.case.state == State.LITIGATION_REVIEW
    assert change.event.payload["convertedRecommendationId"] == rec_id
    assert change.event.payload["since"] == "decision"  # the reply period had not expired
    assert (await Case.get(id=rec_id)).state == RecState.CONVERTED
    review = await clock(flow.id, LITIGATION_REVIEW)
    assert (review.started_on, review.due_on) == (date(2026, 9, 28), date(2026, 11, 30))
    assert review.explanation == (
        "2026年9月28日起诉审查起算，期限两个月，届满日2026年11月28日为周末，顺延至2026年11月30日。"
    )

    decided = flow.took(await pil.decide_not_to_sue(
        w.chief, flow.id, flow.version, reason=TerminationReason.OTHER, note="行政机关已完成整改",
        decided_on=date(2026, 11, 20), now=at(date(2026, 11, 20))))  # fmt: skip
    assert decided.case.state == State.CLOSED_TERMINATED
    assert (await clock(flow.id, LITIGATION_REVIEW)).status == "stopped"


async def serve_rec_reply(w: World, rec_id: int, day: date) -> int:
    v = (await Case.get(id=rec_id)).version
    change = await recs.submit_reply(w.liaison_a, rec_id, v, content="已整改",
                                     completeness=Completeness.FULL, now=at(day))  # fmt: skip
    return change.case.version


async def test_conversion_is_one_transaction_with_the_pil_step(p: Pil) -> None:
    w = p.w
    flow = await (await new_clue(p)).served()
    rec_id = await flow.recommend()
    rec_version = await serve_rec(w, rec_id, date(2026, 7, 6), reply=True)
    # The PIL case has had no follow-up: it cannot enter review, so the recommendation stays.
    rec_before = await snapshot(rec_id)
    convert = pil.convert_recommendation_to_litigation(w.chief, rec_id, rec_version,
                                                       now=at(date(2026, 9, 15)))  # fmt: skip
    before = await snapshot(flow.id)
    with pytest.raises(InvalidTransition):
        await convert
    assert await snapshot(flow.id) == before and await snapshot(rec_id) == rec_before
    # Someone without the right (the prosecutor) is refused on the recommendation first.
    with pytest.raises(PermissionDenied):
        await pil.convert_recommendation_to_litigation(w.prosecutor, rec_id, rec_version)
    assert await snapshot(rec_id) == rec_before


async def test_drafting_the_recommendation_is_one_transaction_with_the_pil_step(p: Pil) -> None:
    w = p.w
    first = await (await new_clue(p)).served()
    await first.recommend(doc_no="宿检行公建〔2026〕900号")
    flow = await (await new_clue(p)).served()
    draft = pil.draft_recommendation(w.prosecutor, flow.id, flow.version,
                                     doc_no="宿检行公建〔2026〕900号", title="重复文号",
                                     issues="问题", suggestions="建议", now=at(date(2026, 7, 1)))  # fmt: skip
    await refused(ValidationFailed, flow.id, draft, field="docNo")
    empty = pil.draft_recommendation(w.prosecutor, flow.id, flow.version, doc_no="宿检行公建〔2026〕901号",
                                     title="缺建议", issues="问题", suggestions=" ")  # fmt: skip
    await refused(ValidationFailed, flow.id, empty, field="suggestions")


# --- refusals: nothing changes ---------------------------------------------------------------

Step = Callable[[Actor], Awaitable[Change]]


def every_step(flow: Flow, rec_id: int = 0, rec_version: int = 0) -> dict[str, Step]:
    """Each step of the kind with valid-looking input, for one actor."""
    i, v, d, now = flow.id, flow.version, date(2026, 6, 10), at(date(2026, 6, 10))
    reason = TerminationReason.FULLY_PERFORMED
    return {
        "update": lambda a: pil.update_pil_case(a, i, v, title="改", now=now),
        "assess": lambda a: pil.assess_clue(a, i, v, assessment="意见", now=now),
        "propose": lambda a: pil.propose_filing(a, i, v, now=now),
        "return": lambda a: pil.return_for_revision(a, i, v, now=now),
        "reject": lambda a: pil.reject_clue(a, i, v, reason="理由", decided_on=d, now=now),
        "file": lambda a: pil.file_case(a, i, v, filing_decision_no="宿检行公立〔2026〕999号",
                                        filed_on=d, now=now),
        "serve": lambda a: pil.serve_filing_decision(a, i, v, served_on=d, now=now),
        "consult": lambda a: pil.record_consultation(a, i, v, form=ConsultationForm.OTHER,
                                                     held_on=d, participants="人员", now=now),
        "confirm": lambda a: pil.confirm_consultation(a, i, v, now=now),
        "recommend": lambda a: pil.draft_recommendation(a, i, v, doc_no="宿检行公建〔2026〕999号",
                                                        title="建议", issues="问题",
                                                        suggestions="建议", now=now),
        "terminate": lambda a: pil.terminate(a, i, v, reason=reason, decided_on=d, now=now),
        "follow_up": lambda a: pil.record_follow_up(a, i, v, method=FollowUpMethod.RECORDS,
                                                    investigated_on=d, finding="结论", now=now),
        "review": lambda a: pil.start_litigation_review(a, i, v, now=now),
        "suit": lambda a: pil.file_suit(a, i, v, court="法院", suit_filed_on=d,
                                        indictment_no="起诉书", now=now),
        "not_sue": lambda a: pil.decide_not_to_sue(a, i, v, reason=reason, decided_on=d, now=now),
        "close": lambda a: pil.close_litigation(a, i, v, result=LitigationResult.WITHDRAWN,
                                                decided_on=d, now=now),
    }  # fmt: skip


async def test_a_unit_that_is_no_party_sees_nothing_and_every_step_is_not_found(p: Pil) -> None:
    w = p.w
    early = await (await new_clue(p)).proposed()
    late = await (await new_clue(p)).served()
    await late.consult()
    for flow in (early, late):
        for name, take in every_step(flow).items():
            refusal = await refused(NotFound, flow.id, take(w.liaison_b))
            assert refusal.message == "行政公益诉讼案件不存在", name
    outsider = audience_of(w.liaison_b)
    assert await visible_cases(outsider).count() == 0
    assert await visible_events(outsider).count() == 0


async def test_the_agency_sees_the_case_only_once_the_filing_decision_is_served(p: Pil) -> None:
    w = p.w
    agency = audience_of(w.liaison_a)
    flow = await new_clue(p)
    seen: dict[str, bool] = {}
    for advance in (flow.assessed, flow.proposed_only, flow.filed_only, flow.served_only):
        seen[await flow.state()] = await visible_cases(agency).filter(id=flow.id).exists()
        for take in every_step(flow).values():
            if await flow.state() in {
                State.CLUE,
                State.ASSESSED,
                State.PENDING_FILING,
                State.FILED,
            }:
                await refused(NotFound, flow.id, take(w.liaison_a))
        await advance()
    seen[await flow.state()] = await visible_cases(agency).filter(id=flow.id).exists()
    assert seen == {State.CLUE: False, State.ASSESSED: False, State.PENDING_FILING: False,
                    State.FILED: False, State.FILING_SERVED: True}  # fmt: skip
    # Its history starts with the filing decision: the steps before are internal.
    events = [
        e.action for e in await visible_events(agency).filter(case_id=flow.id).order_by("seq")
    ]
    assert events == ["file", "serve_filing_decision"]
    own = await visible_events(audience_of(w.prosecutor)).filter(case_id=flow.id).count()
    assert own == 5
    assert await visible_cases(audience_of(w.office)).filter(id=flow.id).exists()


async def test_wrong_state_wrong_role_and_stale_version_change_nothing(p: Pil) -> None:
    w = p.w
    flow = await new_clue(p)
    steps = every_step(flow)
    await refused(InvalidTransition, flow.id, steps["serve"](w.prosecutor))
    await refused(InvalidTransition, flow.id, steps["file"](w.chief))
    await refused(PermissionDenied, flow.id, steps["assess"](w.chief))
    await refused(PermissionDenied, flow.id, steps["assess"](w.office))
    await refused(VersionConflict, flow.id, pil.assess_clue(w.prosecutor, flow.id, flow.version + 1,
                                                            assessment="意见"))  # fmt: skip
    await flow.proposed()
    steps = every_step(flow)
    await refused(PermissionDenied, flow.id, steps["file"](w.prosecutor))
    await refused(PermissionDenied, flow.id, steps["return"](w.prosecutor))
    await flow.filed_only()
    await flow.served_only()
    steps = every_step(flow)
    await refused(PermissionDenied, flow.id, steps["consult"](w.liaison_a))
    await refused(InvalidTransition, flow.id, steps["confirm"](w.liaison_a))  # nothing recorded
    await refused(PermissionDenied, flow.id, steps["consult"](w.chief))
    await refused(InvalidTransition, flow.id, steps["close"](w.prosecutor))
    await refused(InvalidTransition, flow.id, steps["follow_up"](w.prosecutor))
    await flow.consult()
    await refused(PermissionDenied, flow.id, every_step(flow)["confirm"](w.prosecutor))


async def test_a_second_prosecutor_is_neither_offered_nor_allowed_the_handlers_steps(
    p: Pil,
) -> None:
    w, other = p.w, p.prosecutor2
    flow = await new_clue(p)
    day = date(2026, 6, 10)
    assert await actions(w.prosecutor, flow.id, day) == [Action.ASSESS, Action.REJECT_CLUE]
    assert await actions(other, flow.id, day) == []
    assert await visible_cases(audience_of(other)).filter(id=flow.id).exists()
    for name in ("update", "assess", "reject"):
        await refused(PermissionDenied, flow.id, every_step(flow)[name](other))
    await flow.assessed()
    assert await actions(other, flow.id, day) == []
    await refused(PermissionDenied, flow.id, every_step(flow)["propose"](other))
    await flow.proposed_only()
    assert await actions(w.chief, flow.id, day) == [Action.RETURN_FOR_REVISION, Action.FILE]
    await flow.filed_only()
    assert await actions(w.prosecutor, flow.id, day) == [Action.SERVE_FILING_DECISION]
    assert await actions(other, flow.id, day) == []
    await refused(PermissionDenied, flow.id, every_step(flow)["serve"](other))
    await flow.served_only()
    assert await actions(w.prosecutor, flow.id, day) == [
        Action.RECORD_CONSULTATION,
        Action.DRAFT_RECOMMENDATION,
    ]
    assert await actions(w.chief, flow.id, day) == [Action.TERMINATE]
    assert await actions(other, flow.id, day) == []
    for name in ("consult", "recommend"):
        await refused(PermissionDenied, flow.id, every_step(flow)[name](other))
    await flow.consult()
    assert await actions(w.liaison_a, flow.id, day) == [Action.CONFIRM_CONSULTATION]


async def test_bad_input_is_refused_on_its_field(p: Pil) -> None:
    w = p.w
    with pytest.raises(ValidationFailed) as caught:
        await pil.create_pil_case(w.prosecutor, _new(w, domain_code="nonexistent"))
    assert caught.value.field == "domainCode"
    with pytest.raises(ValidationFailed) as caught:
        await pil.create_pil_case(w.prosecutor, _new(w, agency_unit_id=w.procuratorate.id))
    assert caught.value.field == "agencyUnitId"
    with pytest.raises(ValidationFailed) as caught:
        await pil.create_pil_case(w.prosecutor, _new(w, harm_description="  "),
                                  now=at(date(2026, 6, 1)))  # fmt: skip
    assert caught.value.field == "harmDescription"
    with pytest.raises(ValidationFailed) as caught:
        await pil.create_pil_case(w.prosecutor, _new(w, clue_received_on=date(2026, 6, 2)),
                                  now=at(date(2026, 6, 1)))  # fmt: skip
    assert caught.value.field == "clueReceivedOn"
    with pytest.raises(PermissionDenied):
        await pil.create_pil_case(w.liaison_a, _new(w))
    assert await Case.all().count() == 0

    flow = await new_clue(p)
    await refused(ValidationFailed, flow.id, pil.assess_clue(w.prosecutor, flow.id, flow.version,
                                                             assessment=" "), "assessment")  # fmt: skip
    await flow.proposed()
    day = date(2026, 6, 5)
    await refused(ValidationFailed, flow.id, pil.file_case(
        w.chief, flow.id, flow.version, filing_decision_no="宿检行公立〔2026〕1号",
        filed_on=date(2026, 6, 6), now=at(day)), "filedOn")  # fmt: skip
    await refused(ValidationFailed, flow.id, pil.file_case(
        w.chief, flow.id, flow.version, filing_decision_no="宿检行公立〔2026〕1号",
        filed_on=date(2026, 5, 31), now=at(day)), "filedOn")  # fmt: skip
    taken = await (await new_clue(p)).filed()
    number = (await PilDetail.get(case_id=taken.id)).filing_decision_no
    assert number is not None
    await refused(ValidationFailed, flow.id, pil.file_case(
        w.chief, flow.id, flow.version, filing_decision_no=number, filed_on=day,
        now=at(day)), "filingDecisionNo")  # fmt: skip
    await flow.filed_only(day)
    await refused(
        ValidationFailed,
        flow.id,
        pil.serve_filing_decision(
            w.prosecutor, flow.id, flow.version, served_on=date(2026, 6, 4), now=at(day)
        ),
        "servedOn",
    )
    await flow.served_only(date(2026, 6, 10))
    await refused(
        ValidationFailed,
        flow.id,
        pil.record_consultation(
            w.prosecutor,
            flow.id,
            flow.version,
            form=ConsultationForm.FACT_CONFIRMATION,
            held_on=date(2026, 6, 9),
            participants="人员",
            now=at(date(2026, 6, 12)),
        ),
        "heldOn",
    )
    await refused(
        ValidationFailed,
        flow.id,
        pil.record_consultation(
            w.prosecutor,
            flow.id,
            flow.version,
            form=ConsultationForm.FACT_CONFIRMATION,
            held_on=date(2026, 6, 11),
            participants="",
            now=at(date(2026, 6, 12)),
        ),
        "participants",
    )
    await refused(ValidationFailed, flow.id, pil.terminate(
        w.chief, flow.id, flow.version, reason=TerminationReason.OTHER,
        decided_on=date(2026, 6, 12), now=at(date(2026, 6, 12))), "note")  # fmt: skip
    await flow.consult(date(2026, 6, 12))
    await refused(
        ValidationFailed,
        flow.id,
        pil.confirm_consultation(w.liaison_a, flow.id, flow.version, consultation_id=-1),
        "consultationId",
    )


def _new(w: World, **changes: Any) -> pil.NewPilCase:
    base: dict[str, Any] = {
        "case_no": f"宿检公线〔2026〕{next(_numbers)}号", "title": "线索", "agency_unit_id": w.unit_a.id,
        "clue_source": ClueSource.OWN_DUTY, "clue_received_on": date(2026, 6, 1),
        "domain_code": "food_drug", "harm_description": "食品安全隐患",
    }  # fmt: skip
    return pil.NewPilCase(**(base | changes))


# --- clocks and the board --------------------------------------------------------------------


async def test_an_unserved_filing_decision_becomes_overdue_after_seven_days(p: Pil) -> None:
    flow = await (await new_clue(p, day=date(2026, 9, 28))).filed(date(2026, 9, 30))
    service = await clock(flow.id, FILING_SERVICE)
    # 7 days from 09-30 end on 10-07, inside the National Day holiday: moved to 10-08.
    assert service.due_on == date(2026, 10, 8)
    assert service.explanation.startswith("2026年9月30日立案，期限7日，届满日2026年10月7日为")
    assert service.explanation.endswith("顺延至2026年10月8日。")
    on_time, late = date(2026, 10, 8), date(2026, 10, 9)
    facts_now = await facts(flow.id)
    assert not is_clock_overdue(facts_now, FILING_SERVICE, on_time)
    assert board_column(SPEC, facts_now, on_time).id == "filed"
    assert is_clock_overdue(facts_now, FILING_SERVICE, late)
    assert board_column(SPEC, facts_now, late).id == "filing_overdue"
    await flow.served_only(late)
    facts_now = await facts(flow.id)
    assert (await clock(flow.id, FILING_SERVICE)).status == "stopped"
    assert board_column(SPEC, facts_now, late).id == "filed"


async def test_a_late_litigation_review_shows_in_its_overdue_column(p: Pil) -> None:
    w = p.w
    flow = await (await new_clue(p)).served()
    rec_id = await flow.recommend()
    await serve_rec(w, rec_id, date(2026, 7, 6))  # no reply; due 2026-09-07
    await flow.follow_up(date(2026, 9, 8))
    flow.took(await pil.start_litigation_review(w.chief, flow.id, flow.version,
                                                now=at(date(2026, 9, 10))))  # fmt: skip
    review = await clock(flow.id, LITIGATION_REVIEW)
    assert (review.started_on, review.due_on) == (date(2026, 9, 7), date(2026, 11, 9))
    facts_now = await facts(flow.id)
    assert board_column(SPEC, facts_now, date(2026, 11, 9)).id == "litigation_review"
    assert board_column(SPEC, facts_now, date(2026, 11, 10)).id == "litigation_review_overdue"


def test_the_clocks_alert_the_handling_prosecutor_only() -> None:
    for name in (FILING_SERVICE, LITIGATION_REVIEW):
        policy = SPEC.clock(name).alert
        assert policy is not None
        assert [(r.role.value, r.parties) for r in policy.recipients] == [
            ("prosecutor", (PartyRole.HANDLING_PROSECUTOR,))
        ]
        assert policy.escalate_after_days is None and policy.escalation_recipients == ()


def test_the_spec_is_consistent() -> None:
    states = set(SPEC.states)
    assert states == set(State)
    for state in State:
        assert any(state in c.states and c.overdue_clock is None for c in SPEC.columns), state
    assert {c.id for c in SPEC.columns if c.collapsed} == set(SPEC.closed)
    for t in SPEC.transitions:
        assert t.sources <= states and (t.target is None or t.target in states), t.action
        assert all(clock in {c.name for c in SPEC.clocks} for clock in (*t.starts, *t.stops))
    for c in SPEC.clocks:
        assert c.runs_in is not None and c.runs_in <= states
    # The agency sees nothing before the filing decision is served, and never a rejected clue.
    agency = SPEC.sees[PartyRole.ADDRESSEE]
    assert agency is not None
    assert not agency & {State.CLUE, State.ASSESSED, State.PENDING_FILING, State.FILED,
                         State.CLOSED_NOT_FILED}  # fmt: skip
    assert SPEC.draft_states == {State.CLUE, State.ASSESSED}
    handler = {t.action for t in SPEC.transitions if t.party is PartyRole.HANDLING_PROSECUTOR}
    assert handler == {Action.ASSESS, Action.PROPOSE_FILING, Action.REJECT_CLUE,
                       Action.SERVE_FILING_DECISION, Action.RECORD_CONSULTATION,
                       Action.DRAFT_RECOMMENDATION, Action.RECORD_FOLLOW_UP,
                       Action.CLOSE_LITIGATION}  # fmt: skip


async def test_the_managed_list_of_fields(db: str) -> None:
    """On PostgreSQL the rows come from migration 0004; the models-built SQLite database gets
    them from ``ensure_domains``. Either way they are the same list, and seeding twice adds
    nothing."""
    if db.startswith("sqlite"):
        assert await ensure_domains() == len(DOMAINS)
    assert await ensure_domains() == 0
    rows = await PilDomain.all().order_by("position").values_list("code", "name", "statutory")
    assert [tuple(r) for r in rows] == [tuple(d) for d in DOMAINS]
    statutory = [name for _, name, s in DOMAINS if s]
    assert statutory[:4] == [
        "生态环境和资源保护",
        "食品药品安全",
        "国有财产保护",
        "国有土地使用权出让",
    ]
    assert len(statutory) == 9 and DOMAINS[-1][1] == "其他"


# --- GraphQL ---------------------------------------------------------------------------------


def test_every_form_names_fields_of_its_graphql_input() -> None:
    from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLNonNull

    from hub.kinds.pil_case.schema import SCHEMA
    from hub.schema import build_schema

    schema = build_schema()._schema
    forms = [t.form for t in SPEC.transitions if t.form.mutation != "takeStep"]
    assert SPEC.create_form is not None and SCHEMA.edit_form is not None
    forms += [SPEC.create_form, SCHEMA.edit_form]
    assert schema.mutation_type is not None
    for form in forms:
        input_type = schema.type_map[form.input_type]
        assert isinstance(input_type, GraphQLInputObjectType), form.input_type
        for field in form.fields:
            assert field.name in input_type.fields, (form.input_type, field.name)
            kind = input_type.fields[field.name].type
            kind = kind.of_type if isinstance(kind, GraphQLNonNull) else kind
            if isinstance(kind, GraphQLEnumType) and field.options:
                assert {o.value for o in field.options} == set(kind.values), field.name
        assert form.mutation in schema.mutation_type.fields, form.mutation


_CREATE = """
mutation($input: CreatePilCaseInput!) {
  createPilCase(input: $input) {
    __typename
    ... on CaseStepSuccess { case { id version state ... on PilCase { domain { name statutory } } } }
    ... on Error { code message field }
  }
}"""
_TAKE = """
mutation($input: TakeStepInput!) {
  takeStep(input: $input) { __typename ... on CaseStepSuccess { case { version state } } ... on Error { code message field } }
}"""
_STEP = """
mutation {{
  {name}(input: {input}) {{
    __typename ... on CaseStepSuccess {{ case {{ id version state }} event {{ action }} }}
    ... on Error {{ code message field }}
  }}
}}"""
_READ = """
query($id: ID!) {
  node(id: $id) {
    ... on PilCase {
      state stateLabel clueSourceLabel domain { code name } agencyUnit { name } assessment
      internalNote filingDecisionNo filingServedOn awaitingConfirmation
      consultations { id formLabel awaitingConfirmation confirmedBy }
      linkedCases { __typename caseNo state }
      clocks { name dueOn explanation }
      availableActions { action form { mutation fields { name } } }
    }
  }
}"""


def _gql(value: Any) -> str:
    """A GraphQL input literal (enum values are given as ``Enum:NAME``)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_gql(v)}" for k, v in value.items()) + "}"
    if isinstance(value, str) and value.startswith("Enum:"):
        return value.removeprefix("Enum:")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value) + '"'


async def test_graphql_from_clue_to_a_served_filing_and_a_confirmed_consultation(
    api: Api, p: Pil
) -> None:
    from strawberry.relay import to_base64

    w = api.world
    new = {
        "caseNo": "宿检公线〔2026〕88号", "title": "农贸市场食品安全监管缺位",
        "agencyUnitId": to_base64("Unit", w.unit_a.id), "clueSource": "MEMBER_TRANSFER",
        "clueReceivedOn": "2026-11-02", "domainCode": "food_drug",
        "harmDescription": "农贸市场销售过期食品",
    }  # fmt: skip

    async def step(client: GraphQLClient, name: str, fields: dict[str, Any]) -> dict[str, Any]:
        body = await client(_STEP.format(name=name, input=_gql(fields)))
        assert "errors" not in body, body
        result: dict[str, Any] = body["data"][name]
        return result

    async with api.as_user("liaison_a") as liaison:
        body = await liaison(_CREATE, {"input": new})
        assert body["data"]["createPilCase"]["code"] == "PERMISSION_DENIED"
    async with api.as_user("prosecutor") as prosecutor:
        bad = await prosecutor(_CREATE, {"input": {**new, "domainCode": "nope"}})
        assert bad["data"]["createPilCase"]["field"] == "domainCode"
        case = (await prosecutor(_CREATE, {"input": new}))["data"]["createPilCase"]["case"]
        assert case["state"] == "CLUE"
        assert case["domain"] == {"name": "食品药品安全", "statutory": True}
        cid = case["id"]
        done = await step(prosecutor, "assessPilClue", {"id": cid, "version": case["version"],
                                                        "assessment": "线索属实"})  # fmt: skip
        take = await prosecutor(_TAKE, {"input": {"id": cid, "version": done["case"]["version"],
                                                  "action": "PROPOSE_FILING"}})  # fmt: skip
        version = take["data"]["takeStep"]["case"]["version"]
    async with api.as_user("liaison_a") as liaison:
        assert (await liaison(_READ, {"id": cid}))["data"]["node"] is None
    async with api.as_user("chief") as chief:
        done = await step(chief, "filePilCase", {"id": cid, "version": version,
                                                 "filingDecisionNo": "宿检行公立〔2026〕88号",
                                                 "filedOn": "2026-11-20"})  # fmt: skip
        assert done["case"]["state"] == "FILED"
    async with api.as_user("prosecutor") as prosecutor:
        done = await step(prosecutor, "servePilFilingDecision", {
            "id": cid, "version": done["case"]["version"], "servedOn": "2026-11-24"})  # fmt: skip
        done = await step(prosecutor, "recordPilConsultation", {
            "id": cid, "version": done["case"]["version"], "form": "Enum:FACT_CONFIRMATION",
            "heldOn": "2026-11-25", "participants": "双方承办人员"})  # fmt: skip
        assert done["case"]["state"] == "CONSULTING"
        mine = (await prosecutor(_READ, {"id": cid}))["data"]["node"]
        assert mine["assessment"] == "线索属实" and mine["awaitingConfirmation"]
        offered = {a["action"]: a["form"]["mutation"] for a in mine["availableActions"]}
        assert offered == {"RECORD_CONSULTATION": "recordPilConsultation",
                           "DRAFT_RECOMMENDATION": "draftPilRecommendation"}  # fmt: skip
        assert [c["name"] for c in mine["clocks"]] == ["filing_service"]
    async with api.as_user("liaison_a") as liaison:
        seen = (await liaison(_READ, {"id": cid}))["data"]["node"]
        assert (seen["assessment"], seen["internalNote"]) == (None, None)
        assert seen["filingDecisionNo"] == "宿检行公立〔2026〕88号"
        (record,) = seen["consultations"]
        assert (record["formLabel"], record["awaitingConfirmation"]) == ("事实确认书", True)
        assert [a["action"] for a in seen["availableActions"]] == ["CONFIRM_CONSULTATION"]
        done = await step(liaison, "confirmPilConsultation", {
            "id": cid, "version": done["case"]["version"], "consultationId": record["id"],
            "note": "无异议"})  # fmt: skip
        assert done["event"]["action"] == "confirm_consultation"
        seen = (await liaison(_READ, {"id": cid}))["data"]["node"]
        assert seen["consultations"][0]["confirmedBy"] == "liaison_a-姓名（联络员）"
        assert seen["availableActions"] == []
    async with api.as_user("liaison_b") as other:
        assert (await other(_READ, {"id": cid}))["data"]["node"] is None


async def test_graphql_draft_recommendation_and_convert(api: Api, p: Pil) -> None:
    from strawberry.relay import to_base64

    w = api.world
    flow = await (await new_clue(p)).served()
    cid = to_base64("PilCase", flow.id)
    async with api.as_user("prosecutor") as prosecutor:
        body = await prosecutor(_STEP.format(name="draftPilRecommendation", input=_gql({
            "id": cid, "version": flow.version, "docNo": "宿检行公建〔2026〕66号",
            "title": "关于督促整治黑臭水体的检察建议", "issues": "水体黑臭",
            "suggestions": "依法履职"})))  # fmt: skip
        assert body["data"]["draftPilRecommendation"]["case"]["state"] == "RECOMMENDED"
        mine = (await prosecutor(_READ, {"id": cid}))["data"]["node"]
        assert mine["linkedCases"] == [
            {"__typename": "Recommendation", "caseNo": "宿检行公建〔2026〕66号", "state": "DRAFT"}
        ]
    rec = await Case.get(source_id=flow.id)
    version = await serve_rec(w, rec.id, date(2026, 7, 6), reply=True)
    flow.version = (await Case.get(id=flow.id)).version
    await flow.follow_up(date(2026, 9, 10))
    rid = to_base64("Recommendation", rec.id)
    async with api.as_user("chief") as chief:
        take = await chief(_TAKE, {"input": {"id": cid, "version": flow.version,
                                             "action": "START_LITIGATION_REVIEW"}})  # fmt: skip
        assert take["data"]["takeStep"]["code"] == "VALIDATION_FAILED"
        body = await chief(_STEP.format(name="convertRecommendationToLitigation",
                                        input=_gql({"id": rid, "version": version})))  # fmt: skip
        result = body["data"]["convertRecommendationToLitigation"]
        assert result["case"]["state"] == "CONVERTED" and result["case"]["id"] == rid
    assert await flow.state() == State.LITIGATION_REVIEW


async def test_graphql_lists_the_managed_fields(api: Api, p: Pil) -> None:
    async with api.as_user("liaison_a") as liaison:
        body = await liaison("{ pilDomains { code name statutory } }")
    rows = body["data"]["pilDomains"]
    assert [(r["code"], r["name"], r["statutory"]) for r in rows] == [tuple(d) for d in DOMAINS]


# --- demo ------------------------------------------------------------------------------------


async def test_demo_pil_cases_are_made_through_the_steps(db: str) -> None:
    from hub import clock as hub_clock
    from hub.kinds.pil_case.demo import CASES, load_demo
    from hub.services.demo import load_accounts, load_units

    units = await load_units()
    users = await load_accounts(units, "demo-password-1")
    assert await load_demo(units, users) == len(CASES)
    cases = await Case.filter(kind="pil_case").order_by("id")
    assert [c.state for c in cases] == [State.RECOMMENDED, State.CONSULTING, State.PENDING_FILING,
                                        State.FILED, State.CLOSED_TERMINATED]  # fmt: skip
    confirmed = [r.confirmed_at is not None for r in await PilConsultation.all().order_by("id")]
    assert confirmed == [True, False, True]
    rec = await Case.get(kind="recommendation", source_id=cases[0].id)
    assert rec.state == RecState.SERVED and LINKED_PIL in rec.flags
    today = hub_clock.today()
    columns = [board_column(SPEC, await facts(c.id), today).id for c in cases]
    assert columns == ["recommended", "consulting", "pending_filing", "filing_overdue",
                       "closed_terminated"]  # fmt: skip
    agency = audience_of(actor_for_user(users["liaison_market_supervision"],
                                        units["market_supervision"]))  # fmt: skip
    assert not await visible_cases(agency).filter(kind="pil_case").exists()


async def test_steps_taken_together_are_announced_once_committed(p: Pil) -> None:
    from hub.services.publish import Announcer, use_announcer

    class Silent:
        async def publish(self, channel: str, message: str) -> None:  # pragma: no cover
            raise AssertionError("not started")

    w = p.w
    flow = await (await new_clue(p)).served()
    rec_id = await flow.recommend()
    rec_version = await serve_rec(w, rec_id, date(2026, 7, 6), reply=True)
    announcer = Announcer(Silent())
    use_announcer(announcer)
    try:
        with pytest.raises(InvalidTransition):  # no follow-up yet: neither step happens
            await pil.convert_recommendation_to_litigation(w.chief, rec_id, rec_version)
        assert announcer.pending == 0
        await flow.follow_up(date(2026, 9, 10))
        announcer.pending = 0
        rec, change = await pil.convert_recommendation_to_litigation(
            w.chief, rec_id, rec_version, now=at(date(2026, 9, 15)))  # fmt: skip
    finally:
        use_announcer(None)
    assert change.event.seq == rec.event.seq + 1
    assert announcer.pending == change.event.seq


_BOARD = """
{
  board(kind: PIL_CASE) {
    columns { id label collapsed }
    cards {
      caseNo column
      ... on PilCase {
        clueSourceLabel domain { name } agencyUnit { name } assessment awaitingConfirmation
        consultations { awaitingConfirmation } filingServedOn prosecutorName
      }
    }
    createForm { mutation fields { name } }
  }
}"""


async def test_the_board_shows_each_side_its_cards(api: Api, p: Pil) -> None:
    early = await (await new_clue(p)).proposed()
    served = await (await new_clue(p)).served()
    await served.consult()
    async with api.as_user("prosecutor") as prosecutor:
        board = (await prosecutor(_BOARD))["data"]["board"]
    assert [c["id"] for c in board["columns"]][:3] == ["CLUE", "PENDING_FILING", "FILED"]
    cards = {c["caseNo"]: c for c in board["cards"]}
    mine = cards[(await Case.get(id=served.id)).case_no]
    assert (mine["column"], mine["assessment"], mine["awaitingConfirmation"]) == (
        "CONSULTING", "线索属实，可能损害公益", True)  # fmt: skip
    assert mine["domain"] == {"name": "生态环境和资源保护"}
    assert mine["prosecutorName"] == "prosecutor-姓名"
    assert cards[(await Case.get(id=early.id)).case_no]["column"] == "PENDING_FILING"
    assert board["createForm"]["mutation"] == "createPilCase"
    async with api.as_user("liaison_a") as liaison:
        board = (await liaison(_BOARD))["data"]["board"]
    (seen,) = board["cards"]
    assert seen["caseNo"] == (await Case.get(id=served.id)).case_no
    assert (seen["assessment"], seen["consultations"]) == (None, [{"awaitingConfirmation": True}])
    assert board["createForm"] is None
