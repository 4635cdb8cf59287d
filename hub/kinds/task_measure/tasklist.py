"""Importing a year's 重点工作任务清单 (the JSON of ``hub/data/tasklist_2022.json``).

Each measure becomes a case through ``open_measure`` (the same path as the Office's create
form). Responsible bodies are mapped to units by name and alias (``unit.name``,
``unit.aliases`` and the file's own ``units`` list, by code); 各成员单位 means every member
unit; any name that maps to no unit is reported and kept as text on the measure. The import
is idempotent: a measure whose number exists is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from hub.domain.errors import ValidationFailed
from hub.domain.roles import Actor, ActorKind, Role, Side, UnitKind
from hub.kinds.task_measure.models import TaskList
from hub.kinds.task_measure.spec import Category
from hub.kinds.task_measure.steps import NewMeasure, case_no_of, open_measure
from hub.models import Case, Unit

ALL_MEMBERS = "各成员单位"
_LEAD_MARK = "牵头"
_MONTH_END = re.compile(r"(\d{1,2})月底前")
_ONGOING = "长期坚持"


@dataclass
class ImportReport:
    year: int
    created: int = 0
    existing: int = 0
    unmapped: list[str] = field(default_factory=list)  # "任务3③：相关行政执法机关"

    def lines(self) -> list[str]:
        if self.created == 0:
            head = f"{self.year} 年度任务清单已导入（{self.existing} 项措施），未作更改"
        else:
            head = f"已导入 {self.year} 年度任务清单：新建 {self.created} 项措施"
            if self.existing:
                head += f"，{self.existing} 项已存在未更改"
        out = [head]
        if self.unmapped:
            out.append(
                f"以下 {len(self.unmapped)} 处责任主体未能对应到单位（已在措施中保留原文）："
            )
            out += [f"  {line}" for line in self.unmapped]
        return out


def month_end(year: int, month: int) -> date:
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def parse_deadline(raw: str, year: int) -> tuple[date | None, bool]:
    """``4月底前`` → that month's last day of ``year``; ``长期坚持`` → ongoing (both may be
    said: 5月底前完成并长期坚持)."""
    match = _MONTH_END.search(raw)
    ongoing = _ONGOING in raw
    due = None
    if match is not None:
        month = int(match.group(1))
        if not 1 <= month <= 12:
            raise ValidationFailed(f"无法识别的完成时限：{raw}", field="deadline_raw")
        due = month_end(year, month)
    if due is None and not ongoing:
        raise ValidationFailed(f"无法识别的完成时限：{raw}", field="deadline_raw")
    return due, ongoing


class UnitNames:
    """Names and aliases of the stored units, and the file's names of them by code."""

    def __init__(self, units: list[Unit], listed: list[Mapping[str, Any]]) -> None:
        by_code = {u.code: u.id for u in units}
        self.members = [u.id for u in units if u.kind is UnitKind.MEMBER]
        self.ids: dict[str, int] = {}
        for u in units:
            for name in (u.name, *u.aliases):
                self.ids.setdefault(name, u.id)
        for raw in listed:
            unit_id = by_code.get(str(raw.get("id")))
            if unit_id is not None:
                for name in (raw.get("name_zh", ""), *raw.get("aliases_zh", [])):
                    self.ids.setdefault(name, unit_id)

    def resolve(self, name: str) -> list[int] | None:
        if name == ALL_MEMBERS:
            return list(self.members) or None
        unit_id = self.ids.get(name)
        return None if unit_id is None else [unit_id]


def _bodies(raw: str, names: UnitNames) -> tuple[int | None, list[int], list[str]]:
    """The lead (marked 牵头, else the first body that is one unit), every unit, and the
    names that map to none."""
    lead: int | None = None
    first: int | None = None
    units: list[int] = []
    unmapped: list[str] = []
    for part in filter(None, (p.strip() for p in raw.split("、"))):
        marked = part.endswith(_LEAD_MARK)
        name = part.removesuffix(_LEAD_MARK) if marked else part
        found = names.resolve(name)
        if found is None:
            unmapped.append(name)
            continue
        if len(found) == 1:
            first = found[0] if first is None else first
            lead = found[0] if marked else lead
        units += [u for u in found if u not in units]
    return lead if lead is not None else first, units, unmapped


def office_actor(procuratorate: Unit) -> Actor:
    """The Linkage Office (in the procuratorate) as the system that enters the list."""
    return Actor(ActorKind.SYSTEM, 0, "任务清单导入", Role.OFFICE_ADMIN, procuratorate.id,
                 Side.PROCURATORATE)  # fmt: skip


async def import_tasklist(
    data: Mapping[str, Any], *, year: int | None = None, now: datetime | None = None
) -> ImportReport:
    """Import the list in ``data``; ``year`` must match the file's when both are given."""
    document = data.get("document") or {}
    file_year: Any = document.get("year")
    if year is not None and file_year is not None and int(file_year) != year:
        raise ValidationFailed(f"文件为 {file_year} 年度清单，与指定的 {year} 年不符", field="year")
    if year is None and file_year is None:
        raise ValidationFailed("文件未写明年度，请用 --year 指定", field="year")
    list_year = year if year is not None else int(file_year)
    issued_on = (
        date.fromisoformat(document["date"]) if document.get("date") else date(list_year, 1, 1)
    )
    procuratorate = await Unit.filter(kind=UnitKind.PROCURATORATE).order_by("id").first()
    if procuratorate is None:
        raise ValidationFailed("尚未录入检察院单位，无法导入任务清单", field="units")
    names = UnitNames(list(await Unit.all()), list(data.get("units", [])))
    await TaskList.get_or_create(
        year=list_year,
        defaults={"doc_no": document.get("doc_no", ""), "issued_on": issued_on,
                  "title": document.get("attachment") or f"{list_year}年度重点工作任务清单"},
    )  # fmt: skip
    report = ImportReport(list_year)
    actor = office_actor(procuratorate)
    for task in data["tasks"]:
        category = Category(task["category_code"])
        for m in task["measures"]:
            case_no = case_no_of(list_year, int(task["no"]), m["seq"])
            lead, units, unmapped = _bodies(m["responsible_raw"], names)
            report.unmapped += [f"任务{task['no']}{m['seq']}：{name}" for name in unmapped]
            if await Case.filter(case_no=case_no).exists():
                report.existing += 1
                continue
            due_on, ongoing = parse_deadline(m["deadline_raw"], list_year)
            measure = NewMeasure(
                year=list_year, task_no=int(task["no"]), task_title=task["title_zh"],
                category=category, seq=m["seq"], text=m["text_zh"], due_on=due_on,
                ongoing=ongoing, deadline_raw=m["deadline_raw"], lead=lead,
                responsible=tuple(units), responsible_raw=m["responsible_raw"],
                unmapped="、".join(unmapped),
            )  # fmt: skip
            await open_measure(actor, measure, issued_on=issued_on, now=now)
            report.created += 1
    return report
