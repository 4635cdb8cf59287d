"""The database side of the one visibility rule in ``hub.domain.visibility``."""

from __future__ import annotations

from typing import Any

from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from hub.domain.lifecycle import CaseFacts
from hub.domain.roles import Actor
from hub.domain.visibility import Audience, CaseScope, audience_of, case_scope
from hub.models import CaseEvent, Recommendation


def scope_q(scope: CaseScope, prefix: str = "") -> Q:
    """``scope`` as a filter on recommendations (``prefix`` reaches them through a relation)."""
    if scope.everything:
        return Q()
    conditions: dict[str, Any] = {}
    if scope.issuer_unit_id is not None:
        conditions[f"{prefix}issuer_unit_id"] = scope.issuer_unit_id
    if scope.addressee_unit_id is not None:
        conditions[f"{prefix}addressee_unit_id"] = scope.addressee_unit_id
    if scope.states is not None:
        conditions[f"{prefix}state__in"] = sorted(scope.states)
    return Q(**conditions)


def visible_recommendations(audience: Audience) -> QuerySet[Recommendation]:
    return Recommendation.filter(scope_q(case_scope(audience)))


def visible_events(audience: Audience) -> QuerySet[CaseEvent]:
    query = CaseEvent.filter(scope_q(case_scope(audience), prefix="recommendation__"))
    return query if audience.sees_internal else query.filter(internal=False)


def facts_of(rec: Recommendation) -> CaseFacts:
    return CaseFacts(rec.state, rec.issuer_unit_id, rec.addressee_unit_id, rec.reply_due)


def can_see(actor: Actor, rec: Recommendation) -> bool:
    return case_scope(audience_of(actor)).matches(facts_of(rec))
