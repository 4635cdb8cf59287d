"""Deadline alerts as data: which level a clock is at today, who receives it, what it says.

Pure rules, no I/O. Each kind declares, per clock, an ``AlertPolicy`` (``hub.domain.kinds``):
its thresholds, its recipients in terms of the case's parties, its wording. The worker
(``hub.alerts``) reads clocks, parties and people from the database, asks these functions,
and records the answer in the outbox before any email is sent.

A counting clock is at most at one level on a given day (``d`` = days from today to its last
day; the recommendation's reply clock as the example):

- DUE_SOON, ``0 <= d <= due_soon_days`` (3): the addressee's liaisons and the prosecutor.
- OVERDUE, from the day after the last day (``-6 <= d <= -1``): the same people.
- ESCALATION, ``-d >= escalate_after_days`` (7): the same, plus the Linkage Office and the
  issuing procuratorate's approver.

Each level is sent once per clock version: a recomputed deadline may alert again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from hub.domain.dates import text_date
from hub.domain.engine import ClockFacts, ClockStatus, Party
from hub.domain.kinds import (
    PARTY_LABELS,
    AlertPolicy,
    AlertRecipient,
    AlertWording,
    PartyRole,
    RecipientRole,
)

__all__ = [
    "AGENCY_PARTIES",
    "ALERT_LEVEL_LABELS",
    "AlertContent",
    "AlertLevel",
    "Directory",
    "Person",
    "Recipient",
    "RecipientRole",
    "alert_level",
    "case_link",
    "dedupe_key",
    "due_range",
    "level_ranges",
    "normalize_email",
    "recipients",
    "render_body",
    "render_subject",
    "scan_horizon",
    "still_applies",
]


class AlertLevel(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ESCALATION = "escalation"


ALERT_LEVEL_LABELS: Mapping[AlertLevel, str] = MappingProxyType(
    {
        AlertLevel.DUE_SOON: "即将到期提醒",
        AlertLevel.OVERDUE: "逾期提醒",
        AlertLevel.ESCALATION: "逾期督办",
    }
)

# The agency a case is about; its name is a line of every alert email.
AGENCY_PARTIES = (PartyRole.ADDRESSEE, PartyRole.RESPONDENT)


def due_range(policy: AlertPolicy, level: AlertLevel, today: date) -> tuple[date | None, date]:
    """The last days (first, last, inclusive; None: unbounded) of clocks at ``level`` today.

    The same rule as ``alert_level``, as a range a SQL filter can use; empty (first > last)
    when the policy has no such level.
    """
    never = (today, today - timedelta(days=1))
    soon, escalate = policy.due_soon_days, policy.escalate_after_days
    match level:
        case AlertLevel.DUE_SOON:
            return never if soon is None else (today, today + timedelta(days=soon))
        case AlertLevel.OVERDUE:
            first = None if escalate is None else today - timedelta(days=escalate - 1)
            return first, today - timedelta(days=1)
        case AlertLevel.ESCALATION:
            return never if escalate is None else (None, today - timedelta(days=escalate))


def level_ranges(policy: AlertPolicy, today: date) -> list[tuple[AlertLevel, date | None, date]]:
    """The policy's non-empty levels today with their ranges, latest last day first."""
    ranges = []
    for level in AlertLevel:
        first, last = due_range(policy, level, today)
        if first is None or first <= last:
            ranges.append((level, first, last))
    return ranges


def scan_horizon(policy: AlertPolicy, today: date) -> date:
    """Clocks whose last day is before this day may have an alert due (a SQL filter)."""
    soon = policy.due_soon_days
    return today + timedelta(days=soon + 1) if soon is not None else today


def alert_level(policy: AlertPolicy, clock: ClockFacts, today: date) -> AlertLevel | None:
    """The one level due for this clock today, or None when no alert is due.

    ``clock`` is the clock as the rules see it (``hub.domain.engine.clock_facts``): one that
    does not count in the case's state is not running.
    """
    if clock.status is not ClockStatus.RUNNING or clock.due_on is None:
        return None
    days_left = (clock.due_on - today).days
    if days_left >= 0:
        soon = policy.due_soon_days
        return AlertLevel.DUE_SOON if soon is not None and days_left <= soon else None
    escalate = policy.escalate_after_days
    if escalate is not None and -days_left >= escalate:
        return AlertLevel.ESCALATION
    return AlertLevel.OVERDUE


def still_applies(policy: AlertPolicy, level: AlertLevel, clock: ClockFacts, today: date) -> bool:
    """Whether an alert decided earlier still says something true (checked before sending).

    A clock that stopped or no longer counts (a reply, an objection under review) makes it
    moot, and so does a later level: when the email waited for an SMTP server long enough,
    the newer alert replaces it. A moved deadline is a new clock version (the caller checks).
    """
    return alert_level(policy, clock, today) is level


@dataclass(frozen=True, slots=True)
class Person:
    user_id: int
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class Recipient:
    role: RecipientRole
    person: Person
    label: str  # the relation the email names: 被建议单位联络员, 承办检察官, 检察长 …


@dataclass(frozen=True, slots=True)
class Directory:
    """The people alerts can go to (active users with an email), by what they are."""

    by_id: Mapping[int, Person] = field(default_factory=dict)
    liaisons: Mapping[int, tuple[Person, ...]] = field(default_factory=dict)  # by unit id
    approvers: Mapping[int, tuple[Person, ...]] = field(default_factory=dict)  # by unit id
    office: tuple[Person, ...] = ()

    def resolve(
        self,
        who: AlertRecipient,
        parties: Sequence[Party],
        labels: Mapping[PartyRole, str] = PARTY_LABELS,
    ) -> list[Recipient]:
        """The people ``who`` names in a case with these parties, in party order; ``labels``
        words the parties as the case's kind does."""
        if who.role is RecipientRole.OFFICE:
            label = who.label or labels[PartyRole.OFFICE]
            return [Recipient(who.role, p, label) for p in self.office]
        found: list[Recipient] = []
        for role in who.parties:
            for party in parties:
                if party.role is not role:
                    continue
                if who.role is RecipientRole.PROSECUTOR:
                    person = self.by_id.get(party.user_id) if party.user_id else None
                    people: tuple[Person, ...] = (person,) if person else ()
                    label = who.label or labels[role]
                elif who.role is RecipientRole.LIAISON:
                    people = self.liaisons.get(party.unit_id, ())
                    label = who.label or f"{labels[role]}联络员"
                else:
                    people = self.approvers.get(party.unit_id, ())
                    label = who.label or "检察长"
                found.extend(Recipient(who.role, p, label) for p in people)
        return found


def recipients(
    policy: AlertPolicy,
    level: AlertLevel,
    directory: Directory,
    parties: Sequence[Party],
    labels: Mapping[PartyRole, str] = PARTY_LABELS,
) -> list[Recipient]:
    """Who receives ``level``: one email per address, under the first recipient naming it."""
    whom = policy.recipients
    if level is AlertLevel.ESCALATION:
        whom += policy.escalation_recipients
    seen: set[str] = set()
    result: list[Recipient] = []
    for who in whom:
        for recipient in directory.resolve(who, parties, labels):
            address = normalize_email(recipient.person.email)
            if not address or address in seen:
                continue
            seen.add(address)
            result.append(recipient)
    return result


def normalize_email(address: str) -> str:
    return address.strip().lower()


def dedupe_key(case_id: int, clock: str, version: int, level: AlertLevel, email: str) -> str:
    """The outbox's unique key: deciding the same alert twice inserts it once."""
    return f"{case_id}:{clock}:{version}:{level.value}:{normalize_email(email)}"


def case_link(base_url: str, global_id: str) -> str:
    """The case in the app: ``{base_url}/#/case/{GlobalID}``."""
    return f"{base_url.rstrip('/')}/#/case/{global_id}"


@dataclass(frozen=True, slots=True)
class AlertContent:
    """What an alert email says about one clock of one case."""

    kind_label: str  # 检察建议
    case_no_label: str  # 文号
    case_no: str
    title: str
    agencies: tuple[tuple[str, str], ...]  # (party label, unit name): 被建议单位 市生态环境局
    clock_label: str  # 回复期限
    due_on: date
    due_explanation: str
    link: str
    wording: AlertWording


def _fill(template: str, content: AlertContent, days: int = 0) -> str:
    return template.format(
        kind=content.kind_label, clock=content.clock_label, case_no=content.case_no, days=days
    )


def render_subject(level: AlertLevel, content: AlertContent) -> str:
    words = content.wording
    template = {
        AlertLevel.DUE_SOON: words.due_soon_subject,
        AlertLevel.OVERDUE: words.overdue_subject,
        AlertLevel.ESCALATION: words.escalation_subject,
    }[level]
    return _fill(template, content)


def _status_line(level: AlertLevel, content: AlertContent, today: date) -> str:
    words = content.wording
    days_left = (content.due_on - today).days
    if level is AlertLevel.DUE_SOON:
        return _fill(words.due_in if days_left else words.due_today, content, days_left)
    template = words.overdue if level is AlertLevel.OVERDUE else words.escalation
    return _fill(template, content, -days_left)


def render_body(level: AlertLevel, content: AlertContent, recipient: Recipient, today: date) -> str:
    lines = [
        f"{recipient.person.name}：",
        "",
        _status_line(level, content, today),
        "",
        f"{content.case_no_label}：{content.case_no}",
        f"标题：{content.title}",
        *(f"{label}：{name}" for label, name in content.agencies),
        f"{content.clock_label}：{text_date(content.due_on)}",
        f"期限说明：{content.due_explanation}",
        "",
        "查看并处理：",
        content.link,
        "",
        f"您收到本邮件，是因为您是该{content.kind_label}的{recipient.label}。",
        "本邮件由府检联动平台自动发送，请勿直接回复。",
    ]
    return "\n".join(lines) + "\n"
