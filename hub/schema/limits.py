"""What the GraphQL boundary refuses before anything runs, each with a code.

* JSON nested deeper than ``max_depth`` (in a request body, or in the variables);
* a string longer than ``max_string`` characters (in the variables or the document);
* an ``ID`` that is not a global ID of a database row: base64 of ``Type:digits``, the digits
  ASCII and within a 64-bit integer (a 25-digit number or ``١٢`` used to reach the database
  and fail there as an internal error).

Errors are ``GraphQLError``s carrying ``extensions.code`` (``LIMIT_EXCEEDED`` or
``VALIDATION_FAILED``) and the offending input's path in ``extensions.field``.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
    GraphQLSchema,
    ObjectFieldNode,
    OperationDefinitionNode,
    StringValueNode,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    type_from_ast,
    visit,
)

from hub.domain.errors import ErrorCode
from hub.domain.ids import database_id

LIMIT_EXCEEDED = ErrorCode.LIMIT_EXCEEDED.value
VALIDATION_FAILED = ErrorCode.VALIDATION_FAILED.value
_GLOBAL_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*:(.*)", re.ASCII | re.DOTALL)


@dataclass(frozen=True, slots=True)
class InputLimits:
    max_depth: int = 16
    max_string: int = 100_000


# Not text any database takes: lone surrogates, and NUL (PostgreSQL refuses it in text).
_LONE_SURROGATE = re.compile("[\x00\ud800-\udfff]")


def boundary_error(message: str, code: str, field: str | None = None) -> GraphQLError:
    extensions: dict[str, Any] = {"code": code}
    if field is not None:
        extensions["field"] = field
    return GraphQLError(message, extensions=extensions)


class JsonTooDeep(json.JSONDecodeError):
    """Raised as a JSON error, so strawberry answers it as any malformed body: HTTP 400, or
    close code 4400 on a WebSocket."""


def decode_json(data: str | bytes) -> object:
    """``json.loads`` for request bodies and WebSocket messages: nesting deep enough to
    exhaust Python's recursion (a few KB of ``[``) is a client error, not a server crash.
    (Shallower but still too deep variables are refused by ``check_variables``.)"""
    try:
        return json.loads(data)
    except RecursionError:
        text = data if isinstance(data, str) else data.decode(errors="replace")
        raise JsonTooDeep("JSON 嵌套层数过多", text, 0) from None


def json_depth_error(max_depth: int) -> dict[str, Any]:
    """The response body for a request whose JSON nests too deep."""
    message = f"JSON 嵌套层数过多（最多 {max_depth} 层）"
    return {"errors": [{"message": message, "extensions": {"code": LIMIT_EXCEEDED}}]}


def _too_deep(value: object, max_depth: int) -> bool:
    """Whether ``value`` nests lists/objects deeper than ``max_depth`` (iteratively)."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth >= max_depth:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def global_id_error(value: str, field: str) -> GraphQLError | None:
    try:
        decoded = base64.b64decode(value, validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        decoded = ""
    match = _GLOBAL_ID.fullmatch(decoded)
    if match is None or database_id(match.group(1)) is None:
        return boundary_error(f"{field} 不是有效的 ID", VALIDATION_FAILED, field)
    return None


class _Typed:
    """Walks input values with their GraphQL types: string lengths and IDs."""

    def __init__(self, limits: InputLimits) -> None:
        self.limits = limits

    def check(self, value: object, type_: GraphQLInputType, path: str) -> GraphQLError | None:
        if value is None:
            return None
        if isinstance(type_, GraphQLNonNull):
            return self.check(value, type_.of_type, path)
        if isinstance(type_, GraphQLList):
            items = value if isinstance(value, list) else [value]
            for i, item in enumerate(items):
                error = self.check(item, type_.of_type, f"{path}[{i}]")
                if error is not None:
                    return error
            return None
        if isinstance(type_, GraphQLInputObjectType):
            if not isinstance(value, dict):
                return None  # coercion refuses it with its own message
            for key, item in value.items():
                field = type_.fields.get(key)
                if field is not None:
                    error = self.check(item, field.type, f"{path}.{key}")
                    if error is not None:
                        return error
            return None
        if isinstance(type_, GraphQLScalarType):
            return self.scalar(value, type_.name, path)
        return None

    def scalar(self, value: object, type_name: str, path: str) -> GraphQLError | None:
        if type_name == "ID" and isinstance(value, str):
            return global_id_error(value, path)
        return self.any_value(value, path)

    def any_value(self, value: object, path: str) -> GraphQLError | None:
        """String lengths anywhere inside a value (a JSON scalar, an enum, a string)."""
        stack: list[object] = [value]
        while stack:
            item = stack.pop()
            if isinstance(item, str):
                if len(item) > self.limits.max_string:
                    return boundary_error(
                        f"{path} 过长（最多 {self.limits.max_string} 个字符）", LIMIT_EXCEEDED, path
                    )
                if _LONE_SURROGATE.search(item):  # not text: no database or encoder takes it
                    return boundary_error(f"{path} 含有无效的字符", VALIDATION_FAILED, path)
            elif isinstance(item, dict):
                stack.extend(item.keys())
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        return None


def check_variables(
    schema: GraphQLSchema,
    operation: OperationDefinitionNode,
    variables: Mapping[str, Any] | None,
    limits: InputLimits,
) -> GraphQLError | None:
    """The first thing wrong with the variables, typed by the operation's definitions."""
    if not variables:
        return None
    if _too_deep(dict(variables), limits.max_depth + 1):
        return boundary_error(
            f"变量的 JSON 嵌套层数过多（最多 {limits.max_depth} 层）", LIMIT_EXCEEDED, "variables"
        )
    typed = _Typed(limits)
    for definition in operation.variable_definitions or ():
        name = definition.variable.name.value
        if name not in variables:
            continue
        type_ = type_from_ast(schema, definition.type)
        if type_ is None:
            continue
        error = typed.check(variables[name], type_, f"${name}")  # type: ignore[arg-type]
        if error is not None:
            return error
    return None


class _Literals(Visitor):
    def __init__(self, type_info: TypeInfo, limits: InputLimits) -> None:
        super().__init__()
        self.type_info, self.typed = type_info, _Typed(limits)
        self.error: GraphQLError | None = None
        self.where = "参数"

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        self.where = node.name.value

    def enter_object_field(self, node: ObjectFieldNode, *_: Any) -> None:
        self.where = node.name.value

    def enter_string_value(self, node: StringValueNode, *_: Any) -> object:
        if self.error is not None:
            return self.BREAK
        input_type = self.type_info.get_input_type()
        name = getattr(_named(input_type), "name", "String")
        self.error = self.typed.scalar(node.value, name, self.where)
        return self.BREAK if self.error is not None else None


def _named(type_: object) -> object:
    while isinstance(type_, GraphQLNonNull | GraphQLList):
        type_ = type_.of_type
    return type_


def check_literals(
    schema: GraphQLSchema, document: DocumentNode, limits: InputLimits
) -> GraphQLError | None:
    """The first string or ID literal in the document that the boundary refuses."""
    type_info = TypeInfo(schema)
    literals = _Literals(type_info, limits)
    visit(document, TypeInfoVisitor(type_info, literals))
    return literals.error
