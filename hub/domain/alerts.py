"""Reply-deadline alerts as data: which level is due for a case, who receives it, what it says.

Pure rules, no I/O. The worker (``hub.alerts``) reads cases and people from the database,
asks these functions, and records the answer in the outbox before any email is sent.

A case awaiting a reply is at most at one level on a given day (``d`` = days from today to
the last day to reply):

- DUE_SOON, ``0 <= d <= 3``: the addressee unit's liaison officer(s) and the prosecutor.
- OVERDUE, ``-6 <= d <= -1`` (from the day after the deadline): the same people.
- ESCALATION, ``d <= -7`` (still overdue 7 days after it): the same, plus the Linkage Office
  and the issuing procuratorate's approver.

Each level is sent once per deadline version: a recomputed deadline may alert again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from hub.domain.engine import ClockFacts, ClockStatus

DUE_SOON_DAYS = 3  # a reminder when the reply is due within this many days (0 = due today)
ESCALATE_AFTER_DAYS = 7  # escalate when still overdue this many days after the deadline


class AlertLevel(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ESCALATION = "escalation"


ALERT_LEVEL_LABELS: dict[AlertLevel, str] = {
    AlertLevel.DUE_SOON: "即将到期提醒",
    AlertLevel.OVERDUE: "逾期提醒",
    AlertLevel.ESCALATION: "逾期督办",
}


class RecipientRole(StrEnum):
    """How a recipient relates to the case."""

    LIAISON = "liaison"  # a liaison officer (联络员) of the addressee unit
    PROSECUTOR = "prosecutor"  # the handling prosecutor (承办检察官)
    OFFICE = "office"  # the Linkage Office (府检联动办公室)
    APPROVER = "approver"  # the issuing procuratorate's approver (检察长)


RECIPIENT_ROLE_LABELS: dict[RecipientRole, str] = {
    RecipientRole.LIAISON: "被建议单位联络员",
    RecipientRole.PROSECUTOR: "承办检察官",
    RecipientRole.OFFICE: "府检联动办公室",
    RecipientRole.APPROVER: "检察长",
}

# Who receives each level, in the order the emails are written.
RECIPIENTS: dict[AlertLevel, tuple[RecipientRole, ...]] = {
    AlertLevel.DUE_SOON: (RecipientRole.LIAISON, RecipientRole.PROSECUTOR),
    AlertLevel.OVERDUE: (RecipientRole.LIAISON, RecipientRole.PROSECUTOR),
    AlertLevel.ESCALATION: (
        RecipientRole.LIAISON,
        RecipientRole.PROSECUTOR,
        RecipientRole.OFFICE,
        RecipientRole.APPROVER,
    ),
}


def scan_horizon(today: date) -> date:
    """Cases whose deadline is before this day may have an alert due (a SQL filter)."""
    return today + timedelta(days=DUE_SOON_DAYS + 1)


def due_range(level: AlertLevel, today: date) -> tuple[date | None, date]:
    """The deadlines (first, last, inclusive; None: unbounded) at ``level`` today.

    The same rule as ``alert_level``, as a range a SQL filter can use.
    """
    match level:
        case AlertLevel.DUE_SOON:
            return today, today + timedelta(days=DUE_SOON_DAYS)
        case AlertLevel.OVERDUE:
            return today - timedelta(days=ESCALATE_AFTER_DAYS - 1), today - timedelta(days=1)
        case AlertLevel.ESCALATION:
            return None, today - timedelta(days=ESCALATE_AFTER_DAYS)


def alert_level(clock: ClockFacts, today: date) -> AlertLevel | None:
    """The one level due for this clock today, or None when no alert is due."""
    if clock.status is not ClockStatus.RUNNING or clock.due_on is None:
        return None
    days_left = (clock.due_on - today).days
    if days_left > DUE_SOON_DAYS:
        return None
    if days_left >= 0:
        return AlertLevel.DUE_SOON
    if -days_left >= ESCALATE_AFTER_DAYS:
        return AlertLevel.ESCALATION
    return AlertLevel.OVERDUE


def still_applies(level: AlertLevel, facts: ClockFacts, today: date) -> bool:
    """Whether an alert decided earlier still says something true (checked before sending).

    A reply, an objection or a new deadline makes it moot, and so does a later level: when
    the email waited for an SMTP server long enough, the newer alert replaces it.
    """
    return alert_level(facts, today) is level


@dataclass(frozen=True, slots=True)
class Person:
    user_id: int
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class CasePeople:
    """Everyone who could receive an alert about one case (only people with an email)."""

    liaisons: tuple[Person, ...] = ()
    prosecutor: Person | None = None
    office: tuple[Person, ...] = ()
    approvers: tuple[Person, ...] = ()

    def having(self, role: RecipientRole) -> tuple[Person, ...]:
        match role:
            case RecipientRole.LIAISON:
                return self.liaisons
            case RecipientRole.PROSECUTOR:
                return (self.prosecutor,) if self.prosecutor else ()
            case RecipientRole.OFFICE:
                return self.office
            case RecipientRole.APPROVER:
                return self.approvers


@dataclass(frozen=True, slots=True)
class Recipient:
    role: RecipientRole
    person: Person


def recipients(level: AlertLevel, people: CasePeople) -> list[Recipient]:
    """Who receives ``level``: one email per address, under the first role that names it."""
    seen: set[str] = set()
    result: list[Recipient] = []
    for role in RECIPIENTS[level]:
        for person in people.having(role):
            address = normalize_email(person.email)
            if not address or address in seen:
                continue
            seen.add(address)
            result.append(Recipient(role, person))
    return result


def normalize_email(address: str) -> str:
    return address.strip().lower()


def dedupe_key(recommendation_id: int, deadline_version: int, level: AlertLevel, email: str) -> str:
    """The outbox's unique key: deciding the same alert twice inserts it once."""
    return f"{recommendation_id}:{deadline_version}:{level.value}:{normalize_email(email)}"


@dataclass(frozen=True, slots=True)
class AlertContent:
    """What an alert email says about a case."""

    doc_no: str
    title: str
    addressee_unit: str
    reply_due: date
    due_explanation: str
    link: str


_SUBJECTS: dict[AlertLevel, str] = {
    AlertLevel.DUE_SOON: "【府检联动】检察建议回复即将到期：{doc_no}",
    AlertLevel.OVERDUE: "【府检联动】检察建议回复已逾期：{doc_no}",
    AlertLevel.ESCALATION: "【府检联动】检察建议逾期未回复，提请督办：{doc_no}",
}


def render_subject(level: AlertLevel, content: AlertContent) -> str:
    return _SUBJECTS[level].format(doc_no=content.doc_no)


def _status_line(level: AlertLevel, content: AlertContent, today: date) -> str:
    days_left = (content.reply_due - today).days
    if level is AlertLevel.DUE_SOON:
        if days_left == 0:
            return "回复期限为今日，请于今日内提交书面整改回复。"
        return f"距回复期限还有 {days_left} 日，请按期提交书面整改回复。"
    overdue = -days_left
    if level is AlertLevel.OVERDUE:
        return f"回复期限已过，已逾期 {overdue} 日，尚未收到书面整改回复。"
    return f"回复期限已过 {overdue} 日，仍未收到书面整改回复，现提请府检联动办公室和检察长督办。"


def render_body(level: AlertLevel, content: AlertContent, recipient: Recipient, today: date) -> str:
    lines = [
        f"{recipient.person.name}：",
        "",
        _status_line(level, content, today),
        "",
        f"文号：{content.doc_no}",
        f"标题：{content.title}",
        f"被建议单位：{content.addressee_unit}",
        f"回复期限：{content.reply_due.isoformat()}",
        f"期限说明：{content.due_explanation}",
        "",
        "查看并处理：",
        content.link,
        "",
        f"您收到本邮件，是因为您是该检察建议的{RECIPIENT_ROLE_LABELS[recipient.role]}。",
        "本邮件由府检联动平台自动发送，请勿直接回复。",
    ]
    return "\n".join(lines) + "\n"
