"""Tortoise models, one module per aggregate; Tortoise discovers them from this package."""

from hub.models.account import ApiToken, Session, User
from hub.models.calendar import CalendarDay, CalendarYear
from hub.models.event import CaseEvent, EventCounter
from hub.models.outbox import OutboxEmail, OutboxStatus
from hub.models.recommendation import (
    Completeness,
    Objection,
    ObjectionDecision,
    Recommendation,
    RecommendationType,
    Reply,
    ReplyDecision,
    ServiceMethod,
)
from hub.models.unit import Unit

__all__ = [
    "ApiToken",
    "CalendarDay",
    "CalendarYear",
    "CaseEvent",
    "Completeness",
    "EventCounter",
    "Objection",
    "ObjectionDecision",
    "OutboxEmail",
    "OutboxStatus",
    "Recommendation",
    "RecommendationType",
    "Reply",
    "ReplyDecision",
    "ServiceMethod",
    "Session",
    "Unit",
    "User",
]
