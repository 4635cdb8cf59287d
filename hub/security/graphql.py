"""GraphQL guards that refuse a document before anything runs.

- ``login`` at most once per document and never under an alias (guessing thirty passwords
  in one request was possible through aliases);
- introspection (``__schema``, ``__type``) only for a signed-in user or token, and for no one
  when ``HUB_ENV=production``;
- a token without the ``write`` scope cannot run a mutation.

Each guard is a graphql-core validation rule. The rule classes are built once and chosen per
request by ``AccessRules``, so strawberry's ``ValidationCache`` (keyed by the rules) keeps
working: a handful of rule combinations, never a fresh class per request.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    ASTValidationRule,
    FieldNode,
    GraphQLError,
    OperationDefinitionNode,
    OperationType,
    ValidationContext,
    ValidationRule,
)
from strawberry.extensions import SchemaExtension

from hub.domain.errors import ErrorCode
from hub.security import log as security

LOGIN_FIELD = "login"
INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


class OneLoginPerRequest(ValidationRule):
    """``login`` may appear once in a document, under its own name."""

    def __init__(self, context: ValidationContext) -> None:
        super().__init__(context)
        self.logins = 0

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value != LOGIN_FIELD:
            return
        parent = self.context.get_parent_type()
        mutation = self.context.schema.mutation_type
        if parent is None or mutation is None or parent.name != mutation.name:
            return
        self.logins += 1
        if node.alias is not None:
            self.report_error(_error("login 不能使用别名", node))
        elif self.logins == 2:
            self.report_error(_error("一个请求中只能登录一次", node))


class _NoIntrospection(ValidationRule):
    message = ""
    code = ErrorCode.UNAUTHENTICATED

    def enter_field(self, node: FieldNode, *_: Any) -> None:
        if node.name.value in INTROSPECTION_FIELDS:
            self.report_error(_error(self.message, node, self.code))


class IntrospectionNeedsLogin(_NoIntrospection):
    message = "内省查询仅供已登录的用户或令牌使用"
    code = ErrorCode.UNAUTHENTICATED


class IntrospectionDisabled(_NoIntrospection):
    message = "生产环境不提供内省查询；接口定义见 schema.graphql"
    code = ErrorCode.VALIDATION_FAILED


class ReadOnlyCredential(ValidationRule):
    """A read-scope token may query and subscribe, never mutate."""

    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        if node.operation is OperationType.MUTATION:
            self.report_error(
                _error(
                    "该令牌只有读取权限（read），不能执行变更", node, ErrorCode.PERMISSION_DENIED
                )
            )


def _error(message: str, node: Any, code: ErrorCode = ErrorCode.VALIDATION_FAILED) -> GraphQLError:
    return GraphQLError(message, node, extensions={"code": code.value})


_REFUSALS = {
    IntrospectionNeedsLogin.message: "introspection.refused",
    IntrospectionDisabled.message: "introspection.refused",
}


class AccessRules(SchemaExtension):
    """Adds the guards that apply to this request's viewer to its validation rules."""

    def __init__(self, *, production: bool) -> None:
        self.production = production

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context.context
        rules: list[type[ASTValidationRule]] = [OneLoginPerRequest]
        if self.production:
            rules.append(IntrospectionDisabled)
        elif getattr(context, "actor", None) is None:
            rules.append(IntrospectionNeedsLogin)
        credential = getattr(context, "credential", None)
        if credential is not None and "write" not in credential.scopes:
            rules.append(ReadOnlyCredential)
        self.execution_context.validation_rules = (
            *self.execution_context.validation_rules,
            *rules,
        )
        yield

    def on_validate(self) -> Iterator[None]:
        yield
        for error in self.execution_context.pre_execution_errors or ():
            code = (error.extensions or {}).get("code")
            if error.message in _REFUSALS:
                security.record(_REFUSALS[error.message])
            elif code == ErrorCode.PERMISSION_DENIED.value:
                security.record(
                    "permission.denied", reason="read-only token", message=error.message
                )
