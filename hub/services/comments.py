"""Comments on a case of any kind, written through the one write path (``record_step``).

The rules are ``hub.domain.comments``'. A comment event's payload is exactly
``{"text": str, "internal": bool, "mentions": [user ids]}`` (the notification centre reads
it); a retraction's is ``{"comment_seq": seq}`` and is internal when the comment is. The
retracted text stays in the event log and its hash chain (``hub audit verify`` still checks
it); every read of the case shows the trace instead (``shown_comments``, ``shown_payload``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.expressions import Q

from hub.domain.comments import (
    COMMENT_MAX_LENGTH,
    MAX_MENTIONS,
    distinct_mentions,
    may_be_mentioned,
    may_comment,
    may_comment_internally,
)
from hub.domain.engine import CaseFacts
from hub.domain.errors import NotFound, PermissionDenied, ValidationFailed
from hub.domain.kinds import COMMENT_STEP, RETRACT_COMMENT_STEP, USER_OPTIONS_MAX, KindSpec
from hub.domain.roles import ROLE_LABELS, Actor, ActorKind, Role, Side
from hub.domain.visibility import Audience, audience_of
from hub.models import CaseEvent, User
from hub.services.cases import Change, StepContext, record_step
from hub.services.text import clean_text
from hub.services.visibility import facts_of

MENTIONS_FIELD = "mentionIds"


@dataclass(frozen=True, slots=True)
class Mentionable:
    """A user who may be mentioned in a comment on the case."""

    id: int
    name: str
    role: Role
    unit_id: int
    unit_name: str
    side: Side

    @property
    def audience(self) -> Audience:
        return Audience(self.role is Role.OFFICE_ADMIN, self.unit_id, self.side)

    @property
    def sees_internal(self) -> bool:
        """May also be mentioned in an internal comment."""
        return self.audience.sees_internal

    @property
    def label(self) -> str:
        return f"{self.name}（{self.unit_name} · {ROLE_LABELS[self.role]}）"


async def add_comment(
    actor: Actor,
    case_id: int,
    text: str,
    *,
    internal: bool = False,
    mention_ids: Sequence[int] = (),
    now: datetime | None = None,
) -> Change:
    """A comment on the case, shared with the other side or internal to the procuratorate."""

    async def record(ctx: StepContext) -> tuple[dict[str, Any], bool]:
        facts = facts_of(ctx.case, ctx.parties, ctx.clocks.values())
        if not may_comment(actor, ctx.spec, facts):
            raise PermissionDenied(f"您无权评论该{ctx.spec.label}")
        if internal and not may_comment_internally(actor):
            raise PermissionDenied("只有检察院一方可以发表内部评论", field="internal")
        body = clean_text(text, "text", limit=COMMENT_MAX_LENGTH, one_line=False)
        mentions = distinct_mentions(mention_ids)
        await _check_mentions(ctx, facts, mentions, internal)
        return {"text": body, "internal": internal, "mentions": list(mentions)}, internal

    return await record_step(actor, case_id, COMMENT_STEP, record, now=now)


async def retract_comment(
    actor: Actor, case_id: int, comment_seq: int, *, now: datetime | None = None
) -> Change:
    """The author takes their comment back: a trace stays, the text is shown no more."""

    async def record(ctx: StepContext) -> tuple[dict[str, Any], bool]:
        events = CaseEvent.filter(case_id=ctx.case.id).using_db(ctx.conn)
        original = await events.filter(seq=comment_seq, action=COMMENT_STEP).first()
        if original is None or (original.internal and not audience_of(actor).sees_internal):
            raise NotFound("评论不存在", field="commentSeq")
        if original.actor_kind != actor.kind or original.actor_id != actor.id:
            raise PermissionDenied("只能撤回自己的评论", field="commentSeq")
        earlier = await events.filter(action=RETRACT_COMMENT_STEP).values_list("payload", flat=True)
        if any(_retracted_seq(p) == comment_seq for p in earlier):
            raise ValidationFailed("该评论已撤回", field="commentSeq")
        return {"comment_seq": comment_seq}, original.internal

    return await record_step(actor, case_id, RETRACT_COMMENT_STEP, record, now=now)


async def _check_mentions(
    ctx: StepContext, facts: CaseFacts, mentions: Sequence[int], internal: bool
) -> None:
    """Every mentioned user may see the case and the comment; anyone else is refused, by
    name only when they may see the case (an id says nothing about who is behind it)."""
    if len(mentions) > MAX_MENTIONS:
        raise ValidationFailed(f"一条评论最多提及 {MAX_MENTIONS} 人", field=MENTIONS_FIELD)
    if ctx.actor.kind is ActorKind.USER and ctx.actor.id in mentions:
        raise ValidationFailed("不能提及自己", field=MENTIONS_FIELD)
    found = {p.id: p for p in await _people(ctx.conn, Q(id__in=list(mentions)))}
    for user_id in mentions:
        person = found.get(user_id)
        if person is None or not may_be_mentioned(person.audience, ctx.spec, facts, internal=False):
            raise ValidationFailed(
                "被提及的人员不存在或无权查看该案件，不能提及", field=MENTIONS_FIELD
            )
        if internal and not person.sees_internal:
            raise ValidationFailed(
                f"内部评论仅检察院一方可见，不能提及{person.name}", field=MENTIONS_FIELD
            )


async def mentionable_users(
    actor: Actor, spec: KindSpec, facts: CaseFacts, conn: BaseDBAsyncClient | None = None
) -> list[Mentionable]:
    """Who the actor may mention on the case (the @ picker): the active users who may see
    it — its parties' users and the Linkage Office — but the actor; procuratorate side first,
    at most ``USER_OPTIONS_MAX`` (anyone who may see the case may still be mentioned)."""
    units = sorted({p.unit_id for p in facts.parties})
    people = await _people(conn, Q(unit_id__in=units) | Q(role=Role.OFFICE_ADMIN))
    me = actor.id if actor.kind is ActorKind.USER else None
    shown = [
        p
        for p in people
        if p.id != me and may_be_mentioned(p.audience, spec, facts, internal=False)
    ]
    ordered = sorted(shown, key=lambda p: (not p.sees_internal, p.unit_name, p.name, p.id))
    return ordered[:USER_OPTIONS_MAX]


async def _people(conn: BaseDBAsyncClient | None, where: Q) -> list[Mentionable]:
    query = User.filter(where, is_active=True)
    rows = await (query.using_db(conn) if conn is not None else query).values_list(
        "id", "display_name", "role", "unit_id", "unit__name", "unit__side"
    )
    return [
        Mentionable(pk, name, Role(role), unit_id, unit_name, Side(side))
        for pk, name, role, unit_id, unit_name, side in rows
    ]


# ---- reading: what a comment shows once retracted ------------------------------------------


def _retracted_seq(payload: Any) -> int | None:
    value = payload.get("comment_seq") if isinstance(payload, Mapping) else None
    return value if isinstance(value, int) else None


def retractions(events: Iterable[CaseEvent]) -> dict[int, CaseEvent]:
    """Per retracted comment's sequence, the event that retracted it."""
    found: dict[int, CaseEvent] = {}
    for e in events:
        seq = _retracted_seq(e.payload) if e.action == RETRACT_COMMENT_STEP else None
        if seq is not None:
            found.setdefault(seq, e)
    return found


@dataclass(frozen=True, slots=True)
class ShownComment:
    """A comment as every viewer is shown it: without its text and mentions once retracted."""

    event: CaseEvent
    retraction: CaseEvent | None

    @property
    def text(self) -> str | None:
        return None if self.retraction is not None else str(self.event.payload.get("text", ""))

    @property
    def mentions(self) -> list[int]:
        if self.retraction is not None:
            return []
        return [m for m in self.event.payload.get("mentions", []) if isinstance(m, int)]


def shown_comments(events: Sequence[CaseEvent], *, sees_internal: bool) -> list[ShownComment]:
    """The case's comments a viewer may read (internal ones on the procuratorate side only),
    oldest first, from its events."""
    shown = [e for e in events if sees_internal or not e.internal]
    taken_back = retractions(shown)
    return [ShownComment(e, taken_back.get(e.seq)) for e in shown if e.action == COMMENT_STEP]


def shown_payload(event: CaseEvent, retracted: bool) -> dict[str, Any]:
    """An event's payload as shown: a retracted comment keeps only its flag and the trace."""
    if event.action != COMMENT_STEP or not retracted:
        return event.payload
    return {"text": "", "internal": bool(event.payload.get("internal")), "mentions": [],
            "retracted": True}  # fmt: skip
