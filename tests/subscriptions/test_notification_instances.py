"""Two hub processes on one PostgreSQL database and one Redis: a notification written through
one reaches the user's socket on the other, and so does marking it read."""

from __future__ import annotations

from pathlib import Path

import pytest
from strawberry.relay import to_base64

from hub import clock
from tests.api.test_board_subscription import cookie_for
from tests.api.test_notifications import EVENTS, MARK, SERVE, approved, post
from tests.api.ws import graphql_ws
from tests.factories import World
from tests.real_services import require_redis
from tests.subscriptions.test_instances import ON_POSTGRES, hub_instance

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@ON_POSTGRES
async def test_a_notification_and_its_read_state_cross_instances(
    db: str, world: World, tmp_path: Path
) -> None:
    redis_url = require_redis()
    rec_id, case_no, version = await approved(world)
    async with (
        hub_instance("A", db, redis_url, tmp_path) as a,  # polls every 30 s: Redis must carry it
        hub_instance("B", db, redis_url, tmp_path) as b,
        graphql_ws(b.ws_url, cookie=await cookie_for("liaison_a")) as watcher,
    ):
        await watcher.subscribe("n", EVENTS)
        await watcher.expect_silence(0.5)
        variables = {"id": to_base64("Recommendation", rec_id), "v": version,
                     "d": clock.today().isoformat()}  # fmt: skip
        served = await post(a.base_url, "prosecutor", SERVE, variables)
        assert served["serveRecommendation"]["__typename"] == "RecommendationStepSuccess"
        event = (await watcher.next_data(wait=10))["notificationEvents"]
        assert event["type"] == "CREATED" and event["unreadCount"] == 1
        assert event["notification"]["case"]["caseNo"] == case_no
        marked = await post(a.base_url, "liaison_a", MARK, {"ids": None, "all": True})
        assert marked["markNotificationsRead"]["unreadCount"] == 0
        read = (await watcher.next_data(wait=10))["notificationEvents"]
        assert read["type"] == "READ" and read["unreadCount"] == 0
        assert read["allReadUpTo"] == event["notification"]["id"]
