"""Demo PIL cases from the city document (宿政秘〔2022〕31号, task 11①④⑥ and task 14): the
fields it names — 生态环境, 国有土地使用权出让, 食品安全, 安全生产 — in different states, with
诉前磋商 records (confirmed and awaiting confirmation) and one pre-suit recommendation served,
dated around today and made through the kind's own steps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from hub import clock
from hub.domain.roles import Actor
from hub.kinds.pil_case import steps as pil
from hub.kinds.pil_case.inputs import ensure_domains
from hub.kinds.pil_case.spec import ClueSource, ConsultationForm, TerminationReason
from hub.kinds.recommendation import steps as recs
from hub.kinds.recommendation.models import ServiceMethod
from hub.models import Case, Unit, User
from hub.services.auth import actor_for_user
from hub.services.cases import Change

GAP = timedelta(days=4)  # between two demo steps of one case


@dataclass(frozen=True, slots=True)
class DemoPil:
    unit: str
    prosecutor: str
    title: str
    domain: str
    source: ClueSource
    harm: str
    duty: str
    ago: int  # days before today the clue was received
    steps: tuple[str, ...]
    urgent: bool = False
    measures: str = ""


_FILED = ("assess", "propose", "file")
_SERVED = (*_FILED, "serve")
CASES = (
    DemoPil(
        "ecology_env", "prosecutor", "城区河道黑臭水体治理不到位行政公益诉讼案",
        "ecology_resources", ClueSource.HOTLINE_12345,
        "12345热线多次反映城区某河道水体发黑发臭，沿线存在生活污水直排口，影响周边居民生活",
        "《中华人民共和国水污染防治法》第九条：县级以上人民政府环境保护主管部门对水污染防治实施统一监督管理",
        95, (*_SERVED, "consult", "confirm", "recommend", "submit", "approve", "serve_rec"),
        measures="三个月内完成沿线截污纳管，建立长效巡查机制",
    ),
    DemoPil(
        "natural_resources", "prosecutor", "国有土地使用权出让金未足额征缴行政公益诉讼案",
        "land_grant", ClueSource.OWN_DUTY,
        "两宗经营性用地受让人逾期未缴纳国有土地使用权出让金及违约金，国有财产流失风险较大",
        "《中华人民共和国城市房地产管理法》第十六条；国有土地使用权出让合同约定的催缴职责",
        40, (*_SERVED, "consult"), measures="出让方限期书面催缴，逾期依约解除合同并追缴违约金",
    ),
    DemoPil(
        "market_supervision", "prosecutor2", "农贸市场销售过期食品监管缺位行政公益诉讼案",
        "food_drug", ClueSource.MEMBER_TRANSFER,
        "多家农贸市场摊位销售超过保质期的预包装食品，食品安全隐患突出",
        "《中华人民共和国食品安全法》第六条、第一百一十条", 6, ("assess", "propose"),
    ),
    DemoPil(
        "emergency", "prosecutor", "危险化学品储存场所安全隐患行政公益诉讼案", "work_safety",
        ClueSource.MEDIA,
        "媒体报道某化工企业违规超量储存危险化学品，距居民区不足安全距离，存在重大事故隐患",
        "《中华人民共和国安全生产法》第十条、第七十四条", 22, _FILED, urgent=True,
    ),
    DemoPil(
        "emergency", "prosecutor2", "非煤矿山安全生产监管不到位行政公益诉讼案", "work_safety",
        ClueSource.ASSIGNED, "某非煤矿山未按规定设置安全设施，长期带病生产",
        "《中华人民共和国安全生产法》第十条", 70,
        (*_SERVED, "consult", "confirm", "terminate"),
        measures="责令停产整顿，完成安全设施验收后方可恢复生产",
    ),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class _Cast:
    prosecutor: Actor
    chief: Actor
    liaison: Actor


def _at(day: date) -> datetime:
    return datetime.combine(day, time(10), tzinfo=clock.BUSINESS_TZ)


Step = Callable[[_Cast, int, int, date, datetime], Awaitable[Change]]


async def _on_recommendation(case_id: int, step: Callable[[int, int], Awaitable[Change]]) -> Change:
    """A step of the PIL case's recommendation, which is its own case with its own version."""
    rec = await pil.linked_recommendation(case_id)
    assert rec is not None
    return await step(rec.id, rec.version)


def _steps(case: DemoPil, n: int) -> dict[str, Step]:
    return {
        "assess": lambda w, i, v, d, at: pil.assess_clue(
            w.prosecutor, i, v, now=at,
            assessment="线索基本属实，行政机关可能存在未依法全面履职情形，建议立案"),
        "propose": lambda w, i, v, d, at: pil.propose_filing(w.prosecutor, i, v, now=at),
        "file": lambda w, i, v, d, at: pil.file_case(
            w.chief, i, v, filing_decision_no=f"宿检行公立〔{d.year}〕{n}号", filed_on=d, now=at),
        "serve": lambda w, i, v, d, at: pil.serve_filing_decision(w.prosecutor, i, v, served_on=d,
                                                                  now=at),
        "consult": lambda w, i, v, d, at: pil.record_consultation(
            w.prosecutor, i, v, form=ConsultationForm.MEETING, held_on=d,
            participants="承办检察官、行政机关分管负责人及业务科室负责人",
            agreed_measures=case.measures,
            minutes="双方就公益受损事实、行政机关职责及整改措施交换意见并形成共识", now=at),
        "confirm": lambda w, i, v, d, at: pil.confirm_consultation(
            w.liaison, i, v, note="经核对，磋商记录属实", now=at),
        "recommend": lambda w, i, v, d, at: pil.draft_recommendation(
            w.prosecutor, i, v, doc_no=f"宿检行公建〔{d.year}〕{n}号",
            title="关于督促依法履行水污染防治监管职责的检察建议",
            issues="城区河道沿线生活污水直排，水体黑臭问题长期未解决",
            suggestions="一、依法查处沿线违法排污行为；二、限期完成截污纳管；三、建立长效监管机制。",
            legal_basis="《中华人民共和国水污染防治法》第九条", now=at),
        "submit": lambda w, i, v, d, at: _on_recommendation(
            i, lambda r, rv: recs.submit_for_approval(w.prosecutor, r, rv, now=at)),
        "approve": lambda w, i, v, d, at: _on_recommendation(
            i, lambda r, rv: recs.approve(w.chief, r, rv, now=at)),
        "serve_rec": lambda w, i, v, d, at: _on_recommendation(
            i, lambda r, rv: recs.serve(w.prosecutor, r, rv, served_on=d,
                                        method=ServiceMethod.WRITTEN, rule="ji21_2m", now=at)),
        "terminate": lambda w, i, v, d, at: pil.terminate(
            w.chief, i, v, reason=TerminationReason.FULLY_PERFORMED, decided_on=d,
            note="经磋商，行政机关已责令停产整顿并完成整改验收", now=at),
    }  # fmt: skip


async def load_demo(units: dict[str, Unit], users: dict[str, User]) -> int:
    """The demo PIL cases (and the one recommendation drafted from them); returns how many
    PIL cases were made."""
    await ensure_domains()
    today = clock.today()
    by_id = {unit.id: unit for unit in units.values()}

    def actor(username: str) -> Actor:
        return actor_for_user(users[username], by_id[users[username].unit_id])

    for n, case in enumerate(CASES, start=1):
        who = _Cast(actor(case.prosecutor), actor("chief"), actor(f"liaison_{case.unit}"))
        day = today - timedelta(days=case.ago)
        change = await pil.create_pil_case(who.prosecutor, pil.NewPilCase(
            case_no=f"宿检行公〔{today.year}〕{n}号", title=case.title,
            agency_unit_id=units[case.unit].id, clue_source=case.source,
            clue_received_on=day, domain_code=case.domain, harm_description=case.harm,
            duty_basis=case.duty, department="第五检察部", urgent=case.urgent,
            internal_note="承办检察官意见：同步固定证据，注意与行政机关沟通方式。",
        ), now=_at(day))  # fmt: skip
        case_id, version, steps = change.case.id, change.case.version, _steps(case, n)
        for name in case.steps:
            day = min(day + GAP, today)
            change = await steps[name](who, case_id, version, day, _at(day))
            if change.case.id == case_id:
                version = change.case.version
            else:  # a step of the linked recommendation: the PIL case did not move
                version = (await Case.get(id=case_id)).version
    return len(CASES)
