"""The paged, filtered board over GraphQL: exact totals, keyset paging in both sorts, every
filter field, foreign ids, visibility, the filter bar, swimlanes, the cost of a page."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from strawberry.relay import to_base64

from hub import clock
from hub.domain.engine import ClockStatus
from hub.domain.kinds import CaseKind, PartyRole
from hub.domain.roles import Role
from hub.models import Case, CaseClock, CaseParty, Unit, User
from hub.services.auth import hash_password
from tests.api.test_case_loading import counting_queries
from tests.app_clients import Api
from tests.app_clients import test_settings as hub_settings
from tests.factories import PASSWORD, World, draft

TODAY = clock.today()
_batch = itertools.count(1)
REC = CaseKind.RECOMMENDATION.value

BOARD = """query($filter: BoardFilter, $sort: BoardSort, $first: Int) {
  board(kind: RECOMMENDATION, filter: $filter, sort: $sort, first: $first) {
    totalCount overdueCount dueSoonCount
    columns { id totalCount hasMore endCursor cards { id caseNo column } }
    cards { id }
  } }"""
COLUMN = """query($column: String!, $filter: BoardFilter, $sort: BoardSort, $first: Int,
  $after: String) {
  boardColumn(kind: RECOMMENDATION, column: $column, filter: $filter, sort: $sort,
              first: $first, after: $after) {
    column totalCount hasMore endCursor cards { id caseNo updatedAt clocks { dueOn status } }
  } }"""


async def bulk(
    world: World,
    n: int,
    *,
    state: str = "draft",
    addressee: Unit | None = None,
    handler: User | None = None,
    due: list[date | None] | None = None,
    updated: list[datetime] | None = None,
    title: str = "关于加强某项监管的检察建议",
) -> list[int]:
    """``n`` recommendations written straight to the tables (a board reads only these)."""
    batch = next(_batch)
    now = datetime(2026, 1, 1, 2, tzinfo=UTC)  # before any case the write path makes in tests
    await Case.bulk_create([
        Case(kind=REC, case_no=f"批量〔2026〕{batch}-{i}号", title=title, state=state,
             created_at=now, updated_at=updated[i] if updated else now)
        for i in range(n)
    ])  # fmt: skip
    ids = [
        c.id for c in await Case.filter(case_no__startswith=f"批量〔2026〕{batch}-").order_by("id")
    ]
    person = handler or world.users["prosecutor"]
    parties = []
    for case_id in ids:
        parties += [
            CaseParty(case_id=case_id, role=PartyRole.ISSUER, unit_id=world.procuratorate.id),
            CaseParty(
                case_id=case_id,
                role=PartyRole.HANDLING_PROSECUTOR,
                unit_id=person.unit_id,
                user_id=person.id,
            ),
            CaseParty(
                case_id=case_id, role=PartyRole.ADDRESSEE, unit_id=(addressee or world.unit_a).id
            ),
        ]
    await CaseParty.bulk_create(parties)
    if due is not None:
        await CaseClock.bulk_create([
            CaseClock(case_id=case_id, name="reply", rule="jy_2m", status=ClockStatus.RUNNING,
                      started_on=TODAY - timedelta(days=60), due_on=day)
            for case_id, day in zip(ids, due, strict=True)
        ])  # fmt: skip
    return ids


def gid(case_id: int) -> str:
    return to_base64("Recommendation", case_id)


def column_of(board: dict[str, Any], column: str) -> dict[str, Any]:
    return next(c for c in board["columns"] if c["id"] == column)


async def read(client: Any, query: str, **variables: Any) -> dict[str, Any]:
    body = await client(query, variables)
    assert "errors" not in body, body
    return body["data"]  # type: ignore[no-any-return]


async def error_of(client: Any, query: str, **variables: Any) -> dict[str, Any]:
    body = await client(query, variables)
    assert body.get("data") is None or not any(body["data"].values()), body
    return body["errors"][0]  # type: ignore[no-any-return]


async def page_through(client: Any, column: str, sort: str, first: int, **extra: Any) -> list[str]:
    seen: list[str] = []
    after = None
    while True:
        page = (await read(client, COLUMN, column=column, sort=sort, first=first, after=after,
                           **extra))["boardColumn"]  # fmt: skip
        seen += [card["id"] for card in page["cards"]]
        assert page["totalCount"] >= len(seen)
        if not page["hasMore"]:
            return seen
        after = page["endCursor"]


# ---- totals, pages, cursors -------------------------------------------------------------------


async def test_totals_are_exact_past_any_page_and_new_cards_appear(api: Api) -> None:
    world = api.world
    await bulk(world, 250)
    await bulk(world, 40, state="rectifying", due=[TODAY - timedelta(days=3)] * 40)  # overdue
    async with api.as_user("prosecutor") as prosecutor:
        board = (await read(prosecutor, BOARD, first=30))["board"]
        drafts = column_of(board, "DRAFT")
        assert (drafts["totalCount"], len(drafts["cards"]), drafts["hasMore"]) == (250, 30, True)
        overdue = column_of(board, "OVERDUE")
        assert (overdue["totalCount"], len(overdue["cards"]), overdue["hasMore"]) == (40, 30, True)
        assert column_of(board, "RECTIFYING")["totalCount"] == 0
        assert {c["column"] for c in overdue["cards"]} == {"OVERDUE"}
        assert (board["totalCount"], board["overdueCount"], board["dueSoonCount"]) == (290, 40, 0)
        assert len(board["cards"]) == 60  # the deprecated union of the first pages

        new = await draft(world)  # through the write path, after all the others
        board = (await read(prosecutor, BOARD, first=30, sort="UPDATED"))["board"]
        drafts = column_of(board, "DRAFT")
        assert drafts["totalCount"] == 251
        assert drafts["cards"][0]["caseNo"] == new.case_no
        board = (await read(prosecutor, BOARD, first=0))["board"]
        assert board["totalCount"] == 291 and board["cards"] == []
        assert column_of(board, "DRAFT") == {
            "id": "DRAFT", "totalCount": 251, "hasMore": True, "endCursor": None, "cards": []
        }  # fmt: skip


async def test_paging_a_column_returns_every_card_once_in_order_in_both_sorts(api: Api) -> None:
    world = api.world
    start = datetime(2026, 11, 1, 2, tzinfo=UTC)
    n = 47
    dues: list[date | None] = [TODAY + timedelta(days=(i * 7) % 11) for i in range(n)]
    dues[3] = dues[9] = None  # no running clock: last
    updated = [start + timedelta(minutes=(i * 5) % 13) for i in range(n)]  # many ties
    ids = await bulk(world, n, state="served", due=dues, updated=updated)
    await CaseClock.filter(case_id__in=[ids[3], ids[9]]).update(status=ClockStatus.STOPPED)
    by_due = sorted(range(n), key=lambda i: (dues[i] or date.max, ids[i]))
    by_update = sorted(range(n), key=lambda i: (updated[i], ids[i]), reverse=True)
    async with api.as_user("prosecutor") as prosecutor:
        for first in (4, 47, 100):
            assert await page_through(prosecutor, "SERVED", "DUE", first) == [
                gid(ids[i]) for i in by_due
            ]
            assert await page_through(prosecutor, "SERVED", "UPDATED", first) == [
                gid(ids[i]) for i in by_update
            ]
        board = (await read(prosecutor, BOARD, first=10, sort="UPDATED"))["board"]
        served_column = column_of(board, "SERVED")
        assert [c["id"] for c in served_column["cards"]] == [gid(ids[i]) for i in by_update[:10]]
        rest = (await read(prosecutor, COLUMN, column="SERVED", sort="UPDATED", first=100,
                           after=served_column["endCursor"]))["boardColumn"]  # fmt: skip
        assert [c["id"] for c in rest["cards"]] == [gid(ids[i]) for i in by_update[10:]]
        assert (rest["totalCount"], rest["hasMore"]) == (n, False)


async def test_a_bad_cursor_is_refused(api: Api) -> None:
    await bulk(api.world, 5)
    async with api.as_user("prosecutor") as prosecutor:
        page = (await read(prosecutor, COLUMN, column="DRAFT", first=2))["boardColumn"]
        for column, sort, after in (
            ("DRAFT", "DUE", "bm90IGEgY3Vyc29y"),
            ("DRAFT", "DUE", "!!"),
            ("DRAFT", "UPDATED", page["endCursor"]),  # a cursor of the other sort
            ("SERVED", "DUE", page["endCursor"]),  # of another column
        ):
            error = await error_of(prosecutor, COLUMN, column=column, sort=sort, after=after)
            assert error["extensions"]["code"] == "VALIDATION_FAILED", error
        error = await error_of(prosecutor, COLUMN, column="NOPE")
        assert error["extensions"]["code"] == "VALIDATION_FAILED"


# ---- filters -----------------------------------------------------------------------------------


async def test_every_filter_field(api: Api) -> None:
    world = api.world
    other = await User.create(
        username="prosecutor2", display_name="另一检察官", password_hash=hash_password(PASSWORD),
        role=Role.PROSECUTOR, unit_id=world.procuratorate.id, email="p2@example.test",
    )  # fmt: skip
    late = await bulk(world, 3, state="rectifying", due=[TODAY - timedelta(days=1)] * 3)
    soon = await bulk(world, 4, state="rectifying", due=[TODAY + timedelta(days=2)] * 4)
    later = await bulk(world, 5, state="rectifying", due=[TODAY + timedelta(days=40)] * 5,
                       addressee=world.unit_b, handler=other)  # fmt: skip
    titled = await bulk(world, 2, title="关于河道清淤的检察建议")
    unit_b = to_base64("Unit", world.unit_b.id)

    async def ids(client: Any, filter: dict[str, Any]) -> set[int]:
        board = (await read(client, BOARD, filter=filter, first=100))["board"]
        found = [c["id"] for col in board["columns"] for c in col["cards"]]
        assert board["totalCount"] == len(found) == len(set(found))
        assert sum(col["totalCount"] for col in board["columns"]) == len(found)
        return {pk for pk in everything if gid(pk) in found}

    everything = [*late, *soon, *later, *titled]
    async with api.as_user("prosecutor") as prosecutor:
        assert await ids(prosecutor, {}) == set(everything)
        assert await ids(prosecutor, {"unitId": unit_b}) == set(later)
        assert await ids(prosecutor, {"columns": ["OVERDUE"]}) == set(late)
        assert await ids(prosecutor, {"columns": ["RECTIFYING", "DRAFT"]}) == {
            *soon, *later, *titled
        }  # fmt: skip
        assert await ids(prosecutor, {"handlerId": to_base64("User", other.id)}) == set(later)
        assert await ids(prosecutor, {"mine": True}) == {*late, *soon, *titled}
        assert await ids(prosecutor, {"overdue": True}) == set(late)
        assert await ids(prosecutor, {"overdue": False}) == {*soon, *later, *titled}
        assert await ids(prosecutor, {"dueWithinDays": 3}) == set(soon)
        assert await ids(prosecutor, {"dueWithinDays": 366}) == {*soon, *later}
        assert await ids(prosecutor, {"search": "  河道清淤 "}) == set(titled)
        assert await ids(prosecutor, {"search": "批量〔2026〕"}) == set(everything)
        assert await ids(prosecutor, {"overdue": False, "unitId": unit_b, "mine": True}) == set()
        board = (await read(prosecutor, BOARD, first=0))["board"]
        assert (board["overdueCount"], board["dueSoonCount"]) == (3, 4)
        board = (await read(prosecutor, BOARD, first=0, filter={"columns": ["OVERDUE"]}))["board"]
        assert [c["id"] for c in board["columns"]] == ["OVERDUE"]
        # ids of nothing, or of another type: no cards, no error that tells them apart
        for foreign in (to_base64("Unit", 999_999), to_base64("Recommendation", world.unit_b.id)):
            assert await ids(prosecutor, {"unitId": foreign}) == set()
        for foreign in (to_base64("User", 999_999), to_base64("Unit", other.id)):
            assert await ids(prosecutor, {"handlerId": foreign}) == set()
    async with api.as_user("liaison_a") as liaison:  # "mine": addressed to my unit
        assert await ids(liaison, {"mine": True}) == {*late, *soon}


async def test_out_of_range_filters_are_refused(api: Api) -> None:
    async with api.as_user("prosecutor") as prosecutor:
        for filter, words in (
            ({"dueWithinDays": -1}, "到期天数须在 0 到 366 之间"),
            ({"dueWithinDays": 367}, "到期天数须在 0 到 366 之间"),
            ({"search": "字" * 101}, "搜索内容最多 100 个字"),
            ({"columns": ["NOPE"]}, "没有列 NOPE"),
        ):
            error = await error_of(prosecutor, BOARD, filter=filter)
            assert error["extensions"]["code"] == "VALIDATION_FAILED", error
            assert words in error["message"], error
        error = await error_of(prosecutor, BOARD, filter={"unitId": "not an id"})
        assert error["extensions"]["code"] == "VALIDATION_FAILED"


async def test_another_units_cases_are_never_counted(api: Api) -> None:
    world = api.world
    await bulk(world, 12, state="rectifying", due=[TODAY - timedelta(days=1)] * 12)
    await bulk(world, 7, state="rectifying", due=[TODAY + timedelta(days=1)] * 7,
               addressee=world.unit_b)  # fmt: skip
    await bulk(world, 9, addressee=world.unit_b)  # drafts: not even unit_b sees them
    async with api.as_user("liaison_b") as liaison:
        board = (await read(liaison, BOARD, first=100))["board"]
        assert (board["totalCount"], board["overdueCount"], board["dueSoonCount"]) == (7, 0, 7)
        assert column_of(board, "DRAFT")["totalCount"] == 0
        unit_a = to_base64("Unit", world.unit_a.id)
        board = (await read(liaison, BOARD, filter={"unitId": unit_a}))["board"]
        assert board["totalCount"] == 0
        page = (await read(liaison, COLUMN, column="OVERDUE"))["boardColumn"]
        assert (page["totalCount"], page["cards"]) == (0, [])
        form = (await read(liaison, FORM))["board"]["filterForm"]
        assert {u["label"] for u in form["units"]} == {"市交通运输局", world.procuratorate.name}
        assert [h["label"] for h in form["handlers"]] == ["prosecutor-姓名"]


FORM = """{ board(kind: RECOMMENDATION, first: 0) { filterForm {
  units { id label } handlers { id label } sorts { id label } laneBys { id label }
  dueWithinOptions { days label } searchMaxLength dueWithinMax
  captions { unit allUnits handler mine search } } } }"""


async def test_the_filter_form_comes_from_the_server(api: Api) -> None:
    await bulk(api.world, 2, state="served", due=[TODAY, TODAY])
    async with api.as_user("office") as office:
        form = (await read(office, FORM))["board"]["filterForm"]
    assert [s["id"] for s in form["sorts"]] == ["DUE", "UPDATED"]
    assert [lane["id"] for lane in form["laneBys"]] == ["UNIT", "HANDLER", "NONE"]
    assert form["laneBys"][0]["label"] == "按被建议单位分组"
    assert [o["label"] for o in form["dueWithinOptions"]] == [
        "3日内到期", "7日内到期", "15日内到期", "30日内到期"
    ]  # fmt: skip
    assert [u["id"] for u in form["units"]] == [
        to_base64("Unit", api.world.procuratorate.id), to_base64("Unit", api.world.unit_a.id)
    ]  # fmt: skip
    assert form["handlers"] == [
        {"id": to_base64("User", api.world.users["prosecutor"].id), "label": "prosecutor-姓名"}
    ]
    assert (form["searchMaxLength"], form["dueWithinMax"]) == (100, 366)
    # The bar names the parties as the kind does.
    assert form["captions"] == {
        "unit": "单位", "allUnits": "全部单位", "handler": "承办检察官",
        "mine": "我承办的", "search": "搜索检察建议：文号或标题",
    }  # fmt: skip


SWIMLANES = """query($filter: BoardFilter!) { board(kind: RECOMMENDATION) { columns { cards {
  unit: swimlane(by: UNIT) { id label } handler: swimlane(by: HANDLER) { id label }
  kind: swimlane(by: KIND) { id } none: swimlane(by: NONE) { id }
  matchesBoardFilter(filter: $filter) } } } }"""


async def test_swimlanes_and_matching_a_filter(api: Api) -> None:
    world = api.world
    await bulk(world, 2, state="served", due=[TODAY, TODAY])
    await bulk(world, 1, state="served", due=[TODAY + timedelta(days=30)], addressee=world.unit_b)
    unit_b = to_base64("Unit", world.unit_b.id)
    async with api.as_user("prosecutor") as prosecutor:
        board = (await read(prosecutor, SWIMLANES, filter={"unitId": unit_b}))["board"]
    cards = [c for col in board["columns"] for c in col["cards"]]
    assert sorted((c["unit"]["label"], c["matchesBoardFilter"]) for c in cards) == [
        ("市交通运输局", True), ("市生态环境局", False), ("市生态环境局", False)
    ]  # fmt: skip
    assert {c["unit"]["id"] for c in cards} == {unit_b, to_base64("Unit", world.unit_a.id)}
    assert {(c["handler"]["id"], c["handler"]["label"]) for c in cards} == {
        (to_base64("User", world.users["prosecutor"].id), "prosecutor-姓名")
    }
    assert {c["kind"] is None and c["none"] is None for c in cards} == {True}


# ---- cost and queries --------------------------------------------------------------------------


async def test_first_above_the_maximum_is_refused_before_any_work(api: Api) -> None:
    largest = hub_settings().board_page_max
    async with api.as_user("prosecutor") as prosecutor:
        for query in (BOARD, COLUMN):
            body = await prosecutor(query, {"first": largest + 1, "column": "DRAFT"})
            assert body["errors"][0]["extensions"]["code"] == "LIMIT_EXCEEDED", body
            assert body["data"] is None
        many = (
            "{ "
            + " ".join(
                f"b{i}: board(first: 100) {{ columns {{ cards {{ id clocks {{ name dueOn level }} }} }} }}"
                for i in range(6)
            )
            + " }"
        )
        body = await prosecutor(many)
        assert body["errors"][0]["extensions"]["code"] == "COST_EXCEEDED", body
        assert body["data"] is None


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_a_board_reads_any_number_of_cases_in_the_same_queries(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = api.world
    counts = []
    async with api.as_user("office") as office:
        await office("{ viewer { name } }")  # the session's own queries, once
        for more in (3, 120):
            await bulk(world, more)
            await bulk(world, more, state="rectifying", due=[TODAY - timedelta(days=2)] * more)
            await bulk(world, more, state="served", due=[TODAY + timedelta(days=5)] * more)
            with counting_queries(monkeypatch) as seen:
                board = (await read(office, BOARD, first=30))["board"]
            assert board["totalCount"] == await Case.all().count()
            counts.append(len(seen))
    # session, event cursor, counts, first pages, units, cases, parties, clocks
    assert counts[0] == counts[1] and counts[0] <= 8, counts
