"""The generic case API over HTTP: cases, caseByNo, board(kind:), kinds, forms, takeStep and
adjustClock, and the unknown-or-foreign rule on every new path."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from strawberry.relay import to_base64

from hub import clock
from hub.domain.clock_rules import RULES
from hub.domain.roles import Role, Side
from hub.kinds import registry
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.spec import SPEC, RecommendationType
from hub.models import Case, CaseEvent
from tests.app_clients import Api, dumps
from tests.factories import World, draft, served, snapshot


def _data(body: dict[str, Any]) -> dict[str, Any]:
    """A response without its ``extensions`` (the cost budget left differs between calls)."""
    return {k: v for k, v in body.items() if k != "extensions"}


TODAY = clock.today()  # the API uses the real clock


def gid(type_name: str, pk: int) -> str:
    return to_base64(type_name, pk)


async def approved(world: World, rec_type: RecommendationType) -> Case:
    rec = await draft(world, rec_type=rec_type)
    v = (await recs.submit_for_approval(world.prosecutor, rec.id, rec.version)).case.version
    return (await recs.approve(world.chief, rec.id, v)).case


CASES = """query($filter: CaseFilter, $first: Int = 50, $after: String) {
  cases(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { __typename caseNo kind state column } }
  }
}"""


def numbers(body: dict[str, Any]) -> list[str]:
    assert "errors" not in body, body
    return [e["node"]["caseNo"] for e in body["data"]["cases"]["edges"]]


async def test_cases_filters_and_totals_per_viewer(api: Api) -> None:
    world = api.world
    late = await served(world, served_on=TODAY - timedelta(days=80))
    soon = await served(world, served_on=TODAY - timedelta(days=55))
    other = await served(world, served_on=TODAY - timedelta(days=2), addressee=world.unit_b)
    unissued = await draft(world)  # addressed to unit A, not yet visible to it
    async with api.as_user("office") as office:
        everything = await office(CASES)
        assert everything["data"]["cases"]["totalCount"] == 4
        assert numbers(everything) == [late.case_no, soon.case_no, other.case_no, unissued.case_no]
        assert everything["data"]["cases"]["edges"][0]["node"] == {
            "__typename": "Recommendation", "caseNo": late.case_no, "kind": "RECOMMENDATION",
            "state": "SERVED", "column": "OVERDUE",
        }  # fmt: skip
        assert numbers(await office(CASES, {"filter": {"column": "OVERDUE"}})) == [late.case_no]
        assert numbers(await office(CASES, {"filter": {"column": "SERVED"}})) == [
            soon.case_no, other.case_no,
        ]  # fmt: skip
        assert numbers(await office(CASES, {"filter": {"overdue": True}})) == [late.case_no]
        assert numbers(await office(CASES, {"filter": {"overdue": False}})) == [
            soon.case_no, other.case_no, unissued.case_no,
        ]  # fmt: skip
        week = (TODAY + timedelta(days=7)).isoformat()
        assert numbers(await office(CASES, {"filter": {"dueBefore": week, "overdue": False}})) == [
            soon.case_no
        ]
        assert numbers(await office(CASES, {"filter": {"states": ["DRAFT"]}})) == [unissued.case_no]
        by_unit = await office(CASES, {"filter": {"unitId": gid("Unit", world.unit_b.id)}})
        assert numbers(by_unit) == [other.case_no]
        assert numbers(await office(CASES, {"filter": {"search": late.case_no[-4:]}})) == [
            late.case_no
        ]
        titled = await office(CASES, {"filter": {"search": "某项监管", "states": ["SERVED"]}})
        assert titled["data"]["cases"]["totalCount"] == 3
        no_kind = await office(CASES, {"filter": {"kinds": [k for k in ("PIL_CASE", "DISPUTE")
                                                             if k in _kinds()]}})  # fmt: skip
        assert no_kind["data"]["cases"]["totalCount"] == 0
        page = await office(CASES, {"first": 2})
        conn = page["data"]["cases"]
        assert conn["pageInfo"]["hasNextPage"] is True and conn["totalCount"] == 4
        rest = await office(CASES, {"first": 2, "after": conn["pageInfo"]["endCursor"]})
        assert numbers(rest) == [other.case_no, unissued.case_no]
        assert rest["data"]["cases"]["pageInfo"]["hasPreviousPage"] is True
        unknown_state = await office(CASES, {"filter": {"states": ["NOPE"]}})
        assert unknown_state["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
        unknown_column = await office(CASES, {"filter": {"column": "NOPE"}})
        assert unknown_column["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
        too_many = await office(CASES, {"first": 5000})
        assert too_many["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED"
    async with api.as_token("ecology_env") as agency_a:
        mine = await agency_a(CASES)
        assert mine["data"]["cases"]["totalCount"] == 2
        assert numbers(mine) == [late.case_no, soon.case_no]
        assert numbers(await agency_a(CASES, {"filter": {"states": ["DRAFT"]}})) == []
        assert numbers(await agency_a(CASES, {"filter": {"overdue": True}})) == [late.case_no]
    async with api.as_user("liaison_b") as liaison_b:
        assert numbers(await liaison_b(CASES)) == [other.case_no]
    async with api.as_user("prosecutor") as prosecutor:
        assert (await prosecutor(CASES))["data"]["cases"]["totalCount"] == 4


def _kinds() -> set[str]:
    return {spec.kind.name for spec in registry.SPECS}


async def test_case_by_no_answers_only_what_the_viewer_may_see(api: Api) -> None:
    world = api.world
    mine = await served(world, served_on=TODAY - timedelta(days=3))
    theirs = await served(world, served_on=TODAY - timedelta(days=3), addressee=world.unit_b)
    query = """query($no: String!) { caseByNo(caseNo: $no) {
      __typename id caseNo kindLabel stateLabel columnLabel internalNote
      ... on Recommendation { docNo addresseeUnit { code } } } }"""
    async with api.as_token("ecology_env") as agency_a:
        found = await agency_a(query, {"no": mine.case_no})
        foreign = await agency_a(query, {"no": theirs.case_no})
        unknown = await agency_a(query, {"no": "宿检行建〔1999〕1号"})
    assert found["data"]["caseByNo"] == {
        "__typename": "Recommendation", "id": gid("Recommendation", mine.id),
        "caseNo": mine.case_no, "kindLabel": "检察建议", "stateLabel": "已送达",
        "columnLabel": "已送达", "internalNote": None, "docNo": mine.case_no,
        "addresseeUnit": {"code": "ecology_env"},
    }  # fmt: skip
    assert dumps(_data(foreign)) == dumps(_data(unknown)) == dumps({"data": {"caseByNo": None}})


async def test_board_of_each_kind_takes_its_columns_from_the_spec(api: Api) -> None:
    await served(api.world, served_on=TODAY - timedelta(days=80))
    query = """query($kind: CaseKind!) { board(kind: $kind) {
      kind kindLabel cursor columns { id label collapsed overdue }
      cards { caseNo column } createForm { mutation } } }"""
    async with api.as_user("prosecutor") as prosecutor, api.as_user("liaison_a") as liaison:
        for spec in registry.SPECS:
            board = (await prosecutor(query, {"kind": spec.kind.name}))["data"]["board"]
            assert board["kind"] == spec.kind.name and board["kindLabel"] == spec.label
            assert board["columns"] == [
                {"id": c.id.upper(), "label": c.label, "collapsed": c.collapsed,
                 "overdue": c.overdue_clock is not None}
                for c in spec.columns
            ]  # fmt: skip
            create = spec.create_form.mutation if spec.create_form else None
            ours = {"mutation": create} if create and _may_create(spec, Role.PROSECUTOR) else None
            assert board["createForm"] == ours
            agency = (await liaison(query, {"kind": spec.kind.name}))["data"]["board"]
            theirs = {"mutation": create} if create and _liaison_may_create(spec) else None
            assert agency["createForm"] == theirs
        default = await prosecutor("{ board { kind cards { column } } }")
    assert default["data"]["board"] == {"kind": "RECOMMENDATION", "cards": [{"column": "OVERDUE"}]}
    overdue = next(c for c in SPEC.columns if c.overdue_clock)
    assert overdue.id == "overdue" and not overdue.collapsed


def _may_create(spec: Any, role: Role) -> bool:
    """What the spec says of a role (a liaison on the government side, others not)."""
    side = Side.GOVERNMENT if role is Role.UNIT_LIAISON else Side.PROCURATORATE
    return role in spec.create_roles and side in spec.create_sides


def _liaison_may_create(spec: Any) -> bool:
    """What the spec says of a member unit's liaison (an agency token acts as one)."""
    return _may_create(spec, Role.UNIT_LIAISON)


async def test_kinds_say_who_may_create(api: Api) -> None:
    query = "{ kinds { kind label canCreate createForm { mutation inputType } } }"
    async with api.as_user("prosecutor") as prosecutor, api.as_token("ecology_env") as agency:
        ours = (await prosecutor(query))["data"]["kinds"]
        theirs = (await agency(query))["data"]["kinds"]
    assert [k["kind"] for k in ours] == [spec.kind.name for spec in registry.SPECS]
    recommendation = ours[0]
    assert recommendation["label"] == "检察建议" and recommendation["canCreate"] is True
    assert recommendation["createForm"] == {
        "mutation": "createRecommendation", "inputType": "CreateRecommendationInput",
    }  # fmt: skip
    for spec, k in zip(registry.SPECS, theirs, strict=True):
        may = _liaison_may_create(spec)
        assert k["canCreate"] is may and (k["createForm"] is not None) is may, spec.kind
    # The procuratorate's own kinds stay closed to an agency system.
    assert not any(k["canCreate"] for k in theirs[:3])


SERVE_FORM = """query($id: ID!) { node(id: $id) { ... on Case { availableActions {
  action label target form { mutation inputType fixed { name value }
    fields { name label type required options { value label } help maxLength
             rules { id label basis custom } } } } } } }"""


async def test_serve_form_offers_the_rules_of_the_recommendations_type(api: Api) -> None:
    world = api.world
    governance = await approved(world, RecommendationType.SOCIAL_GOVERNANCE)
    public_interest = await approved(world, RecommendationType.PUBLIC_INTEREST)
    async with api.as_user("prosecutor") as prosecutor:
        g = await prosecutor(SERVE_FORM, {"id": gid("Recommendation", governance.id)})
        p = await prosecutor(SERVE_FORM, {"id": gid("Recommendation", public_interest.id)})
    (g_serve,) = g["data"]["node"]["availableActions"]
    (p_serve,) = p["data"]["node"]["availableActions"]
    assert (g_serve["action"], g_serve["label"], g_serve["target"]) == ("SERVE", "送达", "SERVED")
    form = g_serve["form"]
    assert (form["mutation"], form["inputType"], form["fixed"]) == (
        "serveRecommendation", "ServeRecommendationInput", [],
    )  # fmt: skip
    assert [(f["name"], f["type"], f["required"]) for f in form["fields"]] == [
        ("servedOn", "DATE", True), ("serviceMethod", "SELECT", True),
        ("deadlineRule", "RULE", True), ("customPeriod", "PERIOD", False),
        ("comment", "TEXTAREA", False),
    ]  # fmt: skip
    assert form["fields"][1]["options"] == [
        {"value": "WRITTEN", "label": "书面送达"}, {"value": "ANNOUNCED", "label": "宣告送达"},
    ]  # fmt: skip
    assert form["fields"][4]["maxLength"] == 2000
    assert all(f["rules"] == [] for i, f in enumerate(form["fields"]) if i != 2)

    def rules(action: dict[str, Any]) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = action["form"]["fields"][2]["rules"]
        return result

    def expected(*ids: str) -> list[dict[str, Any]]:
        return [{"id": i, "label": RULES[i].label, "basis": RULES[i].basis,
                 "custom": RULES[i].period is None} for i in ids]  # fmt: skip

    assert rules(g_serve) == expected("jy_2m", "jy_custom")
    assert rules(p_serve) == expected("ji21_2m", "ji21_15d")
    assert rules(g_serve)[1]["custom"] is True

    served_on = (TODAY - timedelta(days=1)).isoformat()
    serve = """mutation($id: ID!, $v: Int!, $d: Date!, $rule: String) {
      serveRecommendation(input: {id: $id, version: $v, servedOn: $d, deadlineRule: $rule}) {
        __typename ... on Error { code field message }
        ... on RecommendationStepSuccess {
          recommendation { deadline { rule ruleId ruleLabel legalBasis } }
          case { state clocks { name rule status level } } } } }"""
    async with api.as_user("prosecutor") as prosecutor:
        refused = await prosecutor(serve, {"id": gid("Recommendation", governance.id),
                                           "v": governance.version, "d": served_on,
                                           "rule": "ji21_15d"})  # fmt: skip
        urgent = await prosecutor(serve, {"id": gid("Recommendation", public_interest.id),
                                          "v": public_interest.version, "d": served_on,
                                          "rule": "ji21_15d"})  # fmt: skip
    assert refused["data"]["serveRecommendation"]["__typename"] == "ValidationError"
    assert refused["data"]["serveRecommendation"]["field"] == "deadlineRule"
    result = urgent["data"]["serveRecommendation"]
    assert result["recommendation"]["deadline"] == {
        "rule": "URGENT_15_DAYS", "ruleId": "ji21_15d", "ruleLabel": RULES["ji21_15d"].label,
        "legalBasis": RULES["ji21_15d"].basis,
    }  # fmt: skip
    assert result["case"] == {"state": "SERVED", "clocks": [
        {"name": "reply", "rule": "ji21_15d", "status": "RUNNING", "level": "GREEN"}]}  # fmt: skip


TAKE_STEP = """mutation($id: ID!, $v: Int!, $action: String!) {
  takeStep(input: {id: $id, version: $v, action: $action, comment: "请审批"}) {
    __typename
    ... on CaseStepSuccess { case { __typename state version column }
      event { action actionLabel fromState fromStateLabel toState toStateLabel comment
              case { caseNo } recommendation { docNo } } }
    ... on Error { code message field }
    ... on VersionConflictError { currentVersion } } }"""


async def test_take_step_runs_a_data_less_step_of_any_kind(api: Api) -> None:
    world = api.world
    rec = await draft(world)
    rec_id = gid("Recommendation", rec.id)
    async with api.as_user("prosecutor") as prosecutor, api.as_user("chief") as chief:
        actions = await prosecutor(
            "query($id: ID!) { node(id: $id) { ... on Case { availableActions { action target "
            "form { mutation inputType fixed { name value } fields { name } } } } } }",
            {"id": rec_id},
        )
        assert actions["data"]["node"]["availableActions"] == [{
            "action": "SUBMIT_FOR_APPROVAL", "target": "PENDING_APPROVAL",
            "form": {"mutation": "takeStep", "inputType": "TakeStepInput",
                     "fixed": [{"name": "action", "value": "SUBMIT_FOR_APPROVAL"}],
                     "fields": [{"name": "comment"}]},
        }]  # fmt: skip
        before = await snapshot(rec.id)
        stale = await prosecutor(TAKE_STEP, {"id": rec_id, "v": 0, "action": "SUBMIT_FOR_APPROVAL"})
        assert stale["data"]["takeStep"]["__typename"] == "VersionConflictError"
        assert stale["data"]["takeStep"]["currentVersion"] == 1
        early = await chief(TAKE_STEP, {"id": rec_id, "v": 1, "action": "APPROVE"})
        assert early["data"]["takeStep"]["code"] == "INVALID_TRANSITION"
        wrong = await chief(TAKE_STEP, {"id": rec_id, "v": 1, "action": "SUBMIT_FOR_APPROVAL"})
        assert wrong["data"]["takeStep"]["code"] == "PERMISSION_DENIED"
        assert await snapshot(rec.id) == before
        done = await prosecutor(TAKE_STEP, {"id": rec_id, "v": 1, "action": "SUBMIT_FOR_APPROVAL"})
    assert done["data"]["takeStep"] == {
        "__typename": "CaseStepSuccess",
        "case": {"__typename": "Recommendation", "state": "PENDING_APPROVAL", "version": 2,
                 "column": "PENDING_APPROVAL"},
        "event": {"action": "submit_for_approval", "actionLabel": "提请审批",
                  "fromState": "DRAFT", "fromStateLabel": "草稿", "toState": "PENDING_APPROVAL",
                  "toStateLabel": "待审批", "comment": "请审批", "case": {"caseNo": rec.case_no},
                  "recommendation": {"docNo": rec.case_no}},
    }  # fmt: skip


async def test_take_step_refuses_steps_that_carry_data(api: Api) -> None:
    rec = await approved(api.world, RecommendationType.SOCIAL_GOVERNANCE)
    before = await snapshot(rec.id)
    async with api.as_user("prosecutor") as prosecutor:
        r = await prosecutor(TAKE_STEP, {"id": gid("Recommendation", rec.id), "v": rec.version,
                                         "action": "SERVE"})  # fmt: skip
    assert r["data"]["takeStep"] == {
        "__typename": "ValidationError", "code": "VALIDATION_FAILED", "field": "action",
        "message": "“送达”须通过 serveRecommendation 提交",
    }  # fmt: skip
    assert await snapshot(rec.id) == before


ADJUST = """mutation($id: ID!, $v: Int!, $action: String!) {
  adjustClock(input: {id: $id, version: $v, action: $action, on: "2026-11-02",
                      reason: "等待鉴定", period: {amount: 10, unit: DAYS}}) {
    __typename ... on Error { code message field } } }"""


async def test_adjust_clock_is_refused_when_the_kind_has_no_such_step(api: Api) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=20))
    assert all(t.clock_op is None for t in SPEC.transitions)
    before = await snapshot(rec.id)
    async with api.as_user("prosecutor") as prosecutor:
        for action in ("SUSPEND", "SERVE", "NOPE"):
            r = await prosecutor(ADJUST, {"id": gid("Recommendation", rec.id),
                                          "v": rec.version, "action": action})  # fmt: skip
            assert r["data"]["adjustClock"] == {
                "__typename": "InvalidTransitionError", "code": "INVALID_TRANSITION",
                "field": None, "message": f"检察建议没有期限操作“{action}”",
            }  # fmt: skip
    assert await snapshot(rec.id) == before


ESCALATE = """mutation($id: ID!, $v: Int!, $on: Date!) {
  escalateRecommendation(input: {id: $id, version: $v, targets: [HIGHER_PROCURATORATE,
                                  SUPERIOR_AGENCY, HIGHER_PROCURATORATE], decidedOn: $on,
                                  comment: "督促后仍未整改"}) {
    __typename ... on Error { code message }
    ... on RecommendationStepSuccess { case { version } event { action actionLabel } } } }"""
URGE = """mutation($id: ID!, $v: Int!) { urgeReply(input: {id: $id, version: $v}) {
  __typename ... on RecommendationStepSuccess { recommendation { version } } } }"""
ACTIONS = """query($id: ID!) { node(id: $id) { ... on Case { availableActions { action
  form { mutation fields { name type options { value } } } } } } }"""


async def test_escalation_needs_an_urge_first_and_the_addressee_sees_it(api: Api) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=80))
    rec_id, today = gid("Recommendation", rec.id), TODAY.isoformat()
    async with api.as_user("chief") as chief, api.as_user("office") as office:
        assert (await chief(ACTIONS, {"id": rec_id}))["data"]["node"]["availableActions"] == []
        early = await chief(ESCALATE, {"id": rec_id, "v": rec.version, "on": today})
        assert early["data"]["escalateRecommendation"]["code"] == "INVALID_TRANSITION"
        urged = await office(URGE, {"id": rec_id, "v": rec.version})
        version = urged["data"]["urgeReply"]["recommendation"]["version"]
        (escalate,) = (await chief(ACTIONS, {"id": rec_id}))["data"]["node"]["availableActions"]
        assert escalate["action"] == "ESCALATE"
        assert escalate["form"]["mutation"] == "escalateRecommendation"
        targets = escalate["form"]["fields"][0]
        assert (targets["name"], targets["type"]) == ("targets", "MULTISELECT")
        assert [o["value"] for o in targets["options"]] == [
            "HIGHER_PROCURATORATE", "SUPERIOR_AGENCY", "PARTY_COMMITTEE_AND_CONGRESS",
            "GOVERNMENT_AND_SUPERVISION",
        ]  # fmt: skip
        done = await chief(ESCALATE, {"id": rec_id, "v": version, "on": today})
    assert done["data"]["escalateRecommendation"] == {
        "__typename": "RecommendationStepSuccess", "case": {"version": version + 1},
        "event": {"action": "escalate", "actionLabel": "决定报告或通报（督促后仍未整改）"},
    }  # fmt: skip
    seen = """query($id: ID!) { node(id: $id) { ... on Recommendation {
      escalations { target targetLabel decidedOn decidedBy note } events { action } } } }"""
    async with api.as_token("ecology_env") as agency:
        body = await agency(seen, {"id": rec_id})
    node = body["data"]["node"]
    assert node["escalations"] == [
        {"target": "HIGHER_PROCURATORATE", "targetLabel": "报告上级人民检察院", "decidedOn": today,
         "decidedBy": "chief-姓名（检察长）", "note": "督促后仍未整改"},
        {"target": "SUPERIOR_AGENCY",
         "targetLabel": "通报被建议单位的上级机关、行政主管部门或行业自律组织",
         "decidedOn": today, "decidedBy": "chief-姓名（检察长）", "note": "督促后仍未整改"},
    ]  # fmt: skip
    assert [e["action"] for e in node["events"]][-2:] == ["urge", "escalate"]


UPDATE = """mutation($id: ID!, $v: Int!) {
  updateRecommendation(input: {id: $id, version: $v, title: "修改后的标题", issues: "新问题"}) {
    __typename ... on Error { code message field }
    ... on VersionConflictError { currentVersion }
    ... on RecommendationStepSuccess { recommendation { title issues suggestions version }
                                        event { action actionLabel } } } }"""


async def test_update_recommendation_only_by_its_author_while_a_draft(api: Api) -> None:
    world = api.world
    rec = await draft(world)
    rec_id = gid("Recommendation", rec.id)
    edit = "query($id: ID!) { node(id: $id) { ... on Case { editForm { mutation inputType } } } }"
    expected_form = (
        {"mutation": "updateRecommendation", "inputType": "UpdateRecommendationInput"}
        if SPEC.create_form is not None
        else None
    )
    async with api.as_user("prosecutor") as author, api.as_user("chief") as chief:
        assert (await author(edit, {"id": rec_id}))["data"]["node"]["editForm"] == expected_form
        assert (await chief(edit, {"id": rec_id}))["data"]["node"]["editForm"] is None
        before = await snapshot(rec.id)
        denied = await chief(UPDATE, {"id": rec_id, "v": 1})
        assert denied["data"]["updateRecommendation"]["code"] == "PERMISSION_DENIED"
        stale = await author(UPDATE, {"id": rec_id, "v": 0})
        assert stale["data"]["updateRecommendation"]["currentVersion"] == 1
        assert await snapshot(rec.id) == before
        done = await author(UPDATE, {"id": rec_id, "v": 1})
        assert done["data"]["updateRecommendation"] == {
            "__typename": "RecommendationStepSuccess",
            "recommendation": {"title": "修改后的标题", "issues": "新问题",
                               "suggestions": "一、依法履职。", "version": 2},
            "event": {"action": "update", "actionLabel": "修改草稿"},
        }  # fmt: skip
        await recs.submit_for_approval(world.prosecutor, rec.id, 2)
        assert (await author(edit, {"id": rec_id}))["data"]["node"]["editForm"] is None
        submitted = await snapshot(rec.id)
        late = await author(UPDATE, {"id": rec_id, "v": 3})
        assert late["data"]["updateRecommendation"]["code"] == "VALIDATION_FAILED"
        assert await snapshot(rec.id) == submitted
    async with api.as_token("ecology_env") as agency:
        hidden = await agency(UPDATE, {"id": rec_id, "v": 3})
    assert hidden["data"]["updateRecommendation"]["code"] == "NOT_FOUND"


async def test_an_old_recommendation_global_id_still_resolves(api: Api) -> None:
    rec = await served(api.world, served_on=TODAY - timedelta(days=3))
    old_id = gid("Recommendation", rec.id)  # as in emails sent before the engine
    query = """query($id: ID!) { node(id: $id) { __typename id
      ... on Case { kind caseNo } ... on Recommendation { docNo deadline { ruleId } } } }"""
    async with api.as_user("office") as office:
        body = await office(query, {"id": old_id})
    assert body["data"]["node"] == {
        "__typename": "Recommendation", "id": old_id, "kind": "RECOMMENDATION",
        "caseNo": rec.case_no, "docNo": rec.case_no, "deadline": {"ruleId": "jy_2m"},
    }  # fmt: skip


async def test_source_and_linked_cases_only_when_visible(api: Api) -> None:
    world = api.world
    source = await served(world, served_on=TODAY - timedelta(days=3))
    linked = await recs.create_recommendation(world.prosecutor, recs.NewRecommendation(
        doc_no="宿检行建〔2026〕900号", title="后续检察建议", rec_type=RecommendationType.OTHER,
        addressee_unit_id=world.unit_a.id, source_case_id=source.id,
    ))  # fmt: skip
    query = """query($a: ID!, $b: ID!) {
      a: node(id: $a) { ... on Case { sourceCase { caseNo } linkedCases { caseNo } } }
      b: node(id: $b) { ... on Case { sourceCase { caseNo } linkedCases { caseNo } } } }"""
    ids = {"a": gid("Recommendation", source.id), "b": gid("Recommendation", linked.case.id)}
    async with api.as_user("office") as office, api.as_user("liaison_a") as liaison:
        everything = await office(query, ids)
        agency = await liaison(query, ids)
    assert everything["data"] == {
        "a": {"sourceCase": None, "linkedCases": [{"caseNo": "宿检行建〔2026〕900号"}]},
        "b": {"sourceCase": {"caseNo": source.case_no}, "linkedCases": []},
    }
    assert agency["data"] == {"a": {"sourceCase": None, "linkedCases": []}, "b": None}


async def test_foreign_ids_answer_like_unknown_ones_on_every_new_path(api: Api) -> None:
    world = api.world
    theirs = await served(world, served_on=TODAY - timedelta(days=80), addressee=world.unit_b)
    paths = {
        "takeStep": TAKE_STEP.replace("$action: String!", '$action: String! = "URGE"'),
        "adjustClock": ADJUST.replace("$action: String!", '$action: String! = "SUSPEND"'),
        "escalateRecommendation": ESCALATE.replace("$on: Date!", '$on: Date! = "2026-01-01"'),
        "updateRecommendation": UPDATE,
        "node": "query($id: ID!, $v: Int) { node(id: $id) { id } }",
    }
    kinds = sorted(registry.BY_TYPE_NAME)
    other_kind = next((name for name in kinds if name != "Recommendation"), None)
    before = await snapshot(theirs.id)
    async with api.as_token("ecology_env") as agency_a:
        for name, document in paths.items():
            ids = [
                ("Recommendation", theirs.id),  # another unit's case
                ("Recommendation", 999_999),  # no such case
                *([(other_kind, theirs.id)] if other_kind else []),  # another kind's type
                *([("Unit", world.unit_a.id), ("Reply", 1)] if name != "node" else []),  # no case
            ]
            answers = [
                await agency_a(document, {"id": gid(type_name, pk), "v": theirs.version})
                for type_name, pk in ids
            ]
            assert len({dumps(_data(a)) for a in answers}) == 1, (name, answers)
            if name != "node":
                assert answers[0]["data"][name]["code"] == "NOT_FOUND", answers[0]
        unit_filters = [
            await agency_a(CASES, {"filter": {"unitId": gid(type_name, pk)}})
            for type_name, pk in (("Unit", 999_999), ("Recommendation", world.unit_a.id))
        ]
    assert dumps(_data(unit_filters[0])) == dumps(_data(unit_filters[1]))
    assert unit_filters[0]["data"]["cases"]["totalCount"] == 0
    assert await snapshot(theirs.id) == before
    assert await CaseEvent.all().count() == before["all_events"]
