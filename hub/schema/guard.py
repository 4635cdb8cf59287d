"""The schema extension that prices every operation and refuses it before any resolver runs.

Per request, after validation and before execution: the boundary's input checks
(``hub.schema.limits``), the static cost (``hub.schema.cost``) against the per-request maximum
(``COST_EXCEEDED``), then the caller's budget for this minute (``RATE_LIMITED``;
``hub.services.budget``). A refused operation executes nothing: its result is the error alone.
Every query and mutation response carries ``extensions.cost``: ``requested`` (this
operation's cost; 0 when it never got that far), ``remaining`` and ``reset`` (when the
caller's minute ends), plus ``limit`` and ``maximum``. Subscriptions are priced once, when
they start; their events carry no cost (they are shared by many sockets).

Errors of the GraphQL layer itself (syntax, validation, the depth/alias/token limiters) get a
code here too: ``LIMIT_EXCEEDED`` or ``VALIDATION_FAILED``.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from typing import Any

from graphql import ExecutionResult as GraphQLExecutionResult
from graphql import GraphQLError, GraphQLSchema
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from hub.domain.comments import MAX_MENTIONS
from hub.domain.errors import HubError
from hub.domain.kinds import USER_OPTIONS_MAX, FieldType, FormField
from hub.domain.roles import ActorKind
from hub.kinds import registry
from hub.kinds.task_measure.report_schema import COST_SIZES as TASK_REPORT_SIZES
from hub.schema.cost import CostModel, introspection_sizes, operation_of, query_cost
from hub.schema.limits import (
    LIMIT_EXCEEDED,
    VALIDATION_FAILED,
    InputLimits,
    boundary_error,
    check_literals,
    check_variables,
)
from hub.schema.statistics import COST_SIZES as STATISTICS_SIZES
from hub.services.budget import Budget, Spend, create_budget
from hub.services.bulk import MAX_CASES as BULK_MAX_CASES
from hub.settings import Settings

log = logging.getLogger(__name__)
COST_EXCEEDED = "COST_EXCEEDED"
RATE_LIMITED = "RATE_LIMITED"
_LIMIT_MESSAGES = ("maximum operation depth", "aliases found", "tokens. Parsing aborted")
_LITERAL_CACHE = 512


def form_sizes() -> dict[str, int]:
    """The largest forms the kinds' specs hold: fields per form, options per field, fields
    per row of a LIST field, deadline rules per clock (a form is served as the spec says; a
    USER field offers up to ``USER_OPTIONS_MAX`` people)."""
    forms = [t.form for s in registry.SPECS for t in s.transitions]
    forms += [s.create_form for s in registry.SPECS if s.create_form is not None]
    fields = [f for form in forms for f in form.fields]
    rows = [r for f in fields for r in f.fields]
    rules = [len(rs.rules) for s in registry.SPECS for c in s.clocks for rs in c.rule_sets]
    return {
        "ActionForm.fields": max(1, max((len(form.fields) for form in forms), default=1)),
        "FormField.fields": max(1, max((len(f.fields) for f in fields), default=1)),
        "FormField.options": max(1, max((_options(f) for f in [*fields, *rows]), default=1)),
        "FormField.rules": max(1, max(rules, default=1)),
        "ActionForm.fixed": max(1, max((len(form.fixed) for form in forms), default=1)) + 1,
    }


def _options(f: FormField) -> int:
    return USER_OPTIONS_MAX if f.type is FieldType.USER else len(f.options)


def kind_sizes() -> dict[str, int]:
    """The largest sizes the kinds' specs allow for a case's small lists."""
    specs = registry.SPECS
    per_state = [
        len({t.action for t in s.transitions if state in t.sources})
        for s in specs
        for state in s.states
    ]
    actions = max(per_state, default=1)
    return {
        "availableActions": max(1, actions),
        "clocks": max(1, max((len(s.clocks) for s in specs), default=1)),
        "columns": max(1, max((len(s.columns) for s in specs), default=1)),
        **form_sizes(),
        "Query.kinds": len(specs),
    }


def cost_model(settings: Settings) -> CostModel:
    sizes = {
        **kind_sizes(),
        **STATISTICS_SIZES,
        **TASK_REPORT_SIZES,
        "parties": 10,
        "Query.units": 100,  # 2 convening bodies, 28 members and the other responsible units
        "fields": 30,  # a form's fields
        "options": 100,  # a choice among the units at most
        "rules": 20,
        "fixed": 10,
        "targets": 10,
        "facts": 30,  # a detail section's facts
        "mentionableUsers": USER_OPTIONS_MAX,  # a case's parties' staff and the Office
        "mentions": MAX_MENTIONS,
        "TakeStepsSuccess.results": BULK_MAX_CASES,  # one per case of a batch
    }
    # Measured with bench/worst_query.py: a case fetched through a connection or node costs
    # as much loop time as some hundreds of plain field values (its rows, parties, clocks,
    # view); a board card (only the selected columns, loaded in bulk), a unit, a form a few.
    weights = {spec.graphql_type: settings.cost_case_weight for spec in registry.SPECS}
    weights |= {
        "Case": settings.cost_case_weight,
        "Board.cards": 10,
        "BoardColumnInfo.cards": 10,
        "BoardColumnPage.cards": 10,
        "Unit": 3,
        "ActionForm": 10,
    }
    return CostModel(
        default_list=settings.cost_default_list_size,
        sizes=sizes,
        weights=weights,
        max_page=settings.max_page_size,
        # board(first:) and boardColumn(first:) are per column (hub.schema.board_query).
        max_pages={
            "Query.board": settings.board_page_max,
            "Query.boardColumn": settings.board_page_max,
        },
        paged={
            "BoardColumnInfo.cards": 1,
            "BoardColumnPage.cards": 1,
            "Board.cards": sizes["columns"],
        },
        page_through=frozenset({"Board.columns"}),
    )


@dataclass
class Guard:
    """What every request's extension shares: the limits, the cost model, the budget."""

    settings: Settings
    model: CostModel
    budget: Budget
    limits: InputLimits
    _with_introspection: CostModel | None = None
    _literals: OrderedDict[str, GraphQLError | None] = field(default_factory=OrderedDict)

    @classmethod
    def from_settings(cls, settings: Settings) -> Guard:
        return cls(
            settings=settings,
            model=cost_model(settings),
            budget=create_budget(settings.broadcast_url, settings.cost_budget_per_minute),
            limits=InputLimits(
                max_depth=settings.max_input_depth, max_string=settings.max_input_string_length
            ),
        )

    def model_for(self, schema: GraphQLSchema) -> CostModel:
        if self._with_introspection is None:
            sizes = {**introspection_sizes(schema), **self.model.sizes}
            self._with_introspection = replace(self.model, sizes=sizes)
        return self._with_introspection

    def literal_error(self, query: str, check: Any) -> GraphQLError | None:
        """The document's literal check, once per distinct query text."""
        if query in self._literals:
            self._literals.move_to_end(query)
            return self._literals[query]
        error: GraphQLError | None = check()
        self._literals[query] = error
        if len(self._literals) > _LITERAL_CACHE:
            self._literals.popitem(last=False)
        return error


def caller_key(context: Any) -> str:
    """Whose budget a request spends: its token, its user (all sessions), or its address."""
    actor = getattr(context, "actor", None)
    if actor is not None:
        return f"token:{actor.id}" if actor.kind is ActorKind.API_TOKEN else f"user:{actor.id}"
    request = getattr(context, "request", None)
    client = getattr(request, "client", None)
    return f"anon:{client.host if client is not None else 'unknown'}"


def with_code(error: GraphQLError) -> None:
    """Give an error of the GraphQL layer its code (others have theirs, or are masked)."""
    if error.extensions and "code" in error.extensions:
        return
    original = error.original_error
    if isinstance(original, HubError):
        code: str = original.code.value
    elif original is None or isinstance(original, GraphQLError):
        limit = any(m in error.message for m in _LIMIT_MESSAGES)
        code = LIMIT_EXCEEDED if limit else VALIDATION_FAILED
    else:
        return
    error.extensions = {**(error.extensions or {}), "code": code}


class RequestGuard(SchemaExtension):
    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self.spend: Spend | None = None

    def _subscription(self) -> bool:
        try:
            return self.execution_context.operation_type is OperationType.SUBSCRIPTION
        except RuntimeError:
            return False

    async def on_execute(self) -> AsyncIterator[None]:
        try:
            error = await self._refusal()
        except Exception:  # a bug here must neither run the operation nor leak its message
            log.exception("request guard failed")
            error = boundary_error("服务器内部错误", "INTERNAL")
        if error is not None:
            if self._subscription():
                raise error
            self.execution_context.result = GraphQLExecutionResult(data=None, errors=[error])
        yield

    async def _refusal(self) -> GraphQLError | None:
        ctx, guard = self.execution_context, self.guard
        document = ctx.graphql_document
        schema: GraphQLSchema = ctx.schema._schema
        operation = operation_of(document, ctx.operation_name) if document else None
        if document is None or operation is None:
            return None  # execution reports it
        if ctx.query is not None:
            error = guard.literal_error(
                ctx.query, lambda: check_literals(schema, document, guard.limits)
            )
        else:
            error = check_literals(schema, document, guard.limits)
        error = error or check_variables(schema, operation, ctx.variables, guard.limits)
        if error is not None:
            return error
        cost = query_cost(
            schema,
            document,
            guard.model_for(schema),
            operation_name=ctx.operation_name,
            variables=ctx.variables,
        )
        maximum = guard.settings.max_query_cost
        caller = caller_key(ctx.context)
        if cost > maximum:
            now = await guard.budget.peek(caller)
            self.spend = Spend(cost, now.used, now.limit, now.reset, allowed=False)
            return boundary_error(
                f"查询的计算成本 {cost} 超过单次上限 {maximum}：请减少嵌套、别名或 first/last",
                COST_EXCEEDED,
            )
        self.spend = await guard.budget.spend(caller, cost)
        if not self.spend.allowed:
            return boundary_error(
                f"本分钟的查询成本额度已用尽（剩余 {self.spend.remaining}，本次需要 {cost}），"
                f"请于 {self.spend.as_extension()['reset']} 后重试",
                RATE_LIMITED,
            )
        return None

    async def get_results(self) -> dict[str, Any]:
        """Called for every result once its errors are final (a parse error never reaches
        ``on_operation``'s exit): codes for the GraphQL layer's errors, and the cost."""
        if self._subscription():
            return {}
        for error in self.execution_context.pre_execution_errors or ():
            with_code(error)
        spend = self.spend
        if spend is None:
            spend = await self.guard.budget.peek(caller_key(self.execution_context.context))
        return {"cost": {**spend.as_extension(), "maximum": self.guard.settings.max_query_cost}}
