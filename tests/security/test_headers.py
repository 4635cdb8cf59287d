"""Security headers on every response; GraphiQL and introspection for signed-in viewers only,
and for no one with HUB_ENV=production."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from hub.services import auth
from tests.app_clients import Api, RunningServer
from tests.app_clients import test_settings as hub_settings
from tests.factories import World

FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
INTROSPECT = "{ __schema { queryType { name } } }"
HTML = {"accept": "text/html"}


def api_with(world: World, **overrides: object) -> Api:
    from hub.app import create_app

    return Api(create_app(hub_settings(**overrides), manage_database=False), world)


def directives(csp: str) -> dict[str, list[str]]:
    parts = (d.strip().split() for d in csp.split(";") if d.strip())
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/"), ("GET", "/app.js"), ("GET", "/healthz"), ("POST", "/graphql"),
     ("GET", "/no-such-file"), ("GET", "/graphql")],
)  # fmt: skip
async def test_every_response_carries_the_headers(
    world: World, api: Api, method: str, path: str
) -> None:
    async with api.client() as client:
        response = await client.http.request(
            method, path, json={"query": "{ __typename }"} if method == "POST" else None
        )
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"
    csp = directives(headers["content-security-policy"])
    assert csp["frame-ancestors"] == ["'none'"]
    if path != "/graphql" or method == "POST":
        assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
        assert csp["connect-src"] == ["'self'", "ws://127.0.0.1:8000"]
        assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert "strict-transport-security" not in headers  # the base URL is http


async def test_hsts_when_the_base_url_is_https(world: World) -> None:
    api = api_with(world, base_url="https://hub.example.gov.cn")
    async with api.client() as client:
        response = await client.http.get("/")
    assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
    connect = directives(response.headers["content-security-policy"])["connect-src"]
    assert connect == ["'self'", "wss://hub.example.gov.cn"]


def test_the_board_needs_no_inline_script_or_style() -> None:
    """What the policy relies on: every script is a file of the hub's, no inline style."""

    class Check(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.inline: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            names = dict(attrs)
            if tag == "script" and not names.get("src"):
                self.inline.append("inline <script>")
            if tag == "style":
                self.inline.append("<style>")
            if "style" in names or any(n.startswith("on") for n in names):
                self.inline.append(f"{tag} with {sorted(names)}")
            src = names.get("src") or (names.get("href") if tag == "link" else None)
            if src and "://" in src:
                self.inline.append(f"third-party {src}")

    check = Check()
    check.feed((FRONTEND / "index.html").read_text("utf-8"))
    assert check.inline == []
    for script in FRONTEND.rglob("*.js"):
        if "vendor" in script.parts:
            continue
        text = script.read_text("utf-8")
        assert "eval(" not in text and "new Function" not in text, script
        assert ".innerHTML" not in text or "style=" not in text, script


async def test_graphiql_only_for_a_signed_in_browser(world: World, api: Api) -> None:
    async with api.client() as client:
        anonymous = await client.http.get("/graphql", headers=HTML)
    assert anonymous.status_code == 401 and "请先" in anonymous.text
    assert "unpkg" not in anonymous.text
    async with api.as_user("prosecutor") as client:
        page = await client.http.get("/graphql", headers=HTML)
    assert page.status_code == 200 and "graphiql" in page.text.lower()
    csp = directives(page.headers["content-security-policy"])
    (nonce,) = [s for s in csp["script-src"] if s.startswith("'nonce-")]
    assert f'<script nonce="{nonce[7:-1]}">' in page.text
    assert "<script>" not in page.text  # every inline script carries the nonce
    assert csp["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]


async def test_introspection_needs_a_signed_in_viewer(world: World, api: Api) -> None:
    async with api.client() as client:
        anonymous = await client(INTROSPECT)
        typename = await client("{ __typename }")
    assert anonymous["data"] is None
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert typename["data"] == {"__typename": "Query"}
    async with api.as_user("liaison_a") as client:
        signed_in = await client(INTROSPECT)
    issued = await auth.create_api_token("ecology_env", "系统")
    async with api.client({"Authorization": f"Bearer {issued.secret}"}) as client:
        by_token = await client('{ __type(name: "Unit") { name } }')
    assert signed_in["data"] == {"__schema": {"queryType": {"name": "Query"}}}
    assert by_token["data"] == {"__type": {"name": "Unit"}}


async def test_production_has_no_graphiql_and_no_introspection(world: World) -> None:
    api = api_with(world, env="production")
    async with api.as_user("office") as client:
        page = await client.http.get("/graphql", headers=HTML)
        introspection = await client(INTROSPECT)
        ordinary = await client("{ viewer { name } }")
    assert page.status_code == 404
    assert introspection["data"] is None
    assert introspection["errors"][0]["extensions"]["code"] == "VALIDATION_FAILED"
    assert ordinary["data"] == {"viewer": {"name": "office-姓名"}}


async def test_headers_on_a_real_server(world: World, server: RunningServer) -> None:
    async with httpx.AsyncClient(base_url=server.base_url) as client:
        response = await client.get("/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
