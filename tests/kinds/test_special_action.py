"""The special action (专项行动): a kind built only from its spec, models and form steps —
its mutations are generated from its forms (hub.schema.form_steps)."""

from __future__ import annotations

from typing import Any

from strawberry.relay import to_base64

from hub.domain.kinds import CaseKind
from hub.kinds.special_action.models import SpecialActionDetail, SpecialActionReport
from hub.models import Case, CaseEvent
from tests.app_clients import Api

_FIELDS = """
  ... on SpecialAction { id version state stateLabel caseNo theme startsOn endsOn summary
    casesFound casesRectified participants { name } reports { progress unit { name } }
    availableActions { action form { mutation inputType fields { name type required } } }
    editForm { mutation fields { name required } }
    details { title facts { label value } items { heading facts { label value } } emptyText }
    parties { role roleLabel unit { name } } }
"""
_RESULT = "__typename ... on CaseStepSuccess { case { %s } } ... on Error { code message field }"
_CREATE = (
    "mutation($input: CreateSpecialActionInput!) { createSpecialAction(input: $input) { %s } }"
)
_REPORT = (
    "mutation($input: ReportSpecialActionProgressInput!) "
    "{ reportSpecialActionProgress(input: $input) { %s } }"
)
_SUMMARISE = "mutation($input: SummariseSpecialActionInput!) { summariseSpecialAction(input: $input) { %s } }"
_UPDATE = (
    "mutation($input: UpdateSpecialActionInput!) { updateSpecialAction(input: $input) { %s } }"
)
_TAKE = "mutation($input: TakeStepInput!) { takeStep(input: $input) { %s } }"
_READ = f"query($id: ID!) {{ node(id: $id) {{ {_FIELDS} }} }}"


def _q(template: str) -> str:
    return template % (_RESULT % _FIELDS)


def _outcome(body: dict[str, Any], name: str) -> dict[str, Any]:
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"][name]
    return result


async def _state(case_id: int) -> tuple[str, int, int, int]:
    case = await Case.get(id=case_id)
    events = await CaseEvent.filter(case_id=case_id).count()
    reports = await SpecialActionReport.filter(case_id=case_id).count()
    return case.state, case.version, events, reports


async def test_main_path_through_generated_mutations_and_what_each_unit_sees(api: Api) -> None:
    world = api.world
    new = {
        "caseNo": "宿府检专〔2026〕1号", "title": "城区黑臭水体整治专项行动",
        "theme": "排查城区黑臭水体，督促整改", "startsOn": "2026-03-01", "endsOn": "2026-10-31",
        "participantUnitIds": [to_base64("Unit", world.unit_a.id)],
    }  # fmt: skip
    async with api.as_user("prosecutor") as prosecutor:
        bad = _outcome(await prosecutor(_q(_CREATE), {"input": {**new, "endsOn": "2026-02-01"}}),
                       "createSpecialAction")  # fmt: skip
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "endsOn")
        foreign = {**new, "participantUnitIds": [to_base64("Case", world.unit_a.id)]}
        bad = _outcome(await prosecutor(_q(_CREATE), {"input": foreign}), "createSpecialAction")
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "participantUnitIds")
        assert not await Case.filter(kind=CaseKind.SPECIAL_ACTION).exists()
        case = _outcome(await prosecutor(_q(_CREATE), {"input": new}), "createSpecialAction")
        case = case["case"]
        assert (case["state"], case["stateLabel"]) == ("PLANNED", "筹备中")
        assert [p["roleLabel"] for p in case["parties"]] == ["牵头单位", "承办人", "参加单位"]
        assert case["editForm"]["mutation"] == "updateSpecialAction"
        edit = {"id": case["id"], "version": case["version"], "theme": "排查并整治城区黑臭水体"}
        case = _outcome(await prosecutor(_q(_UPDATE), {"input": edit}), "updateSpecialAction")
        case = case["case"]
        assert case["theme"] == "排查并整治城区黑臭水体"
        launch = {"id": case["id"], "version": case["version"], "action": "LAUNCH"}
        case = _outcome(await prosecutor(_q(_TAKE), {"input": launch}), "takeStep")["case"]
        assert case["state"] == "UNDER_WAY"
        offered = {a["action"]: a["form"]["mutation"] for a in case["availableActions"]}
        assert offered == {"REPORT_PROGRESS": "reportSpecialActionProgress",
                           "SUMMARISE": "summariseSpecialAction", "CANCEL": "cancelSpecialAction"}  # fmt: skip
    pk = (await Case.get(kind=CaseKind.SPECIAL_ACTION)).id
    report = {"id": case["id"], "version": case["version"], "reportedOn": "2026-05-10",
              "progress": "已排查 12 处", "casesFound": 12}  # fmt: skip
    async with api.as_user("liaison_b") as other:
        assert (await other(_READ, {"id": case["id"]}))["data"]["node"] is None
        before = await _state(pk)
        refused = _outcome(
            await other(_q(_REPORT), {"input": report}), "reportSpecialActionProgress"
        )
        assert refused["code"] == "NOT_FOUND"
        assert await _state(pk) == before
    async with api.as_user("liaison_a") as liaison:
        seen = (await liaison(_READ, {"id": case["id"]}))["data"]["node"]
        assert [a["action"] for a in seen["availableActions"]] == ["REPORT_PROGRESS"]
        bad = _outcome(await liaison(_q(_REPORT), {"input": {**report, "casesFound": -1}}),
                       "reportSpecialActionProgress")  # fmt: skip
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "casesFound")
        assert await _state(pk) == before
        case = _outcome(
            await liaison(_q(_REPORT), {"input": report}), "reportSpecialActionProgress"
        )
        case = case["case"]
        assert case["reports"] == [
            {"progress": "已排查 12 处", "unit": {"name": world.unit_a.name}}
        ]
        summarise = {"id": case["id"], "version": case["version"], "summary": "完成",
                     "casesFound": 12, "casesRectified": 10}  # fmt: skip
        denied = _outcome(
            await liaison(_q(_SUMMARISE), {"input": summarise}), "summariseSpecialAction"
        )
        assert denied["code"] == "PERMISSION_DENIED"
    async with api.as_user("prosecutor") as prosecutor:
        too_many = {**summarise, "casesRectified": 13}
        bad = _outcome(
            await prosecutor(_q(_SUMMARISE), {"input": too_many}), "summariseSpecialAction"
        )
        assert (bad["code"], bad["field"]) == ("VALIDATION_FAILED", "casesRectified")
        case = _outcome(
            await prosecutor(_q(_SUMMARISE), {"input": summarise}), "summariseSpecialAction"
        )
        case = case["case"]
        assert (case["state"], case["casesFound"], case["casesRectified"]) == ("SUMMARISED", 12, 10)
        # This kind spells its column ids in upper case: the cases filter still finds them.
        by_column = (
            """query($f: CaseFilter) { cases(filter: $f) { totalCount edges { node { id } } } }"""
        )
        for column, expected in (("SUMMARISED", [case["id"]]), ("UNDER_WAY", [])):
            found = await prosecutor(
                by_column, {"f": {"kinds": ["SPECIAL_ACTION"], "column": column}}
            )
            assert [e["node"]["id"] for e in found["data"]["cases"]["edges"]] == expected, found
        sections = {s["title"]: s for s in case["details"]}
        facts = {f["label"]: f["value"] for f in sections["行动要素"]["facts"]}
        assert facts["参加单位"] == world.unit_a.name and facts["整改到位"] == "10 件"
        (item,) = sections["进展报告"]["items"]
        assert item["heading"] == f"2026年5月10日 {world.unit_a.name}"
    detail = await SpecialActionDetail.get(case_id=pk)
    assert (detail.summary, detail.cases_found, detail.cases_rectified) == ("完成", 12, 10)
    events = await CaseEvent.filter(case_id=pk).order_by("seq")
    assert [e.action for e in events] == [
        "create",
        "update",
        "launch",
        "report_progress",
        "summarise",
    ]
