"""Who is notified of what, in the page's notification centre. Pure rules, no I/O.

Four things concern a user (``Topic``):

- ADDRESSED: a case is addressed (created, served, forwarded) to their unit: every user of a
  unit that could not see the case before the step and can after it, other than the unit that
  took the step.
- STEP: the other side took a step on their case. A step by the government side (a reply came
  in) reaches the procuratorate side's person parties of the case (the handling prosecutor,
  the handler), or, where the case names none, the prosecutors of its procuratorate parties.
  A step by the procuratorate side reaches the liaison officers of every government unit party
  and the government side's person parties.
- OVERDUE: a case of theirs became overdue: the recipients of its overdue alert (the alert
  scan decides them, ``hub.domain.alerts``).
- MENTION: a comment (action ``comment``) mentions them.

Whatever the topic, nobody is told of their own step, and a user is notified only of what they
may see: the case under the one visibility rule (``hub.domain.visibility``), and an internal
step or comment only on the procuratorate side. One notification per user and event: the
first topic that applies, in the order MENTION, ADDRESSED, STEP.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from hub.domain.engine import CaseFacts
from hub.domain.kinds import COMMENT_STEP, PERSON_PARTIES, KindSpec
from hub.domain.roles import Actor, ActorKind, Role, Side
from hub.domain.visibility import audience_of, can_see

COMMENT_ACTION = COMMENT_STEP
TEXT_LIMIT = 255  # notification.text
MAX_MENTIONS = 50


class Topic(StrEnum):
    ADDRESSED = "addressed"
    STEP = "step"
    OVERDUE = "overdue"
    MENTION = "mention"


TOPIC_LABELS: Mapping[Topic, str] = MappingProxyType(
    {
        Topic.ADDRESSED: "新案件",
        Topic.STEP: "对方办理",
        Topic.OVERDUE: "已逾期",
        Topic.MENTION: "提到了您",
    }
)


@dataclass(frozen=True, slots=True)
class Person:
    """A user who might be notified, as the visibility rule sees them."""

    user_id: int
    name: str
    role: Role
    unit_id: int
    side: Side

    @property
    def actor(self) -> Actor:
        return Actor(ActorKind.USER, self.user_id, self.name, self.role, self.unit_id, self.side)


@dataclass(frozen=True, slots=True)
class CaseLabel:
    """How a notification names its case."""

    kind_label: str
    case_no: str
    title: str


@dataclass(frozen=True, slots=True)
class Step:
    """The event a notification may be about."""

    action: str
    action_label: str
    internal: bool
    actor: Actor
    actor_unit_name: str
    mentions: tuple[int, ...] = ()
    # A lifecycle step (or the creation); other recorded actions (a comment's retraction, a
    # draft's edit) notify nobody, a comment only those it mentions.
    lifecycle: bool = True


@dataclass(frozen=True, slots=True)
class Notice:
    user_id: int
    topic: Topic
    text: str


def may_notify(person: Person, spec: KindSpec, facts: CaseFacts, *, internal: bool) -> bool:
    """Whether ``person`` may be told of this case (and, if ``internal``, of an internal step)."""
    audience = audience_of(person.actor)
    if internal and not audience.sees_internal:
        return False
    return can_see(audience, spec, facts)


def mentions_of(payload: Mapping[str, Any] | None) -> tuple[int, ...]:
    """The user ids a comment's payload mentions (``{"mentions": [ids]}``), each once, in order;
    anything that is not a positive integer id is ignored."""
    raw = (payload or {}).get("mentions")
    if not isinstance(raw, list | tuple):
        return ()
    seen: dict[int, None] = {}
    for value in raw[: MAX_MENTIONS * 2]:
        if isinstance(value, bool):
            continue
        if isinstance(value, str) and value.isdigit():
            value = int(value)
        if isinstance(value, int) and value > 0:
            seen.setdefault(value, None)
    return tuple(seen)[:MAX_MENTIONS]


def _clip(text: str) -> str:
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"


def addressed_text(case: CaseLabel) -> str:
    return _clip(f"新案件送达本单位：{case.kind_label} {case.case_no}（{case.title}）")


def step_text(step: Step, case: CaseLabel) -> str:
    return _clip(f"{step.actor_unit_name}{step.action_label}：{case.kind_label} {case.case_no}")


def mention_text(step: Step, case: CaseLabel) -> str:
    return _clip(f"{step.actor.name}在 {case.kind_label} {case.case_no} 中提到了您")


def overdue_text(case: CaseLabel, clock_label: str) -> str:
    return _clip(f"{case.kind_label} {case.case_no} 已逾期（{clock_label}）")


def _newly_addressed_units(
    spec: KindSpec, before: CaseFacts | None, after: CaseFacts, people: Sequence[Person]
) -> set[int]:
    """Units that see the case after the step and did not before it."""
    units = {p.unit_id for p in after.parties}
    found = set()
    for unit_id in units:
        side = next((p.side for p in people if p.unit_id == unit_id), None)
        if side is None:
            continue
        unit_view = Actor(ActorKind.USER, 0, "", Role.VIEWER, unit_id, side)
        audience = audience_of(unit_view)
        if can_see(audience, spec, after) and (
            before is None or not can_see(audience, spec, before)
        ):
            found.add(unit_id)
    return found


def _step_recipients(step: Step, after: CaseFacts, people: Sequence[Person]) -> list[Person]:
    """The other side's people of the case: its person parties, the liaisons of government
    unit parties (for a procuratorate step), the prosecutors of procuratorate unit parties
    where the case names no procuratorate person (for a government step)."""
    other = Side.GOVERNMENT if step.actor.side is Side.PROCURATORATE else Side.PROCURATORATE
    by_id = {p.user_id: p for p in people}
    persons = [
        by_id[party.user_id]
        for party in after.parties
        if party.role in PERSON_PARTIES and party.user_id in by_id
    ]
    chosen = [p for p in persons if p.side is other]
    units = {party.unit_id for party in after.parties if party.role not in PERSON_PARTIES}
    if other is Side.GOVERNMENT:
        chosen += [p for p in people if p.unit_id in units and p.role is Role.UNIT_LIAISON
                   and p.side is other]  # fmt: skip
    elif not chosen:
        chosen += [p for p in people if p.unit_id in units and p.role is Role.PROSECUTOR
                   and p.side is other]  # fmt: skip
    return chosen


def event_notices(
    spec: KindSpec,
    step: Step,
    before: CaseFacts | None,
    after: CaseFacts,
    people: Iterable[Person],
    case: CaseLabel,
) -> list[Notice]:
    """Who is notified of one event (``before`` None: the case was just created), and what
    each is told. ``people``: the active users who might be (the users of the case's units,
    its person parties, those mentioned); the rules pick among them."""
    people = list(people)
    notices: dict[int, Notice] = {}

    def offer(person: Person, topic: Topic, text: str) -> None:
        if person.user_id in notices:
            return
        if step.actor.kind is ActorKind.USER and person.user_id == step.actor.id:
            return  # never one's own step
        if may_notify(person, spec, after, internal=step.internal):
            notices[person.user_id] = Notice(person.user_id, topic, text)

    if step.action == COMMENT_ACTION:
        by_id = {p.user_id: p for p in people}
        for user_id in step.mentions:
            if user_id in by_id:
                offer(by_id[user_id], Topic.MENTION, mention_text(step, case))
        return list(notices.values())
    if not step.lifecycle:
        return []
    addressed = _newly_addressed_units(spec, before, after, people) - {step.actor.unit_id}
    for person in people:
        if person.unit_id in addressed:
            offer(person, Topic.ADDRESSED, addressed_text(case))
    for person in _step_recipients(step, after, people):
        offer(person, Topic.STEP, step_text(step, case))
    return list(notices.values())


def overdue_notices(
    spec: KindSpec,
    facts: CaseFacts,
    recipients: Iterable[Person],
    case: CaseLabel,
    clock_label: str,
) -> list[Notice]:
    """The overdue notification for each recipient of the overdue alert who may see the case."""
    notices: dict[int, Notice] = {}
    for person in recipients:
        if person.user_id not in notices and may_notify(person, spec, facts, internal=False):
            notices[person.user_id] = Notice(
                person.user_id, Topic.OVERDUE, overdue_text(case, clock_label)
            )
    return list(notices.values())


def event_key(seq: int, user_id: int) -> str:
    """One notification per event and user."""
    return f"event:{seq}:{user_id}"


def overdue_key(case_id: int, clock: str, version: int, user_id: int) -> str:
    """One overdue notification per clock version and user, however many levels it reaches."""
    return f"overdue:{case_id}:{clock}:{version}:{user_id}"
