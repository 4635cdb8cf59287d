"""A fixed data set for the statistics and the ledger, built with the real steps.

Today is 2026-11-28 (``tests.factories.TODAY``). Recommendations (R0 in 2025, the rest in 2026):

- R1 (unit A) served 03-02, replied 03-20 (on time), adopted;
- R2 (unit A) served 03-02, replied 06-15 (late), partly adopted: rectifying, still overdue;
- R3 (unit B) served 09-01, no reply: overdue since 11-02 (19 working days);
- R4 (unit A) served 11-10, objection raised and upheld (withdrawn);
- R5 (unit A) the pre-suit recommendation of P2, served 09-01, replied 09-20, converted;
- R0 (unit A) served 2025-11-03, never replied: overdue, outside the period.

PIL cases (unit A, 生态环境和资源保护): P1 closed after consultation; P2 went to litigation.
Task measures of 2026 (lead unit A, the procuratorate responsible): T1 due 04-30 completed on
time; T2 长期坚持 with a progress report; T3 due 06-30 not started (overdue).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from hub.domain.kinds import CaseKind
from hub.kinds.pil_case import steps as pil
from hub.kinds.pil_case.inputs import ensure_domains
from hub.kinds.pil_case.spec import ClueSource, ConsultationForm, FollowUpMethod, TerminationReason
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import (
    Completeness,
    ObjectionDecision,
    ReplyDecision,
    ServiceMethod,
)
from hub.kinds.task_measure.spec import Action as TaskAction
from hub.kinds.task_measure.spec import Category
from hub.kinds.task_measure.steps import STEPS, NewMeasure, open_measure
from hub.models import Case
from hub.services.cases import take_step
from hub.services.forms import take_form_step
from tests.factories import World, served

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def at(day: date) -> datetime:
    """10:00 in Asia/Shanghai on ``day``."""
    return datetime(day.year, day.month, day.day, 2, tzinfo=UTC)


@dataclass
class Data:
    w: World
    r: dict[str, int]  # R0 … R5
    p: dict[str, int]  # P1, P2
    t: dict[str, int]  # T1 … T3


async def _version(case_id: int) -> int:
    return (await Case.get(id=case_id)).version


async def _reply(
    w: World, rec_id: int, day: date, completeness: Completeness, who: Any = None
) -> None:
    await recs.submit_reply(who or w.liaison_a, rec_id, await _version(rec_id), content="已整改",
                            completeness=completeness, now=at(day))  # fmt: skip


async def _review(w: World, rec_id: int, day: date, decision: ReplyDecision) -> None:
    await recs.review_reply(w.prosecutor, rec_id, await _version(rec_id), decision=decision,
                            comment="尚未完成全部整改", now=at(day))  # fmt: skip


async def _recommendations(w: World) -> dict[str, int]:
    r = {}
    r["R0"] = (await served(w, served_on=date(2025, 11, 3))).id
    r["R1"] = (await served(w, served_on=date(2026, 3, 2))).id
    await _reply(w, r["R1"], date(2026, 3, 20), Completeness.FULL)
    await _review(w, r["R1"], date(2026, 3, 25), ReplyDecision.ADOPTED)
    r["R2"] = (await served(w, served_on=date(2026, 3, 2))).id
    await _reply(w, r["R2"], date(2026, 6, 15), Completeness.PARTIAL)
    await _review(w, r["R2"], date(2026, 6, 20), ReplyDecision.PARTIALLY_ADOPTED)
    r["R3"] = (await served(w, served_on=date(2026, 9, 1), addressee=w.unit_b)).id
    r["R4"] = (await served(w, served_on=date(2026, 11, 10))).id
    await recs.raise_objection(w.liaison_a, r["R4"], await _version(r["R4"]), grounds="不属于本单位职责",
                               now=at(date(2026, 11, 12)))  # fmt: skip
    await recs.decide_objection(w.chief, r["R4"], await _version(r["R4"]),
                                decision=ObjectionDecision.WITHDRAWN, reasons="异议成立",
                                now=at(date(2026, 11, 13)))  # fmt: skip
    return r


async def _pil_case(w: World, n: int) -> int:
    change = await pil.create_pil_case(
        w.prosecutor,
        pil.NewPilCase(
            case_no=f"宿检公线〔2026〕{n}号", title=f"河道黑臭水体公益损害{n}",
            agency_unit_id=w.unit_a.id, clue_source=ClueSource.HOTLINE_12345,
            clue_received_on=date(2026, 6, 1), domain_code="ecology_resources",
            harm_description="河道黑臭", duty_basis="《水污染防治法》第九条",
        ),
        now=at(date(2026, 6, 1)),
    )  # fmt: skip
    i = change.case.id
    await pil.assess_clue(
        w.prosecutor, i, await _version(i), assessment="属实", now=at(date(2026, 6, 2))
    )
    await pil.propose_filing(w.prosecutor, i, await _version(i), now=at(date(2026, 6, 3)))
    await pil.file_case(w.chief, i, await _version(i), filing_decision_no=f"宿检行公立〔2026〕{n}号",
                        filed_on=date(2026, 6, 5), now=at(date(2026, 6, 5)))  # fmt: skip
    await pil.serve_filing_decision(w.prosecutor, i, await _version(i), served_on=date(2026, 6, 10),
                                    now=at(date(2026, 6, 10)))  # fmt: skip
    return i


async def _pils(w: World, r: dict[str, int]) -> dict[str, int]:
    await ensure_domains()
    p1 = await _pil_case(w, 1)
    await pil.record_consultation(
        w.prosecutor, p1, await _version(p1), form=ConsultationForm.MEETING,
        held_on=date(2026, 6, 20), participants="双方", agreed_measures="截污纳管", minutes="纪要",
        now=at(date(2026, 6, 20)))  # fmt: skip
    await pil.confirm_consultation(w.liaison_a, p1, await _version(p1), now=at(date(2026, 6, 22)))
    await pil.terminate(w.chief, p1, await _version(p1), reason=TerminationReason.FULLY_PERFORMED,
                        decided_on=date(2026, 6, 30), now=at(date(2026, 6, 30)))  # fmt: skip
    p2 = await _pil_case(w, 2)
    change = await pil.draft_recommendation(
        w.prosecutor, p2, await _version(p2), doc_no="宿检行公建〔2026〕2号", title="诉前检察建议",
        issues="水体黑臭", suggestions="限期整治", now=at(date(2026, 7, 1)))  # fmt: skip
    r5 = int(change.event.payload["recommendationId"])
    day = date(2026, 9, 1)
    await recs.submit_for_approval(w.prosecutor, r5, await _version(r5), now=at(day))
    await recs.approve(w.chief, r5, await _version(r5), now=at(day))
    await recs.serve(w.prosecutor, r5, await _version(r5), served_on=day,
                     method=ServiceMethod.WRITTEN, rule="ji21_2m", now=at(day))  # fmt: skip
    await _reply(w, r5, date(2026, 9, 20), Completeness.FULL)
    await pil.record_follow_up(w.prosecutor, p2, await _version(p2), method=FollowUpMethod.ON_SITE,
                               investigated_on=date(2026, 9, 25), finding="仍有直排",
                               now=at(date(2026, 9, 25)))  # fmt: skip
    await pil.start_litigation_review(w.chief, p2, await _version(p2), comment="未履职",
                                      now=at(date(2026, 9, 28)))  # fmt: skip
    await pil.file_suit(w.chief, p2, await _version(p2), court="宿州市埇桥区人民法院",
                        suit_filed_on=date(2026, 10, 20), indictment_no="宿检行公诉〔2026〕1号",
                        now=at(date(2026, 10, 20)))  # fmt: skip
    r["R5"] = r5
    return {"P1": p1, "P2": p2}


async def _measure(w: World, seq: str, due_on: date | None, ongoing: bool) -> int:
    m = NewMeasure(
        year=2026, task_no=9, task_title="防范化解金融风险", category=Category.RISK, seq=seq,
        text=f"建立金融风险联防机制{seq}", due_on=due_on, ongoing=ongoing, deadline_raw="",
        lead=w.unit_a.id, responsible=(w.procuratorate.id,),
    )  # fmt: skip
    change = await open_measure(w.office, m, issued_on=date(2026, 3, 2), now=at(date(2026, 3, 2)))
    return change.case.id


async def _task_step(who: Any, case_id: int, action: str, day: date, raw: Any = None) -> None:
    v = await _version(case_id)
    if raw is None:
        await take_step(who, case_id, v, action, kind=CaseKind.TASK_MEASURE, now=at(day))
    else:
        await take_form_step(STEPS, who, case_id, v, action, raw, now=at(day))


async def _tasks(w: World) -> dict[str, int]:
    t1 = await _measure(w, "①", date(2026, 4, 30), ongoing=False)
    await _task_step(w.liaison_a, t1, TaskAction.START, date(2026, 4, 1))
    claim = {"completedOn": date(2026, 4, 20), "summary": "已建立联防机制", "evidence": "文件"}
    await _task_step(w.liaison_a, t1, TaskAction.CLAIM_COMPLETE, date(2026, 4, 20), claim)
    await _task_step(w.office, t1, TaskAction.ACCEPT, date(2026, 4, 25))
    t2 = await _measure(w, "②", None, ongoing=True)
    await _task_step(w.liaison_a, t2, TaskAction.START, date(2026, 5, 1))
    report = {"reportedOn": date(2026, 5, 10), "progress": "已开展两次联合排查", "evidence": ""}
    await _task_step(w.liaison_a, t2, TaskAction.REPORT_PROGRESS, date(2026, 5, 10), report)
    t3 = await _measure(w, "③", date(2026, 6, 30), ongoing=False)
    return {"T1": t1, "T2": t2, "T3": t3}


async def build(w: World) -> Data:
    r = await _recommendations(w)
    p = await _pils(w, r)
    t = await _tasks(w)
    return Data(w, r, p, t)
