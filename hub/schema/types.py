"""Object types that are not cases: units and the viewer."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, Self

import strawberry
from strawberry import relay

from hub.domain.identity import identity_of
from hub.domain.ids import database_id
from hub.domain.roles import ROLE_LABELS
from hub.resolvers.loaders import UnitRow
from hub.schema.context import Info
from hub.schema.enums import Role, Side, UnitKind

GLOBAL_ID = "The Globally Unique ID of this object"  # relay's own description


def node_pks(node_ids: Iterable[str]) -> list[int | None]:
    """Database ids of requested nodes; None for an id that is not a number."""
    return [database_id(i) for i in node_ids]


def in_order(ids: Sequence[int | None], rows: Iterable[Any]) -> list[Any]:
    """Rows in the order of the requested ids; None where a row is unknown or not visible."""
    found = {row.id: row for row in rows}
    return [found.get(i) if i is not None else None for i in ids]


@strawberry.type(description="单位：两个召集单位、28 个成员单位及其他责任单位")
class Unit(relay.Node):
    id: relay.NodeID[int]
    # The global ID as UnitRow made it: a plain field, not relay's resolver per unit.
    _id: relay.GlobalID = strawberry.field(name="id", description=GLOBAL_ID)
    code: str = strawberry.field(description="稳定的单位代码，如 ecology_env")
    name: str
    kind: UnitKind
    side: Side

    @classmethod
    def is_type_of(cls, obj: Any, info: Any) -> bool:
        return isinstance(obj, UnitRow)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Self | None]:
        info.context.require_actor()
        loader = info.context.loaders.unit_by_id
        return [await loader.load(i) if i is not None else None for i in node_pks(node_ids)]  # type: ignore[misc]


@strawberry.type(description="顶栏显示的身份，每项信息只出现一次")
class ViewerHeader:
    name: str
    role_label: str | None
    unit_name: str | None


@strawberry.type(description="当前请求的身份：用户或 API 令牌，均属于一个单位")
class Viewer:
    name: str
    role: Role
    kind: str

    @strawberry.field
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]

    unit_id: strawberry.Private[int]

    @strawberry.field
    async def unit(self, info: Info) -> Unit:
        return await info.context.loaders.unit_by_id.load(self.unit_id)  # type: ignore[return-value]

    @strawberry.field(description="顶栏显示的身份：姓名、角色、单位，前项已说明的为 null")
    async def header(self, info: Info) -> ViewerHeader:
        unit = await info.context.loaders.unit_by_id.load(self.unit_id)
        said = identity_of(self.name, ROLE_LABELS[self.role], unit.name if unit else "")
        return ViewerHeader(name=said.name, role_label=said.role, unit_name=said.unit)
