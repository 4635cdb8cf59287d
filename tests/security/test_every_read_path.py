"""Every read path, for every kind: a viewer sees a case exactly when the one visibility rule
says so, and a unit that is no party sees nothing of it — answered as an unknown id is (null,
or absent from a list and its count), never with an error that tells the case exists. The
government side never receives an internal step or an internal note, whichever path it reads.

With the demo data loaded, the test walks the registry (``hub.kinds.registry.SPECS``). Its
subjects are a case of every kind, the demo's cases that a party's role does not see in their
state, and cases linked to one another (a served recommendation opened from a case its
addressee is no party to, so each side sees one end of the link). Its viewers are the Linkage
Office, a prosecutor, and for each subject a user of a party unit who may see it, a liaison
officer of a unit that is no party (as ``tests/api/test_node.py``'s ``foreign_liaison``) and an
agency API token of another unit that is no party. Each viewer asks every subject over
``node`` (every field of the kind's type: details, availableActions, events, sourceCase,
linkedCases, records), the child nodes (Reply, PilConsultation…), ``cases`` (all, and with the
kind and a text filter matching its title and its number), ``caseByNo`` and each kind's own
root lookups, the ``board`` of every kind (as the frontend's ``api.js`` asks, read with Node),
the outbox, and the board event stream replayed from ``after: "0"`` over a WebSocket.

What each viewer should see comes from ``hub.domain.visibility.can_see`` applied to the stored
case; what the government side must never see is every case's internal note (the test gives
one to every case that has none), every internal-only field (``KindSpec.internal_fields``) and
every internal event.
"""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    get_named_type,
    is_leaf_type,
)
from strawberry.relay import to_base64
from tortoise.expressions import Subquery

from hub import clock
from hub.alerts.worker import run_once
from hub.domain.kinds import KindSpec
from hub.domain.roles import Actor, ActorKind, Role, Side
from hub.domain.visibility import Audience, audience_of, can_see
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import ServiceMethod
from hub.kinds.recommendation.spec import RecommendationType
from hub.kinds.registry import SPECS, spec_of
from hub.models import Case, CaseClock, CaseEvent, CaseParty, OutboxEmail, Unit, User
from hub.schema import build_schema
from hub.services import auth
from hub.services.demo import load_demo
from hub.services.visibility import facts_of
from tests.alerts.conftest import alert_settings
from tests.api.test_node import CHILD_NODES
from tests.api.ws import graphql_ws
from tests.app_clients import Api, GraphQLClient, RunningServer
from tests.app_clients import test_settings as app_settings
from tests.factories import PASSWORD, World
from tests.real_services import REQUIRE_SERVICES

# The documents here batch many cases with aliases; the limits on a single client's document
# are tested elsewhere (tests/schema, tests/security), so they are raised, not relied on.
SETTINGS = app_settings(
    max_query_tokens=1_000_000, max_query_cost=10**12, cost_budget_per_minute=10**15
)
MAX_ALIASES = 30  # hub.schema.build_schema's MaxAliasesLimiter
PAGE = 200  # settings.max_page_size: every list below asks for a whole page
UNKNOWN_PK = 987_654
UNKNOWN_NO = "无此文号〔2099〕999号"
FRONTEND = Path(__file__).resolve().parents[2] / "frontend" / "js" / "api.js"

# Root fields that list or look up cases, each exercised below; a new root field must be added
# here (or to NO_CASES) once this test reads it.
GENERIC_ROOT = {
    "node", "cases", "caseByNo", "board", "boardColumn", "outboxEmails", "outboxAlerts",
    "notifications", "taskListReport",
}  # fmt: skip
NO_CASES = {
    "viewer", "units", "kinds", "pilDomains", "boardViews", "outboxAlertCount",
    # Figures name their cases by a filter of ``cases`` (read above), never list them.
    "unreadNotificationCount", "statistics",
}  # fmt: skip
BOARD_PAGE = 100  # settings.board_page_max: the demo has fewer cards in any column


# ---- who reads, and what they should see ----------------------------------------------------


@dataclass
class Viewer:
    name: str  # a username, or "token:<unit code>"
    audience: Audience
    user_id: int | None  # None for an API token
    cookie: str | None = None
    token: str | None = None
    answers: list[object] = field(default_factory=list)  # every answer, for the leak checks

    @property
    def government(self) -> bool:
        return not self.audience.sees_internal


@dataclass(frozen=True)
class Subject:
    case: Case
    spec: KindSpec
    why: str

    @property
    def gid(self) -> str:
        return to_base64(self.spec.graphql_type, self.case.id)


@dataclass
class Stored:
    """The database after the setup, as the rule needs it."""

    cases: dict[int, Case]
    parties: dict[int, list[CaseParty]]
    clocks: dict[int, list[CaseClock]]
    events: dict[int, list[CaseEvent]]
    units: dict[int, Unit]
    users: list[User]

    def may_see(self, audience: Audience, case: Case) -> bool:
        """The one rule, ``hub.domain.visibility.can_see``, on the stored case."""
        facts = facts_of(case, self.parties.get(case.id, []), self.clocks.get(case.id, []))
        return can_see(audience, spec_of(case.kind), facts)

    def units_of(self, case: Case) -> set[int]:
        return {p.unit_id for p in self.parties.get(case.id, [])}

    def audience_of(self, user: User) -> Audience:
        unit = self.units[user.unit_id]
        return audience_of(
            Actor(ActorKind.USER, user.id, user.display_name, user.role, unit.id, unit.side)
        )


@dataclass
class Scene:
    stored: Stored
    subjects: list[Subject]
    viewers: dict[str, Viewer]
    visible: dict[str, frozenset[int]]  # viewer name → the ids of the cases it may see
    secrets: set[str]  # what the government side must never be sent
    children: list[tuple[str, int, int]]  # (Node type, primary key, its case's id)
    missing: list[str]  # subjects without a viewer of some sort (every unit is a party)

    @property
    def cases(self) -> dict[int, Case]:
        return self.stored.cases

    def sees(self, viewer: Viewer, case_id: int) -> bool:
        return case_id in self.visible[viewer.name]

    def shown_events(self, viewer: Viewer, case_id: int) -> list[int]:
        """The sequence numbers of the case's events the viewer's side may see."""
        events = self.stored.events.get(case_id, [])
        return [e.seq for e in events if not (e.internal and viewer.government)]


async def link_across_units(world: World) -> None:
    """A served recommendation addressed to one unit and opened from a case (of another kind)
    of units it is no party to: its addressee sees the recommendation and not its source, the
    source's agency the source and not the recommendation."""
    addressee = world.unit_b
    outsider = Subquery(CaseParty.filter(unit_id=addressee.id).values("case_id"))
    source = (
        await Case.filter(kind__not="recommendation", state__not="draft")
        .exclude(id__in=outsider)
        .order_by("id")
        .first()
    )
    assert source is not None
    served_on = clock.today() - timedelta(days=5)
    draft = await recs.create_recommendation(
        world.prosecutor,
        recs.NewRecommendation(
            doc_no="宿检行建〔2026〕901号",
            title="关于跨单位关联案件可见范围的检察建议",
            rec_type=RecommendationType.SOCIAL_GOVERNANCE,
            addressee_unit_id=addressee.id,
            source_case_id=source.id,
        ),
    )
    case = draft.case
    v = (await recs.submit_for_approval(world.prosecutor, case.id, case.version)).case.version
    v = (await recs.approve(world.chief, case.id, v)).case.version
    await recs.serve(
        world.prosecutor, case.id, v, served_on=served_on, method=ServiceMethod.WRITTEN
    )


async def prepare(world: World) -> None:
    """The demo, a link across units, an internal note on every case, the alert emails."""
    await load_demo(PASSWORD)
    await link_across_units(world)
    # Every case gets an internal note of its own, so every kind's paths are checked for it.
    for case in await Case.filter(internal_note="").order_by("id"):
        case.internal_note = f"内部备注〔机密〕案件{case.id}：仅检察院一方可见"
        await case.save(update_fields=["internal_note"])
    await run_once(alert_settings(), now=clock.now())  # the outbox lists some cases


def grouped(rows: Iterable[Any], key: str) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = {}
    for row in rows:
        found.setdefault(getattr(row, key), []).append(row)
    return found


async def load_stored() -> Stored:
    return Stored(
        cases={c.id: c for c in await Case.all().order_by("id")},
        parties=grouped(await CaseParty.all().order_by("id"), "case_id"),
        clocks=grouped(await CaseClock.all().order_by("id"), "case_id"),
        events=grouped(await CaseEvent.all().order_by("seq"), "case_id"),
        units={u.id: u for u in await Unit.all().order_by("id")},
        users=list(await User.all().order_by("id")),
    )


def pick_subjects(stored: Stored) -> list[Subject]:
    """A case of every kind (one the government side sees and that has internal steps, when
    the demo has one); a case a party's role does not see in its state; linked cases."""
    chosen: dict[int, Subject] = {}

    def party_audiences(case: Case) -> list[Audience]:
        sides = [(u, stored.units[u].side) for u in sorted(stored.units_of(case))]
        return [Audience(False, unit_id, side) for unit_id, side in sides]

    def rank(case: Case) -> tuple[bool, bool, int]:
        government_sees = any(
            a.side is Side.GOVERNMENT and stored.may_see(a, case) for a in party_audiences(case)
        )
        internal = any(e.internal for e in stored.events.get(case.id, []))
        return government_sees, internal, -case.id

    for spec in SPECS:
        of_kind = [c for c in stored.cases.values() if c.kind == spec.kind.value]
        assert of_kind, f"the demo has no {spec.kind.value}"
        main = max(of_kind, key=rank)
        chosen[main.id] = Subject(main, spec, "main")
        blind = [c for c in of_kind if any(not stored.may_see(a, c) for a in party_audiences(c))]
        if blind:
            chosen.setdefault(blind[0].id, Subject(blind[0], spec, "hidden"))
    for case in stored.cases.values():
        if case.source_id is not None:
            for linked in (case, stored.cases[case.source_id]):
                chosen.setdefault(linked.id, Subject(linked, spec_of(linked.kind), "linked"))
    return list(chosen.values())


@dataclass
class Cast:
    """Who reads: users by name and agencies (for a token each) by code."""

    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, Unit] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def pick_viewers(stored: Stored, subjects: Sequence[Subject]) -> Cast:
    """The Office and a prosecutor; per subject (a) a user of a party unit who may see it,
    the government side first, (b) a liaison of a unit that is no party and (c) an agency
    token of a unit that is no party — one already chosen when it fits, so that few viewers
    read every subject."""
    cast = Cast()
    by_name = {u.username: u for u in stored.users}
    for name in ("office", "prosecutor"):  # the all-seeing, and the procuratorate side
        cast.users[name] = by_name[name]
    staff = [u for u in stored.users if u.role is not Role.OFFICE_ADMIN]
    holding = {u.id: sum(u.id in stored.units_of(c) for c in stored.cases.values())
               for u in stored.units.values()}  # fmt: skip
    for subject in subjects:
        case, held = subject.case, stored.units_of(subject.case)
        where = f"{subject.why} {case.case_no}"
        party = [u for u in staff if u.unit_id in held]
        seeing = [u for u in party if stored.may_see(stored.audience_of(u), case)]
        seeing.sort(key=lambda u: stored.units[u.unit_id].side is not Side.GOVERNMENT)
        if seeing:
            cast.users.setdefault(seeing[0].username, seeing[0])
        else:
            cast.missing.append(f"{where}: no party user may see it")
        if subject.why == "hidden":  # a user of the party whose role does not see this state
            blind = [u for u in party if not stored.may_see(stored.audience_of(u), case)]
            if blind:
                cast.users.setdefault(blind[0].username, blind[0])
            else:
                cast.missing.append(f"{where}: the party that may not see it has no user")
        liaisons = [u for u in staff if u.role is Role.UNIT_LIAISON and u.unit_id not in held]
        liaisons.sort(key=lambda u: u.username not in cast.users)
        if liaisons:
            cast.users.setdefault(liaisons[0].username, liaisons[0])
        else:
            cast.missing.append(f"{where}: every liaison's unit is a party")
        agencies = [u for u in stored.units.values()
                    if u.side is Side.GOVERNMENT and u.id not in held]  # fmt: skip
        agencies.sort(key=lambda u: (u.code not in cast.tokens, -holding[u.id]))
        if agencies:
            cast.tokens.setdefault(agencies[0].code, agencies[0])
        else:
            cast.missing.append(f"{where}: every agency is a party")
    return cast


async def sign_in(stored: Stored, cast: Cast) -> dict[str, Viewer]:
    """A session for each user, an API token for each agency."""
    # Four at a time: hub.services.auth hashes four at once, and a waiter would tie its
    # module-level semaphore to this test's event loop.
    hashing = asyncio.Semaphore(4)

    async def login(name: str) -> auth.LoginResult:
        async with hashing:
            return await auth.login(name, PASSWORD, ttl=timedelta(hours=1))

    sessions = await asyncio.gather(*(login(name) for name in cast.users))
    viewers = {}
    for (name, user), session in zip(cast.users.items(), sessions, strict=True):
        cookie = f"{auth.SESSION_COOKIE}={session.session_secret}"
        viewers[name] = Viewer(name, stored.audience_of(user), user.id, cookie=cookie)
    for code, unit in cast.tokens.items():
        issued = await auth.create_api_token(code, f"{code} 对接系统")
        token = issued.token
        actor = Actor(ActorKind.API_TOKEN, token.id, token.name, token.role, unit.id, unit.side)
        name = f"token:{code}"
        viewers[name] = Viewer(name, audience_of(actor), None, token=issued.secret)
    return viewers


def internal_texts(stored: Stored) -> set[str]:
    """Every internal note, and the words of every internal step (its comment, the Chinese
    text of its payload)."""
    found = {c.internal_note for c in stored.cases.values() if c.internal_note}
    for events in stored.events.values():
        for e in events:
            if e.internal:
                found |= {e.comment} if len(e.comment) >= 6 else set()
                found |= {s for s in strings_in(e.payload) if len(s) >= 8 and has_cjk(s)}
    return found


async def build_scene(world: World) -> Scene:
    await prepare(world)
    stored = await load_stored()
    subjects = pick_subjects(stored)
    cast = pick_viewers(stored, subjects)
    viewers = await sign_in(stored, cast)
    visible = {
        name: frozenset(c.id for c in stored.cases.values() if stored.may_see(v.audience, c))
        for name, v in viewers.items()
    }
    children = []
    for type_name, model in CHILD_NODES.items():
        for pk, case_id in await model.all().order_by("id").values_list("id", "case_id"):
            children.append((type_name, int(pk), int(case_id)))
    return Scene(stored, subjects, viewers, visible, internal_texts(stored), children, cast.missing)


def strings_in(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# ---- documents ------------------------------------------------------------------------------


@cache
def graphql_schema() -> GraphQLSchema:
    return build_schema()._schema


def is_case_type(named: GraphQLNamedType) -> bool:
    if named.name in ("Case", "Node"):
        return True
    return isinstance(named, GraphQLObjectType) and any(i.name == "Case" for i in named.interfaces)


def selection(named: GraphQLNamedType, depth: int = 0, limit: int = 5) -> str | None:
    """Every field of ``named`` a viewer can select without arguments, nested ``limit`` deep;
    a case reached from another is selected by its id only."""
    if is_leaf_type(named):
        return ""
    if depth > 0 and is_case_type(named):
        return "{ __typename id }"
    if isinstance(named, GraphQLInterfaceType | GraphQLUnionType):
        return "{ __typename }"
    if depth > limit or not isinstance(named, GraphQLObjectType):
        return None
    parts = ["__typename"]
    for name, f in named.fields.items():
        arguments = arguments_of(f)
        if arguments is None:
            continue
        inner = selection(get_named_type(f.type), depth + 1, limit)
        if inner is not None:
            parts.append(f"{name}{arguments} {inner}".rstrip())
    return "{ " + " ".join(parts) + " }"


def arguments_of(f: GraphQLField) -> str | None:
    """Whole pages for a paged field; None for a field that needs an argument."""
    given = []
    for name, argument in f.args.items():
        if name in ("first", "last"):
            given.append(f"{name}: {PAGE}")
        elif isinstance(argument.type, GraphQLNonNull) and argument.default_value in (
            None,
            Undefined,
        ):
            return None
    return f"({', '.join(given)})" if given else ""


def full_fragment(spec: KindSpec) -> str:
    named = graphql_schema().get_type(spec.graphql_type)
    assert named is not None
    return f"fragment Full_{spec.graphql_type} on {spec.graphql_type} {selection(named)}"


def internal_fragment(spec: KindSpec) -> str:
    """The kind's fields for the procuratorate side only (and the internal note)."""
    named = graphql_schema().get_type(spec.graphql_type)
    assert isinstance(named, GraphQLObjectType)
    parts = ["internalNote"]
    for name in sorted(spec.internal_fields - {"internalNote"}):
        assert name in named.fields, f"{spec.kind}: internal field {name} is not on its type"
        parts.append(f"{name} {selection(get_named_type(named.fields[name].type), 1)}".rstrip())
    return f"... on {spec.graphql_type} {{ {' '.join(parts)} }}"


INTERNAL_FIELDS = " ".join(internal_fragment(spec) for spec in SPECS)


def internal_selection(type_name: str) -> str:
    """``{ __typename id …internal fields }`` on a field returning ``type_name``."""
    if type_name == "Case":
        return f"{{ __typename id {INTERNAL_FIELDS} }}"
    spec = next(s for s in SPECS if s.graphql_type == type_name)
    return f"{{ __typename id {internal_fragment(spec)} }}"


@dataclass(frozen=True)
class Part:
    alias: str
    text: str  # the field with its arguments and selection
    variables: Mapping[str, tuple[str, object]] = field(
        default_factory=dict
    )  # name → (type, value)


async def batched(
    viewer: Viewer, client: GraphQLClient, parts: Sequence[Part], fragments: Mapping[str, str]
) -> dict[str, Any]:
    """Ask ``parts`` in documents of at most ``MAX_ALIASES`` aliases; the merged data.

    Any error at all fails: an error about a case the viewer may not see would tell it exists.
    """
    data: dict[str, Any] = {}
    for start in range(0, len(parts), MAX_ALIASES):
        chunk = parts[start : start + MAX_ALIASES]
        body = " ".join(f"{p.alias}: {p.text}" for p in chunk)
        declared = {name: kind for p in chunk for name, (kind, _) in p.variables.items()}
        values = {name: value for p in chunk for name, (_, value) in p.variables.items()}
        header = f"({', '.join(f'${n}: {t}' for n, t in declared.items())})" if declared else ""
        used = [text for name, text in fragments.items() if f"...{name}" in body]
        document = f"query{header} {{ {body} }}\n" + "\n".join(used)
        answer = await client(document, values)
        assert "errors" not in answer, (viewer.name, answer["errors"])
        viewer.answers.append(answer)
        data.update(answer["data"])
    return data


@asynccontextmanager
async def clients(api: Api, scene: Scene) -> AsyncIterator[dict[str, GraphQLClient]]:
    """One HTTP client per viewer, for the whole test."""
    async with AsyncExitStack() as stack:
        made = {}
        for name, viewer in scene.viewers.items():
            headers = {"Authorization": f"Bearer {viewer.token}"} if viewer.token else None
            client = await stack.enter_async_context(api.client(headers))
            if viewer.cookie is not None:
                key, _, value = viewer.cookie.partition("=")
                client.http.cookies.set(key, value)
            made[name] = client
        yield made


def ids(connection: Mapping[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


def gid_of(case: Case) -> str:
    return to_base64(spec_of(case.kind).graphql_type, case.id)


# ---- node: every field of every subject, child nodes ----------------------------------------


async def check_nodes(scene: Scene, viewer: Viewer, client: GraphQLClient) -> None:
    fragments = {f"Full_{s.graphql_type}": full_fragment(s) for s in SPECS}
    parts = [
        Part(f"s{i}", f'node(id: "{s.gid}") {{ __typename ...Full_{s.spec.graphql_type} }}')
        for i, s in enumerate(scene.subjects)
    ]
    parts += [
        Part(f"u_{spec.graphql_type}",
             f'node(id: "{to_base64(spec.graphql_type, UNKNOWN_PK)}") '
             f"{{ __typename ...Full_{spec.graphql_type} }}")
        for spec in SPECS
    ]  # fmt: skip
    parts += [
        Part(f"c{i}", f'node(id: "{to_base64(type_name, pk)}") {{ __typename id }}')
        for i, (type_name, pk, _) in enumerate(scene.children)
    ]
    parts += [
        Part(f"cu_{type_name}", f'node(id: "{to_base64(type_name, UNKNOWN_PK)}") {{ id }}')
        for type_name in CHILD_NODES
    ]
    data = await batched(viewer, client, parts, fragments)
    for spec in SPECS:
        assert data[f"u_{spec.graphql_type}"] is None
    for type_name in CHILD_NODES:
        assert data[f"cu_{type_name}"] is None
    for i, subject in enumerate(scene.subjects):
        found = data[f"s{i}"]
        where = f"{viewer.name} reading {subject.why} {subject.case.case_no} by node"
        if not scene.sees(viewer, subject.case.id):
            assert found is None, where  # as the unknown id of its type: null
            continue
        assert found is not None, where
        check_case(scene, viewer, subject, found, where)
    for i, (type_name, pk, case_id) in enumerate(scene.children):
        expected = {"__typename": type_name, "id": to_base64(type_name, pk)}
        shown = expected if scene.sees(viewer, case_id) else None
        assert data[f"c{i}"] == shown, f"{viewer.name} reading {type_name} {pk} of case {case_id}"


def check_case(
    scene: Scene, viewer: Viewer, subject: Subject, found: Mapping[str, Any], where: str
) -> None:
    """A visible case as the viewer's side may see it, every field selected."""
    case, spec = subject.case, subject.spec
    assert (found["__typename"], found["id"]) == (spec.graphql_type, subject.gid), where
    assert [e["seq"] for e in found["events"]] == scene.shown_events(viewer, case.id), where
    if viewer.government:
        assert found["internalNote"] is None, where
        for name in spec.internal_fields:
            assert found[name] is None, f"{where}: {name}"
        internal_only = {
            t.action.upper()
            for t in spec.transitions
            if all(o.internal for o in spec.transitions if o.action == t.action)
        }
        offered = {a["action"] for a in found["availableActions"]}
        assert not offered & internal_only, where
    else:
        assert found["internalNote"] == case.internal_note, where
    source = scene.cases.get(case.source_id) if case.source_id is not None else None
    if source is not None and scene.sees(viewer, source.id):
        assert found["sourceCase"] == {"__typename": spec_of(source.kind).graphql_type,
                                       "id": gid_of(source)}, where  # fmt: skip
    else:
        assert found["sourceCase"] is None, where
    linked = [
        gid_of(c)
        for c in scene.cases.values()
        if c.source_id == case.id and scene.sees(viewer, c.id)
    ]
    assert [c["id"] for c in found["linkedCases"]] == linked, where
    assert isinstance(found["details"], list), where


# ---- lists, lookups, boards, the outbox -----------------------------------------------------


def kind_lookups() -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Each kind's own root fields, from the schema: lookups by number (field → its argument
    and the type it returns) and lists (field → the type of their nodes). A root field this
    test does not read fails here."""
    query = graphql_schema().query_type
    assert query is not None
    lookups: dict[str, tuple[str, str]] = {}
    lists: dict[str, str] = {}
    unread = []
    for name, f in query.fields.items():
        if name in GENERIC_ROOT or name in NO_CASES:
            continue
        returned = get_named_type(f.type)
        required = [a for a, arg in f.args.items() if isinstance(arg.type, GraphQLNonNull)]
        if is_case_type(returned) and len(required) == 1:
            lookups[name] = (required[0], returned.name)
        elif isinstance(returned, GraphQLObjectType) and "edges" in returned.fields:
            edge = get_named_type(returned.fields["edges"].type)
            assert isinstance(edge, GraphQLObjectType)
            lists[name] = get_named_type(edge.fields["node"].type).name
        else:
            unread.append(name)
    assert unread == [], f"root fields this test does not read: {unread}"
    return lookups, lists


async def check_lists(scene: Scene, viewer: Viewer, client: GraphQLClient) -> None:
    connection = "{ totalCount edges { node { id } } }"
    card = internal_selection("Case")
    parts = [Part("all", f"cases(first: {PAGE}) {connection}")]
    for i, s in enumerate(scene.subjects):
        kind = s.spec.kind.name
        parts.append(Part(
            f"t{i}",
            f"cases(first: {PAGE}, filter: {{kinds: [{kind}], search: $t{i}}}) {connection}",
            {f"t{i}": ("String!", s.case.title)},
        ))  # fmt: skip
        parts.append(Part(f"b{i}", f"caseByNo(caseNo: $n{i}) {card}",
                          {f"n{i}": ("String!", s.case.case_no)}))  # fmt: skip
    parts.append(Part("bx", f"caseByNo(caseNo: $unknown) {card}",
                      {"unknown": ("String!", UNKNOWN_NO)}))  # fmt: skip
    for spec in SPECS:
        parts.append(Part(f"board_{spec.kind.name}", f"board(kind: {spec.kind.name}, "
                          f"first: {BOARD_PAGE}) {{ kind totalCount cards {card} "
                          f"columns {{ id totalCount hasMore cards {card} }} }}"))  # fmt: skip
        for c, column in enumerate(spec.columns):
            parts.append(Part(f"column_{spec.kind.name}_{c}",
                              f'boardColumn(kind: {spec.kind.name}, column: "{column.id.upper()}", '
                              f"first: {BOARD_PAGE}) {{ totalCount hasMore cards {card} }}"))  # fmt: skip
    lookups, lists = kind_lookups()
    for name in lists:
        parts.append(Part(f"list_{name}", f"{name}(first: {PAGE}) {connection}"))
    for name, (argument, type_name) in lookups.items():
        typed = internal_selection(type_name)
        for i, s in enumerate(scene.subjects):
            parts.append(Part(f"{name}_{i}", f"{name}({argument}: $n{i}) {typed}",
                              {f"n{i}": ("String!", s.case.case_no)}))  # fmt: skip
        parts.append(Part(f"{name}_x", f"{name}({argument}: $unknown) {typed}",
                          {"unknown": ("String!", UNKNOWN_NO)}))  # fmt: skip
    parts.append(Part("outbox", f"outboxEmails(first: {PAGE}) "
                      "{ recipientEmail case { id kind caseNo title } }"))  # fmt: skip
    parts.append(Part("alerts", f"outboxAlerts(first: {PAGE}) "
                      "{ case { id caseNo title } recipients { recipientEmail } }"))  # fmt: skip
    parts.append(Part("notes", f"notifications(first: {PAGE}) "
                      "{ nodes { text case { id caseNo title } } }"))  # fmt: skip
    years = sorted({c.created_at.year for c in scene.cases.values()} | {2022})
    for year in years:
        parts.append(Part(f"tasks_{year}", f"taskListReport(year: {year}) "
                          "{ categories { tasks { measures { id } } } }"))  # fmt: skip
    data = await batched(viewer, client, parts, {})

    seen = scene.visible[viewer.name]
    everything = [gid_of(c) for c in scene.cases.values() if c.id in seen]
    assert ids(data["all"]) == everything, viewer.name
    assert data["all"]["totalCount"] == len(everything), viewer.name
    for i, s in enumerate(scene.subjects):
        where = f"{viewer.name} looking for {s.why} {s.case.case_no}"
        text = s.case.title
        matching = [
            gid_of(c)
            for c in scene.cases.values()
            if c.id in seen and c.kind == s.case.kind and (text in c.title or text in c.case_no)
        ]
        assert ids(data[f"t{i}"]) == matching, where
        assert data[f"t{i}"]["totalCount"] == len(matching), where
        by_no = data[f"b{i}"]
        if scene.sees(viewer, s.case.id):
            assert by_no is not None and by_no["id"] == s.gid, where
            check_internal(viewer, s.spec, by_no, where)
        else:
            assert by_no == data["bx"] is None, where
        for name, (_, type_name) in lookups.items():
            looked = data[f"{name}_{i}"]
            if s.spec.graphql_type in (type_name, "Case") and scene.sees(viewer, s.case.id):
                assert looked is not None and looked["id"] == s.gid, (where, name)
                check_internal(viewer, s.spec, looked, where)
            else:
                assert looked == data[f"{name}_x"] is None, (where, name)
    for spec in SPECS:
        board = data[f"board_{spec.kind.name}"]
        of_kind = [gid_of(c) for c in scene.cases.values()
                   if c.id in seen and c.kind == spec.kind.value]  # fmt: skip
        assert board_card_ids(board) == sorted(of_kind), (viewer.name, spec.kind)
        assert board["totalCount"] == len(of_kind), (viewer.name, spec.kind)
        columns = [data[f"column_{spec.kind.name}_{c}"] for c in range(len(spec.columns))]
        in_columns = sorted(card["id"] for column in columns for card in column["cards"])
        assert in_columns == sorted(of_kind), (viewer.name, spec.kind)
        assert [c["totalCount"] for c in columns] == [c["totalCount"] for c in board["columns"]]
        assert not any(c["hasMore"] for c in columns), (viewer.name, spec.kind)
        for card in [*board["cards"], *(card for column in columns for card in column["cards"])]:
            check_internal(viewer, spec, card, f"{viewer.name} on the {spec.kind} board")
    for name, type_name in lists.items():
        of_type = [gid_of(c) for c in scene.cases.values() if c.id in seen
                   and type_name in (spec_of(c.kind).graphql_type, "Case")]  # fmt: skip
        assert ids(data[f"list_{name}"]) == of_type, (viewer.name, name)
    await check_outbox(scene, viewer, data["outbox"])
    alerts = data["alerts"]
    recipients = [r for alert in alerts for r in alert["recipients"]]
    assert len(recipients) == len(data["outbox"]), viewer.name  # the same emails, by alert
    for alert in alerts:
        assert scene.sees(viewer, by_gid(scene, alert["case"]["id"]).id), viewer.name
    for note in data["notes"]["nodes"]:
        assert scene.sees(viewer, by_gid(scene, note["case"]["id"]).id), viewer.name
    for year in years:  # the task-list report shows only measures the viewer may see
        report = data[f"tasks_{year}"] or {"categories": []}
        for category in report["categories"]:
            for task in category["tasks"]:
                for measure in task["measures"]:
                    assert scene.sees(viewer, by_gid(scene, measure["id"]).id), viewer.name


def by_gid(scene: Scene, gid: str) -> Any:
    return next(c for c in scene.cases.values() if gid_of(c) == gid)


def board_card_ids(board: Mapping[str, Any]) -> list[str]:
    """The ids of a board's cards, in id order: the columns' pages when the document reads
    them, else the (deprecated) union ``cards``; each card once."""
    columns = board.get("columns") or []
    if columns and all("cards" in c for c in columns):
        found = [card["id"] for c in columns for card in c["cards"]]
        assert not any(c.get("hasMore") for c in columns), "a column has more cards than a page"
    else:
        found = [card["id"] for card in board["cards"]]
    assert len(found) == len(set(found)), "a card twice on the board"
    return sorted(found)


def check_internal(viewer: Viewer, spec: KindSpec, found: Mapping[str, Any], where: str) -> None:
    if viewer.government:
        for name in spec.internal_fields | {"internalNote"}:
            assert found[name] is None, f"{where}: {name}"


async def check_outbox(scene: Scene, viewer: Viewer, emails: list[dict[str, Any]]) -> None:
    """The outbox lists the emails sent to the viewer (all of them to the Office, none to a
    token); each is about a case the viewer's unit is a party to."""
    if viewer.user_id is None:
        assert emails == [], viewer.name
        return
    if viewer.audience.everything:
        assert len(emails) == await OutboxEmail.all().count()
        return
    assert len(emails) == await OutboxEmail.filter(recipient_user_id=viewer.user_id).count()
    by_gid = {gid_of(c): c for c in scene.cases.values()}
    for email in emails:
        case = by_gid[email["case"]["id"]]
        held = {p.unit_id for p in scene.stored.parties.get(case.id, [])}
        assert viewer.audience.unit_id in held, (viewer.name, case.case_no)


# ---- the documents the board itself sends ---------------------------------------------------


@cache
def frontend_documents() -> Mapping[str, str] | None:
    """``documents(kinds)`` of ``frontend/js/api.js`` for every kind, read with Node (None
    where Node is not installed: the paths are then read with this test's documents only)."""
    node = shutil.which("node")
    if node is None:
        if REQUIRE_SERVICES:
            pytest.fail("Node.js is not installed: the board's own documents cannot be read")
        return None
    script = (
        "const api = await import(process.argv[1]);"
        "process.stdout.write(JSON.stringify(api.documents(JSON.parse(process.argv[2]))));"
    )
    kinds = json.dumps([spec.kind.name for spec in SPECS])
    done = subprocess.run(
        [node, "--input-type=module", "-e", script, FRONTEND.as_uri(), kinds],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    documents: dict[str, str] = json.loads(done.stdout)
    return documents


async def check_frontend(
    scene: Scene, viewer: Viewer, client: GraphQLClient, documents: Mapping[str, str]
) -> None:
    """The board of every kind and the subjects' detail, as the board asks for them: a subject
    the viewer may not see answers exactly as an unknown id of its type does."""
    seen = scene.visible[viewer.name]
    for spec in SPECS:
        answer = await client(documents["board"], {
            "kind": spec.kind.name, "sort": "DUE", "first": BOARD_PAGE, "someColumns": False,
        })  # fmt: skip
        assert "errors" not in answer, (viewer.name, answer["errors"])
        viewer.answers.append(answer)
        of_kind = [gid_of(c) for c in scene.cases.values()
                   if c.id in seen and c.kind == spec.kind.value]  # fmt: skip
        found = board_card_ids(answer["data"]["board"])
        assert found == sorted(of_kind), (viewer.name, spec.kind)
    unknown: dict[str, Any] = {}
    for subject in scene.subjects:
        type_name = subject.spec.graphql_type
        if subject.why != "main" and scene.sees(viewer, subject.case.id):
            continue  # read whole by check_nodes already; the board's own document for one
        answer = await client(documents["detail"], {"id": subject.gid})
        viewer.answers.append(answer)
        where = f"{viewer.name} opening {subject.why} {subject.case.case_no}"
        if scene.sees(viewer, subject.case.id):
            assert "errors" not in answer, (where, answer["errors"])
            found = answer["data"]["node"]
            assert found["id"] == subject.gid, where
            check_internal(viewer, subject.spec, found, where)
            continue
        if type_name not in unknown:
            unknown[type_name] = await client(
                documents["detail"], {"id": to_base64(type_name, UNKNOWN_PK)}
            )
        assert comparable(answer) == comparable(unknown[type_name]), where
        assert answer["data"] == {"node": None}, where


def comparable(answer: Mapping[str, Any]) -> Mapping[str, Any]:
    """An answer without what differs between any two requests (the budget left, when it is
    renewed)."""
    cost = dict(answer.get("extensions", {}).get("cost", {}))
    cost.pop("remaining", None)
    cost.pop("reset", None)
    return {**answer, "extensions": {**answer.get("extensions", {}), "cost": cost}}


# ---- the board event stream, replayed from the start ----------------------------------------

STREAM = (
    'subscription { boardEvents(after: "0") { cursor '
    "event { seq action comment payload case { __typename id } } "
    f"case {{ __typename id {INTERNAL_FIELDS} }} }} }}"
)


async def check_stream(scene: Scene, viewer: Viewer, server: RunningServer) -> None:
    """The replay sends exactly the events of the cases the viewer may see, the internal ones
    to the procuratorate side only, each with its case as the viewer's side may see it."""
    expected = [
        e.seq
        for case_events in scene.stored.events.values()
        for e in case_events
        if scene.sees(viewer, e.case_id) and not (e.internal and viewer.government)
    ]
    expected.sort()
    by_gid = {gid_of(c): c for c in scene.cases.values()}
    got: list[int] = []
    async with graphql_ws(server.ws_url, cookie=viewer.cookie, token=viewer.token) as ws:
        await ws.subscribe("replay", STREAM)
        try:
            while len(got) < len(expected):
                message = (await ws.next_data(wait=10))["boardEvents"]
                viewer.answers.append(message)
                case = by_gid[message["case"]["id"]]
                assert message["event"]["case"]["id"] == message["case"]["id"]
                check_internal(viewer, spec_of(case.kind), message["case"],
                               f"{viewer.name} streaming {case.case_no}")  # fmt: skip
                got.append(message["event"]["seq"])
        except TimeoutError:
            pass
        assert got == expected, (viewer.name, sorted(set(expected) ^ set(got)))
        await ws.expect_silence(0.3)


# ---- the leak checks over everything a viewer was sent --------------------------------------


def check_nothing_leaked(scene: Scene, viewer: Viewer) -> None:
    """No internal text reached the government side, anywhere in any answer; no viewer was
    sent the number of a subject it may not see, outside event payloads (see below)."""
    sent = json.dumps(viewer.answers, ensure_ascii=False)
    if viewer.government:
        leaked = sorted(s for s in scene.secrets if s in sent)
        assert leaked == [], (viewer.name, leaked)
    # A step's payload may name a case it opened: a meeting's record_resolution names its
    # resolution (number and id) to every attending unit, the minutes of a meeting they all
    # attended, though only the responsible units see the resolution's card.
    bare = json.dumps(without_payloads(viewer.answers), ensure_ascii=False)
    hidden = [
        s.case.case_no
        for s in scene.subjects
        if not scene.sees(viewer, s.case.id)
        and json.dumps(s.case.case_no, ensure_ascii=False) in bare
    ]
    assert hidden == [], (viewer.name, hidden)


def without_payloads(value: object) -> object:
    if isinstance(value, Mapping):
        return {k: without_payloads(v) for k, v in value.items() if k != "payload"}
    if isinstance(value, list):
        return [without_payloads(item) for item in value]
    return value


# ---- the tests ------------------------------------------------------------------------------


async def test_every_kind_on_every_read_path(world: World, server: RunningServer) -> None:
    from hub.app import create_app

    scene = await build_scene(world)
    assert {s.spec.kind for s in scene.subjects} == {spec.kind for spec in SPECS}
    assert [s.why for s in scene.subjects].count("linked") >= 2
    assert any(v.government and v.user_id is not None for v in scene.viewers.values())
    assert any(v.token is not None for v in scene.viewers.values())
    assert scene.secrets, "no internal text to look for"
    api = Api(create_app(SETTINGS, manage_database=False), world)
    async with clients(api, scene) as by_name:
        await asyncio.gather(*(check_nodes(scene, v, by_name[n]) for n, v in scene.viewers.items()))
        await asyncio.gather(*(check_lists(scene, v, by_name[n]) for n, v in scene.viewers.items()))
        documents = frontend_documents()
        if documents is not None:
            await asyncio.gather(*(check_frontend(scene, v, by_name[n], documents)
                                   for n, v in scene.viewers.items()))  # fmt: skip
    await asyncio.gather(*(check_stream(scene, v, server) for v in scene.viewers.values()))
    for viewer in scene.viewers.values():
        check_nothing_leaked(scene, viewer)
    # Each subject was read by a viewer that may see it other than the Office and, unless
    # every unit is a party to it, by one that may not.
    for s in scene.subjects:
        readers = [v for v in scene.viewers.values() if not v.audience.everything]
        assert any(scene.sees(v, s.case.id) for v in readers), s.case.case_no
        blind = any(not scene.sees(v, s.case.id) for v in readers)
        assert blind or any(s.case.case_no in m for m in scene.missing), s.case.case_no
