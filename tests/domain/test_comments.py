"""The comment rules (hub.domain.comments), for every kind of the registry, without a server."""

from __future__ import annotations

import dataclasses

import pytest

from hub.domain.comments import (
    distinct_mentions,
    may_be_mentioned,
    may_comment,
    may_comment_internally,
    reads_only,
)
from hub.domain.engine import CaseFacts, Party
from hub.domain.kinds import COMMENT_STEP, RETRACT_COMMENT_STEP, KindSpec, PartyRole, step
from hub.domain.roles import Actor, ActorKind, Role, Side
from hub.domain.visibility import Audience
from hub.kinds.lead_transfer.spec import SPEC as LEAD_TRANSFER
from hub.kinds.recommendation.spec import SPEC as RECOMMENDATION
from hub.kinds.registry import SPECS

PROC, UNIT_A, UNIT_B = 1, 2, 3


def actor(role: Role, unit: int, side: Side, pk: int = 10) -> Actor:
    return Actor(ActorKind.USER, pk, "某人", role, unit, side)


PROSECUTOR = actor(Role.PROSECUTOR, PROC, Side.PROCURATORATE)
OFFICE = actor(Role.OFFICE_ADMIN, PROC, Side.PROCURATORATE)
LIAISON_A = actor(Role.UNIT_LIAISON, UNIT_A, Side.GOVERNMENT)
VIEWER_A = actor(Role.VIEWER, UNIT_A, Side.GOVERNMENT)
LIAISON_B = actor(Role.UNIT_LIAISON, UNIT_B, Side.GOVERNMENT)


def served(*extra: Party) -> CaseFacts:
    parties = (Party(PartyRole.ISSUER, PROC), Party(PartyRole.ADDRESSEE, UNIT_A), *extra)
    return CaseFacts("served", parties)


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.kind.value)
def test_every_kind_has_the_generic_comment_steps(spec: KindSpec) -> None:
    labels = (spec.action_label(COMMENT_STEP), spec.action_label(RETRACT_COMMENT_STEP))
    assert labels == ("评论", "撤回评论")
    assert spec.transition_for(COMMENT_STEP) is None


def test_no_kind_may_take_the_generic_names_for_its_own_step() -> None:
    own = step(COMMENT_STEP, ["draft"], None, PartyRole.ISSUER, [Role.PROSECUTOR], "评论")
    with pytest.raises(ValueError, match="steps every kind has"):
        dataclasses.replace(RECOMMENDATION, transitions=(*RECOMMENDATION.transitions, own))


def test_who_may_comment() -> None:
    facts = served()
    assert may_comment(PROSECUTOR, RECOMMENDATION, facts)
    assert may_comment(LIAISON_A, RECOMMENDATION, facts)
    assert may_comment(OFFICE, RECOMMENDATION, CaseFacts("draft", ()))  # the Office: any case
    assert not may_comment(VIEWER_A, RECOMMENDATION, facts)  # sees it, only reads
    assert not may_comment(LIAISON_B, RECOMMENDATION, facts)  # no party
    assert not may_comment(LIAISON_A, RECOMMENDATION, dataclasses.replace(facts, state="draft"))


def test_a_copied_unit_reads_unless_its_kind_has_it_act() -> None:
    copied = served(Party(PartyRole.COPIED, UNIT_B))
    assert reads_only(RECOMMENDATION, PartyRole.COPIED)
    assert not may_comment(LIAISON_B, RECOMMENDATION, copied)
    assert not reads_only(LEAD_TRANSFER, PartyRole.COPIED)  # 立案监督检察院 takes steps


def test_internal_comments_and_mentions() -> None:
    assert may_comment_internally(PROSECUTOR) and may_comment_internally(OFFICE)
    assert not may_comment_internally(LIAISON_A)
    assert not may_comment_internally(actor(Role.VIEWER, PROC, Side.PROCURATORATE))
    facts = served()
    agency = Audience(False, UNIT_A, Side.GOVERNMENT)
    assert may_be_mentioned(agency, RECOMMENDATION, facts, internal=False)
    assert not may_be_mentioned(agency, RECOMMENDATION, facts, internal=True)
    other = Audience(False, UNIT_B, Side.GOVERNMENT)
    assert not may_be_mentioned(other, RECOMMENDATION, facts, internal=False)
    assert distinct_mentions([3, 1, 3, 2, 1]) == (3, 1, 2)
