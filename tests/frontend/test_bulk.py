"""批量操作 in the browser: the Office selects the overdue cards and urges them at once; the
header names each person once; dates read one way in text and another in dense cells."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from playwright.async_api import expect

from hub.models import Case, CaseEvent, User
from tests.factories import World, served
from tests.frontend.conftest import Browsers

SHOTS = Path(os.environ.get("HUB_SHOTS", "/tmp/shots/D"))


@pytest.fixture
def shots() -> Path:
    """Where the screenshots of this file go (looked at by hand)."""
    return SHOTS


async def test_the_office_urges_the_overdue_cards_at_once(
    world: World, browsers: Browsers, shots: Path
) -> None:
    late_a = await served(world, served_on=date(2026, 9, 9))
    late_b = await served(world, served_on=date(2026, 9, 10))
    foreign = await served(world, served_on=date(2026, 9, 11), addressee=world.unit_b)
    on_time = await served(world, served_on=date(2026, 11, 30))  # due 2027-01-30
    office = await browsers.open("office")
    page = office.page

    toggle = page.get_by_role("button", name="批量操作")
    await toggle.click()
    await expect(toggle).to_have_attribute("aria-pressed", "true")
    await page.get_by_role("button", name="全选逾期").click()
    await expect(page.locator(".bulk-count")).to_have_text("已选 3 件")
    await office.card(on_time.case_no).get_by_role("checkbox").check()  # not overdue yet
    await expect(page.locator(".bulk-count")).to_have_text("已选 4 件")
    # Meanwhile someone urges one of them: its step is refused, the others are not.
    await Case.filter(id=foreign.id).update(version=foreign.version + 5)

    await page.locator(".bulk-step", has_text="督促回复").click()
    await page.get_by_label("说明（选填）").fill("请于三日内书面回复。")
    await office.dialog.get_by_role("button", name="督促回复 4 件").click()

    summary = page.locator(".bulk-summary")
    await expect(summary).to_contain_text("已督促回复 2 件，2 件未能督促回复：")
    await expect(summary).to_contain_text(f"{on_time.case_no}：尚未逾期，不能督促回复")
    await expect(summary).to_contain_text(f"{foreign.case_no}：该检察建议已被他人修改")
    for rec in (late_a, late_b):
        await expect(office.card(rec.case_no)).to_have_attribute(
            "data-version", str(rec.version + 1)
        )
        event = await CaseEvent.filter(case_id=rec.id).order_by("-seq").first()
        assert event is not None and (event.action, event.comment) == (
            "urge",
            "请于三日内书面回复。",
        )
    for rec in (foreign, on_time):
        assert await CaseEvent.filter(case_id=rec.id, action="urge").count() == 0
    await page.screenshot(path=shots / "bulk-office-1440.png")
    # The refused ones stay selected, to look at or try again.
    await expect(page.locator(".bulk-count")).to_have_text("已选 2 件")
    await expect(office.card(on_time.case_no).get_by_role("checkbox")).to_be_checked()


async def test_a_liaison_has_no_bulk_toggle(world: World, browsers: Browsers) -> None:
    await served(world, served_on=date(2026, 9, 9))
    liaison = await browsers.open("liaison_a")
    await expect(liaison.page.locator("#board .card")).to_have_count(1)
    await expect(liaison.page.get_by_role("button", name="批量操作")).to_have_count(0)
    await expect(liaison.page.locator("#bulk")).to_be_hidden()


async def test_dates_read_one_way_in_text_and_another_in_cells(
    world: World, browsers: Browsers, shots: Path
) -> None:
    rec = await served(world, served_on=date(2026, 9, 9))
    office = await browsers.open("office")
    await office.card(rec.case_no).get_by_role("link").click()
    box = office.detail.locator(".deadline-box")
    await expect(box.locator("strong")).to_have_text("回复期限：2026年11月9日")
    await expect(box.locator(".clock-explanation")).to_have_text(
        "2026年9月9日送达，期限两个月，届满日为2026年11月9日。"
    )
    await expect(office.detail.locator(".timeline time").first).to_have_text(
        re.compile(r"^2026年\d{1,2}月\d{1,2}日 \d{2}:\d{2}$")
    )
    await office.detail.screenshot(path=shots / "detail-office-1440.png")
    said = await office.page.evaluate(
        """async () => {
          const d = await import("/js/dates.js");
          return [d.textDate("2026-12-02"), d.textDateTime("2026-12-02T06:05:00Z"),
                  d.cellDate("2026-12-02"), d.cellDateTime("2026-12-02T06:05:00Z"),
                  d.cellDate("2026-12-02T17:00:00Z"), d.textDateTime("2026-12-02"), d.days(3)];
        }"""
    )
    assert said == ["2026年12月2日", "2026年12月2日 14:05", "2026-12-02", "2026-12-02 14:05",
                    "2026-12-03", "2026年12月2日", "3日"]  # fmt: skip


async def test_the_header_names_each_part_once(
    world: World, browsers: Browsers, shots: Path
) -> None:
    await User.filter(username="office").update(display_name="王敏（府检联动办公室）")
    for username, parts in (
        ("office", ["王敏", "府检联动办公室", "宿州市人民检察院"]),
        ("liaison_a", ["liaison_a-姓名", "联络员", "市生态环境局"]),
    ):
        for width, height in ((1440, 900), (390, 844)):
            board = await browsers.open(username, viewport={"width": width, "height": height})
            who = board.page.locator("#who")
            await expect(who).to_have_attribute("title", " · ".join(parts))
            await expect(board.page.locator("#who-name")).to_have_text(parts[0])
            if width == 1440:
                await expect(who).to_have_text(re.compile(r"\s*".join(map(re.escape, parts))))
            await board.page.locator(".topbar").screenshot(
                path=shots / f"header-{username}-{width}.png"
            )
            await board.page.context.close()
            browsers.boards.remove(board)


async def test_bulk_mode_on_a_phone(world: World, browsers: Browsers, shots: Path) -> None:
    late = await served(world, served_on=date(2026, 9, 9))
    office = await browsers.open("office", viewport={"width": 390, "height": 844}, has_touch=True)
    await office.page.get_by_role("button", name="批量操作").click()
    await office.page.get_by_role("button", name="全选逾期").click()
    await expect(office.card(late.case_no).get_by_role("checkbox")).to_be_checked()
    await expect(office.page.locator(".bulk-step")).to_be_enabled()
    await office.page.screenshot(path=shots / "bulk-office-390.png")
