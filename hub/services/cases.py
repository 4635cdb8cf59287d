"""The one write path for every kind: load what the actor may see, check the version and
the kind's rule, apply the step's data, save with its event in one transaction, publish."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from hub import clock
from hub.domain.engine import ClockStatus, Party, choose_transition
from hub.domain.errors import NotFound, PermissionDenied, ValidationFailed, VersionConflict
from hub.domain.kinds import CaseKind, KindSpec, PartyRole, Transition
from hub.domain.roles import ROLE_LABELS, Actor, ActorKind, Side
from hub.domain.visibility import audience_of
from hub.kinds.registry import spec_of
from hub.models import Case, CaseClock, CaseEvent, CaseParty
from hub.services import notifications, publish
from hub.services.events import append_event
from hub.services.text import clean_text
from hub.services.visibility import facts_of, visible_cases

# The case columns a step may change; the conditional UPDATE writes exactly these.
_MUTABLE = ("state", "title", "flags", "version", "updated_at", "closed_at", "internal_note")

# Inside ``steps_together``: the sequences to announce once the shared transaction commits.
_TOGETHER: ContextVar[list[int] | None] = ContextVar("hub_steps_together", default=None)


@asynccontextmanager
async def steps_together() -> AsyncIterator[None]:
    """Every step taken inside (of one case or several) commits in one transaction or none
    does; their events are announced after that commit. Steps inside run as savepoints."""
    if _TOGETHER.get() is not None:
        raise RuntimeError("steps_together() is already open")
    pending: list[int] = []
    token = _TOGETHER.set(pending)
    try:
        async with in_transaction():
            yield
    finally:
        _TOGETHER.reset(token)
    for seq in pending:
        await publish.announce(seq)


async def announce(seq: int) -> None:
    """Say the step's events are committed: now, or after ``steps_together`` commits."""
    pending = _TOGETHER.get()
    if pending is None:
        await publish.announce(seq)
    else:
        pending.append(seq)


@dataclass(frozen=True, slots=True)
class Change:
    """A committed step: the case as it now is and the event that recorded it."""

    case: Case
    event: CaseEvent


@dataclass
class StepContext:
    """What a step's ``apply`` works with, inside the step's transaction."""

    actor: Actor
    spec: KindSpec
    case: Case
    transition: Transition | None
    conn: BaseDBAsyncClient
    at: datetime
    parties: list[CaseParty]
    clocks: dict[str, CaseClock]
    started: set[str] = field(default_factory=set)  # clocks ``apply`` started itself
    # A state ``apply`` moves the case to instead of the transition's target, for a step
    # whose outcome depends on its data (the last recipient's acknowledgement).
    moves_to: str | None = None

    @property
    def today(self) -> date:
        return clock.business_date(self.at)


Apply = Callable[[StepContext], Awaitable[dict[str, Any] | None]]


async def _nothing(ctx: StepContext) -> dict[str, Any] | None:
    return None


async def load_visible(
    actor: Actor, case_id: int, conn: BaseDBAsyncClient, kind: CaseKind | None = None
) -> tuple[Case, list[CaseParty], dict[str, CaseClock]]:
    """The case if the actor may see it (and it is of ``kind``), else not found alike."""
    case = await visible_cases(audience_of(actor)).using_db(conn).get_or_none(id=case_id)
    if case is None or (kind is not None and case.kind != kind):
        label = spec_of(kind).label if kind is not None else "案件"
        raise NotFound(f"{label}不存在", field="id")
    parties = await CaseParty.filter(case_id=case.id).using_db(conn).order_by("id")
    clocks = {c.name: c for c in await CaseClock.filter(case_id=case.id).using_db(conn)}
    return case, list(parties), clocks


def _check_version(spec: KindSpec, case: Case, version: int) -> None:
    if case.version != version:
        raise VersionConflict(
            f"该{spec.label}已被他人修改（当前版本 {case.version}），请刷新后重试",
            current_version=case.version,
        )


async def take_step(
    actor: Actor,
    case_id: int,
    version: int,
    action: str,
    *,
    kind: CaseKind | None = None,
    apply: Apply = _nothing,
    comment: str = "",
    now: datetime | None = None,
) -> Change:
    """One lifecycle step of any kind, decided by the kind's transition table."""
    from hub.services.clocks import start_clock  # clocks use this module's context

    at = now or clock.now()
    comment = clean_text(comment, "comment", required=False, limit=2000)
    async with in_transaction() as conn:
        case, parties, clocks = await load_visible(actor, case_id, conn, kind)
        spec = spec_of(case.kind)
        _check_version(spec, case, version)
        facts = facts_of(case, parties, clocks.values())
        transition = choose_transition(spec, action, actor, facts, clock.business_date(at))
        ctx = StepContext(actor, spec, case, transition, conn, at, parties, clocks)
        from_state = case.state
        payload = await apply(ctx) or {}
        for name in transition.starts:
            if name not in ctx.started:
                clock_spec = spec.clock(name)
                await start_clock(ctx, name, ctx.today, clock_spec.default_rule)
        for name in transition.stops:
            if name in clocks and clocks[name].status is not ClockStatus.STOPPED:
                clocks[name].status = ClockStatus.STOPPED
                await clocks[name].save(using_db=conn, update_fields=["status"])
        if ctx.moves_to is not None:
            if ctx.moves_to not in transition.outcomes:
                raise ValueError(f"{spec.kind}.{action}: {ctx.moves_to!r} is not an outcome")
            case.state = ctx.moves_to
        elif transition.target is not None:
            case.state = transition.target
        if transition.sets:
            case.flags = ",".join(
                sorted(set(filter(None, case.flags.split(","))) | transition.sets)
            )
        event = await _save(ctx, version, from_state, action, comment, payload, transition.internal)
        await notifications.notify_event(conn, actor, case, event, facts)
    await announce(event.seq)
    return Change(case, event)


async def _save(
    ctx: StepContext,
    version: int,
    from_state: str | None,
    action: str,
    comment: str,
    payload: dict[str, Any],
    internal: bool,
) -> CaseEvent:
    case = ctx.case
    if case.state in ctx.spec.closed and case.closed_at is None:
        case.closed_at = ctx.at
    case.version = version + 1
    case.updated_at = ctx.at
    changed = {name: getattr(case, name) for name in _MUTABLE}
    updated = await Case.filter(id=case.id, version=version).using_db(ctx.conn).update(**changed)
    if updated != 1:  # a concurrent writer got there first
        raise VersionConflict(
            f"该{ctx.spec.label}已被他人修改，请刷新后重试", current_version=version
        )
    return await append_event(
        ctx.conn,
        case_id=case.id,
        action=action,
        from_state=from_state,
        to_state=case.state,
        version=case.version,
        actor=ctx.actor,
        at=ctx.at,
        comment=comment,
        payload=payload,
        internal=internal,
    )


# A step outside the kind's table that changes nothing of the case: it checks itself (in the
# step's transaction, the case as the actor may see it) and gives its payload and whether it
# is internal.
Record = Callable[[StepContext], Awaitable[tuple[dict[str, Any], bool]]]


async def record_step(
    actor: Actor, case_id: int, action: str, record: Record, *, now: datetime | None = None
) -> Change:
    """A step every kind has outside its table (a comment, its retraction): recorded like any
    step — in the history, live on the board, in the audit chain — but the case row is not
    written, so its version stays and no concurrent step becomes stale by it."""
    at = now or clock.now()
    async with in_transaction() as conn:
        # The row lock (PostgreSQL) orders this after a step in flight on the case, so the
        # event names the version the case has when it is written.
        await Case.filter(id=case_id).using_db(conn).select_for_update().only("id").first()
        case, parties, clocks = await load_visible(actor, case_id, conn)
        ctx = StepContext(actor, spec_of(case.kind), case, None, conn, at, parties, clocks)
        payload, internal = await record(ctx)
        event = await append_event(
            conn, case_id=case.id, action=action, from_state=case.state, to_state=case.state,
            version=case.version, actor=actor, at=at, payload=payload, internal=internal,
        )  # fmt: skip
        facts = facts_of(case, parties)
        await notifications.notify_event(conn, actor, case, event, facts)
    await announce(event.seq)
    return Change(case, event)


@dataclass(frozen=True, slots=True)
class NewCase:
    """The fields every kind has; the kind's own fields go in its ``detail`` callback."""

    case_no: str
    title: str
    parties: tuple[Party, ...] = ()
    internal_note: str = ""
    flags: frozenset[str] = frozenset()
    source_id: int | None = None


def ensure_may_create(actor: Actor, kind: CaseKind) -> KindSpec:
    """The kind's spec if ``actor`` may open a case of it: one of its ``create_roles``, on one
    of its ``create_sides`` (the author's unit becomes the issuer party)."""
    spec = spec_of(kind)
    if actor.role not in spec.create_roles or actor.side not in spec.create_sides:
        who = "、".join(ROLE_LABELS[r] for r in sorted(spec.create_roles))
        raise PermissionDenied(f"只有{who}可以{spec.action_label('create')}{spec.label}")
    return spec


async def create_case(
    actor: Actor,
    kind: CaseKind,
    new: NewCase,
    detail: Apply,
    *,
    now: datetime | None = None,
) -> Change:
    """Open a case of ``kind``: the author's unit is its issuer and the author its handler."""
    spec = ensure_may_create(actor, kind)
    at = now or clock.now()
    case_no = clean_text(new.case_no, spec.case_no_field, limit=64)
    title = clean_text(new.title, "title", limit=200)
    note = clean_text(new.internal_note, "internalNote", required=False)
    own = [Party(PartyRole.ISSUER, actor.unit_id)]
    if actor.kind is ActorKind.USER and spec.author_person is not None:
        own.append(Party(spec.author_person, actor.unit_id, actor.id))
    try:
        async with in_transaction() as conn:
            case = await Case.create(
                using_db=conn, kind=kind, case_no=case_no, title=title, state=spec.initial,
                flags=",".join(sorted(new.flags)), internal_note=note,
                author_id=actor.id if actor.kind is ActorKind.USER else None,
                source_id=new.source_id, created_at=at, updated_at=at,
            )  # fmt: skip
            parties = await add_parties(conn, case.id, [*own, *new.parties])
            ctx = StepContext(actor, spec, case, None, conn, at, parties, {})
            payload = await detail(ctx) or {}
            event = await append_event(
                conn, case_id=case.id, action="create", from_state=None, to_state=case.state,
                version=case.version, actor=actor, at=at, payload=payload,
                internal=spec.create_internal and actor.side is Side.PROCURATORATE,
            )  # fmt: skip
            await notifications.notify_event(conn, actor, case, event, None)
    except IntegrityError as exc:
        raise ValidationFailed(
            f"{spec.case_no_label} {case_no} 已存在", field=spec.case_no_field
        ) from exc
    await announce(event.seq)
    return Change(case, event)


async def add_parties(
    conn: BaseDBAsyncClient, case_id: int, parties: Iterable[Party]
) -> list[CaseParty]:
    rows = []
    for p in parties:
        row = await CaseParty.create(
            using_db=conn, case_id=case_id, role=p.role, unit_id=p.unit_id, user_id=p.user_id
        )
        rows.append(row)
    return rows


async def update_draft(
    actor: Actor,
    case_id: int,
    version: int,
    kind: CaseKind,
    *,
    title: str | None,
    internal_note: str | None,
    apply: Apply,
    now: datetime | None = None,
) -> Change:
    """The author edits a draft (or one the chief returned for revision)."""
    at = now or clock.now()
    async with in_transaction() as conn:
        case, parties, clocks = await load_visible(actor, case_id, conn, kind)
        spec = spec_of(case.kind)
        _check_version(spec, case, version)
        if case.state not in spec.draft_states:
            raise ValidationFailed(f"只有草稿状态的{spec.label}可以修改", field="id")
        if actor.kind is not ActorKind.USER or case.author_id != actor.id:
            raise PermissionDenied(f"只有起草人可以修改该{spec.label}")
        if title is not None:
            case.title = clean_text(title, "title", limit=200)
        if internal_note is not None:
            case.internal_note = clean_text(internal_note, "internalNote", required=False)
        ctx = StepContext(actor, spec, case, None, conn, at, parties, clocks)
        payload = await apply(ctx) or {}
        event = await _save(ctx, version, case.state, "update", "", payload, True)
    await announce(event.seq)
    return Change(case, event)
