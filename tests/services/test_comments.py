"""Comments on any case (hub.services.comments): who may write them, internal ones never on the
government side, mentions checked on the server, retraction by the author only, and no
stale-version conflict for someone taking a step at the same time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from hub import clock
from hub.domain.comments import may_comment
from hub.domain.errors import HubError, NotFound, PermissionDenied, ValidationFailed
from hub.domain.kinds import PartyRole
from hub.domain.roles import Actor, ActorKind, Role, Side
from hub.domain.visibility import audience_of
from hub.kinds.recommendation import steps as recs
from hub.kinds.registry import SPECS, spec_of
from hub.models import Case, CaseEvent, CaseParty, Unit, User
from hub.services.audit import verify_chain
from hub.services.auth import actor_for_user, hash_password
from hub.services.comments import (
    add_comment,
    mentionable_users,
    retract_comment,
    shown_comments,
)
from hub.services.demo import load_demo
from hub.services.events import events_after
from hub.services.visibility import facts_of, visible_events
from tests.factories import PASSWORD, World, draft, facts, served, snapshot

TODAY = clock.today()


async def a_served(world: World) -> Case:
    return await served(world, served_on=TODAY - timedelta(days=5))


def uid(actor: Actor) -> int:
    return actor.id


async def refused(error: type[HubError], field: str | None, case_id: int, attempt: object) -> None:
    """The attempt fails with ``error`` on ``field`` and changes nothing at all."""
    before = await snapshot(case_id)
    with pytest.raises(error) as caught:
        await attempt  # type: ignore[misc]
    assert caught.value.field == field, caught.value.message
    assert await snapshot(case_id) == before


# ---- every kind --------------------------------------------------------------------------


async def commenter_for(case: Case) -> Actor | None:
    """A user who may comment on the case, the government side first."""
    spec = spec_of(case.kind)
    stored = facts_of(case, await CaseParty.filter(case_id=case.id), [])
    units = {p.unit_id for p in stored.parties}
    users = await User.filter(unit_id__in=units, is_active=True).exclude(role=Role.OFFICE_ADMIN)
    actors = [actor_for_user(u, await Unit.get(id=u.unit_id)) for u in users]
    actors.sort(key=lambda a: (a.side is not Side.GOVERNMENT, a.id))
    return next((a for a in actors if may_comment(a, spec, stored)), None)


async def test_a_party_user_comments_on_a_case_of_every_kind(world: World) -> None:
    await load_demo(PASSWORD)
    sides: dict[str, Side] = {}
    for spec in SPECS:
        cases = await Case.filter(kind=spec.kind.value).order_by("id")
        assert cases, f"the demo has no {spec.kind.value}"
        chosen = [(c, await commenter_for(c)) for c in cases]
        case, actor = next(((c, a) for c, a in chosen if a is not None), (None, None))
        assert case is not None and actor is not None, f"{spec.kind}: nobody may comment"
        row = await Case.filter(id=case.id).values()
        change = await add_comment(actor, case.id, f"关于{spec.label}的意见\r\n第二行")
        event = change.event
        assert (event.action, event.internal, event.actor_id) == ("comment", False, actor.id)
        assert event.payload == {"text": f"关于{spec.label}的意见\n第二行", "internal": False,
                                 "mentions": []}  # fmt: skip
        assert (event.from_state, event.to_state) == (case.state, case.state)
        assert event.version == case.version  # the case's version, unchanged
        assert await Case.filter(id=case.id).values() == row  # the case row is not written
        assert spec.action_label("comment") == "评论"
        sides[spec.kind.value] = actor.side
    assert set(sides) == {s.kind.value for s in SPECS}
    assert Side.GOVERNMENT in sides.values()
    assert (await verify_chain()).ok


# ---- internal comments -------------------------------------------------------------------


async def test_an_internal_comment_never_reaches_the_government_side(world: World) -> None:
    rec = await a_served(world)
    before = await CaseEvent.all().order_by("-seq").first()
    assert before is not None
    shared = await add_comment(
        world.prosecutor, rec.id, "请贵局按期回复", mention_ids=[uid(world.liaison_a)]
    )
    internal = await add_comment(
        world.prosecutor, rec.id, "内部：拟督促", internal=True, mention_ids=[uid(world.chief)]
    )
    assert internal.event.internal and internal.event.payload["internal"] is True
    government = audience_of(world.liaison_a)
    seen = [e.seq for e in await visible_events(government).filter(case_id=rec.id)]
    assert shared.event.seq in seen and internal.event.seq not in seen
    replay = [e.seq for e in await events_after(government, before.seq)]
    assert replay == [shared.event.seq]
    procuratorate = [e.seq for e in await events_after(audience_of(world.chief), before.seq)]
    assert procuratorate == [shared.event.seq, internal.event.seq]
    events = list(await CaseEvent.filter(case_id=rec.id).order_by("seq"))
    texts = [c.text for c in shown_comments(events, sees_internal=False)]
    assert texts == ["请贵局按期回复"]
    texts = [c.text for c in shown_comments(events, sees_internal=True)]
    assert texts == ["请贵局按期回复", "内部：拟督促"]


async def test_only_the_procuratorate_side_writes_internal_comments(world: World) -> None:
    rec = await a_served(world)
    await refused(
        PermissionDenied, "internal", rec.id,
        add_comment(world.liaison_a, rec.id, "内部？", internal=True),
    )  # fmt: skip


# ---- who may comment ---------------------------------------------------------------------


async def test_viewers_and_outsiders_may_not_comment(world: World) -> None:
    rec = await a_served(world)
    user = await User.create(
        username="viewer_a", display_name="只读", password_hash=hash_password(PASSWORD),
        role=Role.VIEWER, unit_id=world.unit_a.id,
    )  # fmt: skip
    viewer = actor_for_user(user, world.unit_a)
    await refused(PermissionDenied, None, rec.id, add_comment(viewer, rec.id, "看看"))
    await refused(NotFound, "id", rec.id, add_comment(world.liaison_b, rec.id, "别人的案件"))
    # A draft is not the addressee's yet.
    early = await draft(world)
    await refused(NotFound, "id", early.id, add_comment(world.liaison_a, early.id, "草稿"))


async def test_a_copied_unit_only_reads(world: World) -> None:
    rec = await a_served(world)
    await CaseParty.create(case_id=rec.id, role=PartyRole.COPIED, unit_id=world.unit_b.id)
    stored = await facts(rec.id)
    spec = spec_of(rec.kind)
    assert not may_comment(world.liaison_b, spec, stored)
    await refused(PermissionDenied, None, rec.id, add_comment(world.liaison_b, rec.id, "抄送"))
    # … yet a copied unit may be mentioned: it sees the case.
    change = await add_comment(
        world.prosecutor, rec.id, "请知悉", mention_ids=[uid(world.liaison_b)]
    )
    assert change.event.payload["mentions"] == [uid(world.liaison_b)]


async def test_the_text_is_cleaned_and_limited(world: World) -> None:
    rec = await a_served(world)
    for text in ("", "   ", "x" * 2001, "abc\u202edef", "a\x00b"):
        await refused(ValidationFailed, "text", rec.id, add_comment(world.liaison_a, rec.id, text))
    change = await add_comment(world.liaison_a, rec.id, "  " + "字" * 2000 + "  ")
    assert change.event.payload["text"] == "字" * 2000


# ---- mentions ----------------------------------------------------------------------------


async def test_mentions_are_checked_on_the_server(world: World) -> None:
    rec = await a_served(world)
    p = world.prosecutor
    cases = (
        ([uid(world.liaison_b)], False),  # unit_b is no party: may not see the case
        ([987_654], False),  # nobody
        ([uid(world.liaison_a)], True),  # an internal comment: the government side
        ([uid(p)], False),  # oneself
        ([uid(world.chief), -1], False),  # a global ID of another type
    )
    for mentions, internal in cases:
        attempt = add_comment(p, rec.id, "请看", internal=internal, mention_ids=mentions)
        await refused(ValidationFailed, "mentionIds", rec.id, attempt)
    too_many = [uid(world.chief)] * 1 + list(range(10_000, 10_020))
    await refused(
        ValidationFailed, "mentionIds", rec.id, add_comment(p, rec.id, "多", mention_ids=too_many)
    )
    await User.filter(id=uid(world.liaison_a)).update(is_active=False)
    await refused(ValidationFailed, "mentionIds", rec.id,
                  add_comment(p, rec.id, "离岗", mention_ids=[uid(world.liaison_a)]))  # fmt: skip
    await User.filter(id=uid(world.liaison_a)).update(is_active=True)
    ok = await add_comment(
        p,
        rec.id,
        "请两位看",
        mention_ids=[uid(world.liaison_a), uid(world.office), uid(world.liaison_a)],
    )
    assert ok.event.payload["mentions"] == [uid(world.liaison_a), uid(world.office)]


async def test_a_draft_may_mention_only_the_procuratorate(world: World) -> None:
    rec = await draft(world)
    attempt = add_comment(world.prosecutor, rec.id, "请看", mention_ids=[uid(world.liaison_a)])
    await refused(ValidationFailed, "mentionIds", rec.id, attempt)
    stored = await facts(rec.id)
    people = await mentionable_users(world.prosecutor, spec_of(rec.kind), stored)
    assert {m.id for m in people} == {uid(world.chief), uid(world.office)}


async def test_the_picker_offers_who_may_see_the_case(world: World) -> None:
    rec = await a_served(world)
    people = await mentionable_users(world.liaison_a, spec_of(rec.kind), await facts(rec.id))
    assert [m.id for m in people] == [
        uid(a) for a in sorted((world.prosecutor, world.chief, world.office), key=lambda a: a.name)
    ]
    assert all(m.sees_internal for m in people)
    people = await mentionable_users(world.prosecutor, spec_of(rec.kind), await facts(rec.id))
    assert [(m.id, m.sees_internal) for m in people][-1] == (uid(world.liaison_a), False)


# ---- retraction --------------------------------------------------------------------------


async def test_only_the_author_retracts_and_a_trace_stays(world: World) -> None:
    rec = await a_served(world)
    comment = await add_comment(
        world.liaison_a, rec.id, "已整改完毕", mention_ids=[uid(world.prosecutor)]
    )
    seq = comment.event.seq
    await refused(
        PermissionDenied, "commentSeq", rec.id, retract_comment(world.prosecutor, rec.id, seq)
    )
    await refused(
        PermissionDenied, "commentSeq", rec.id, retract_comment(world.office, rec.id, seq)
    )
    await refused(
        NotFound, "commentSeq", rec.id, retract_comment(world.liaison_a, rec.id, seq + 99)
    )
    step_seq = await CaseEvent.filter(case_id=rec.id, action="serve").first()
    assert step_seq is not None  # a step's event is no comment
    await refused(
        NotFound, "commentSeq", rec.id, retract_comment(world.liaison_a, rec.id, step_seq.seq)
    )
    row = await Case.filter(id=rec.id).values()
    change = await retract_comment(world.liaison_a, rec.id, seq)
    assert (change.event.action, change.event.payload, change.event.internal) == (
        "retract_comment", {"comment_seq": seq}, False,
    )  # fmt: skip
    assert change.event.version == rec.version and await Case.filter(id=rec.id).values() == row
    await refused(
        ValidationFailed, "commentSeq", rec.id, retract_comment(world.liaison_a, rec.id, seq)
    )
    events = list(await CaseEvent.filter(case_id=rec.id).order_by("seq"))
    (shown,) = shown_comments(events, sees_internal=True)
    assert (shown.text, shown.mentions, shown.retraction) == (None, [], change.event)
    original = await CaseEvent.get(seq=seq)  # kept as written: the audit chain holds it
    assert original.payload["text"] == "已整改完毕"
    assert (await verify_chain()).ok


async def test_an_internal_comment_is_not_found_by_the_government_side(world: World) -> None:
    rec = await a_served(world)
    internal = await add_comment(world.prosecutor, rec.id, "内部", internal=True)
    await refused(NotFound, "commentSeq", rec.id,
                  retract_comment(world.liaison_a, rec.id, internal.event.seq))  # fmt: skip
    retraction = await retract_comment(world.prosecutor, rec.id, internal.event.seq)
    assert retraction.event.internal  # the trace is as internal as the comment


# ---- no stale version --------------------------------------------------------------------


async def test_a_comment_makes_no_step_stale(world: World) -> None:
    rec = await a_served(world)
    read_at = rec.version
    await add_comment(world.prosecutor, rec.id, "请签收")
    step = await recs.acknowledge(world.liaison_a, rec.id, read_at)  # the version read before
    assert step.case.version == read_at + 1


async def test_a_comment_and_a_step_at_once_both_commit(world: World) -> None:
    rec = await a_served(world)
    v = rec.version
    comment, step = await asyncio.gather(
        add_comment(world.prosecutor, rec.id, "同时"),
        recs.acknowledge(world.liaison_a, rec.id, v),
    )
    assert step.case.version == v + 1
    assert comment.event.version in (v, v + 1)
    # The event names the version the case had when the comment was written.
    assert comment.event.version == (v + 1 if comment.event.seq > step.event.seq else v)
    assert (await Case.get(id=rec.id)).version == v + 1
    assert (await verify_chain()).ok


async def test_an_api_token_comments_as_its_unit(world: World) -> None:
    rec = await a_served(world)
    token = Actor(ActorKind.API_TOKEN, 7, "生态环境局系统", Role.UNIT_LIAISON, world.unit_a.id,
                  Side.GOVERNMENT)  # fmt: skip
    change = await add_comment(token, rec.id, "系统回执")
    assert change.event.actor_kind is ActorKind.API_TOKEN
    # The token's id is no user's: the liaison with the same id may not retract it.
    same_id = Actor(ActorKind.USER, 7, "x", Role.UNIT_LIAISON, world.unit_a.id, Side.GOVERNMENT)
    await refused(PermissionDenied, "commentSeq", rec.id,
                  retract_comment(same_id, rec.id, change.event.seq))  # fmt: skip
