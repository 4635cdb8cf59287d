"""The GraphQL schema: the generic root types merged with every kind's (hub.schema.kinds)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry import Schema
from strawberry.extensions import (
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
    ValidationCache,
)

from hub.domain.errors import HubError
from hub.ops.middleware import OperationFacts
from hub.resolvers.execution import HubExecutor
from hub.schema.bulk import BulkMutations
from hub.schema.comment_mutations import CommentMutations
from hub.schema.guard import Guard, RequestGuard
from hub.schema.kinds import plugged
from hub.schema.mutation import CaseMutations
from hub.schema.query import CaseQueries
from hub.schema.subscription import Subscription
from hub.schema.types import Unit
from hub.schema.validation import limit_rules
from hub.security.graphql import AccessRules
from hub.settings import Settings, get_settings
from hub.subscriptions.direct import should_mask_error
from hub.subscriptions.fanout import SharedEventExecutor


class HubMaskErrors(MaskErrors):
    """strawberry's MaskErrors without its per-result ``isinstance`` against a runtime
    Protocol, which took 18% of the server's time fanning one event out to 1,000 sockets."""

    def _process_result(self, result: object) -> None:
        errors = getattr(result, "errors", None)
        if errors:
            result.errors = self._process_errors(errors)  # type: ignore[attr-defined]

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        masked = super().anonymise_error(error)
        masked.extensions = {"code": "INTERNAL"}  # design.md §7: the client sees INTERNAL only
        return masked


class ErrorCodes(SchemaExtension):
    """Give every expected error a stable ``extensions.code``."""

    def on_execute(self):  # type: ignore[no-untyped-def]
        yield
        result = self.execution_context.result
        for error in (result.errors if result else None) or []:
            if isinstance(error.original_error, HubError):
                error.extensions = {**(error.extensions or {}), "code": error.original_error.code}


class HubSchema(Schema):
    guard: Guard | None = None  # the cost model and budget (close its budget on shutdown)

    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """Log only the unexpected; a refused step or a bad query is not a server problem."""
        unexpected = [e for e in errors if should_mask_error(e)]
        if unexpected:
            super().process_errors(unexpected, execution_context)


def _merged(name: str, generic: type, kinds: tuple[type, ...]) -> type:
    """One root type with the generic fields and each kind's; a field defined twice is a bug."""
    seen: dict[str, str] = {}
    for part in (generic, *kinds):
        for f in part.__strawberry_definition__.fields:  # type: ignore[attr-defined]
            if f.python_name in seen:
                raise TypeError(
                    f"{name}.{f.python_name} is defined by both {seen[f.python_name]} and "
                    f"{part.__module__}.{part.__qualname__}"
                )
            seen[f.python_name] = f"{part.__module__}.{part.__qualname__}"
    return strawberry.type(type(name, (generic, *kinds), {}))


def build_schema(settings: Settings | None = None) -> Schema:
    settings = settings or get_settings()
    kinds = plugged()
    guard = Guard.from_settings(settings)
    # Factories, not instances: strawberry builds fresh extensions per request.
    extensions: list[Callable[[], SchemaExtension]] = [
        OperationFacts,  # first: it reads the codes the others put on the errors
        lambda: ParserCache(maxsize=256),
        lambda: ValidationCache(maxsize=256),
        lambda: MaxTokensLimiter(max_token_count=settings.max_query_tokens),
        # Depth and alias limits; their rule classes made once, so the cache above hits.
        limit_rules(max_depth=settings.max_query_depth, max_aliases=30),
        # One login per document, introspection for signed-in viewers, read-only tokens.
        lambda: AccessRules(production=settings.production),
        lambda: RequestGuard(guard),  # input limits, cost and budget, before any resolver
        ErrorCodes,
    ]
    if settings.mask_errors:
        extensions.append(
            lambda: HubMaskErrors(
                should_mask_error=should_mask_error, error_message="服务器内部错误"
            )
        )
    schema = HubSchema(
        query=_merged("Query", CaseQueries, kinds.queries),
        mutation=_merged(
            "Mutation", CaseMutations, (CommentMutations, BulkMutations, *kinds.mutations)
        ),
        subscription=Subscription,
        types=[Unit, *kinds.types],
        extensions=extensions,
        execution_context_class=SharedEventExecutor
        if settings.share_subscription_execution
        else HubExecutor,
    )
    schema.guard = guard
    return schema


def schema_sdl() -> str:
    return build_schema().as_str() + "\n"
