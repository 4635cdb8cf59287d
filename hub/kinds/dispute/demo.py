"""Demo disputes from the city document (宿政秘〔2022〕31号): disputes over approvals, licences
and expropriation (task 1①, task 6①) handled with 调查核实, 公开听证 and 司法救助 (task 5③),
in different states, dated around today and made through the dispute's own steps."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from hub import clock
from hub.domain.roles import Actor
from hub.kinds.dispute import aid, resolution
from hub.kinds.dispute import steps as disputes
from hub.kinds.dispute.checks import Applicant
from hub.kinds.dispute.spec import (
    Action,
    ActType,
    AidDecision,
    ApplicantKind,
    FollowUpResult,
    InvestigationMethod,
    Outcome,
    RiskLevel,
    Stage,
)
from hub.kinds.recommendation.spec import RecommendationType
from hub.models import Unit, User
from hub.services.auth import actor_for_user
from hub.services.cases import Change

GAP = timedelta(days=3)  # between two demo steps of one dispute


@dataclass(frozen=True, slots=True)
class DemoDispute:
    unit: str
    prosecutor: str
    title: str
    stage: Stage
    act_type: ActType
    applicants: tuple[Applicant, ...]
    core_demand: str
    risk: RiskLevel
    ago: int  # days before today it was registered
    steps: tuple[str, ...]
    amount: Decimal | None = None
    outcome: Outcome = Outcome.SETTLED


def _person(name: str, contact: str = "") -> Applicant:
    return Applicant(name, ApplicantKind.PERSON, contact)


_ACCEPTED = ("submit", "accept", "investigate")
CASES = (
    DemoDispute(
        "natural_resources", "prosecutor", "王某等诉市自然资源和规划局集体土地征收补偿争议",
        Stage.LITIGATION, ActType.EXPROPRIATION,
        (_person("王某", "13905570001"), _person("王某某")),
        "提高征收补偿标准，补发安置补助费", RiskLevel.HIGH, 45,
        (*_ACCEPTED, "public_hearing", "hearing_result", "plan", "aid", "approve_aid", "pay_aid",
         "resolve"), Decimal("386000"), Outcome.JUDICIAL_AID,
    ),
    DemoDispute(
        "housing_urban_rural", "prosecutor", "李某诉市住房城乡建设局国有土地上房屋征收补偿争议",
        Stage.RECONSIDERATION, ActType.EXPROPRIATION, (_person("李某", "13905570002"),),
        "撤销房屋征收补偿决定，重新评估", RiskLevel.HIGH, 60,
        (*_ACCEPTED, "private_hearing", "hearing_result", "recommend", "plan", "resolve"),
        Decimal("1250000"), Outcome.RECOMMENDATION_ISSUED,
    ),
    DemoDispute(
        "market_supervision", "prosecutor2", "宿州某餐饮管理有限公司诉市市场监管局食品经营许可争议",
        Stage.JUDGMENT_SUPERVISION, ActType.LICENSING,
        (Applicant("宿州某餐饮管理有限公司", ApplicantKind.ORGANISATION, "0557-3012345"),),
        "依法办理食品经营许可延续", RiskLevel.MEDIUM, 12, (*_ACCEPTED, "materials"),
    ),
    DemoDispute(
        "market_supervision", "prosecutor", "某个体工商户诉市市场监管局营业执照登记争议",
        Stage.PRE_LITIGATION, ActType.REGISTRATION, (_person("陈某", "13905570003"),),
        "撤销注销登记，恢复营业执照", RiskLevel.LOW, 70,
        (*_ACCEPTED, "plan", "confirm", "resolve", "follow_up"), outcome=Outcome.AGENCY_CORRECTED,
    ),
    DemoDispute(
        "natural_resources", "prosecutor2", "某置业公司诉市自然资源和规划局建设用地规划审批争议",
        Stage.PRE_LITIGATION, ActType.APPROVAL,
        (Applicant("宿州某置业有限公司", ApplicantKind.ORGANISATION, "0557-3023456"),),
        "依法作出建设用地规划许可审批决定", RiskLevel.MEDIUM, 20,
        (*_ACCEPTED, "not_resolved", "terminate"),
    ),
    DemoDispute(
        "housing_urban_rural", "prosecutor", "某建筑公司诉市住房城乡建设局施工许可审批争议",
        Stage.PETITION, ActType.APPROVAL,
        (Applicant("宿州某建筑工程有限公司", ApplicantKind.ORGANISATION),),
        "及时办理建筑工程施工许可审批", RiskLevel.MEDIUM, 4, ("submit",),
    ),
    DemoDispute(
        "natural_resources", "prosecutor", "赵某诉市自然资源和规划局不动产登记争议",
        Stage.PETITION, ActType.REGISTRATION, (_person("赵某"),),
        "更正不动产登记簿记载的权利人", RiskLevel.LOW, 2, (),
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


def _steps(case: DemoDispute) -> dict[str, Step]:
    def hearing(public: bool) -> Step:
        comment = "" if public else "涉及当事人个人隐私，不公开听证"
        return lambda w, i, v, d, at: disputes.schedule_hearing(
            w.prosecutor, i, v, hearing_on=d, public=public, venue="市检察院检察听证室",
            hearing_officers="人大代表、政协委员、人民监督员及律师各一名", comment=comment,
            now=at)  # fmt: skip

    return {
        "submit": lambda w, i, v, d, at: disputes.step(
            w.prosecutor, i, v, Action.SUBMIT_FOR_ACCEPTANCE, now=at),
        "accept": lambda w, i, v, d, at: disputes.step(w.chief, i, v, Action.ACCEPT, now=at),
        "investigate": lambda w, i, v, d, at: disputes.record_investigation(
            w.prosecutor, i, v, investigated_on=d, method=InvestigationMethod.FILE_REVIEW,
            finding="调阅行政卷宗，查明行政行为作出过程及争议焦点", now=at),
        "materials": lambda w, i, v, d, at: disputes.submit_materials(
            w.liaison, i, v, content="报送行政行为依据、决定书及送达材料", now=at),
        "public_hearing": hearing(True),
        "private_hearing": hearing(False),
        "hearing_result": lambda w, i, v, d, at: disputes.record_hearing(
            w.prosecutor, i, v, held_on=d, result="听证员一致建议在法律框架内协调化解", now=at),
        "recommend": lambda w, i, v, d, at: resolution.issue_recommendation(
            w.prosecutor, i, v, rec_type=RecommendationType.SOCIAL_GOVERNANCE,
            doc_no=f"宿检行（化）建〔{d.year}〕1号", title="关于规范房屋征收补偿评估程序的检察建议",
            issues="房屋征收评估结果送达、复核程序不规范，引发行政争议",
            suggestions="一、规范评估结果送达；二、完善复核评估程序。", now=at),
        "plan": lambda w, i, v, d, at: disputes.propose_plan(
            w.prosecutor, i, v, content="行政机关依法重新审查并说明理由，申请人撤回申请",
            parties="申请人、被申请行政机关、检察机关", agreed_on=d,
            agreed_by="申请人及被申请行政机关", now=at),
        "confirm": lambda w, i, v, d, at: disputes.confirm_plan(w.liaison, i, v, now=at),
        "aid": lambda w, i, v, d, at: aid.apply_judicial_aid(
            w.prosecutor, i, v, amount=Decimal("30000"), applied_on=d,
            reason="申请人因案致贫，家庭生活困难", now=at),
        "approve_aid": lambda w, i, v, d, at: aid.decide_judicial_aid(
            w.chief, i, v, decision=AidDecision.APPROVED, decided_on=d, now=at),
        "pay_aid": lambda w, i, v, d, at: aid.record_aid_payment(w.prosecutor, i, v, paid_on=d,
                                                                now=at),
        "resolve": lambda w, i, v, d, at: resolution.resolve(
            w.prosecutor, i, v, outcome=case.outcome, resolved_on=d,
            summary="经释法说理和协调，申请人表示息诉罢访", now=at),
        "follow_up": lambda w, i, v, d, at: resolution.record_follow_up(
            w.prosecutor, i, v, result=FollowUpResult.PERFORMED, checked_on=d,
            finding="回访核实，行政机关已按方案履行", now=at),
        "not_resolved": lambda w, i, v, d, at: resolution.declare_not_resolved(
            w.prosecutor, i, v, reasons="申请人坚持原诉求，经多次协调未能达成一致", now=at),
        "terminate": lambda w, i, v, d, at: disputes.step(w.chief, i, v, Action.TERMINATE, now=at),
    }  # fmt: skip


async def load_demo(units: dict[str, Unit], users: dict[str, User]) -> int:
    """The demo disputes; returns how many were made."""
    today = clock.today()
    by_id = {unit.id: unit for unit in units.values()}

    def actor(username: str) -> Actor:
        return actor_for_user(users[username], by_id[users[username].unit_id])

    for n, case in enumerate(CASES, start=1):
        who = _Cast(actor(case.prosecutor), actor("chief"), actor(f"liaison_{case.unit}"))
        day = today - timedelta(days=case.ago)
        change = await disputes.create_dispute(who.prosecutor, disputes.NewDispute(
            case_no=f"宿检行化〔{today.year}〕{n}号", title=case.title, stage=case.stage,
            agency_unit_id=units[case.unit].id, act_type=case.act_type,
            applicants=case.applicants, core_demand=case.core_demand, petition_risk=case.risk,
            amount=case.amount, internal_note="承办检察官意见：注意信访风险，同步开展释法说理。",
        ), now=_at(day))  # fmt: skip
        version, steps = change.case.version, _steps(case)
        for name in case.steps:
            day = min(day + GAP, today)
            change = await steps[name](who, change.case.id, version, day, _at(day))
            version = change.case.version
    return len(CASES)
