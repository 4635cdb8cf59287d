"""Bulk steps (takeSteps): each case is its own step, refused cases change nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from hub.domain.errors import ErrorCode, InvalidTransition, ValidationFailed
from hub.domain.kinds import CaseKind
from hub.kinds.recommendation.spec import State
from hub.kinds.registry import SPECS
from hub.kinds.resolution.models import ResolutionRecord
from hub.models import Case, CaseEvent
from hub.services import bulk
from tests.app_clients import Api
from tests.factories import NOW, World, draft, served, snapshot
from tests.kinds.meetings import gid, held_meeting, record

REC = CaseKind.RECOMMENDATION


def test_every_bulk_step_takes_one_text_at_most() -> None:
    marked = {(s.kind, t.action) for s in SPECS for t in bulk.bulk_steps(s)}
    assert marked == {(CaseKind.RECOMMENDATION, "urge"), (CaseKind.RESOLUTION, "urge")}
    for spec in SPECS:
        for transition in bulk.bulk_steps(spec):
            assert transition.clock_op is None
            bulk.bulk_text_field(transition)  # raises for a form a batch cannot fill


async def test_mixed_batch_answers_case_by_case(world: World) -> None:
    late_a = await served(world, served_on=date(2026, 9, 9))
    late_b = await served(world, served_on=date(2026, 9, 10))
    on_time = await served(world, served_on=date(2026, 11, 2))  # not overdue yet
    in_draft = await draft(world)
    refused = [on_time.id, in_draft.id, 999_999]
    before = {case_id: await snapshot(case_id) for case_id in refused}
    events_before = await CaseEvent.all().count()

    outcomes = await bulk.take_steps(
        world.office, REC, "urge", [late_a.id, on_time.id, in_draft.id, 999_999, late_b.id],
        comment="请尽快回复", now=NOW,
    )  # fmt: skip

    assert [o.case_id for o in outcomes] == [late_a.id, on_time.id, in_draft.id, 999_999, late_b.id]
    codes = [o.error.code if o.error else "OK" for o in outcomes]
    assert codes == ["OK", ErrorCode.INVALID_TRANSITION, ErrorCode.INVALID_TRANSITION,
                     ErrorCode.NOT_FOUND, "OK"]  # fmt: skip
    assert outcomes[1].error is not None and outcomes[1].error.message == "尚未逾期，不能督促回复"
    assert outcomes[3].error is not None and outcomes[3].error.message == "检察建议不存在"
    for case_id in refused:
        assert await snapshot(case_id) == {**before[case_id], "all_events": events_before + 2}
    assert await CaseEvent.all().count() == events_before + 2
    for ok in (late_a, late_b):
        case = await Case.get(id=ok.id)
        assert case.version == ok.version + 1 and case.state == State.SERVED
        assert "urged" in case.flags.split(",")
        event = await CaseEvent.filter(case_id=ok.id).order_by("-seq").first()
        assert event is not None
        assert (event.action, event.comment, event.actor_id) == (
            "urge",
            "请尽快回复",
            world.office.id,
        )


async def test_a_liaison_urges_nothing(world: World) -> None:
    own = await served(world, served_on=date(2026, 9, 9))  # addressed to unit_a
    foreign = await served(world, served_on=date(2026, 9, 9), addressee=world.unit_b)
    before = {c.id: await snapshot(c.id) for c in (own, foreign)}
    outcomes = await bulk.take_steps(world.liaison_a, REC, "urge", [own.id, foreign.id], now=NOW)
    assert [o.error.code if o.error else "OK" for o in outcomes] == [
        ErrorCode.PERMISSION_DENIED, ErrorCode.NOT_FOUND]  # fmt: skip
    assert {c.id: await snapshot(c.id) for c in (own, foreign)} == before


@pytest.mark.parametrize(
    ("action", "ids", "versions", "error", "message"),
    [
        ("serve", [1], None, InvalidTransition, "检察建议没有可批量办理的操作“serve”"),
        ("urge", [], None, ValidationFailed, "请至少选择一件"),
        ("urge", list(range(1, bulk.MAX_CASES + 2)), None, ValidationFailed, "一次最多办理 200 件"),
        ("urge", [1, 1], None, ValidationFailed, "所选案件有重复"),
        ("urge", [1, 2], [1], ValidationFailed, "versions 须与 caseIds 一一对应"),
    ],
)  # fmt: skip
async def test_refused_batches_change_nothing(
    world: World, action: str, ids: list[int], versions: list[int] | None,
    error: type[Exception], message: str,
) -> None:  # fmt: skip
    late = await served(world, served_on=date(2026, 9, 9))
    before = await snapshot(late.id)
    ids = [late.id if i == 1 else i for i in ids]
    with pytest.raises(error) as refused:
        await bulk.take_steps(world.office, REC, action, ids, versions=versions, now=NOW)
    assert str(refused.value) == message
    assert await snapshot(late.id) == before


TAKE_STEPS = """mutation($input: TakeStepsInput!) { takeSteps(input: $input) {
  __typename
  ... on TakeStepsSuccess { okCount failedCount
    results { id ok code message case { id version state } } }
  ... on Error { code message field } } }"""
BOARD = "query { board(kind: RECOMMENDATION) { bulkActions { action label commentLabel commentRequired } } }"


async def test_take_steps_over_graphql(api: Api) -> None:
    world = api.world
    late = await served(world, served_on=date(2026, 9, 9))
    on_time = await served(world, served_on=date(2026, 11, 30))
    ids = [gid("Recommendation", late.id), gid("Recommendation", on_time.id),
           gid("Resolution", late.id), gid("Unit", world.unit_a.id)]  # fmt: skip
    before = await snapshot(on_time.id)
    async with api.as_user("office") as office:
        board = (await office(BOARD))["data"]
        assert board["board"]["bulkActions"] == [
            {
                "action": "URGE",
                "label": "督促回复",
                "commentLabel": "说明",
                "commentRequired": False,
            }
        ]
        data = await office(TAKE_STEPS, {"input": {
            "kind": "RECOMMENDATION", "action": "URGE", "caseIds": ids,
            "versions": [late.version, on_time.version, 1, 1], "comment": "请回复"}})  # fmt: skip
    assert "errors" not in data, data
    result: dict[str, Any] = data["data"]["takeSteps"]
    assert (result["__typename"], result["okCount"], result["failedCount"]) == (
        "TakeStepsSuccess", 1, 3)  # fmt: skip
    first, *rest = result["results"]
    assert first == {"id": ids[0], "ok": True, "code": None, "message": None,
                     "case": {"id": ids[0], "version": late.version + 1, "state": "SERVED"}}  # fmt: skip
    assert [(r["id"], r["code"], r["case"]) for r in rest] == [
        (ids[1], "INVALID_TRANSITION", None), (ids[2], "NOT_FOUND", None),
        (ids[3], "NOT_FOUND", None)]  # fmt: skip
    assert await snapshot(on_time.id) == {**before, "all_events": before["all_events"] + 1}
    async with api.as_user("liaison_a") as liaison:
        assert (await liaison(BOARD))["data"]["board"]["bulkActions"] == []
        stale = await liaison(TAKE_STEPS, {"input": {
            "kind": "RECOMMENDATION", "action": "URGE", "caseIds": ids[:1]}})  # fmt: skip
    assert stale["data"]["takeSteps"]["results"][0]["code"] == "PERMISSION_DENIED"


async def test_a_batch_of_200_passes_the_request_guard_and_201_is_refused(api: Api) -> None:
    late = await served(api.world, served_on=date(2026, 9, 9))
    ids = [gid("Recommendation", late.id)] + [gid("Recommendation", 10_000 + n) for n in range(199)]
    variables = {"kind": "RECOMMENDATION", "action": "URGE", "caseIds": ids}
    async with api.as_user("office") as office:
        full = await office(TAKE_STEPS, {"input": variables})
        over = await office(
            TAKE_STEPS, {"input": {**variables, "caseIds": [*ids, gid("Recommendation", 1)]}}
        )
    assert "errors" not in full, full["errors"]
    result = full["data"]["takeSteps"]
    assert (result["okCount"], result["failedCount"]) == (1, 199)
    assert over["data"]["takeSteps"] == {
        "__typename": "ValidationError", "code": "VALIDATION_FAILED",
        "message": "一次最多办理 200 件", "field": "caseIds"}  # fmt: skip
    assert await CaseEvent.filter(case_id=late.id, action="urge").count() == 1


async def test_the_office_urges_overdue_resolutions_with_one_opinion(world: World) -> None:
    meeting = await held_meeting(world, date(2026, 9, 21))
    late = await record(world, meeting, date(2026, 10, 1), units=(world.unit_b,))
    running = await record(world, meeting, date(2028, 1, 1), units=(world.unit_b,))
    kind = CaseKind.RESOLUTION
    with pytest.raises(ValidationFailed) as empty:  # the form's 督办意见 is required
        await bulk.take_steps(world.office, kind, "urge", [late.id, running.id])
    assert empty.value.field == "comment"
    assert await ResolutionRecord.filter(kind="urged").count() == 0

    outcomes = await bulk.take_steps(
        world.office, kind, "urge", [late.id, running.id], comment="已逾期，请于一周内办结"
    )
    assert [o.error.code if o.error else "OK" for o in outcomes] == [
        "OK", ErrorCode.INVALID_TRANSITION]  # fmt: skip
    urged = await ResolutionRecord.filter(kind="urged").values_list("case_id", "text")
    assert urged == [(late.id, "已逾期，请于一周内办结")]
