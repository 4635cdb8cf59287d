"""The write path against real databases: every step, every refusal, nothing lost."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest

from hub.domain.deadlines import Period, PeriodUnit, ReplyRule
from hub.domain.errors import (
    HubError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    VersionConflict,
)
from hub.domain.lifecycle import Column, State, board_column, is_overdue
from hub.models import (
    CaseEvent,
    Completeness,
    EventCounter,
    Objection,
    ObjectionDecision,
    Recommendation,
    RecommendationType,
    Reply,
    ReplyDecision,
    ServiceMethod,
)
from hub.services import recommendations as recs
from hub.services.visibility import facts_of
from tests.factories import NOW, TODAY, World, draft, served, snapshot


async def test_full_lifecycle_records_one_event_per_step(world: World) -> None:
    rec = await draft(world)
    assert rec.state is State.DRAFT and rec.version == 1
    v = (
        await recs.submit_for_approval(world.prosecutor, rec.id, 1, now=NOW)
    ).recommendation.version
    v = (await recs.approve(world.chief, rec.id, v, now=NOW)).recommendation.version
    change = await recs.serve(
        world.prosecutor,
        rec.id,
        v,
        served_on=date(2026, 9, 9),
        method=ServiceMethod.WRITTEN,
        now=NOW,
    )
    assert change.recommendation.reply_due == date(2026, 11, 9)
    assert (
        change.recommendation.due_explanation
        == "2026-09-09 送达，期限两个月，届满日为 2026-11-09。"
    )
    assert change.recommendation.deadline_version == 1
    v = change.recommendation.version
    v = (await recs.acknowledge(world.liaison_a, rec.id, v, now=NOW)).recommendation.version
    v = (
        await recs.submit_reply(
            world.liaison_a, rec.id, v, content="已整改", completeness=Completeness.PARTIAL, now=NOW
        )
    ).recommendation.version
    v = (
        await recs.review_reply(
            world.prosecutor, rec.id, v, decision=ReplyDecision.PARTIALLY_ADOPTED,
            comment="第二项未落实", now=NOW,
        )
    ).recommendation.version  # fmt: skip
    assert (await Recommendation.get(id=rec.id)).state is State.RECTIFYING
    v = (
        await recs.submit_reply(
            world.liaison_a, rec.id, v, content="全部整改", completeness=Completeness.FULL, now=NOW
        )
    ).recommendation.version
    final = await recs.review_reply(
        world.prosecutor, rec.id, v, decision=ReplyDecision.ADOPTED, now=NOW
    )

    stored = await Recommendation.get(id=rec.id)
    assert stored.state is State.CLOSED_ADOPTED
    assert stored.closed_at == NOW
    assert stored.version == 9
    events = await CaseEvent.filter(recommendation_id=rec.id).order_by("seq")
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
    replies = await Reply.filter(recommendation_id=rec.id).order_by("id")
    assert [(r.completeness, r.decision) for r in replies] == [
        (Completeness.PARTIAL, ReplyDecision.PARTIALLY_ADOPTED),
        (Completeness.FULL, ReplyDecision.ADOPTED),
    ]


async def test_urgent_public_interest_recommendation_gets_fifteen_days(world: World) -> None:
    rec = await served(
        world, served_on=date(2024, 9, 16), rec_type=RecommendationType.PUBLIC_INTEREST,
        rule=ReplyRule.URGENT_15_DAYS,
    )  # fmt: skip
    assert rec.reply_due == date(2024, 10, 8)  # 10-01 is National Day: moved to the next workday
    assert rec.urgent is True
    assert "国庆节" in rec.due_explanation


async def test_custom_period_for_a_non_pil_recommendation(world: World) -> None:
    rec = await draft(world)
    v = (
        await recs.submit_for_approval(world.prosecutor, rec.id, 1, now=NOW)
    ).recommendation.version
    v = (await recs.approve(world.chief, rec.id, v, now=NOW)).recommendation.version
    change = await recs.serve(
        world.prosecutor, rec.id, v, served_on=date(2026, 11, 2), method=ServiceMethod.ANNOUNCED,
        rule=ReplyRule.CUSTOM, custom_period=Period(20, PeriodUnit.DAYS), now=NOW,
    )  # fmt: skip
    assert change.recommendation.reply_due == date(2026, 11, 23)  # 11-22 is a Sunday


async def test_objection_rejected_then_amended_then_withdrawn(world: World) -> None:
    rec = await served(world, served_on=date(2026, 10, 10))
    v = (
        await recs.raise_objection(
            world.liaison_a, rec.id, rec.version, grounds="不属于我局职责", now=NOW
        )
    ).recommendation.version
    v = (await recs.decide_objection(world.chief, rec.id, v, decision=ObjectionDecision.REJECTED, reasons="属于法定职责", now=NOW)).recommendation.version  # fmt: skip
    after_reject = await Recommendation.get(id=rec.id)
    assert after_reject.state is State.SERVED
    assert after_reject.reply_due == rec.reply_due  # the deadline stands

    v = (await recs.raise_objection(world.liaison_a, rec.id, v, grounds="仍有异议", now=NOW)).recommendation.version  # fmt: skip
    amended = await recs.decide_objection(
        world.chief, rec.id, v, decision=ObjectionDecision.AMENDED, reasons="部分成立",
        amended_suggestions="修改后的建议", served_on=date(2026, 11, 20), now=NOW,
    )  # fmt: skip
    assert amended.recommendation.state is State.SERVED
    assert amended.recommendation.suggestions == "修改后的建议"
    assert amended.recommendation.served_on == date(2026, 11, 20)
    assert amended.recommendation.reply_due == date(2027, 1, 20)
    assert amended.recommendation.due_provisional is True  # 2027 has no calendar data yet
    assert amended.recommendation.deadline_version == 2

    v = amended.recommendation.version
    v = (await recs.raise_objection(world.liaison_a, rec.id, v, grounds="第三次", now=NOW)).recommendation.version  # fmt: skip
    withdrawn = await recs.decide_objection(
        world.chief, rec.id, v, decision=ObjectionDecision.WITHDRAWN, reasons="撤回", now=NOW
    )
    assert withdrawn.recommendation.state is State.WITHDRAWN
    assert withdrawn.recommendation.closed_at == NOW
    objections = await Objection.filter(recommendation_id=rec.id).order_by("id")
    assert [o.decision for o in objections] == [
        ObjectionDecision.REJECTED, ObjectionDecision.AMENDED, ObjectionDecision.WITHDRAWN,
    ]  # fmt: skip


async def test_overdue_is_derived_from_the_deadline(world: World) -> None:
    rec = await served(world, served_on=date(2026, 9, 9))  # due 2026-11-09
    facts = facts_of(rec)
    assert is_overdue(facts, TODAY) and board_column(facts, TODAY) is Column.OVERDUE
    assert not is_overdue(facts, date(2026, 11, 9))  # the last day itself is still in time
    assert rec.state is State.SERVED  # nothing stored says "overdue"
    change = await recs.submit_reply(
        world.liaison_a,
        rec.id,
        rec.version,
        content="迟到的回复",
        completeness=Completeness.FULL,
        now=NOW,
    )
    assert not is_overdue(facts_of(change.recommendation), TODAY)


async def test_urge_is_for_the_office_once_overdue(world: World) -> None:
    overdue = await served(world, served_on=date(2026, 9, 9))
    change = await recs.urge(
        world.office, overdue.id, overdue.version, comment="请尽快回复", now=NOW
    )
    assert change.recommendation.state is State.SERVED
    assert change.event.action == "urge" and change.event.comment == "请尽快回复"
    assert change.recommendation.version == overdue.version + 1


# --- refused steps change nothing ---------------------------------------------------------


async def _refusal_cases(world: World) -> list[tuple[str, type[HubError], object]]:
    served_rec = await served(world, served_on=date(2026, 11, 2))
    closed = await served(world, served_on=date(2026, 11, 2))
    v = (await recs.submit_reply(world.liaison_a, closed.id, closed.version, content="x", completeness=Completeness.FULL, now=NOW)).recommendation.version  # fmt: skip
    await recs.review_reply(world.prosecutor, closed.id, v, decision=ReplyDecision.ADOPTED, now=NOW)
    closed = await Recommendation.get(id=closed.id)
    pil = await draft(world, rec_type=RecommendationType.PUBLIC_INTEREST)
    v = (
        await recs.submit_for_approval(world.prosecutor, pil.id, 1, now=NOW)
    ).recommendation.version
    v = (await recs.approve(world.chief, pil.id, v, now=NOW)).recommendation.version
    pil = await Recommendation.get(id=pil.id)
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
    recs_before = {r.id: await snapshot(r.id) for r in await Recommendation.all()}
    with pytest.raises(error) as info:
        await step()  # type: ignore[operator]
    assert info.value.message, name
    recs_after = {r.id: await snapshot(r.id) for r in await Recommendation.all()}
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


async def test_amend_needs_a_new_service_date_and_changes_nothing(world: World) -> None:
    rec = await served(world, served_on=date(2026, 11, 2))
    v = (await recs.raise_objection(world.liaison_a, rec.id, rec.version, grounds="异议", now=NOW)).recommendation.version  # fmt: skip
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
    succeeded = [r for r in results if isinstance(r, recs.Change)]
    failed = [r for r in results if isinstance(r, BaseException)]
    assert len(succeeded) == 1, results
    assert len(failed) == 1 and isinstance(failed[0], VersionConflict | InvalidTransition)
    stored = await Recommendation.get(id=rec.id)
    assert stored.version == rec.version + 1
    assert await CaseEvent.filter(recommendation_id=rec.id, version=stored.version).count() == 1


async def test_duplicate_document_number_is_a_validation_error(world: World) -> None:
    rec = await draft(world)
    with pytest.raises(ValidationFailed) as info:
        await recs.create_recommendation(
            world.prosecutor,
            recs.NewRecommendation(doc_no=rec.doc_no, title="重复", rec_type=RecommendationType.OTHER,
                                   addressee_unit_id=world.unit_b.id),
            now=NOW,
        )  # fmt: skip
    assert info.value.field == "docNo"
    assert await Recommendation.filter(doc_no=rec.doc_no).count() == 1


async def test_only_prosecutors_draft_and_only_to_agencies(world: World) -> None:
    new = recs.NewRecommendation(doc_no="宿检行建〔2026〕900号", title="t",
                                 rec_type=RecommendationType.OTHER, addressee_unit_id=world.unit_a.id)  # fmt: skip
    with pytest.raises(PermissionDenied):
        await recs.create_recommendation(world.liaison_a, new, now=NOW)
    to_self = recs.NewRecommendation(doc_no="宿检行建〔2026〕901号", title="t",
                                     rec_type=RecommendationType.OTHER,
                                     addressee_unit_id=world.procuratorate.id)  # fmt: skip
    with pytest.raises(ValidationFailed):
        await recs.create_recommendation(world.prosecutor, to_self, now=NOW)
    assert await Recommendation.all().count() == 0
    assert await CaseEvent.all().count() == 0
