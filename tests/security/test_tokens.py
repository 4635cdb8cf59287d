"""API tokens: an expiry (a year by default), scopes, a last use; roles that fit the unit;
``hub token create | list | revoke`` as an operator runs them."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from hub import clock
from hub.domain.errors import ValidationFailed
from hub.domain.roles import Role
from hub.models import ApiToken
from hub.services import auth
from tests.app_clients import Api
from tests.conftest import _run
from tests.factories import TODAY, World, served, snapshot
from tests.security.helpers import security_entries
from tests.test_cli import run_hub

ACK = """mutation($input: StepInput!) { acknowledge(input: $input) {
  __typename ... on Error { code message } } }"""


async def test_a_new_token_expires_in_a_year_with_both_scopes(world: World) -> None:
    issued = await auth.create_api_token("ecology_env", "12345 热线")
    token = await ApiToken.get(id=issued.token.id)
    assert token.expires_at is not None
    lifetime = token.expires_at - token.created_at
    assert lifetime == timedelta(days=365)
    assert token.scopes == "read write"
    assert token.role is Role.UNIT_LIAISON
    assert issued.secret not in token.token_hash


@pytest.mark.parametrize(
    ("unit", "role"),
    [
        ("ecology_env", Role.PROSECUTOR),
        ("ecology_env", Role.OFFICE_ADMIN),
        ("ecology_env", Role.PROCURATOR_APPROVER),
        ("ecology_env", Role.UNIT_LEADER),
        ("procuratorate", Role.UNIT_LIAISON),
    ],
)
async def test_a_role_that_does_not_fit_the_unit_is_refused(
    world: World, unit: str, role: Role
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        await auth.create_api_token(unit, "越权系统", role=role)
    assert "可用的角色" in refused.value.message
    assert await ApiToken.all().count() == 0


@pytest.mark.parametrize(
    ("unit", "role"),
    [
        ("ecology_env", Role.UNIT_LIAISON),
        ("ecology_env", Role.VIEWER),
        ("procuratorate", Role.PROSECUTOR),
        ("procuratorate", Role.OFFICE_ADMIN),
        ("procuratorate", Role.VIEWER),
    ],
)
async def test_roles_that_fit_are_granted(world: World, unit: str, role: Role) -> None:
    issued = await auth.create_api_token(unit, "系统", role=role)
    assert issued.token.role is role


async def test_an_unknown_role_or_scope_lists_the_valid_ones(world: World) -> None:
    with pytest.raises(ValidationFailed) as role:
        await auth.create_api_token("ecology_env", "系统", role="admin")
    assert "没有角色 admin" in role.value.message and "unit_liaison" in role.value.message
    with pytest.raises(ValidationFailed) as scope:
        await auth.create_api_token("ecology_env", "系统", scopes="read,delete")
    assert "read、write" in scope.value.message
    assert await ApiToken.all().count() == 0


async def test_a_read_token_queries_but_cannot_mutate(world: World, api: Api) -> None:
    rec = await served(world, served_on=TODAY - timedelta(days=5))
    before = await snapshot(rec.id)
    issued = await auth.create_api_token("ecology_env", "只读系统", scopes="read")
    headers = {"Authorization": f"Bearer {issued.secret}"}
    async with api.client(headers) as client:
        listed = await client("{ units { code } }")
        from strawberry.relay import to_base64

        step = {"input": {"id": to_base64("Recommendation", rec.id), "version": rec.version}}
        refused = await client(ACK, step)
    assert "errors" not in listed
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == "PERMISSION_DENIED"
    assert await snapshot(rec.id) == before


async def test_use_is_recorded_and_a_new_address_logged(
    world: World, api: Api, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="hub.security")
    issued = await auth.create_api_token("ecology_env", "系统")
    async with api.client({"Authorization": f"Bearer {issued.secret}"}) as client:
        await client("{ units { code } }")
        await client("{ units { code } }")
    token = await ApiToken.get(id=issued.token.id)
    assert token.last_used_at is not None and clock.now() - token.last_used_at < timedelta(
        minutes=1
    )
    assert token.last_used_ip == "127.0.0.1"
    news = security_entries(caplog, "token.new_address")
    assert [e["token"] for e in news] == [issued.token.id]  # once, not per request
    assert security_entries(caplog, "token.created")[0]["role"] == "unit_liaison"


async def test_an_expired_token_is_refused(world: World, api: Api) -> None:
    issued = await auth.create_api_token("ecology_env", "系统")
    await ApiToken.filter(id=issued.token.id).update(expires_at=clock.now() - timedelta(seconds=1))
    async with api.client({"Authorization": f"Bearer {issued.secret}"}) as client:
        body = await client("{ units { code } }")
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_token_from_before_expiries_ends_a_year_after_it_was_made(
    world: World, api: Api
) -> None:
    issued = await auth.create_api_token("ecology_env", "老令牌")
    await ApiToken.filter(id=issued.token.id).update(
        expires_at=None, created_at=clock.now() - timedelta(days=366)
    )
    assert await auth.identity_for_api_token(issued.secret) is None
    await ApiToken.filter(id=issued.token.id).update(created_at=clock.now() - timedelta(days=300))
    assert await auth.identity_for_api_token(issued.secret) is not None


async def _schema_from_models(url: str) -> None:
    from tortoise import Tortoise

    from hub.db import tortoise_config

    await Tortoise.init(config=tortoise_config(url, connection="cli_test"))
    try:
        await Tortoise.generate_schemas()
        await Tortoise.get_connection("cli_test").execute_script(
            "INSERT INTO event_counter (id, value) VALUES (1, 0)"
        )
    finally:
        await Tortoise.close_connections()


@pytest.fixture
def demo_db(tmp_path: Path) -> Path:
    """The demo data in a SQLite file whose tables come from the models (the migration for
    this change is generated with everyone's model changes)."""
    db = tmp_path / "hub.sqlite3"
    _run(_schema_from_models(f"sqlite://{db}"))
    run_hub("demo", db=db)
    return db


def test_cli_token_create_refuses_what_does_not_fit_without_a_traceback(demo_db: Path) -> None:
    unknown = run_hub("token", "create", "--unit", "ecology_env", "--name", "x", "--role",
                      "superuser", db=demo_db, check=False)  # fmt: skip
    assert unknown.returncode == 2 and unknown.stdout == ""
    assert "没有角色 superuser；可用的角色：office_admin（府检联动办公室）" in unknown.stderr
    assert "viewer（只读）" in unknown.stderr and "Traceback" not in unknown.stderr
    unfit = run_hub("token", "create", "--unit", "ecology_env", "--name", "x", "--role",
                    "office_admin", db=demo_db, check=False)  # fmt: skip
    assert unfit.returncode == 2 and unfit.stdout == ""
    assert "市生态环境局（ecology_env）的令牌不能是 office_admin" in unfit.stderr
    assert "可用的角色：unit_liaison（联络员）、viewer（只读）" in unfit.stderr
    with sqlite3.connect(demo_db) as conn:
        assert conn.execute("SELECT count(*) FROM api_token").fetchone() == (0,)


def test_cli_token_list_shows_tokens_without_secrets(demo_db: Path) -> None:
    first = run_hub("token", "create", "--unit", "ecology_env", "--name", "热线", db=demo_db)
    run_hub("token", "create", "--unit", "transport", "--name", "交通系统", "--scopes", "read",
            "--days", "30", db=demo_db)  # fmt: skip
    run_hub("token", "revoke", "1", db=demo_db)
    listing = run_hub("token", "list", db=demo_db).stdout.splitlines()
    assert listing[0].split("\t")[:5] == ["编号", "单位", "角色", "权限", "状态"]
    rows = [line.split("\t") for line in listing[1:]]
    assert [(r[0], r[1], r[2], r[3], r[4], r[-1]) for r in rows] == [
        ("1", "ecology_env", "unit_liaison", "read,write", "已吊销", "热线"),
        ("2", "transport", "unit_liaison", "read", "有效", "交通系统"),
    ]
    secret = first.stdout.strip()
    with sqlite3.connect(demo_db) as conn:
        (digest,) = conn.execute("SELECT token_hash FROM api_token WHERE id = 1").fetchone()
    text = "\n".join(listing)
    assert secret not in text and digest not in text and "hub_" not in text
    only = run_hub("token", "list", "--unit", "transport", db=demo_db).stdout.splitlines()
    assert [line.split("\t")[0] for line in only[1:]] == ["2"]
    nope = run_hub("token", "list", "--unit", "nope", db=demo_db, check=False)
    assert nope.returncode == 2 and "没有代码为 nope 的单位" in nope.stderr


def test_cli_user_deactivate(demo_db: Path) -> None:
    done = run_hub("user", "deactivate", "liaison_transport", db=demo_db)
    assert "已停用" in done.stdout
    with sqlite3.connect(demo_db) as conn:
        row = conn.execute(
            "SELECT is_active, deactivated_at FROM user WHERE username = 'liaison_transport'"
        ).fetchone()
    assert row[0] == 0 and row[1] is not None
    unknown = run_hub("user", "deactivate", "nobody", db=demo_db, check=False)
    assert unknown.returncode == 2 and "没有用户 nobody" in unknown.stderr
