// A board's columns, as the server lists them for a kind (`{id, label, collapsed, overdue}`):
// their sections, counts and widths. A column is as wide as it needs (at least COLUMN_MIN, an
// empty one EMPTY_MIN); columns the server marks `collapsed` (closed cases) and, when the
// board is short of room, empty ones are narrow strips with a vertical label. A click on a
// column's head flips it, remembered per kind and column.

import { el } from "./ui.js";

const FLIPPED_KEY = "hub.board.flipped";
const COLUMN_MIN = 150;
const EMPTY_MIN = 96;
const STRIP = 42;
const GAP = 8;

function remembered() {
  try {
    return new Set(JSON.parse(localStorage.getItem(FLIPPED_KEY) || "[]"));
  } catch {
    return new Set();
  }
}

/**
 * @param {HTMLElement} root the board
 * @param {object} handlers
 * @param {(column: string) => object} handlers.dropHandlers dragover/dragenter/drop listeners
 * @param {() => void} handlers.onRefresh after counts and widths changed
 */
export function createColumns(root, { dropHandlers, onRefresh }) {
  const columns = new Map(); // id → {section, list, count, label, toggle, collapsed, overdue}
  const flipped = remembered(); // "KIND:COLUMN" whose collapsed state differs from its default
  let kind = null;

  /** `notForViewer`: columns to leave out while empty (stages this viewer never sees). */
  function set(caseKind, list, notForViewer = new Set()) {
    kind = caseKind;
    columns.clear();
    root.replaceChildren();
    root.dataset.kind = caseKind;
    for (const { id, label, collapsed, overdue, totalCount } of list) {
      const count = el("span.column-count", { text: "0" });
      const toggle = el(
        "button.column-head",
        { type: "button", "aria-expanded": "true", title: `${label}：展开或收起` },
        el("span.column-label", { text: label }),
        count,
      );
      toggle.addEventListener("click", () => flip(id));
      const cards = el("div.column-cards", { role: "list", "aria-label": label });
      const section = el(
        "section.column",
        { dataset: { column: id }, "aria-label": label },
        el("h2.column-title", {}, toggle),
        cards,
      );
      for (const [type, listener] of Object.entries(dropHandlers(id))) {
        section.addEventListener(type, listener);
      }
      section.classList.toggle("overdue", Boolean(overdue));
      section.classList.toggle("not-for-viewer", notForViewer.has(id));
      columns.set(id, { section, list: cards, count, label, toggle, collapsed, overdue, totalCount });
      root.append(section);
    }
  }

  function flip(id) {
    const info = columns.get(id);
    if (!info || info.list.childElementCount === 0) return;
    const key = `${kind}:${id}`;
    if (info.section.classList.contains("collapsed") === Boolean(info.collapsed)) flipped.add(key);
    else flipped.delete(key);
    try {
      localStorage.setItem(FLIPPED_KEY, JSON.stringify([...flipped]));
    } catch {
      /* private mode: not remembered */
    }
    refresh();
  }

  /** Counts and widths from the cards now in each column. */
  function refresh() {
    const modes = new Map();
    const tally = { wide: 0, strip: 0, empty: 0 };
    let visible = 0;
    for (const [id, info] of columns) {
      const all = [...info.list.children];
      const shown = all.filter((card) => !card.hidden).length;
      info.shown = shown;
      // A paged board's header says the server's total under the filter (board-pages.js).
      const total = Number.isInteger(info.totalCount) ? info.totalCount : shown;
      info.count.textContent = String(total);
      info.section.classList.toggle("empty", all.length === 0);
      info.section.setAttribute("aria-label", `${info.label}，${total} 件`);
      if (all.length === 0 && info.section.classList.contains("not-for-viewer")) {
        modes.set(id, "absent");
        continue;
      }
      visible += 1;
      let mode = "wide";
      if (all.length === 0) mode = "empty";
      else if (Boolean(info.collapsed) !== flipped.has(`${kind}:${id}`)) mode = "strip";
      modes.set(id, mode);
      tally[mode] += 1;
    }
    const room = root.clientWidth - 32 - GAP * Math.max(0, visible - 1);
    const emptiesFit = tally.wide * COLUMN_MIN + tally.empty * EMPTY_MIN + tally.strip * STRIP <= room;
    for (const [id, info] of columns) {
      const mode = modes.get(id);
      const collapsed = mode === "strip" || (mode === "empty" && !emptiesFit);
      info.section.classList.toggle("collapsed", collapsed);
      info.toggle.setAttribute("aria-expanded", String(!collapsed && mode !== "absent"));
      info.toggle.disabled = mode === "empty" || mode === "absent";
      info.absent = mode === "absent";
    }
    onRefresh();
  }

  /** While a card is dragged: the columns it may go to light up, the others dim. */
  function markDrag(targets, from) {
    for (const [id, info] of columns) {
      const ok = targets.has(id);
      info.section.classList.toggle("drop-allowed", ok);
      info.section.classList.toggle("drop-denied", !ok && id !== from);
    }
  }

  function clearDrag() {
    for (const info of columns.values()) {
      info.section.classList.remove("drop-allowed", "drop-denied", "drop-over");
    }
  }

  // The board's width changes with the window and when a side panel opens beside it.
  new ResizeObserver(() => refresh()).observe(root);

  return {
    set,
    refresh,
    markDrag,
    clearDrag,
    get: (id) => columns.get(id),
    label: (id) => columns.get(id)?.label ?? id,
    /** Each column as the column switcher names it: the server's count when it gives one. */
    summary: () =>
      [...columns].map(([id, info]) => ({
        id,
        label: info.label,
        count: Number.isInteger(info.totalCount) ? info.totalCount : (info.shown ?? 0),
        overdue: Boolean(info.overdue),
        absent: Boolean(info.absent),
      })),
    isOverdue: (id) => Boolean(columns.get(id)?.overdue),
    clear() {
      columns.clear();
      root.replaceChildren();
    },
  };
}
