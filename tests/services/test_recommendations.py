"""The write path against real databases: every step, every refusal, nothing lost."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from hub.domain.deadlines import Period, PeriodUnit, ReplyRule
from hub.domain.engine import Party, board_column, is_clock_overdue
from hub.domain.errors import (
    HubError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    VersionConflict,
)
from hub.domain.kinds import PartyRole
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import (
    Completeness,
    Objection,
    ObjectionDecision,
    RecommendationDetail,
    Reply,
    ReplyDecision,
    ServiceMethod,
)
from hub.kinds.recommendation.spec import REPLY, SPEC, RecommendationType, State
from hub.models import Case, CaseClock, CaseEvent, EventCounter
from hub.services.cases import Change
from tests.factories import NOW, TODAY, World, draft, facts, reply_clock, served, snapshot


async def _clock(case_id: int) -> CaseClock:
    clock = await reply_clock(case_id)
    assert clock is not None
    return clock


async def test_full_lifecycle_records_one_event_per_step(world: World) -> None:
    rec = await draft(world)
    assert rec.state == State.DRAFT and rec.version == 1
    v = (await recs.submit_for_approval(world.prosecutor, rec.id, 1, now=NOW)).case.version
    v = (await recs.approve(world.chief, rec.id, v, now=NOW)).case.version
    change = await recs.serve(
        world.prosecutor,
        rec.id,
        v,
        served_on=date(2026, 9, 9),
        method=ServiceMethod.WRITTEN,
        now=NOW,
    )
    clock = await _clock(rec.id)
    assert clock.due_on == date(2026, 11, 9)
    assert clock.explanation == "2026年9月9日送达，期限两个月，届满日为2026年11月9日。"
    assert clock.version == 1
    v = change.case.version
    v = (await recs.acknowledge(world.liaison_a, rec.id, v, now=NOW)).case.version
    v = (
        await recs.submit_reply(
            world.liaison_a, rec.id, v, content="已整改", completeness=Completeness.PARTIAL, now=NOW
        )
    ).case.version
    v = (
        await recs.review_reply(
            world.prosecutor, rec.id, v, decision=ReplyDecision.PARTIALLY_ADOPTED,
            comment="第二项未落实", now=NOW,
        )
    ).case.version  # fmt: skip
    assert (await Case.get(id=rec.id)).state == State.RECTIFYING
    v = (
        await recs.submit_reply(
            world.liaison_a, rec.id, v, content="全部整改", completeness=Completeness.FULL, now=NOW
        )
    ).case.version
    final = await recs.review_reply(
        world.prosecutor, rec.id, v, decision=ReplyDecision.ADOPTED, now=NOW
    )

    stored = await Case.get(id=rec.id)
    assert stored.state == State.CLOSED_ADOPTED
    assert stored.closed_at == NOW
    assert stored.version == 9
    events = await CaseEvent.filter(case_id=rec.id).order_by("seq")
    assert [e.action for e in events] == [
        "create", "submit_for_approval", "approve", "serve", "acknowledge", "submit_reply",
        "partially_adopt_reply", "submit_reply", "adopt_reply",
    ]  # fmt: skip
    assert [e.version for e in events] == list(range(1, 10))
    assert [e.seq for e in events] == list(range(1, 10))
    assert (await EventCounter.get(id=1)).value == 9
    assert events[-1].from_state == "replied" and events[-1].to_state == "closed_adopted"
    assert events[1].internal and not events[3].internal  # approval steps are internal
    assert final.event.seq == 9
    replies = await Reply.filter(case_id=rec.id).order_by("id")
    assert [(r.completeness, r.decision) for r in replies] == [
        (Completeness.PARTIAL, ReplyDecision.PARTIALLY_ADOPTED),
        (Completeness.FULL, ReplyDecision.ADOPTED),
    ]


async def test_urgent_public_interest_recommendation_gets_fifteen_days(world: World) -> None:
    rec = await served(
        world, served_on=date(2024, 9, 16), rec_type=RecommendationType.PUBLIC_INTEREST,
        rule=ReplyRule.URGENT_15_DAYS,
    )  # fmt: skip
    clock = await _clock(rec.id)
    assert clock.due_on == date(2024, 10, 8)  # 10-01 is National Day: moved to the next workday
    assert clock.rule == "ji21_15d"  # urgent
    assert "国庆节" in clock.explanation


async def test_custom_period_for_a_non_pil_recommendation(world: World) -> None:
    rec = await draft(world)
    v = (await recs.submit_for_approval(world.prosecutor, rec.id, 1, now=NOW)).case.version
    v = (await recs.approve(world.chief, rec.id, v, now=NOW)).case.version
    await recs.serve(
        world.prosecutor, rec.id, v, served_on=date(2026, 11, 2), method=ServiceMethod.ANNOUNCED,
        rule=ReplyRule.CUSTOM, custom_period=Period(20, PeriodUnit.DAYS), now=NOW,
    )  # fmt: skip
    clock = await _clock(rec.id)
    assert clock.due_on == date(2026, 11, 23)  # 11-22 is a Sunday
    assert clock.rule == "jy_custom"


@pytest.mark.parametrize(
    ("rec_type", "rule", "rule_id"),
    [
        (RecommendationType.SOCIAL_GOVERNANCE, ReplyRule.STATUTORY_2_MONTHS, "jy_2m"),
        (RecommendationType.CORRECTION, ReplyRule.STATUTORY_2_MONTHS, "jy_2m"),
        (RecommendationType.OTHER, ReplyRule.STATUTORY_2_MONTHS, "jy_2m"),
        (RecommendationType.PUBLIC_INTEREST, ReplyRule.STATUTORY_2_MONTHS, "ji21_2m"),
        (RecommendationType.PUBLIC_INTEREST, ReplyRule.URGENT_15_DAYS, "ji21_15d"),
    ],
)
async def test_reply_rule_follows_the_type(
    world: World, rec_type: RecommendationType, rule: ReplyRule, rule_id: str
) -> None:
    rec = await served(world, served_on=date(2026, 9, 9), rec_type=rec_type, rule=rule)
    assert (await _clock(rec.id)).rule == rule_id


async def test_objection_rejected_then_amended_then_withdrawn(world: World) -> None:
    rec = await served(world, served_on=date(2026, 10, 10))
    served_clock = await _clock(rec.id)
    v = (
        await recs.raise_objection(
            world.liaison_a, rec.id, rec.version, grounds="不属于我局职责", now=NOW
        )
    ).case.version
    v = (await recs.decide_objection(world.chief, rec.id, v, decision=ObjectionDecision.REJECTED, reasons="属于法定职责", now=NOW)).case.version  # fmt: skip
    after_reject = await Case.get(id=rec.id)
    assert after_reject.state == State.SERVED
    reject_clock = await _clock(rec.id)
    assert reject_clock.due_on == served_clock.due_on  # the deadline stands
    assert reject_clock.version == served_clock.version

    v = (await recs.raise_objection(world.liaison_a, rec.id, v, grounds="仍有异议", now=NOW)).case.version  # fmt: skip
    amended = await recs.decide_objection(
        world.chief, rec.id, v, decision=ObjectionDecision.AMENDED, reasons="部分成立",
        amended_suggestions="修改后的建议", served_on=date(2026, 11, 20), now=NOW,
    )  # fmt: skip
    assert amended.case.state == State.SERVED
    detail = await RecommendationDetail.get(case_id=rec.id)
    assert detail.suggestions == "修改后的建议"
    assert detail.served_on == date(2026, 11, 20)
    clock = await _clock(rec.id)
    assert clock.due_on == date(2027, 1, 20)
    assert clock.provisional is True  # 2027 has no calendar data yet
    assert clock.version == 2

    v = amended.case.version
    v = (await recs.raise_objection(world.liaison_a, rec.id, v, grounds="第三次", now=NOW)).case.version  # fmt: skip
    withdrawn = await recs.decide_objection(
        world.chief, rec.id, v, decision=ObjectionDecision.WITHDRAWN, reasons="撤回", now=NOW
    )
    assert withdrawn.case.state == State.WITHDRAWN
    assert withdrawn.case.closed_at == NOW
    objections = await Objection.filter(case_id=rec.id).order_by("id")
    assert [o.decision for o in objections] == [
        ObjectionDecision.REJECTED, ObjectionDecision.AMENDED, ObjectionDecision.WITHDRAWN,
    ]  # fmt: skip


async def test_overdue_is_derived_from_the_deadline(world: World) -> None:
    rec = await served(world, served_on=date(2026, 9, 9))  # due 2026-11-09
    known = await facts(rec.id)
    assert is_clock_overdue(known, REPLY, TODAY)
    assert board_column(SPEC, known, TODAY).id == "overdue"
    assert not is_clock_overdue(known, REPLY, date(2026, 11, 9))  # the last day is still in time
    assert rec.state == State.SERVED  # nothing stored says "overdue"
    await recs.submit_reply(
        world.liaison_a,
        rec.id,
        rec.version,
        content="迟到的回复",
        completeness=Completeness.FULL,
        now=NOW,
    )
    assert not is_clock_overdue(await facts(rec.id), REPLY, TODAY)


async def test_urge_is_for_the_office_once_overdue(world: World) -> None:
    overdue = await served(world, served_on=date(2026, 9, 9))
    change = await recs.urge(
        world.office, overdue.id, overdue.version, comment="请尽快回复", now=NOW
    )
    assert change.case.state == State.SERVED
    assert change.event.action == "urge" and change.event.comment == "请尽快回复"
    assert change.case.version == overdue.version + 1


# --- refused steps change nothing ---------------------------------------------------------


async def _refusal_cases(world: World) -> list[tuple[str, type[HubError], object]]:
    served_rec = await served(world, served_on=date(2026, 11, 2))
    closed = await served(world, served_on=date(2026, 11, 2))
    v = (await recs.submit_reply(world.liaison_a, closed.id, closed.version, content="x", completeness=Completeness.FULL, now=NOW)).case.version  # fmt: skip
    await recs.review_reply(world.prosecutor, closed.id, v, decision=ReplyDecision.ADOPTED, now=NOW)
    closed = await Case.get(id=closed.id)
    pil = await draft(world, rec_type=RecommendationType.PUBLIC_INTEREST)
    v = (await recs.submit_for_approval(world.prosecutor, pil.id, 1, now=NOW)).case.version
    v = (await recs.approve(world.chief, pil.id, v, now=NOW)).case.version
    pil = await Case.get(id=pil.id)
    s, c = served_rec, closed
    return [
        ("adopt a reply that was never given", InvalidTransition,
         lambda: recs.review_reply(world.prosecutor, s.id, s.version, decision=ReplyDecision.ADOPTED, now=NOW)),
        ("prosecutor acknowledges for the agency", PermissionDenied,
         lambda: recs.acknowledge(world.prosecutor, s.id, s.version, now=NOW)),
        ("the other agency acknowledges", NotFound,
         lambda: recs.acknowledge(world.liaison_b, s.id, s.version, now=NOW)),
        ("stale version", VersionConflict,
         lambda: recs.acknowledge(world.liaison_a, s.id, s.version - 1, now=NOW)),
        ("reply to a closed recommendation", InvalidTransition,
         lambda: recs.submit_reply(world.liaison_a, c.id, c.version, content="再回复", completeness=Completeness.FULL, now=NOW)),
        ("empty reply", ValidationFailed,
         lambda: recs.submit_reply(world.liaison_a, s.id, s.version, content="   ", completeness=Completeness.FULL, now=NOW)),
        ("urge before the deadline", InvalidTransition,
         lambda: recs.urge(world.office, s.id, s.version, now=NOW)),
        ("service date in the future", ValidationFailed,
         lambda: recs.serve(world.prosecutor, pil.id, pil.version, served_on=TODAY + timedelta(days=1), method=ServiceMethod.WRITTEN, now=NOW)),
        ("custom period on a PIL recommendation", ValidationFailed,
         lambda: recs.serve(world.prosecutor, pil.id, pil.version, served_on=TODAY, method=ServiceMethod.WRITTEN, rule=ReplyRule.CUSTOM, custom_period=Period(10, PeriodUnit.DAYS), now=NOW)),
        ("approver serves", PermissionDenied,
         lambda: recs.serve(world.chief, pil.id, pil.version, served_on=TODAY, method=ServiceMethod.WRITTEN, now=NOW)),
        ("amend without a new service date", ValidationFailed, None),
    ]  # fmt: skip


@pytest.mark.parametrize("index", range(10))
async def test_refused_step_changes_nothing(world: World, index: int) -> None:
    cases = await _refusal_cases(world)
    name, error, step = cases[index]
    recs_before = {r.id: await snapshot(r.id) for r in await Case.all()}
    with pytest.raises(error) as info:
        await step()  # type: ignore[operator]
    assert info.value.message, name
    recs_after = {r.id: await snapshot(r.id) for r in await Case.all()}
    assert recs_after == recs_before, name


async def test_error_messages_are_specific(world: World) -> None:
    rec = await served(world, served_on=date(2026, 11, 2))
    with pytest.raises(VersionConflict) as conflict:
        await recs.acknowledge(world.liaison_a, rec.id, rec.version + 3, now=NOW)
    assert conflict.value.current_version == rec.version and conflict.value.field == "version"
    with pytest.raises(InvalidTransition) as wrong:
        await recs.serve(world.prosecutor, rec.id, rec.version, served_on=TODAY,
                         method=ServiceMethod.WRITTEN, now=NOW)  # fmt: skip
    assert wrong.value.message == "当前状态“已送达”不能执行“送达”"


async def test_reply_rule_refusals_name_the_rule(world: World) -> None:
    """The 15-day rule is for public-interest recommendations and a custom one for the others;
    a future service date is refused before the rule is looked at."""
    social = await draft(world)
    v = (await recs.submit_for_approval(world.prosecutor, social.id, 1, now=NOW)).case.version
    v = (await recs.approve(world.chief, social.id, v, now=NOW)).case.version
    before = await snapshot(social.id)
    with pytest.raises(ValidationFailed) as urgent:
        await recs.serve(world.prosecutor, social.id, v, served_on=TODAY,
                         method=ServiceMethod.WRITTEN, rule=ReplyRule.URGENT_15_DAYS, now=NOW)  # fmt: skip
    assert urgent.value.message == "该类检察建议不适用此回复期限规则"
    assert urgent.value.field == "deadlineRule"
    with pytest.raises(ValidationFailed) as future:
        await recs.serve(world.prosecutor, social.id, v, served_on=TODAY + timedelta(days=1),
                         method=ServiceMethod.WRITTEN, rule=ReplyRule.URGENT_15_DAYS, now=NOW)  # fmt: skip
    assert future.value.field == "servedOn"
    assert future.value.message == "送达日期2026年11月29日晚于今天（2026年11月28日）"
    assert await snapshot(social.id) == before


async def test_amend_needs_a_new_service_date_and_changes_nothing(world: World) -> None:
    rec = await served(world, served_on=date(2026, 11, 2))
    v = (await recs.raise_objection(world.liaison_a, rec.id, rec.version, grounds="异议", now=NOW)).case.version  # fmt: skip
    before = await snapshot(rec.id)
    with pytest.raises(ValidationFailed) as info:
        await recs.decide_objection(
            world.chief, rec.id, v, decision=ObjectionDecision.AMENDED, reasons="成立",
            amended_suggestions="新建议", now=NOW,
        )  # fmt: skip
    assert info.value.field == "servedOn"
    assert await snapshot(rec.id) == before


async def test_unknown_and_foreign_ids_are_refused_alike(world: World) -> None:
    rec = await served(world, served_on=date(2026, 11, 2))
    with pytest.raises(NotFound) as foreign:
        await recs.acknowledge(world.liaison_b, rec.id, rec.version, now=NOW)
    with pytest.raises(NotFound) as unknown:
        await recs.acknowledge(world.liaison_b, 987654, 1, now=NOW)
    assert (foreign.value.message, foreign.value.field) == (
        unknown.value.message,
        unknown.value.field,
    )
    assert foreign.value.message == "检察建议不存在"


async def test_drafts_are_invisible_to_the_addressee(world: World) -> None:
    rec = await draft(world)
    with pytest.raises(NotFound):
        await recs.acknowledge(world.liaison_a, rec.id, rec.version, now=NOW)


async def test_concurrent_steps_on_one_version_commit_once(world: World) -> None:
    rec = await served(world, served_on=date(2026, 11, 2))
    results = await asyncio.gather(
        recs.acknowledge(world.liaison_a, rec.id, rec.version, now=NOW),
        recs.submit_reply(world.liaison_a, rec.id, rec.version, content="回复", completeness=Completeness.FULL, now=NOW),
        return_exceptions=True,
    )  # fmt: skip
    succeeded = [r for r in results if isinstance(r, Change)]
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(succeeded) == 1, results
    assert len(failed) == 1 and isinstance(failed[0], VersionConflict | InvalidTransition)
    stored = await Case.get(id=rec.id)
    assert stored.version == rec.version + 1
    assert await CaseEvent.filter(case_id=rec.id, version=stored.version).count() == 1


async def test_duplicate_document_number_is_a_validation_error(world: World) -> None:
    rec = await draft(world)
    with pytest.raises(ValidationFailed) as info:
        await recs.create_recommendation(
            world.prosecutor,
            recs.NewRecommendation(doc_no=rec.case_no, title="重复", rec_type=RecommendationType.OTHER,
                                   addressee_unit_id=world.unit_b.id),
            now=NOW,
        )  # fmt: skip
    assert info.value.field == "docNo"
    assert info.value.message == f"文号 {rec.case_no} 已存在"
    assert await Case.filter(case_no=rec.case_no).count() == 1


async def test_only_prosecutors_draft_and_only_to_agencies(world: World) -> None:
    new = recs.NewRecommendation(doc_no="宿检行建〔2026〕900号", title="t",
                                 rec_type=RecommendationType.OTHER, addressee_unit_id=world.unit_a.id)  # fmt: skip
    with pytest.raises(PermissionDenied) as liaison:
        await recs.create_recommendation(world.liaison_a, new, now=NOW)
    assert liaison.value.message == "只有承办检察官可以起草检察建议"
    to_self = recs.NewRecommendation(doc_no="宿检行建〔2026〕901号", title="t",
                                     rec_type=RecommendationType.OTHER,
                                     addressee_unit_id=world.procuratorate.id)  # fmt: skip
    with pytest.raises(ValidationFailed) as not_an_agency:
        await recs.create_recommendation(world.prosecutor, to_self, now=NOW)
    assert not_an_agency.value.message == "被建议单位不存在或不是行政机关"
    assert not_an_agency.value.field == "addresseeUnitId"
    with pytest.raises(PermissionDenied):  # refused for who asks before what is asked
        await recs.create_recommendation(world.liaison_a, to_self, now=NOW)
    assert await Case.all().count() == 0
    assert await CaseEvent.all().count() == 0


async def test_a_draft_has_its_parties_and_detail(world: World) -> None:
    rec = await draft(world, rec_type=RecommendationType.PUBLIC_INTEREST)
    known = await facts(rec.id)
    assert set(known.parties) == {
        Party(PartyRole.ISSUER, world.procuratorate.id),
        Party(PartyRole.ADDRESSEE, world.unit_a.id),
        Party(PartyRole.HANDLING_PROSECUTOR, world.procuratorate.id, world.prosecutor.id),
    }
    assert known.flags == {"public_interest"}
    assert rec.author_id == world.prosecutor.id and rec.internal_note == "内部：承办组意见"
    detail = await RecommendationDetail.get(case_id=rec.id)
    assert (detail.rec_type, detail.suggestions) == (
        RecommendationType.PUBLIC_INTEREST,
        "一、依法履职。",
    )
    assert await reply_clock(rec.id) is None


async def test_only_the_author_edits_and_only_a_draft(world: World) -> None:
    rec = await draft(world)
    change = await recs.update_recommendation(
        world.prosecutor, rec.id, rec.version, title="新标题", legal_basis="新依据", now=NOW
    )
    assert (change.case.title, change.case.version) == ("新标题", rec.version + 1)
    detail = await RecommendationDetail.get(case_id=rec.id)
    assert (detail.legal_basis, detail.suggestions) == ("新依据", "一、依法履职。")
    assert (change.event.action, change.event.internal) == ("update", True)
    assert change.event.payload == {"fields": ["legalBasis"]}

    before = await snapshot(rec.id)
    with pytest.raises(ValidationFailed) as too_long:
        await recs.update_recommendation(
            world.prosecutor, rec.id, change.case.version, legal_basis="长" * 20_001, now=NOW
        )
    assert too_long.value.field == "legalBasis"
    chief = world.chief
    with pytest.raises(PermissionDenied):
        await recs.update_recommendation(chief, rec.id, change.case.version, title="x", now=NOW)
    assert await snapshot(rec.id) == before

    v = (await recs.submit_for_approval(world.prosecutor, rec.id, change.case.version, now=NOW)).case.version  # fmt: skip
    with pytest.raises(ValidationFailed) as not_a_draft:
        await recs.update_recommendation(world.prosecutor, rec.id, v, title="x", now=NOW)
    assert not_a_draft.value.message == "只有草稿状态的检察建议可以修改"
