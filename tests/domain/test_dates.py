"""How the hub's sentences word dates and times, and how the header names a person."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from hub.domain.dates import text_date, text_time
from hub.domain.deadlines import Period, PeriodUnit
from hub.domain.identity import Identity, identity_of


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (date(2026, 12, 2), "2026年12月2日"),
        (date(2027, 1, 31), "2027年1月31日"),
        (datetime(2026, 12, 2, 17, 0, tzinfo=UTC), "2026年12月3日"),  # Beijing's date
    ],
)
def test_text_date(value: date, text: str) -> None:
    assert text_date(value) == text


def test_text_time_is_beijing_time() -> None:
    assert text_time(datetime(2026, 12, 2, 6, 5, tzinfo=UTC)) == "2026年12月2日 14:05"
    assert text_time(datetime(2026, 12, 2, 16, 30, tzinfo=UTC)) == "2026年12月3日 00:30"
    with pytest.raises(ValueError, match="naive"):
        text_time(datetime(2026, 12, 2, 6, 5))


def test_periods_say_ri_and_keep_working_days() -> None:
    assert Period(15, PeriodUnit.DAYS).describe() == "15日"
    assert Period(10, PeriodUnit.WORKING_DAYS).describe() == "10个工作日"
    assert PeriodUnit.WORKING_DAYS.zh == "工作日"


@pytest.mark.parametrize(
    ("parts", "shown"),
    [
        (("王敏（府检联动办公室）", "府检联动办公室", "宿州市人民检察院"),
         Identity("王敏", "府检联动办公室", "宿州市人民检察院")),
        (("市府检联动办公室", "府检联动办公室", "市府检联动办公室"),
         Identity("市府检联动办公室", None, None)),
        (("王敏", "府检联动办公室", "市府检联动办公室"), Identity("王敏", None, "市府检联动办公室")),
        (("张强（市生态环境局）", "联络员", "市生态环境局"), Identity("张强", "联络员", "市生态环境局")),
        (("李建国", "承办检察官", "宿州市人民检察院"), Identity("李建国", "承办检察官", "宿州市人民检察院")),
        (("市交通运输局 系统", "联络员", "市交通运输局"), Identity("市交通运输局 系统", "联络员", None)),
    ],
)  # fmt: skip
def test_the_header_says_each_fact_once(parts: tuple[str, str, str], shown: Identity) -> None:
    assert identity_of(*parts) == shown
