"""Importing a year's 重点工作任务清单 (the JSON of ``hub/data/tasklist_2022.json``).

Each measure becomes a case through ``open_measure`` (the same path as the Office's create
form). Responsible bodies are mapped to units by name and alias (``unit.name``,
``unit.aliases`` and the file's own ``units`` list, by code); 各成员单位 means every member
unit; any name that maps to no unit is reported and kept as text on the measure. The import
is idempotent: a measure whose number exists is left as it is.

The whole file is read and checked before anything is written. Measures carried into the year
from the one before are the file's measures of the same number or the same text (they are
not entered again; the report lists them); a carried task on a number the file gives another
task moves past the file's tasks first (``tasks.give_way``). A list that was opened before its
document (by a carry-over, or by the Office entering a measure) takes the file's number, title
and date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from hub import clock
from hub.domain.errors import ValidationFailed
from hub.domain.roles import Actor, ActorKind, Role, Side, UnitKind
from hub.kinds.task_measure.models import TaskList, TaskMeasureDetail
from hub.kinds.task_measure.spec import Category
from hub.kinds.task_measure.steps import NewMeasure, open_measure
from hub.kinds.task_measure.tasks import case_no_of, give_way
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
    carried: list[str] = field(default_factory=list)  # "任务5④：2023-任务05-④"
    moved: list[str] = field(default_factory=list)  # "2023-任务05-④ → 2023-任务15-④"

    def lines(self) -> list[str]:
        if self.created == 0 and not self.moved:
            listed = self.existing + len(self.carried)
            head = f"{self.year} 年度任务清单已导入（{listed} 项措施），未作更改"
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
        if self.carried:
            out.append(f"以下 {len(self.carried)} 项为上年度结转的措施，未重复新建：")
            out += [f"  {line}" for line in self.carried]
        if self.moved:
            out.append(f"以下 {len(self.moved)} 项上年度结转的措施为清单让出任务序号，已改编号：")
            out += [f"  {line}" for line in self.moved]
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


def _list_year(data: Mapping[str, Any], year: int | None) -> int:
    file_year: Any = (data.get("document") or {}).get("year")
    if year is not None and file_year is not None and int(file_year) != year:
        raise ValidationFailed(f"文件为 {file_year} 年度清单，与指定的 {year} 年不符", field="year")
    if year is None and file_year is None:
        raise ValidationFailed("文件未写明年度，请用 --year 指定", field="year")
    return year if year is not None else int(file_year)


def _measures(data: Mapping[str, Any], year: int, names: UnitNames) -> list[NewMeasure]:
    """Every measure of the file, each deadline read (a bad one refuses the whole file)."""
    out = []
    for task in data["tasks"]:
        category = Category(task["category_code"])
        for m in task["measures"]:
            lead, units, unmapped = _bodies(m["responsible_raw"], names)
            due_on, ongoing = parse_deadline(m["deadline_raw"], year)
            out.append(NewMeasure(
                year=year, task_no=int(task["no"]), task_title=task["title_zh"],
                category=category, seq=m["seq"], text=m["text_zh"], due_on=due_on,
                ongoing=ongoing, deadline_raw=m["deadline_raw"], lead=lead,
                responsible=tuple(units), responsible_raw=m["responsible_raw"],
                unmapped="、".join(unmapped),
            ))  # fmt: skip
    return out


async def _open_list(year: int, document: Mapping[str, Any], issued_on: date) -> None:
    """The year's list with the file's document; one opened before it takes it."""
    doc = {"doc_no": document.get("doc_no", ""), "issued_on": issued_on,
           "title": document.get("attachment") or f"{year}年度重点工作任务清单"}  # fmt: skip
    listed, made = await TaskList.get_or_create(year=year, defaults=doc)
    if not made and not listed.doc_no and doc["doc_no"]:
        await TaskList.filter(year=year).update(**doc)


def _same_text(text: str) -> str:
    return "".join(text.split())


async def _carried_into(year: int) -> dict[str, str]:
    """The year's measures carried in from the year before: case number by text."""
    rows = TaskMeasureDetail.filter(year=year, case__source_id__isnull=False)
    return {_same_text(text): no for text, no in await rows.values_list("text", "case__case_no")}


async def import_tasklist(
    data: Mapping[str, Any], *, year: int | None = None, now: datetime | None = None
) -> ImportReport:
    """Import the list in ``data``; ``year`` must match the file's when both are given."""
    list_year = _list_year(data, year)
    document = data.get("document") or {}
    issued_on = (
        date.fromisoformat(document["date"]) if document.get("date") else date(list_year, 1, 1)
    )
    procuratorate = await Unit.filter(kind=UnitKind.PROCURATORATE).order_by("id").first()
    if procuratorate is None:
        raise ValidationFailed("尚未录入检察院单位，无法导入任务清单", field="units")
    names = UnitNames(list(await Unit.all()), list(data.get("units", [])))
    measures = _measures(data, list_year, names)
    actor = office_actor(procuratorate)
    report = ImportReport(list_year)
    wanted = {m.task_no: (m.category, m.task_title) for m in measures}
    report.moved = await give_way(actor, list_year, wanted, at=now or clock.now())
    await _open_list(list_year, document, issued_on)
    carried = await _carried_into(list_year)
    carried_nos = set(carried.values())
    for m in measures:
        where = f"任务{m.task_no}{m.seq}"
        report.unmapped += [f"{where}：{name}" for name in filter(None, m.unmapped.split("、"))]
        case_no = case_no_of(list_year, m.task_no, m.seq)
        if await Case.filter(case_no=case_no).exists():
            if case_no in carried_nos:
                report.carried.append(f"{where}：{case_no}")
            else:
                report.existing += 1
            continue
        same = carried.get(_same_text(m.text))
        if same is not None:
            report.carried.append(f"{where}：{same}")
            continue
        await open_measure(actor, m, issued_on=issued_on, now=now)
        report.created += 1
    return report
