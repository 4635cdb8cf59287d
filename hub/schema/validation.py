"""The query limiters' validation rules, built once per schema.

strawberry's ``QueryDepthLimiter`` and ``MaxAliasesLimiter`` build a new rule *class* each time
the extension is constructed — once per request, since extensions are per-request factories.
``ValidationCache`` keys its LRU cache on the document *and* the tuple of rule classes, so with
a fresh class per request it never hit: every request validated its document again (a board
query: a few milliseconds of pure Python, T2 in design.md §5). Here the classes are made once
and every request's extension adds the same ones, so a document seen before is validated once.
"""

from __future__ import annotations

from collections.abc import Callable

from graphql import ASTValidationRule
from strawberry.extensions import AddValidationRules, SchemaExtension
from strawberry.extensions.max_aliases import create_validator as alias_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule


def limit_rules(*, max_depth: int, max_aliases: int) -> Callable[[], SchemaExtension]:
    """A factory of per-request extensions that add the same two rule classes every time."""
    rules: list[type[ASTValidationRule]] = [depth_rule(max_depth, None), alias_rule(max_aliases)]
    return lambda: AddValidationRules(rules)
