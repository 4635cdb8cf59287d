"""Who acts: sides, roles, and the actor a request runs as."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Side(StrEnum):
    PROCURATORATE = "procuratorate"
    GOVERNMENT = "government"


class UnitKind(StrEnum):
    GOVERNMENT = "government"  # 市人民政府, a convening body
    PROCURATORATE = "procuratorate"  # 市人民检察院, convening body and host of the Linkage Office
    MEMBER = "member"  # one of the 28 member units (成员单位)
    OTHER = "other"  # a responsible body that is not a member


class Role(StrEnum):
    OFFICE_ADMIN = "office_admin"  # 府检联动工作办公室
    PROSECUTOR = "prosecutor"  # 承办检察官
    PROCURATOR_APPROVER = "procurator_approver"  # 检察长 / 检委会
    UNIT_LIAISON = "unit_liaison"  # 成员单位联络员
    UNIT_LEADER = "unit_leader"  # 单位负责人, signs replies
    VIEWER = "viewer"  # 抄送单位, read-only


ROLE_LABELS: dict[Role, str] = {
    Role.OFFICE_ADMIN: "府检联动办公室",
    Role.PROSECUTOR: "承办检察官",
    Role.PROCURATOR_APPROVER: "检察长",
    Role.UNIT_LIAISON: "联络员",
    Role.UNIT_LEADER: "单位负责人",
    Role.VIEWER: "只读",
}

PROCURATORATE_ROLES = frozenset({Role.OFFICE_ADMIN, Role.PROSECUTOR, Role.PROCURATOR_APPROVER})

# Who acts for a unit in a step its unit takes: the unit's liaison and leader, or, when the unit
# is the procuratorate, its prosecutors and chief. Kinds name these in their transition tables.
UNIT_STAFF = frozenset(
    {Role.UNIT_LIAISON, Role.UNIT_LEADER, Role.PROSECUTOR, Role.PROCURATOR_APPROVER}
)
OFFICE_STAFF = frozenset({Role.OFFICE_ADMIN})  # the Linkage Office, for PartyRole.OFFICE steps


class ActorKind(StrEnum):
    USER = "user"
    API_TOKEN = "api_token"
    SYSTEM = "system"


@dataclass(frozen=True, slots=True)
class Actor:
    """The identity a request or job acts as; always bound to one unit."""

    kind: ActorKind
    id: int
    name: str
    role: Role
    unit_id: int
    side: Side

    @property
    def label(self) -> str:
        return f"{self.name}（{ROLE_LABELS[self.role]}）"


def default_token_role(side: Side) -> Role:
    """An agency system acts as its unit's liaison; a procuratorate system as a prosecutor."""
    return Role.PROSECUTOR if side is Side.PROCURATORATE else Role.UNIT_LIAISON
