"""Board events are executed once per audience and query, and never shared across audiences."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta
from types import MappingProxyType

import pytest

from hub import clock
from hub.domain.kinds import KindSpec, PartyRole, step
from hub.domain.roles import Role
from hub.domain.visibility import personal_roles
from hub.kinds import registry
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.spec import SPEC, State
from hub.models import User
from hub.services.auth import hash_password
from hub.subscriptions import direct
from hub.subscriptions.fanout import renders
from tests.api.test_board_subscription import cookie_for
from tests.api.ws import BOARD_EVENTS, graphql_ws
from tests.app_clients import RunningServer
from tests.factories import PASSWORD, World, draft, served

TODAY = clock.today()

WITH_ACTIONS = """subscription($after: String) {
  boardEvents(after: $after) { cursor recommendation { docNo availableActions { action } } }
}"""


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_one_execution_per_audience_whatever_the_cursor(
    world: World, server: RunningServer
) -> None:
    rec = await served(world, served_on=TODAY - timedelta(days=5))  # events 1..4
    office_cookie = await cookie_for("office")
    async with (
        graphql_ws(server.ws_url, cookie=office_cookie) as office_1,
        graphql_ws(server.ws_url, cookie=office_cookie) as office_2,
        graphql_ws(server.ws_url, cookie=await cookie_for("office")) as office_3,
        graphql_ws(server.ws_url, cookie=await cookie_for("liaison_a")) as liaison,
    ):
        await office_1.subscribe("1", BOARD_EVENTS, {"after": "4"})
        await office_2.subscribe("1", BOARD_EVENTS, {"after": "2"})
        await office_3.subscribe("1", BOARD_EVENTS, {"after": "4"})
        await liaison.subscribe("1", BOARD_EVENTS, {"after": "4"})
        assert len(await office_2.collect(2)) == 2  # its replay of 3 and 4
        await asyncio.sleep(0.2)
        before, sent_before = renders.executions, direct.sent_directly
        await recs.acknowledge(world.liaison_a, rec.id, rec.version)
        got = [await c.collect(1) for c in (office_1, office_2, office_3, liaison)]
        assert {g[0]["cursor"] for g in got} == {"5"}
        assert got[0] == got[1] == got[2]
        assert got[3][0]["recommendation"]["internalNote"] is None
        assert got[0][0]["recommendation"]["internalNote"] is not None
        assert renders.executions - before == 2  # office once, the liaison's unit once
        assert direct.sent_directly - sent_before == 4  # written straight to the four sockets


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_roles_in_one_unit_do_not_share_results(world: World, server: RunningServer) -> None:
    async with (
        graphql_ws(server.ws_url, cookie=await cookie_for("prosecutor")) as prosecutor,
        graphql_ws(server.ws_url, cookie=await cookie_for("chief")) as chief,
    ):
        await prosecutor.subscribe("p", WITH_ACTIONS, {"after": None})
        await chief.subscribe("c", WITH_ACTIONS, {"after": None})
        await asyncio.sleep(0.2)
        rec = await draft(world)
        await recs.submit_for_approval(world.prosecutor, rec.id, rec.version)
        p_events = await prosecutor.collect(2)
        c_events = await chief.collect(2)
    assert p_events[1]["recommendation"]["availableActions"] == []
    assert [a["action"] for a in c_events[1]["recommendation"]["availableActions"]] == [
        "APPROVE", "RETURN_FOR_REVISION",
    ]  # fmt: skip


WITH_STEPS = """subscription($after: String) {
  boardEvents(after: $after) { cursor case { caseNo availableActions { action } } }
}"""


async def second_prosecutor(world: World) -> None:
    """Another prosecutor of the same procuratorate (``prosecutor2``)."""
    await User.create(
        username="prosecutor2", display_name="prosecutor2-姓名", password_hash=hash_password(PASSWORD),
        role=Role.PROSECUTOR, unit_id=world.procuratorate.id, email="p2@example.test",
    )  # fmt: skip


def use_specs(monkeypatch: pytest.MonkeyPatch, *specs: KindSpec) -> None:
    monkeypatch.setattr(registry, "SPECS", specs)
    monkeypatch.setattr(registry, "BY_KIND", MappingProxyType({s.kind: s for s in specs}))


@pytest.fixture
def no_personal_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the recommendation, whose steps are each for a unit, never for one person."""
    assert Role.PROSECUTOR not in personal_roles([SPEC])
    use_specs(monkeypatch, SPEC)


@pytest.fixture
def personal_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """The recommendation with one more step, reserved for the case's handling prosecutor."""
    extra = step("check_in_person", [State.SERVED], None, PartyRole.HANDLING_PROSECUTOR,
                 [Role.PROSECUTOR], "承办人核查")  # fmt: skip
    use_specs(monkeypatch, replace(SPEC, transitions=(*SPEC.transitions, extra)))


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_prosecutors_of_one_unit_share_renders_when_no_step_is_personal(
    world: World, server: RunningServer, no_personal_step: None
) -> None:
    await second_prosecutor(world)
    async with (
        graphql_ws(server.ws_url, cookie=await cookie_for("prosecutor")) as first,
        graphql_ws(server.ws_url, cookie=await cookie_for("prosecutor2")) as second,
    ):
        await first.subscribe("1", WITH_STEPS, {"after": None})
        await second.subscribe("1", WITH_STEPS, {"after": None})
        await asyncio.sleep(0.2)
        before = renders.executions
        await served(world, served_on=TODAY - timedelta(days=5))
        got = [await c.collect(4) for c in (first, second)]
    assert got[0] == got[1]
    assert renders.executions - before == 4  # one render per event for both


@pytest.mark.parametrize("db", ["sqlite"], indirect=True)
async def test_a_prosecutor_never_receives_another_prosecutors_steps(
    world: World, server: RunningServer, personal_step: None
) -> None:
    await second_prosecutor(world)
    async with (
        graphql_ws(server.ws_url, cookie=await cookie_for("prosecutor")) as handling,
        graphql_ws(server.ws_url, cookie=await cookie_for("prosecutor2")) as colleague,
    ):
        await handling.subscribe("1", WITH_STEPS, {"after": None})
        await colleague.subscribe("1", WITH_STEPS, {"after": None})
        await asyncio.sleep(0.2)
        before = renders.executions
        rec = await served(world, served_on=TODAY - timedelta(days=5))  # by ``prosecutor``
        mine, theirs = await handling.collect(4), await colleague.collect(4)
    assert [e["case"]["availableActions"] for e in mine][-1] == [{"action": "CHECK_IN_PERSON"}]
    assert [e["case"]["availableActions"] for e in theirs][-1] == []
    assert {e["case"]["caseNo"] for e in mine + theirs} == {rec.case_no}
    assert renders.executions - before == 8  # each person rendered apart, every event
