"""Many rows of one table by id, typed as the ORM would type them, without its per-value cost.

A 500-card board reads some 2,500 rows (cases, parties, clocks, details); converting them
through Tortoise's ``values()`` took several times as long as the queries. Here each column's
conversion is chosen once per model from its field: text and numbers as the driver returns
them, dates and instants parsed from SQLite's ISO text (asyncpg already gives objects), enums
by value, and any other field through the field's own ``to_python_value``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from tortoise import fields
from tortoise.fields.data import CharEnumFieldInstance
from tortoise.models import Model

Convert = Callable[[Any], Any]
# Fields whose values the drivers return as Python has them (exact types: not subclasses).
_PLAIN = frozenset({fields.IntField, fields.BigIntField, fields.CharField, fields.TextField})


def _same(value: Any) -> Any:
    return value


def _date(value: Any) -> Any:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _instant(value: Any) -> Any:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # as Tortoise reads naive instants (use_tz, UTC)
    return value


def _bool(value: Any) -> Any:
    return None if value is None else bool(value)


def _converter(field: fields.Field[Any]) -> Convert:
    if isinstance(field, CharEnumFieldInstance):  # a CharField: before the plain ones
        enum_type = field.enum_type
        members = {member.value: member for member in enum_type}
        members.update((str(member.value), member) for member in enum_type)

        def enum_member(value: Any) -> Any:
            if value is None:
                return None
            member = members.get(value)
            return member if member is not None else enum_type(value)  # raises as Tortoise's

        return enum_member
    if type(field) in _PLAIN:
        return _same
    if isinstance(field, fields.DatetimeField):
        return _instant
    if isinstance(field, fields.DateField):
        return _date
    if isinstance(field, fields.BooleanField):
        return _bool
    return field.to_python_value


@cache
def _columns(model: type[Model], names: tuple[str, ...]) -> tuple[str, list[Convert]]:
    meta = model._meta
    columns = ", ".join(f'"{meta.fields_db_projection[name]}"' for name in names)
    return columns, [_converter(meta.fields_map[name]) for name in names]


def all_fields(model: type[Model]) -> tuple[str, ...]:
    """Every stored field of ``model`` (foreign keys by their ``_id`` field), as ``values()``."""
    return tuple(model._meta.fields_db_projection)


async def rows_where_in(
    model: type[Model], names: Sequence[str], key: str, ids: Iterable[int]
) -> list[tuple[Any, ...]]:
    """``names`` of every row of ``model`` whose ``key`` is one of ``ids``, in primary key
    order, each value converted as ``values()`` would."""
    meta = model._meta
    columns, converters = _columns(model, tuple(names))
    wanted = ",".join(str(int(i)) for i in ids)  # integers only: safe to inline
    if not wanted:
        return []
    sql = (
        f'SELECT {columns} FROM "{meta.db_table}" '
        f'WHERE "{meta.fields_db_projection[key]}" IN ({wanted}) ORDER BY "{meta.db_pk_column}"'
    )
    _, found = await meta.db.execute_query(sql)
    if not found:
        return []
    if all(convert is _same for convert in converters):
        return [tuple(row) for row in found]
    # Column by column: the plain ones as they are, each other one through its converter.
    columns_of = zip(*found, strict=True)
    converted = [
        column if convert is _same else map(convert, column)
        for convert, column in zip(converters, columns_of, strict=True)
    ]
    return list(zip(*converted, strict=True))
