"""Tortoise models, one module per aggregate; each kind's own models are in ``hub.kinds``."""

from hub.models.account import ApiToken, LoginThrottle, Session, User
from hub.models.board import BoardView, Notification
from hub.models.calendar import CalendarDay, CalendarYear
from hub.models.case import Case, CaseClock, CaseParty, ClockAdjustment
from hub.models.event import CaseEvent, EventCounter
from hub.models.outbox import OutboxEmail, OutboxStatus
from hub.models.unit import Unit

__all__ = [
    "ApiToken",
    "BoardView",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseClock",
    "CaseEvent",
    "CaseParty",
    "ClockAdjustment",
    "EventCounter",
    "LoginThrottle",
    "Notification",
    "OutboxEmail",
    "OutboxStatus",
    "Session",
    "Unit",
    "User",
]
