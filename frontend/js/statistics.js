// 统计分析 (`#/statistics?from=…&to=…&kinds=…&units=…`) and the task list's report
// (`#/tasklist-report?year=…`). The figures, their labels, the sections they fall in and the
// cases behind each are the server's (`statistics`, `taskListReport`); this page only lays
// them out as tables and charts (js/charts.js). A number or a bar opens the list of its cases
// in a side panel, read with the `cases` filter the figure names. 导出台账 downloads the
// ledger workbook with the same filters; 打印 prints the page (statistics.css).

import { gql } from "./api.js";
import { textDate } from "./dates.js";
import { disposeCharts, drawChart, resizeCharts } from "./charts.js";
import { kindFromSlug, kindSlug } from "./kinds/index.js";
import { pageHash } from "./router.js";
import { el, panelShell } from "./ui.js";

const FIGURE_REF = "cases { id from to kinds unitIds }";
const FIGURE = `id label value rate numerator denominator unitLabel cityValue explanation ${FIGURE_REF}`;

export const STATISTICS = `query Statistics($input: StatisticsInput!) {
  statistics(input: $input) {
    from to asOf scopeLabel cityTotals
    sections { id kind label figures { ${FIGURE} } }
    tables { id label rowHeader columns { id label } rows { id label cells { ${FIGURE} } } }
  }
}`;

export const TASK_LIST_REPORT = `query TaskListReport($year: Int!) {
  taskListReport(year: $year) {
    year title docNo issuedOn asOf columns
    categories { category label tasks { no title measures {
      id seq text deadline dueOn units stateLabel overdue progress } } }
  }
}`;

// A figure's cases: the `cases` filter it names (FigureRef, passed back as it came).
export const STAT_CASES = `query StatisticsCases($figure: FigureInput!, $first: Int!) {
  cases(filter: { figure: $figure }, first: $first) {
    totalCount
    edges { node { id kind kindLabel caseNo title stateLabel } }
  }
}`;
const LIST_FIRST = 200; // the server's largest page

/** The page's filters from its URL: {from, to, kinds: [CaseKind], units: [unit id]}. */
export function filtersFromQuery(query) {
  const list = (name) => (query.get(name) || "").split(",").filter(Boolean);
  const date = (name) => (/^\d{4}-\d{2}-\d{2}$/.test(query.get(name) || "") ? query.get(name) : "");
  return {
    from: date("from"),
    to: date("to"),
    kinds: list("kinds").map(kindFromSlug),
    units: list("units"),
  };
}

/** The URL query of the filters (only those set, in a fixed order). */
export function queryOfFilters(filters) {
  const query = new URLSearchParams();
  if (filters.from) query.set("from", filters.from);
  if (filters.to) query.set("to", filters.to);
  if (filters.kinds.length) query.set("kinds", filters.kinds.map(kindSlug).join(","));
  if (filters.units.length) query.set("units", filters.units.join(","));
  return query;
}

/** The `statistics` input of the filters (from and to are always set: see `withPeriod`). */
export function inputOfFilters(filters) {
  return {
    from: filters.from,
    to: filters.to,
    kinds: filters.kinds.length ? filters.kinds : null,
    unitIds: filters.units.length ? filters.units : null,
  };
}

/** The filters with a period: this year up to today, unless the URL says otherwise. */
export function withPeriod(filters, today) {
  return {
    ...filters,
    from: filters.from || `${today.slice(0, 4)}-01-01`,
    to: filters.to || today,
  };
}

/** The ledger workbook's link with the same filters (its kinds as the URL slugs). */
export function ledgerHref(filters) {
  const query = new URLSearchParams();
  if (filters.from) query.set("from", filters.from);
  if (filters.to) query.set("to", filters.to);
  if (filters.kinds.length) query.set("kinds", filters.kinds.map(kindSlug).join(","));
  if (filters.units.length) query.set("unitIds", filters.units.join(","));
  const search = query.toString();
  return `/export/ledger.xlsx${search ? `?${search}` : ""}`;
}

/** A FigureRef as the FigureInput of `cases(filter: {figure})`. */
function figureInput(figure) {
  const ref = figure && figure.cases;
  if (!ref) return null;
  return { id: ref.id, from: ref.from, to: ref.to, kinds: ref.kinds, unitIds: ref.unitIds };
}

/** A rate over nothing (its denominator 0) has no value: a dash, and no bar. */
const noRate = (figure) => figure.rate && figure.denominator === 0;

function valueText(figure) {
  if (figure.value === null || figure.value === undefined || noRate(figure)) return "—";
  return figure.rate ? `${figure.value}%` : String(figure.value);
}

// Which chart draws which of the server's tables (the layout is the page's; the numbers,
// labels and the cases behind each bar are the server's). A table not named here is a table.
const CHARTS = {
  unit_ranking: { type: "HBAR", rates: true },
  monthly_trend: { type: "LINE" },
  task_by_category: { type: "STACKED_BAR", rates: false },
  ageing_by_unit: { type: "STACKED_BAR", rates: false },
  ageing_by_kind: { type: "STACKED_BAR", rates: false },
};

/** A table's chart spec for js/charts.js, or null when it has no chart. */
function chartSpec(table) {
  const chart = CHARTS[table.id];
  if (!chart || !table.rows.length) return null;
  const isRate = (index) => table.rows.every((row) => !row.cells[index] || row.cells[index].rate);
  let indexes = table.columns.map((_, index) => index);
  const wanted = chart.rates ?? indexes.some(isRate); // a trend with rates draws the rates
  indexes = indexes.filter((index) => isRate(index) === wanted);
  if (!indexes.length) return null;
  return {
    type: chart.type,
    title: table.label,
    categories: table.rows.map((r) => r.label),
    series: indexes.map((index) => ({
      label: table.columns[index].label,
      column: index,
      values: table.rows.map((row) => {
        const cell = row.cells[index];
        return cell && !noRate(cell) ? cell.value : null;
      }),
    })),
    percent: wanted,
  };
}

export function createStatistics(view, panel, { kinds, units, onGo, onError, onOpening }) {
  let shown = null; // the filters on screen
  let ticket = 0;
  const listBody = panelShell(panel, "关闭案件清单", () => closeList());
  let listOpener = null;

  const title = el("h1", { id: "stats-title", text: "统计分析" });
  const form = el("form.stats-filters.no-print", { role: "search", "aria-label": "统计筛选" });
  const from = el("input", { id: "stats-from", type: "date", name: "from" });
  const to = el("input", { id: "stats-to", type: "date", name: "to" });
  const unit = el("select", { id: "stats-unit", name: "unit" });
  const kindBox = el("fieldset.stats-kinds", {}, el("legend", { text: "案件类型" }));
  const exportLink = el("a.btn.btn-secondary.stats-export", { text: "导出台账（Excel）", download: "" });
  const printButton = el("button.btn.btn-ghost", { type: "button", text: "打印" });
  const period = el("p.stats-period");
  const content = el("div.stats-content", { "aria-live": "off" });
  form.append(
    el("div.field", {}, el("label", { for: "stats-from", text: "起始日期" }), from),
    el("div.field", {}, el("label", { for: "stats-to", text: "截止日期" }), to),
    el("div.field", {}, el("label", { for: "stats-unit", text: "单位" }), unit),
    kindBox,
    el("div.stats-form-actions", {}, el("button.btn.btn-primary", { type: "submit", text: "统计" })),
  );
  view.replaceChildren(
    el(
      "header.stats-head",
      {},
      title,
      el("div.stats-tools.no-print", {}, exportLink, printButton),
    ),
    form,
    period,
    content,
  );

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const picked = [...kindBox.querySelectorAll("input:checked")].map((i) => i.value);
    onGo(
      queryOfFilters({
        from: from.value,
        to: to.value,
        kinds: picked.length === kindBox.querySelectorAll("input").length ? [] : picked,
        units: unit.value ? [unit.value] : [],
      }),
    );
  });
  printButton.addEventListener("click", () => window.print());

  async function fillForm(filters) {
    const known = kinds();
    if (kindBox.dataset.shape !== known.map((k) => k.kind).join()) {
      kindBox.dataset.shape = known.map((k) => k.kind).join();
      kindBox.replaceChildren(
        el("legend", { text: "案件类型" }),
        ...known.map((k) =>
          el("label.stats-kind", {}, el("input", { type: "checkbox", name: "kind", value: k.kind }), k.label),
        ),
      );
    }
    for (const input of kindBox.querySelectorAll("input")) {
      input.checked = !filters.kinds.length || filters.kinds.includes(input.value);
    }
    if (!unit.options.length) {
      unit.append(el("option", { value: "", text: "全部单位" }));
      try {
        for (const u of await units()) unit.append(el("option", { value: u.id, text: u.name }));
      } catch (error) {
        onError(error);
      }
    }
    unit.value = filters.units[0] || "";
    from.value = filters.from;
    to.value = filters.to;
    exportLink.href = ledgerHref(filters);
  }

  function figureButton(figure, label) {
    const text = valueText(figure);
    const ref = figureInput(figure);
    if (!ref) return el("span.stat-value", { text });
    return el("button.stat-link", {
      type: "button",
      text,
      title: figure.explanation ? `${figure.explanation}（点击查看案件）` : "点击查看案件",
      "aria-label": `${label}：${text}，查看案件`,
      dataset: { figure: ref.id },
      onclick: (event) => openList(label, ref, event.currentTarget),
    });
  }

  function renderTable(table) {
    const head = el(
      "tr",
      {},
      el("th", { scope: "col", text: table.rowHeader || "" }),
      table.columns.map((c) => el("th", { scope: "col", text: c.label, dataset: { column: c.id } })),
    );
    const rows = table.rows.map((row) =>
      el(
        "tr",
        { dataset: { row: row.id } },
        el("th", { scope: "row", text: row.label }),
        table.columns.map((column, index) => {
          const cell = row.cells[index];
          if (!cell) return el("td", { text: "" });
          return el("td.num", {}, figureButton(cell, `${table.label} · ${row.label} · ${column.label}`));
        }),
      ),
    );
    return el(
      "div.stats-table-wrap",
      { tabindex: "0", role: "region", "aria-label": table.label },
      el("table.stats-table", {}, el("thead", {}, head), el("tbody", {}, rows)),
    );
  }

  function renderFigure(figure, section, cityTotals) {
    const parts = [];
    if (figure.rate && figure.denominator !== null && figure.denominator !== undefined) {
      parts.push(`${figure.numerator ?? 0}/${figure.denominator}`);
    }
    if (cityTotals && figure.cityValue !== null && figure.cityValue !== undefined) {
      parts.push(`全市 ${figure.rate ? `${figure.cityValue}%` : figure.cityValue}`);
    }
    return el(
      "div.stat-figure",
      { dataset: { figure: figure.id } },
      el("dt", { text: figure.label }),
      el(
        "dd",
        {},
        figureButton(figure, `${section.label} · ${figure.label}`),
        !figure.rate && figure.unitLabel ? el("span.stat-unit", { text: figure.unitLabel }) : null,
        parts.length ? el("span.stat-extra", { text: parts.join(" · ") }) : null,
        figure.explanation ? el("span.stat-note", { text: figure.explanation }) : null,
      ),
    );
  }

  function renderSection(section, cityTotals) {
    return el(
      "section.stats-section",
      { dataset: { section: section.id, kind: section.kind || "" }, "aria-labelledby": `stats-s-${section.id}` },
      el("h2", { id: `stats-s-${section.id}`, text: section.label }),
      section.figures.length
        ? el("dl.stat-figures", {}, section.figures.map((f) => renderFigure(f, section, cityTotals)))
        : el("p.muted", { text: "（无数据）" }),
    );
  }

  function renderTableBlock(table, charts) {
    const spec = chartSpec(table);
    const block = el(
      "figure.stats-block",
      { dataset: { table: table.id }, "aria-labelledby": `stats-t-${table.id}` },
      el("figcaption", { id: `stats-t-${table.id}`, text: table.label }),
    );
    if (spec) {
      const holder = el("div.stats-chart", {
        dataset: { chart: spec.type },
        role: "img",
        "aria-label": `${table.label}（图表，数据见下表）`,
      });
      holder.__columns = spec.series.map((series) => series.label); // what the chart draws (tests)
      if (spec.type === "HBAR") {
        const perRow = 12 + 12 * spec.series.length; // each unit's bars, one per series
        holder.style.height = `${Math.max(180, 72 + table.rows.length * perRow)}px`;
      }
      block.append(holder);
      charts.push({ holder, spec, table });
    }
    block.append(table.rows.length ? renderTable(table) : el("p.muted", { text: "（无数据）" }));
    return block;
  }

  async function show(requested, today) {
    const my = ++ticket;
    const filters = withPeriod(requested, today);
    shown = filters;
    document.title = "府检联动平台 · 统计分析";
    await fillForm(filters);
    view.setAttribute("aria-busy", "true");
    let data;
    try {
      data = await gql(STATISTICS, { input: inputOfFilters(filters) });
    } catch (error) {
      if (my !== ticket) return;
      view.setAttribute("aria-busy", "false");
      disposeCharts(content);
      period.textContent = "";
      content.replaceChildren(el("p.form-error", { role: "alert", text: error.message || String(error) }));
      view.dataset.ready = "error";
      return;
    }
    if (my !== ticket) return;
    const stats = data.statistics;
    period.textContent =
      `${stats.scopeLabel} · 统计期间：${textDate(stats.from)} 至 ${textDate(stats.to)}` +
      ` · 逾期按 ${textDate(stats.asOf)} 计`;
    disposeCharts(content);
    const charts = [];
    const tables = stats.tables.map((t) => renderTableBlock(t, charts));
    const parts = [
      tables.length ? el("section.stats-section.stats-charts", { "aria-label": "图表" }, tables) : null,
      ...stats.sections.map((s) => renderSection(s, stats.cityTotals)),
    ];
    content.replaceChildren(...parts.filter(Boolean)); // a null would become the text "null"
    await Promise.all(
      charts.map(({ holder, spec, table }) =>
        drawChart(holder, spec, (seriesIndex, dataIndex) => {
          const row = table.rows[dataIndex];
          const column = spec.series[seriesIndex];
          const cell = row && row.cells[column.column];
          const ref = figureInput(cell);
          if (ref) openList(`${table.label} · ${row.label} · ${column.label}`, ref, holder);
        }).catch(onError),
      ),
    );
    if (my !== ticket) return;
    view.setAttribute("aria-busy", "false");
    view.dataset.ready = "true";
  }

  async function openList(label, filter, opener) {
    onOpening?.();
    if (panel.hidden) listOpener = opener || document.activeElement;
    panel.hidden = false;
    document.body.classList.add("stats-list-open");
    // The heading keeps the focus while the list below it is read and shown.
    const heading = el("h2", { id: "stats-cases-title", text: label, tabindex: "-1" });
    const list = el("div.stats-list-body", {}, el("p.muted.loading", { text: "正在加载…" }));
    listBody.replaceChildren(heading, list);
    delete panel.dataset.ready;
    heading.focus();
    const key = JSON.stringify(filter);
    panel.dataset.filter = key;
    let data;
    try {
      data = await gql(STAT_CASES, { figure: filter, first: LIST_FIRST });
    } catch (error) {
      if (panel.dataset.filter === key) {
        list.replaceChildren(el("p.form-error", { role: "alert", text: error.message }));
      }
      return;
    }
    if (panel.dataset.filter !== key || !list.isConnected) return;
    const { totalCount, edges } = data.cases;
    const items = edges.map(({ node }) =>
      el(
        "li",
        {},
        el(
          "a.case-link",
          { href: `#/case/${node.id}`, dataset: { id: node.id, caseNo: node.caseNo } },
          el("span.tag.tag-muted", { text: node.kindLabel }),
          el("span.case-link-no", { text: node.caseNo }),
          el("span.case-link-title", { text: node.title }),
          el("span.muted", { text: node.stateLabel }),
        ),
      ),
    );
    list.replaceChildren(
      el("p.stats-list-count", {
        text: totalCount > edges.length ? `共 ${totalCount} 件，显示前 ${edges.length} 件` : `共 ${totalCount} 件`,
      }),
      items.length ? el("ul.case-links.stats-list", {}, items) : el("p.muted", { text: "没有案件" }),
    );
    panel.dataset.ready = "true";
  }

  function closeList({ restoreFocus = true } = {}) {
    if (panel.hidden) return;
    panel.hidden = true;
    delete panel.dataset.ready;
    delete panel.dataset.filter;
    document.body.classList.remove("stats-list-open");
    listBody.replaceChildren();
    if (restoreFocus && listOpener && listOpener.isConnected) listOpener.focus();
    listOpener = null;
  }

  // Before printing, the charts take the printed page's width; after, the screen's again.
  window.addEventListener("beforeprint", resizeCharts);
  window.addEventListener("afterprint", resizeCharts);

  return {
    show,
    closeList,
    get filters() {
      return shown;
    },
    hide() {
      ticket += 1;
      closeList({ restoreFocus: false });
      disposeCharts(content);
      content.replaceChildren();
      delete view.dataset.ready;
    },
  };
}

/** The task list's report as the city document's own table, printable. */
export function createTaskListReport(view, { onGo }) {
  let ticket = 0;
  const title = el("h1", { id: "report-title", text: "任务清单报告" });
  const meta = el("p.stats-period");
  const form = el("form.stats-tools.no-print", { role: "search", "aria-label": "选择年度" });
  const year = el("input", { id: "report-year", type: "number", name: "year", min: "2000", max: "2100", step: "1" });
  const printButton = el("button.btn.btn-ghost", { type: "button", text: "打印" });
  form.append(
    el("label", { for: "report-year", text: "年度" }),
    year,
    el("button.btn.btn-secondary", { type: "submit", text: "查看" }),
    printButton,
  );
  const content = el("div.report-content");
  view.replaceChildren(el("header.stats-head", {}, title, form), meta, content);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    if (year.value) onGo(new URLSearchParams({ year: year.value }));
  });
  printButton.addEventListener("click", () => window.print());

  function table(report) {
    const [taskHead, measureHead, deadlineHead, unitsHead, progressHead] = report.columns;
    const body = [];
    for (const category of report.categories) {
      body.push(
        el(
          "tr.report-category",
          {},
          el("th", { colspan: "5", scope: "rowgroup", text: category.label || category.category }),
        ),
      );
      for (const task of category.tasks) {
        task.measures.forEach((m, index) => {
          const cells = [];
          if (index === 0) {
            cells.push(
              el("th.report-task", {
                scope: "row",
                rowspan: String(Math.max(1, task.measures.length)),
                text: `${task.no}. ${task.title}`,
              }),
            );
          }
          cells.push(
            el("td", {}, el("a", { href: `#/case/${m.id}`, text: `${m.seq} ${m.text}` })),
            el("td", { text: m.deadline }),
            el("td", { text: m.units }),
            el(
              "td.report-progress",
              { dataset: { overdue: String(m.overdue), state: m.stateLabel } },
              m.overdue ? el("span.tag.tag-overdue", { text: "逾期" }) : null,
              el("div.prose", { text: m.progress }),
            ),
          );
          body.push(el("tr", { dataset: { measure: m.id } }, cells));
        });
      }
    }
    return el(
      "table.report-table",
      {},
      el(
        "thead",
        {},
        el("tr", {}, [taskHead, measureHead, deadlineHead, unitsHead, progressHead].map((label) => el("th", { scope: "col", text: label }))),
      ),
      el("tbody", {}, body),
    );
  }

  async function show(query, today) {
    const my = ++ticket;
    const wanted = Number.parseInt(query.get("year") || "", 10) || Number(today.slice(0, 4));
    year.value = String(wanted);
    document.title = "府检联动平台 · 任务清单报告";
    view.setAttribute("aria-busy", "true");
    let data;
    try {
      data = await gql(TASK_LIST_REPORT, { year: wanted });
    } catch (error) {
      if (my !== ticket) return;
      meta.textContent = "";
      content.replaceChildren(el("p.form-error", { role: "alert", text: error.message || String(error) }));
      view.setAttribute("aria-busy", "false");
      view.dataset.ready = "error";
      return;
    }
    if (my !== ticket) return;
    const report = data.taskListReport;
    if (!report) {
      title.textContent = `${wanted}年任务清单报告`;
      meta.textContent = "";
      content.replaceChildren(el("p.muted", { text: `${wanted}年没有任务清单。` }));
    } else {
      title.textContent = report.title;
      meta.textContent = `${report.docNo} · 印发日期 ${report.issuedOn} · 进展截至 ${report.asOf}`;
      content.replaceChildren(table(report));
    }
    view.setAttribute("aria-busy", "false");
    view.dataset.ready = "true";
  }

  return {
    show,
    hide() {
      ticket += 1;
      delete view.dataset.ready;
    },
  };
}

/**
 * The two pages in the board app: their links (a navigation next to the kinds'), which page
 * shows for a route, and the board hidden meanwhile. Whether the viewer may see the figures
 * is the server's to say: the links show for a signed-in viewer and the page shows the
 * server's answer (its figures within the viewer's visibility, or its refusal).
 */
export function createStatisticsPages({ router, kinds, units, boardLink, today, onError, onOpening }) {
  const $ = (id) => document.getElementById(id);
  const nav = $("page-nav");
  const statsView = $("stats-view");
  const reportView = $("report-view");
  const go = (view) => (query) => router.go(pageHash(view, query));
  const statistics = createStatistics(statsView, $("stats-cases"), {
    kinds,
    units,
    onGo: go("statistics"),
    onError,
    onOpening,
  });
  const report = createTaskListReport(reportView, { onGo: go("tasklist-report") });
  const links = [
    ["statistics", "统计分析"],
    ["tasklist-report", "任务清单报告"],
  ];
  const pageLinks = (current) =>
    el(
      "ul.page-nav-links",
      {},
      links.map(([view, label]) =>
        el(
          "li",
          {},
          el("a.page-tab", {
            href: pageHash(view),
            text: label,
            dataset: { page: view },
            "aria-current": view === current ? "page" : null,
          }),
        ),
      ),
    );
  // On the pages themselves: back to the board, and the other page.
  for (const [view, node] of [
    ["statistics", statsView],
    ["tasklist-report", reportView],
  ]) {
    const back = el("a.page-back", { text: "← 返回看板", href: "#/" });
    back.addEventListener("click", (event) => {
      event.preventDefault();
      router.go(boardLink());
    });
    node.prepend(el("nav.page-nav.page-nav-top.no-print", { "aria-label": "统计报表" }, back, pageLinks(view)));
  }

  // The top bar's link: an icon and 统计分析 (the icon alone on a phone).
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "18");
  svg.setAttribute("height", "18");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.classList.add("page-nav-icon");
  for (const [x, y, h] of [
    [3, 12, 9],
    [10, 5, 16],
    [17, 9, 12],
  ]) {
    const bar = document.createElementNS("http://www.w3.org/2000/svg", "rect");
    for (const [name, value] of Object.entries({ x, y, width: 4, height: h, rx: 1, fill: "currentColor" })) {
      bar.setAttribute(name, String(value));
    }
    svg.append(bar);
  }
  const topLink = el(
    "a.btn.btn-on-dark.page-nav-link",
    { href: pageHash("statistics"), title: "统计分析" },
    svg,
    el("span.page-nav-label", { text: "统计分析" }),
  );

  function showPage(name) {
    if (name) topLink.setAttribute("aria-current", "page");
    else topLink.removeAttribute("aria-current");
    const board = $("board-view");
    if (board) board.hidden = Boolean(name);
    statsView.hidden = name !== "statistics";
    reportView.hidden = name !== "tasklist-report";
    document.body.dataset.page = name || "board";
    if (name !== "statistics") statistics.hide();
    if (name !== "tasklist-report") report.hide();
  }

  return {
    /** Signed in (a viewer) or out (null). */
    setViewer(viewer) {
      nav.replaceChildren(...(viewer ? [topLink] : []));
      nav.hidden = !viewer;
      if (!viewer) {
        statsView.hidden = true;
        reportView.hidden = true;
        statistics.hide();
        report.hide();
        delete document.body.dataset.page;
      }
    },
    /** Show the route's page and return true, or hide the pages and return false. */
    route(current) {
      if (current.view === "statistics") {
        showPage("statistics");
        const filters = withPeriod(filtersFromQuery(current.query), today());
        router.replace(pageHash("statistics", queryOfFilters(filters)));
        statistics.show(filters, today()).catch(onError);
        return true;
      }
      if (current.view === "tasklist-report") {
        showPage("tasklist-report");
        report.show(current.query, today()).catch(onError);
        return true;
      }
      showPage(null);
      return false;
    },
    closeList: (options) => statistics.closeList(options),
  };
}
