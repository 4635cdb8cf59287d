"""The boards of the other kinds in Chromium: a PIL case and a dispute taken through their
lifecycles in the UI, each person in their own browser context, against a real hub server.

Every dialog is the one the server's form describes; what the agency's liaison sees arrives
live; a liaison of another unit receives none of it, neither in the page nor on the wire.
"""

from __future__ import annotations

import base64
import re
from datetime import timedelta

import pytest
from playwright.async_api import Locator, expect

from hub import clock
from hub.domain.clock_rules import Pause, compute_clock
from hub.domain.engine import ClockStatus
from hub.domain.kinds import ClockOp
from hub.kinds.dispute.models import DisputeApplicant, DisputeHearing
from hub.kinds.pil_case import steps as pil
from hub.kinds.pil_case.inputs import ensure_domains
from hub.kinds.pil_case.models import PilConsultation
from hub.kinds.pil_case.presuit import draft_recommendation
from hub.kinds.pil_case.spec import ClueSource
from hub.models import Case, CaseClock, ClockAdjustment, Unit
from hub.services.calendar import current_calendar
from tests.factories import World, served
from tests.frontend.conftest import BoardPage, Browsers

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

PIL_LABEL = "行政公益诉讼案件"
DISPUTE_LABEL = "行政争议实质性化解"


def global_id(type_name: str, case_id: int) -> str:
    return base64.b64encode(f"{type_name}:{case_id}".encode()).decode()


async def confirm(board: BoardPage, heading: str) -> None:
    """Submit the open dialog (whose heading is ``heading``) and wait for it to close."""
    dialog = board.dialog
    await expect(dialog.get_by_role("heading", level=2)).to_have_text(heading)
    await dialog.locator("button[type=submit]").click()
    await expect(board.dialog).to_have_count(0)


async def drag(board: BoardPage, case_no: str, column: str) -> Locator:
    """Drag a card onto a column; returns the step dialog that opens."""
    await board.card(case_no).drag_to(board.column(column))
    await expect(board.dialog).to_be_visible()
    return board.dialog


async def not_seen(board: BoardPage, *texts: str) -> None:
    """None of ``texts`` is in the page, nor in any WebSocket frame the browser received."""
    content = await board.page.content()
    frames = board.received_text()
    for text in texts:
        assert text not in content, f"{text!r} reached {board.label}'s page"
        assert text not in frames, f"{text!r} reached {board.label}'s WebSocket"


async def test_a_pil_case_from_clue_through_consultation_to_termination(
    world: World, browsers: Browsers
) -> None:
    await ensure_domains()
    case_no, title = "宿检行公立〔2026〕7号", "市区河道黑臭水体污染公益诉讼案"
    prosecutor = await browsers.open("prosecutor")
    chief = await browsers.open("chief", path="/#/board/pil_case")
    liaison = await browsers.open("liaison_a", path="/#/board/pil_case")
    other = await browsers.open("liaison_b", path="/#/board/pil_case")
    for board in (prosecutor, chief, liaison, other):
        await board.page.evaluate("window.__notReloaded = true")
    await expect(chief.page.locator("#board-title")).to_have_text(f"{PIL_LABEL}看板")

    # The prosecutor switches boards with the kind tabs; the URL keeps the kind.
    await expect(prosecutor.page.locator("#board-title")).to_have_text("检察建议看板")
    await prosecutor.show_kind(PIL_LABEL, "PIL_CASE")
    assert prosecutor.page.url.endswith("#/board/pil_case")
    page = prosecutor.page
    await expect(page.locator(".column-label").first).to_have_text("线索")

    # 新建: the dialog is the server's create form; required fields are checked.
    await page.get_by_role("button", name=f"新建{PIL_LABEL}").click()
    dialog = prosecutor.dialog
    await expect(dialog.get_by_role("heading", level=2)).to_have_text(f"新建{PIL_LABEL}")
    await dialog.get_by_role("button", name="创建").click()
    await expect(dialog.get_by_role("alert")).to_have_text("请填写案件编号")
    await expect(dialog.get_by_label("案件编号")).to_have_attribute("aria-invalid", "true")
    await dialog.get_by_label("案件编号").fill(case_no)
    await dialog.get_by_label("案件名称").fill(title)
    await dialog.get_by_label("被监督行政机关").select_option(label="市生态环境局")
    await dialog.get_by_label("线索来源").select_option(label="12345政务服务便民热线")
    await expect(dialog.get_by_label("线索受理日期")).to_have_value(clock.today().isoformat())
    await dialog.get_by_label("领域").select_option(label="生态环境和资源保护")
    await dialog.get_by_label("公益受损情况").fill("城区河道长期黑臭，沿岸居民反映强烈。")
    await dialog.get_by_label("内部备注").fill("内部：拟优先磋商")
    await dialog.get_by_role("button", name="创建").click()
    await expect(prosecutor.dialog).to_have_count(0)
    card = prosecutor.card_in("CLUE", case_no)
    await expect(card).to_be_visible()
    await expect(card.locator(".card-line")).to_have_text("市生态环境局 · 生态环境和资源保护")
    case = await Case.get(case_no=case_no)
    gid = global_id("PilCase", case.id)
    # It opens in the detail panel, linked by its own URL.
    detail = prosecutor.detail
    await expect(detail.get_by_role("heading", name=title)).to_be_visible()
    assert page.url.endswith(f"#/case/{gid}")
    await expect(detail).to_contain_text("线索来源12345政务服务便民热线")
    await expect(detail).to_contain_text("被监督行政机关市生态环境局")
    await expect(detail).to_contain_text("承办检察官prosecutor-姓名")
    await expect(detail).to_contain_text("内部：拟优先磋商")

    # 评估线索 from the detail panel; the card stays in 线索 with its new state.
    await detail.get_by_role("button", name="评估线索").click()
    await prosecutor.dialog.get_by_label("评估意见").fill("属于行政机关未依法履职，建议立案。")
    await confirm(prosecutor, "评估线索")
    await expect(card).to_have_attribute("data-state", "ASSESSED")
    await expect(detail.locator(".timeline")).to_contain_text("评估线索")

    # 提请立案 by dragging to 待批准立案; the chief sees it arrive, the agency does not.
    dialog = await drag(prosecutor, case_no, "PENDING_FILING")
    await expect(dialog.locator(".dialog-route")).to_have_text("从“线索”移至“待批准立案”")
    await confirm(prosecutor, "提请立案")
    await expect(prosecutor.card_in("PENDING_FILING", case_no)).to_be_visible()
    await expect(chief.card_in("PENDING_FILING", case_no)).to_be_visible()

    # The chief files it in their own browser: the filing clock starts, with its basis.
    dialog = await drag(chief, case_no, "FILED")
    await dialog.get_by_label("立案决定书文号").fill("宿检行公立〔2026〕7号-决定")
    await expect(dialog.get_by_label("立案日期")).to_have_value(clock.today().isoformat())
    await confirm(chief, "决定立案")
    filed = chief.card_in("FILED", case_no)
    await expect(filed).to_be_visible()
    await expect(filed.locator(".chip")).to_have_text(re.compile(r"^剩余 \d+日(暂定)?$"))
    await expect(prosecutor.card_in("FILED", case_no)).to_be_visible()
    clock_box = detail.locator('.deadline-box[data-clock="filing_service"]')
    await expect(clock_box).to_contain_text("立案决定书送达期限")
    await expect(clock_box.locator(".clock-explanation")).to_contain_text("立案")
    await expect(clock_box.locator(".clock-basis")).to_contain_text(
        "依据：《人民检察院公益诉讼办案规则》"
    )
    await expect(liaison.card(case_no)).to_have_count(0)

    # Serving the filing decision is what shows the case to the agency: live, in 已立案.
    await detail.get_by_role("button", name="送达立案决定书").click()
    await expect(prosecutor.dialog.get_by_label("送达日期")).to_have_value(
        clock.today().isoformat()
    )
    await confirm(prosecutor, "送达立案决定书")
    await expect(prosecutor.card(case_no)).to_have_attribute("data-state", "FILING_SERVED")
    seen = liaison.card_in("FILED", case_no)
    await expect(seen).to_be_visible()
    await expect(seen).to_have_attribute("data-state", "FILING_SERVED")

    # 记录诉前磋商: a consultation record the agency is to confirm.
    dialog = await drag(prosecutor, case_no, "CONSULTING")
    await dialog.get_by_label("磋商方式").select_option(label="座谈会")
    await dialog.get_by_label("参加人员").fill("承办检察官、市生态环境局分管负责人")
    await dialog.get_by_label("行政机关认可的整改措施").fill("三个月内完成截污纳管。")
    await dialog.get_by_label("磋商纪要或记录").fill("双方确认河道污染事实及整改时限。")
    await confirm(prosecutor, "记录诉前磋商")
    await expect(detail.locator('[data-section="诉前磋商"]')).to_contain_text("待行政机关确认")
    # The chief may not close it while the record awaits the agency: no step, no drag.
    await expect(chief.card_in("CONSULTING", case_no)).to_be_visible()
    await expect(chief.card(case_no).get_by_role("button", name="操作")).to_have_count(0)
    await expect(chief.card(case_no)).to_have_attribute("draggable", "false")

    # The liaison sees the record arrive and confirms it in their own browser.
    await expect(liaison.card_in("CONSULTING", case_no)).to_be_visible()
    await liaison.card(case_no).get_by_role("link").click()
    mine = liaison.detail
    await expect(mine.locator('[data-section="诉前磋商"]')).to_contain_text(
        "三个月内完成截污纳管。"
    )
    await expect(mine).not_to_contain_text("内部：拟优先磋商")
    await expect(mine).not_to_contain_text("属于行政机关未依法履职")  # the internal assessment
    await mine.get_by_role("button", name="确认磋商记录").click()
    await liaison.dialog.get_by_label("确认意见").fill("情况属实，按纪要落实。")
    await confirm(liaison, "确认磋商记录")
    await expect(mine.locator('[data-section="诉前磋商"]')).to_contain_text("行政机关已确认")
    # The prosecutor's open panel shows the confirmation without a reload.
    await expect(detail.locator('[data-section="诉前磋商"]')).to_contain_text(
        "行政机关已确认（liaison_a-姓名"
    )
    consultation = await PilConsultation.get(case_id=case.id)
    assert consultation.confirmed_by.startswith("liaison_a-姓名")

    # After performance the chief terminates the case: it goes to the collapsed 已终结.
    dialog = await drag(chief, case_no, "CLOSED_TERMINATED")
    await dialog.get_by_label("终结理由").select_option(label="行政机关已全面履职")
    await dialog.get_by_label("说明（理由为“其他”时必填）").fill("经回访，河道水质达标。")
    await confirm(chief, "终结案件")
    for board in (chief, prosecutor, liaison):
        await expect(board.card(case_no)).to_have_attribute("data-column", "CLOSED_TERMINATED")
    await expect(chief.column("CLOSED_TERMINATED")).to_have_class(re.compile(r"\bcollapsed\b"))
    await expect(detail.locator(".detail-tags")).to_contain_text("已终结")
    await expect(detail).to_contain_text("行政机关已全面履职")
    assert (await Case.get(id=case.id)).state == "closed_terminated"

    # A liaison of another unit received none of it, and a deep link answers as unknown.
    await not_seen(other, case_no, title, gid)
    await other.page.goto(f"{browsers.base_url}/#/case/{gid}")
    await expect(other.alert("案件不存在，或您无权查看")).to_be_visible()
    await not_seen(other, case_no, title)
    for board in (prosecutor, chief, liaison):
        assert await board.page.evaluate("window.__notReloaded") is True


async def test_a_dispute_through_a_hearing_to_resolution(world: World, browsers: Browsers) -> None:
    case_no, title = "宿检行争〔2026〕3号", "王某与市生态环境局行政处罚争议"
    prosecutor = await browsers.open("prosecutor", path="/#/board/dispute")
    chief = await browsers.open("chief", path="/#/board/dispute")
    liaison = await browsers.open("liaison_a", path="/#/board/dispute")
    other = await browsers.open("liaison_b", path="/#/board/dispute")
    page = prosecutor.page
    await expect(page.locator("#board-title")).to_have_text(f"{DISPUTE_LABEL}看板")
    tab = page.get_by_role("navigation", name="案件类型").get_by_role("link", name=DISPUTE_LABEL)
    await expect(tab).to_have_attribute("aria-current", "page")

    # 登记: the applicants are a list of rows in the create form.
    await page.get_by_role("button", name=f"新建{DISPUTE_LABEL}").click()
    dialog = prosecutor.dialog
    await dialog.get_by_label("案号", exact=True).fill(case_no)
    await dialog.get_by_label("案件名称").fill(title)
    await dialog.get_by_label("争议所处阶段").select_option(label="行政复议")
    await dialog.get_by_label("被申请行政机关").select_option(label="市生态环境局")
    await dialog.get_by_label("行政行为类型").select_option(label="行政处罚")
    applicants = dialog.get_by_role("group", name="申请人")
    await applicants.get_by_label("姓名或名称").fill("王某")
    await applicants.get_by_role("button", name="添加申请人").click()
    await applicants.locator(".list-row").nth(1).get_by_label("姓名或名称").fill("某某养殖场")
    await (
        applicants.locator(".list-row")
        .nth(1)
        .get_by_label("类型")
        .select_option(label="法人或其他组织")
    )
    await dialog.get_by_label("核心诉求").fill("请求撤销罚款决定。")
    await dialog.get_by_label("涉案金额（元）").fill("50000")
    await dialog.get_by_label("信访风险等级").select_option(label="中")
    await dialog.get_by_role("button", name="创建").click()
    await expect(prosecutor.dialog).to_have_count(0)
    await expect(prosecutor.card_in("INTAKE", case_no)).to_be_visible()
    case = await Case.get(case_no=case_no)
    gid = global_id("Dispute", case.id)
    names = (
        await DisputeApplicant.filter(case_id=case.id).order_by("id").values_list("name", "kind")
    )
    assert [(n, k.value) for n, k in names] == [("王某", "person"), ("某某养殖场", "organisation")]

    # The draft is edited in the UI with its edit form, starting from its values.
    detail = prosecutor.detail
    await detail.get_by_role("button", name="修改草稿").click()
    dialog = prosecutor.dialog
    await expect(dialog.get_by_label("案件名称")).to_have_value(title)
    await expect(dialog.get_by_label("被申请行政机关")).to_have_value(
        base64.b64encode(f"Unit:{world.unit_a.id}".encode()).decode()
    )
    await expect(dialog.get_by_role("group", name="申请人").locator(".list-row")).to_have_count(2)
    await dialog.get_by_label("核心诉求").fill("请求撤销罚款决定并返还罚款。")
    await confirm(prosecutor, "修改草稿")
    await expect(detail.locator('[data-section="核心诉求"]')).to_contain_text("并返还罚款")

    # 提请受理 → the chief accepts it in their browser; now the agency sees it, live.
    await confirm_step(prosecutor, case_no, "PENDING_ACCEPTANCE", "提请受理")
    await expect(chief.card_in("PENDING_ACCEPTANCE", case_no)).to_be_visible()
    await expect(liaison.card(case_no)).to_have_count(0)
    await confirm_step(chief, case_no, "ACCEPTED", "批准受理")
    await expect(liaison.card_in("ACCEPTED", case_no)).to_be_visible()
    await expect(liaison.card(case_no).locator(".card-line")).to_have_text(
        "市生态环境局 · 行政复议"
    )

    # 调查核实, then a public hearing scheduled and held.
    dialog = await drag(prosecutor, case_no, "INVESTIGATING")
    await dialog.get_by_label("调查方式").select_option(label="向行政机关了解情况")
    await dialog.get_by_label("调查情况").fill("罚款决定认定事实清楚，但裁量偏重。")
    await confirm(prosecutor, "记录调查核实")
    dialog = await drag(prosecutor, case_no, "HEARING")
    await dialog.get_by_label("听证员").fill("人大代表张某、律师李某")
    await dialog.get_by_label("公开听证").check()
    await dialog.get_by_label("听证地点").fill("市检察院听证室")
    await confirm(prosecutor, "安排听证")
    await expect(liaison.card_in("HEARING", case_no)).to_be_visible()
    hearings = detail.locator('[data-section="听证"]')
    await expect(hearings).to_contain_text("公开听证")
    await expect(hearings).to_contain_text("待举行")
    dialog = await drag(prosecutor, case_no, "INVESTIGATING")
    await dialog.get_by_label("听证结果（听证员意见）").fill("听证员一致认为应当调减罚款。")
    await confirm(prosecutor, "记录听证结果")
    await expect(hearings).to_contain_text("听证员一致认为应当调减罚款。")
    hearing = await DisputeHearing.get(case_id=case.id)
    assert (hearing.public, hearing.result) == (True, "听证员一致认为应当调减罚款。")

    # A resolution plan, confirmed by the agency's liaison; then resolved.
    dialog = await drag(prosecutor, case_no, "MEDIATING")
    await dialog.get_by_label("化解方案", exact=True).fill(
        "行政机关调减罚款至两万元，申请人撤回复议。"
    )
    await dialog.get_by_label("参与各方").fill("申请人、市生态环境局、检察院")
    await dialog.get_by_label("同意方案的各方").fill("申请人、市生态环境局")
    await confirm(prosecutor, "制定化解方案")
    await expect(liaison.card_in("MEDIATING", case_no)).to_be_visible()
    step = await liaison.step(case_no, re.compile("确认化解方案"))
    await step.get_by_label("说明").fill("同意按方案执行。")
    await confirm(liaison, "确认化解方案")
    await expect(detail.locator('[data-section="化解方案"]')).to_contain_text("行政机关已确认")

    dialog = await drag(prosecutor, case_no, "RESOLVED")
    await dialog.get_by_label("化解方式").select_option(label="当事人达成和解")
    await dialog.get_by_label("化解情况").fill("罚款已调减，申请人撤回复议申请。")
    await confirm(prosecutor, "化解成功")
    resolved = prosecutor.card_in("RESOLVED", case_no)
    await expect(resolved.locator(".chip")).to_have_text(re.compile(r"^剩余 \d+日(暂定)?$"))
    follow_up = detail.locator('.deadline-box[data-clock="follow_up"]')
    await expect(follow_up).to_contain_text("跟进核查期限")
    await expect(follow_up.locator(".clock-basis")).to_contain_text("依据：")

    # The follow-up finds it performed: closed, in the collapsed 化解结案.
    dialog = await drag(prosecutor, case_no, "CLOSED_RESOLVED")
    await dialog.get_by_label("核查情况").fill("罚款已按调减后金额缴纳，争议化解。")
    await confirm(prosecutor, "跟进核查：已履行，结案")
    for board in (prosecutor, chief, liaison):
        await expect(board.card(case_no)).to_have_attribute("data-column", "CLOSED_RESOLVED")
    await expect(detail.locator('[data-section="履行回访"]')).to_contain_text("已履行")
    await expect(detail.locator('.deadline-box[data-clock="follow_up"]')).to_contain_text("已停止")
    assert (await Case.get(id=case.id)).state == "closed_resolved"
    assert await CaseClock.filter(case_id=case.id, name="follow_up", status="stopped").exists()

    await not_seen(other, case_no, title, gid)
    assert await other.page.locator(".card").count() == 0


async def confirm_step(board: BoardPage, case_no: str, column: str, heading: str) -> None:
    """A data-less step by drag: its form has only the optional 说明."""
    dialog = await drag(board, case_no, column)
    await expect(dialog.locator(".field")).to_have_count(1)
    await confirm(board, heading)
    await expect(board.card_in(column, case_no)).to_be_visible()


async def pil_served_on(world: World, case_no: str, agency: Unit | None = None) -> Case:
    """A PIL case of unit A (or ``agency``) taken through filing to the served decision."""
    await ensure_domains()
    today = clock.today()
    new = pil.NewPilCase(
        case_no=case_no, title=f"{case_no} 公益诉讼案", agency_unit_id=(agency or world.unit_a).id,
        clue_source=ClueSource.OWN_DUTY, clue_received_on=today, domain_code="food_drug",
        harm_description="食品安全监管不到位。",
    )  # fmt: skip
    c = (await pil.create_pil_case(world.prosecutor, new)).case
    c = (await pil.assess_clue(world.prosecutor, c.id, c.version, assessment="拟立案")).case
    c = (await pil.propose_filing(world.prosecutor, c.id, c.version)).case
    c = (
        await pil.file_case(
            world.chief, c.id, c.version, filing_decision_no=f"{case_no}-立", filed_on=today
        )
    ).case
    return (
        await pil.serve_filing_decision(world.prosecutor, c.id, c.version, served_on=today)
    ).case


async def suspend_reply_clock(rec: Case, reason: str) -> None:
    """The reply clock suspended (中止) two days ago, as a 中止 step would leave it. No kind
    offers that step yet, so the rows are written as clock_apply writes them."""
    row = await CaseClock.get(case_id=rec.id, name="reply")
    on = clock.today() - timedelta(days=2)
    await ClockAdjustment.create(
        clock_id=row.id, op=ClockOp.SUSPEND, start_on=on, reason=reason, approved_by="chief",
        recorded_at=clock.now(),
    )  # fmt: skip
    deadline = compute_clock(
        row.rule, row.started_on, await current_calendar(), pauses=[Pause(on)], start_label="送达"
    )
    await CaseClock.filter(id=row.id).update(
        status=ClockStatus.SUSPENDED, suspended_on=on, due_on=deadline.due_on,
        explanation=deadline.explanation, version=row.version + 1,
    )  # fmt: skip


async def test_links_between_kinds_the_url_and_a_suspended_clock(
    world: World, browsers: Browsers
) -> None:
    pil_case = await pil_served_on(world, "宿检行公立〔2026〕21号")
    drafted = await draft_recommendation(
        world.prosecutor, pil_case.id, pil_case.version, doc_no="宿检行公建〔2026〕21号",
        title="关于督促依法履行食品安全监管职责的检察建议", issues="监管不到位。",
        suggestions="一、依法履职。",
    )  # fmt: skip
    rec = await Case.get(case_no="宿检行公建〔2026〕21号")
    pil_gid, rec_gid = global_id("PilCase", pil_case.id), global_id("Recommendation", rec.id)
    assert drafted.case.id == pil_case.id

    # A deep link opens the case over its own kind's board.
    prosecutor = await browsers.open("prosecutor", path=f"/#/case/{pil_gid}")
    page = prosecutor.page
    await expect(page.locator('#board[data-kind="PIL_CASE"]')).to_be_attached()
    tabs = page.get_by_role("navigation", name="案件类型")
    await expect(tabs.get_by_role("link", name=PIL_LABEL)).to_have_attribute("aria-current", "page")
    detail = prosecutor.detail
    await expect(detail.get_by_role("heading", level=2)).to_have_text(
        "宿检行公立〔2026〕21号 公益诉讼案"
    )
    await expect(prosecutor.card_in("RECOMMENDED", "宿检行公立〔2026〕21号")).to_be_visible()

    # The pre-suit recommendation is linked; following the link changes the board too.
    links = detail.locator('[data-section="关联案件"]')
    await expect(links).to_contain_text("诉前检察建议 · 检察建议")
    await links.get_by_role("link", name=re.compile("宿检行公建〔2026〕21号")).click()
    await expect(page.locator('#board[data-kind="RECOMMENDATION"][data-ready]')).to_be_attached()
    assert page.url.endswith(f"#/case/{rec_gid}")
    await expect(detail.get_by_role("heading", level=2)).to_have_text(
        "关于督促依法履行食品安全监管职责的检察建议"
    )
    await expect(prosecutor.card_in("DRAFT", rec.case_no)).to_be_visible()
    back = detail.locator('[data-section="关联案件"]')
    await expect(back).to_contain_text("所属公益诉讼案件 · 行政公益诉讼案件")
    await back.get_by_role("link").click()
    await expect(page.locator('#board[data-kind="PIL_CASE"][data-ready]')).to_be_attached()
    assert page.url.endswith(f"#/case/{pil_gid}")

    # Closing the panel leaves the kind's board in the URL; a reload keeps it.
    await page.keyboard.press("Escape")
    await expect(detail).to_be_hidden()
    assert page.url.endswith("#/board/pil_case")
    await page.reload()
    await expect(page.locator('#board[data-kind="PIL_CASE"][data-ready]')).to_be_attached()
    await expect(prosecutor.connection).to_have_text("已连接")
    assert prosecutor.subscribe_payloads()[-1]["variables"]["kinds"] == ["PIL_CASE"]

    # A case of another kind never lands on this board, nor reaches it on the wire: a
    # recommendation served now, then a PIL case that does arrive after it.
    other_kind = await served(world, served_on=clock.today() - timedelta(days=20))
    later = await pil_served_on(world, "宿检行公立〔2026〕22号")
    await expect(prosecutor.card_in("FILED", later.case_no)).to_be_visible()
    await expect(prosecutor.card(other_kind.case_no)).to_have_count(0)
    assert other_kind.case_no not in prosecutor.received_text()
    assert {e["case"]["kind"] for e in prosecutor.board_events()} == {"PIL_CASE"}

    # A suspended clock: the card says so and the detail explains the pause.
    await suspend_reply_clock(other_kind, "等待鉴定意见")
    await prosecutor.show_kind("检察建议", "RECOMMENDATION")
    card = prosecutor.card_in("SERVED", other_kind.case_no)
    await expect(card.locator(".chip")).to_have_text("期限中止")
    await card.get_by_role("link").click()
    box = detail.locator('.deadline-box[data-clock="reply"]')
    await expect(box).to_have_attribute("data-status", "SUSPENDED")
    await expect(box.locator(".clock-status")).to_have_text("已中止")
    await expect(box.locator(".clock-explanation")).to_contain_text("中止")
    await expect(box.locator(".clock-basis")).to_contain_text("依据：")

    # The link in emails already sent still opens a recommendation.
    await page.keyboard.press("Escape")
    await page.goto(f"{browsers.base_url}/#/recommendation/{rec_gid}")
    await expect(detail.get_by_role("heading", level=2)).to_have_text(
        "关于督促依法履行食品安全监管职责的检察建议"
    )


async def test_the_other_unit_sees_what_is_theirs_and_nothing_else(
    world: World, browsers: Browsers
) -> None:
    """The negative checks above are only worth something if frames are recorded: the same
    liaison receives, live, a PIL case of their own unit and nothing of unit A's."""
    other = await browsers.open("liaison_b", path="/#/board/pil_case")
    theirs_a = await pil_served_on(world, "宿检行公立〔2026〕31号")
    theirs_b = await pil_served_on(world, "宿检行公立〔2026〕32号", agency=world.unit_b)
    await expect(other.card_in("FILED", theirs_b.case_no)).to_be_visible()
    assert theirs_b.case_no in other.received_text()
    await not_seen(other, theirs_a.case_no, global_id("PilCase", theirs_a.id))
    await expect(other.page.locator(".card")).to_have_count(1)


async def test_a_prosecutor_creates_and_edits_a_recommendation(
    world: World, browsers: Browsers
) -> None:
    prosecutor = await browsers.open("prosecutor")
    page = prosecutor.page
    await page.get_by_role("button", name="新建检察建议").click()
    dialog = prosecutor.dialog
    await dialog.get_by_label("文号").fill("宿检行建〔2026〕900号")
    await dialog.get_by_label("标题").fill("关于规范某项执法的检察建议")
    await dialog.get_by_label("检察建议类型").select_option(label="社会治理检察建议")
    await dialog.get_by_role("button", name="创建").click()
    await expect(dialog.get_by_role("alert")).to_have_text("请选择被建议单位")
    await dialog.get_by_label("被建议单位").select_option(label="市交通运输局")
    await dialog.get_by_label("建议事项").fill("一、依法履职。")
    await dialog.get_by_role("button", name="创建").click()
    await expect(prosecutor.dialog).to_have_count(0)
    card = prosecutor.card_in("DRAFT", "宿检行建〔2026〕900号")
    await expect(card.locator(".card-line")).to_have_text("市交通运输局")
    detail = prosecutor.detail
    await expect(detail.get_by_role("heading", level=2)).to_have_text("关于规范某项执法的检察建议")

    # Its draft is edited from the detail panel; the form starts from its values.
    await detail.get_by_role("button", name="修改草稿").click()
    dialog = prosecutor.dialog
    await expect(dialog.get_by_label("建议事项")).to_have_value("一、依法履职。")
    await dialog.get_by_label("标题").fill("关于规范交通运输执法的检察建议")
    await confirm(prosecutor, "修改草稿")
    await expect(card.locator(".card-title")).to_have_text("关于规范交通运输执法的检察建议")
    await expect(detail.get_by_role("heading", level=2)).to_have_text(
        "关于规范交通运输执法的检察建议"
    )
    saved = await Case.get(case_no="宿检行建〔2026〕900号")
    assert (saved.title, saved.state) == ("关于规范交通运输执法的检察建议", "draft")
