"""Comments on a case of any kind: who may write them, who may be mentioned, what is shown.

A comment is not a row of any kind's transition table: it is a generic step every kind has
(``COMMENT_STEP`` and ``RETRACT_COMMENT_STEP`` of ``hub.domain.kinds``, labelled there;
``KindSpec`` refuses a step of its own by these names). Both are events of the case: in its
history, live on the board and in the audit chain. Neither changes the case, so neither bumps
its version: a comment never makes a concurrent step stale.

- Who writes: anyone who may see the case and acts for a party (the Linkage Office; a
  coordinator, liaison, leader or prosecutor of a unit holding a role the kind's ``sees``
  table shows now, other than 抄送 where it only reads). Viewer roles never write.
- Internal (内部) comments: only the procuratorate side writes them, only it reads them, and
  they may mention only people who read internal steps.
- Mentions: people who may see the case (and the comment), never the author.
- Retraction: only the author, once; the history keeps a trace (who, when) and the text is
  no longer shown to anyone. It stays in the event log, so the audit chain still holds it.
  A comment is never edited.

Pure: no I/O, no framework.
"""

from __future__ import annotations

from collections.abc import Sequence

from hub.domain.engine import CaseFacts
from hub.domain.kinds import KindSpec, PartyRole
from hub.domain.roles import Actor, Role
from hub.domain.visibility import Audience, audience_of, can_see

COMMENT_MAX_LENGTH = 2000
MAX_MENTIONS = 20
RETRACTED_TEXT = "（已撤回）"
INTERNAL_LABEL = "内部（仅检察院可见）"


def reads_only(spec: KindSpec, role: PartyRole) -> bool:
    """抄送 only reads a case, unless the kind has it take steps (立案监督 of a transfer)."""
    return role is PartyRole.COPIED and not any(t.party is role for t in spec.transitions)


def may_comment(actor: Actor, spec: KindSpec, facts: CaseFacts) -> bool:
    """The actor sees the case now and acts for a party of it (or is the Linkage Office)."""
    if actor.role is Role.VIEWER:
        return False
    if audience_of(actor).everything:
        return True
    for party in facts.parties:
        if party.unit_id != actor.unit_id or reads_only(spec, party.role):
            continue
        if party.role not in spec.sees:
            continue
        states = spec.sees[party.role]
        if states is None or facts.state in states:
            return True
    return False


def may_comment_internally(actor: Actor) -> bool:
    """Internal comments are the procuratorate side's (and the Linkage Office's)."""
    return actor.role is not Role.VIEWER and audience_of(actor).sees_internal


def may_be_mentioned(
    audience: Audience, spec: KindSpec, facts: CaseFacts, *, internal: bool
) -> bool:
    """Someone may be mentioned who may see the case, and the comment itself."""
    return can_see(audience, spec, facts) and (not internal or audience.sees_internal)


def distinct_mentions(ids: Sequence[int]) -> tuple[int, ...]:
    """The mentioned ids once each, in the order given."""
    return tuple(dict.fromkeys(ids))
