"""Who is notified of what (hub.domain.notifications): pure rules over one recommendation."""

from __future__ import annotations

from hub.domain.engine import CaseFacts, Party
from hub.domain.kinds import PartyRole
from hub.domain.notifications import (
    CaseLabel,
    Person,
    Step,
    Topic,
    event_notices,
    mentions_of,
    overdue_notices,
)
from hub.domain.roles import Actor, ActorKind, Role, Side
from hub.kinds.recommendation.spec import SPEC, State

PROC, ENV, TRANSPORT = 1, 2, 3
PROSECUTOR = Person(10, "张检察官", Role.PROSECUTOR, PROC, Side.PROCURATORATE)
COLLEAGUE = Person(11, "李检察官", Role.PROSECUTOR, PROC, Side.PROCURATORATE)
CHIEF = Person(12, "检察长", Role.PROCURATOR_APPROVER, PROC, Side.PROCURATORATE)
OFFICE = Person(13, "办公室", Role.OFFICE_ADMIN, PROC, Side.PROCURATORATE)
LIAISON = Person(20, "王联络员", Role.UNIT_LIAISON, ENV, Side.GOVERNMENT)
LEADER = Person(21, "赵局长", Role.UNIT_LEADER, ENV, Side.GOVERNMENT)
OTHER_LIAISON = Person(30, "钱联络员", Role.UNIT_LIAISON, TRANSPORT, Side.GOVERNMENT)
PEOPLE = (PROSECUTOR, COLLEAGUE, CHIEF, OFFICE, LIAISON, LEADER, OTHER_LIAISON)
PARTIES = (
    Party(PartyRole.ISSUER, PROC),
    Party(PartyRole.HANDLING_PROSECUTOR, PROC, PROSECUTOR.user_id),
    Party(PartyRole.ADDRESSEE, ENV),
)
CASE = CaseLabel("检察建议", "宿检行建〔2026〕3号", "关于加强监管的检察建议")


def facts(state: str) -> CaseFacts:
    return CaseFacts(state=state, parties=PARTIES)


def step(person: Person, action: str, label: str, *, internal: bool = False, unit: str = "",
         mentions: tuple[int, ...] = (), lifecycle: bool = True) -> Step:  # fmt: skip
    actor = Actor(ActorKind.USER, person.user_id, person.name, person.role, person.unit_id,
                  person.side)  # fmt: skip
    return Step(action, label, internal, actor, unit or "单位", mentions, lifecycle)


def who(notices: list) -> dict[int, Topic]:  # type: ignore[type-arg]
    return {n.user_id: n.topic for n in notices}


def test_serving_notifies_the_addressed_units_users_and_no_one_else() -> None:
    serve = step(PROSECUTOR, "serve", "送达", unit="宿州市人民检察院")
    notices = event_notices(SPEC, serve, facts(State.APPROVED), facts(State.SERVED), PEOPLE, CASE)
    assert who(notices) == {LIAISON.user_id: Topic.ADDRESSED, LEADER.user_id: Topic.ADDRESSED}
    assert (
        notices[0].text
        == "新案件送达本单位：检察建议 宿检行建〔2026〕3号（关于加强监管的检察建议）"
    )


def test_a_reply_notifies_the_handling_prosecutor_only_never_the_actor() -> None:
    reply = step(LIAISON, "submit_reply", "提交整改回复", unit="市生态环境局")
    notices = event_notices(SPEC, reply, facts(State.SERVED), facts(State.REPLIED), PEOPLE, CASE)
    assert who(notices) == {PROSECUTOR.user_id: Topic.STEP}
    assert notices[0].text == "市生态环境局提交整改回复：检察建议 宿检行建〔2026〕3号"


def test_without_a_handling_prosecutor_the_procuratorates_prosecutors_are_told() -> None:
    parties = tuple(p for p in PARTIES if p.role is not PartyRole.HANDLING_PROSECUTOR)
    before, after = CaseFacts(State.SERVED, parties), CaseFacts(State.REPLIED, parties)
    reply = step(LIAISON, "submit_reply", "提交整改回复")
    assert who(event_notices(SPEC, reply, before, after, PEOPLE, CASE)) == {
        PROSECUTOR.user_id: Topic.STEP,
        COLLEAGUE.user_id: Topic.STEP,
    }


def test_a_procuratorate_step_notifies_the_units_liaisons_not_its_leader_nor_other_units() -> None:
    adopt = step(PROSECUTOR, "partially_adopt_reply", "部分采纳，继续整改")
    notices = event_notices(
        SPEC, adopt, facts(State.REPLIED), facts(State.RECTIFYING), PEOPLE, CASE
    )
    assert who(notices) == {LIAISON.user_id: Topic.STEP}


def test_internal_steps_never_reach_the_government_side() -> None:
    # Invisible to the addressee anyway (a draft), and internal: nobody on its side hears.
    submit = step(PROSECUTOR, "submit_for_approval", "提请审批", internal=True)
    assert event_notices(SPEC, submit, facts(State.DRAFT), facts(State.PENDING_APPROVAL),
                         PEOPLE, CASE) == []  # fmt: skip
    # An internal step on a served case: the liaison sees the case but not the step.
    urge = step(OFFICE, "urge", "督促回复", internal=True)
    assert who(event_notices(SPEC, urge, facts(State.SERVED), facts(State.SERVED), PEOPLE,
                             CASE)) == {}  # fmt: skip


def test_a_draft_is_addressed_to_nobody_until_it_is_served() -> None:
    create = step(PROSECUTOR, "create", "起草", internal=True)
    assert event_notices(SPEC, create, None, facts(State.DRAFT), PEOPLE, CASE) == []


def test_mentions_reach_only_those_who_may_see_the_comment() -> None:
    parties = (*PARTIES, Party(PartyRole.COPIED, TRANSPORT))
    seen = CaseFacts(State.SERVED, parties)
    mentioned = (LIAISON.user_id, OTHER_LIAISON.user_id, PROSECUTOR.user_id, 999)
    comment = step(PROSECUTOR, "comment", "评论", mentions=mentioned)
    assert who(event_notices(SPEC, comment, seen, seen, PEOPLE, CASE)) == {
        LIAISON.user_id: Topic.MENTION,
        OTHER_LIAISON.user_id: Topic.MENTION,  # copied: sees the served case
    }
    # Not copied: the transport bureau may not see the case, so is not told of it.
    hidden = step(PROSECUTOR, "comment", "评论", mentions=(OTHER_LIAISON.user_id,))
    assert event_notices(SPEC, hidden, facts(State.SERVED), facts(State.SERVED), PEOPLE, CASE) == []
    internal = step(PROSECUTOR, "comment", "评论", internal=True,
                    mentions=(LIAISON.user_id, CHIEF.user_id))  # fmt: skip
    notices = event_notices(SPEC, internal, seen, seen, PEOPLE, CASE)
    assert who(notices) == {CHIEF.user_id: Topic.MENTION}
    assert notices[0].text == "张检察官在 检察建议 宿检行建〔2026〕3号 中提到了您"


def test_a_comment_mentions_and_nothing_else_and_other_records_notify_nobody() -> None:
    comment = step(LIAISON, "comment", "评论")
    assert event_notices(SPEC, comment, facts(State.SERVED), facts(State.SERVED), PEOPLE,
                         CASE) == []  # fmt: skip
    retract = step(LIAISON, "retract_comment", "撤回评论", lifecycle=False)
    assert event_notices(SPEC, retract, facts(State.SERVED), facts(State.SERVED), PEOPLE,
                         CASE) == []  # fmt: skip


def test_overdue_goes_to_the_alerts_recipients_who_may_see_the_case() -> None:
    notices = overdue_notices(SPEC, facts(State.SERVED), [LIAISON, PROSECUTOR, OTHER_LIAISON],
                              CASE, "回复期限")  # fmt: skip
    assert who(notices) == {LIAISON.user_id: Topic.OVERDUE, PROSECUTOR.user_id: Topic.OVERDUE}
    assert notices[0].text == "检察建议 宿检行建〔2026〕3号 已逾期（回复期限）"


def test_mentions_are_read_defensively() -> None:
    assert mentions_of({"mentions": [3, "4", 3, True, -1, "x", None]}) == (3, 4)
    assert mentions_of({"mentions": "3"}) == ()
    assert mentions_of(None) == ()
