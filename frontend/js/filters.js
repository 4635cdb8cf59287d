// The board's filter bar and the state it edits: unit, columns, handling prosecutor, 我承办的,
// 逾期, 到期 (N 日内), free text, the sort within a column and the swimlanes. Every option
// and label comes from the server (`Board.filterForm`, the board's columns); the state lives
// in the URL (`#/board/<kind>?unit=…&columns=…&handler=…&mine=1&overdue=1&due=7&q=…
// &sort=updated&lanes=unit&view=<id>`), so a reload and back/forward restore it. The server
// does the filtering and sorting: nothing here decides whether a card matches.

import { createGrouping } from "./grouping.js";
import { el } from "./ui.js";

const SEARCH_DEBOUNCE_MS = 300;
let sequence = 0;

/** An empty state: no filter, the server's default sort, the kind's default lanes. */
export function emptyState() {
  return {
    filter: {
      unitId: null,
      columns: [],
      handlerId: null,
      mine: false,
      overdue: false,
      dueWithinDays: null,
      search: "",
    },
    sort: null, // null: the server's default (BoardSort DUE)
    laneBy: null, // null: the kind's default (its own lanes, or none)
    view: null, // the view it was chosen from, if any
  };
}

/** The board's state from its URL's query (`#/board/<kind>?…`). */
export function stateFromQuery(query) {
  const state = emptyState();
  const f = state.filter;
  f.unitId = query.get("unit") || null;
  f.columns = (query.get("columns") || "")
    .split(",")
    .map((c) => c.trim().toUpperCase())
    .filter(Boolean);
  f.handlerId = query.get("handler") || null;
  f.mine = query.get("mine") === "1";
  f.overdue = query.get("overdue") === "1";
  const due = query.get("due");
  f.dueWithinDays = due !== null && /^\d+$/.test(due) ? Number(due) : null;
  f.search = (query.get("q") || "").trim();
  const sort = query.get("sort");
  state.sort = sort ? sort.toUpperCase() : null;
  // `?group=none|lanes` is how boards were linked before the swimlane choice.
  const group = (query.get("group") || "").toUpperCase();
  const lanes = query.get("lanes") || (group === "LANES" ? "kind" : group);
  state.laneBy = lanes ? lanes.toUpperCase() : null;
  state.view = query.get("view") || null;
  return state;
}

/** The URL query of a state, in a fixed order, defaults left out. */
export function queryOfState(state) {
  const f = state.filter;
  const query = new URLSearchParams();
  if (f.unitId) query.set("unit", f.unitId);
  if (f.columns.length) query.set("columns", f.columns.map((c) => c.toLowerCase()).join(","));
  if (f.handlerId) query.set("handler", f.handlerId);
  if (f.mine) query.set("mine", "1");
  if (f.overdue) query.set("overdue", "1");
  if (f.dueWithinDays !== null) query.set("due", String(f.dueWithinDays));
  if (f.search) query.set("q", f.search);
  if (state.sort) query.set("sort", state.sort.toLowerCase());
  if (state.laneBy) query.set("lanes", state.laneBy.toLowerCase());
  if (state.view) query.set("view", state.view);
  return query;
}

/** The `BoardFilter` input of a state (null: no filter). */
export function filterInput(state) {
  const f = state.filter;
  const input = {};
  if (f.unitId) input.unitId = f.unitId;
  if (f.columns.length) input.columns = [...f.columns];
  if (f.handlerId) input.handlerId = f.handlerId;
  if (f.mine) input.mine = true;
  if (f.overdue) input.overdue = true;
  if (f.dueWithinDays !== null) input.dueWithinDays = f.dueWithinDays;
  if (f.search) input.search = f.search;
  return Object.keys(input).length ? input : null;
}

/** A saved view's filter (BoardFilterValue) as a state's filter. */
export function stateOfView(view) {
  const state = emptyState();
  const value = view.filter || {};
  Object.assign(state.filter, {
    unitId: value.unitId || null,
    columns: (value.columns || []).map((c) => c.toUpperCase()),
    handlerId: value.handlerId || null,
    mine: Boolean(value.mine),
    overdue: Boolean(value.overdue),
    dueWithinDays: value.dueWithinDays ?? null,
    search: value.search || "",
  });
  state.sort = view.sort || null;
  state.laneBy = view.laneBy || null;
  state.view = view.id;
  return state;
}

/** What the server reads for a state: a change here reads the board again. */
export const dataKey = (state) => JSON.stringify([filterInput(state), state.sort || null]);

export const hasFilter = (state) => filterInput(state) !== null;

const clone = (state) => ({ ...state, filter: { ...state.filter, columns: [...state.filter.columns] } });

/**
 * @param {HTMLElement} root the bar's container
 * @param {object} options
 * @param {HTMLInputElement} options.search the free-text box (debounced, sent to the server)
 * @param {HTMLFieldSetElement} options.lanes the swimlane switch (js/grouping.js)
 * @param {(state: object) => void} options.onChange a new state chosen (the caller puts it in
 *   the URL, which applies it)
 */
export function createFilterBar(root, { search, lanes, onChange }) {
  let state = emptyState();
  let laneDefault = null; // the kind's default lane grouping id
  let searchTimer = null;
  const id = (name) => `filter-${name}-${++sequence}`;

  function change(mutate) {
    const next = clone(state);
    mutate(next);
    next.view = null; // no longer what a view says
    state = next;
    onChange(next);
  }

  const laneSwitch = createGrouping(lanes, {
    onChange(option) {
      change((s) => (s.laneBy = option.id === laneDefault ? null : option.id));
    },
  });

  search.addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      const text = search.value.trim();
      if (text !== state.filter.search) change((s) => (s.filter.search = text));
    }, SEARCH_DEBOUNCE_MS);
  });

  function select(name, label, options, value, apply) {
    const selectId = id(name);
    const control = el("select", { id: selectId, name, dataset: { filter: name, focus: name } });
    for (const o of options) control.append(el("option", { value: o.value, text: o.label }));
    control.value = value ?? "";
    control.addEventListener("change", () => change((s) => apply(s, control.value)));
    return el(
      "div.filter-field",
      { dataset: { filter: name } },
      el("label.filter-caption", { for: selectId, text: label }),
      control,
    );
  }

  function toggle(name, label, checked, apply) {
    const box = el("input", { type: "checkbox", name, dataset: { filter: name, focus: name } });
    box.checked = checked;
    box.addEventListener("change", () => change((s) => apply(s, box.checked)));
    return el("label.filter-toggle", { dataset: { filter: name } }, box, el("span", { text: label }));
  }

  /** The columns: a disclosure of checkboxes, its button naming what is chosen. */
  function columnPicker(columns, chosen, words) {
    const summary = el("summary.filter-columns-summary", { dataset: { focus: "columns" } });
    const name = (ids) => {
      if (!ids.length) return words.allColumns;
      const labels = ids.map((c) => columns.find((x) => x.id === c)?.label || c);
      return labels.length > 2 ? `${labels.slice(0, 2).join("、")} 等 ${labels.length} 列` : labels.join("、");
    };
    summary.append(
      el("span.filter-caption", { text: words.columns }),
      el("span.filter-columns-chosen", { text: name(chosen) }),
    );
    const boxes = columns.map((c) => {
      const box = el("input", { type: "checkbox", value: c.id, name: "columns" });
      box.checked = chosen.includes(c.id);
      const label = el("label.filter-toggle", { dataset: { column: c.id } }, box, el("span", { text: c.label }));
      return { box, label };
    });
    const apply = el("button.btn.btn-primary.btn-small", { type: "button", text: "应用" });
    const clear = el("button.btn.btn-ghost.btn-small", { type: "button", text: words.allColumns });
    const picker = el(
      "details.filter-columns",
      { dataset: { filter: "columns" } },
      summary,
      el(
        "div.filter-columns-panel",
        { role: "group", "aria-label": "按列筛选" },
        boxes.map((b) => b.label),
        el("div.filter-columns-actions", {}, clear, apply),
      ),
    );
    apply.addEventListener("click", () => {
      picker.open = false;
      const ids = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
      change((s) => (s.filter.columns = ids));
    });
    clear.addEventListener("click", () => {
      picker.open = false;
      change((s) => (s.filter.columns = []));
    });
    picker.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && picker.open) {
        event.preventDefault();
        event.stopPropagation();
        picker.open = false;
        summary.focus();
      }
    });
    return picker;
  }

  /**
   * Build the bar for a kind's board.
   * @param {object} form Board.filterForm (units, handlers, sorts, laneBys, dueWithinOptions)
   * @param {{id: string, label: string}[]} columns the kind's columns
   * @param {object} next the state shown
   * @param {string|null} defaultLanes the lane grouping the kind shows by default
   */
  function show(form, columns, next, defaultLanes) {
    state = clone(next);
    laneDefault = defaultLanes;
    const f = state.filter;
    const words = form.captions; // the server's words for this kind (被建议单位, 承办检察官 …)
    search.placeholder = words.search;
    search.maxLength = form.searchMaxLength;
    const parts = [];
    if (form.units?.length) {
      const units = [{ value: "", label: words.allUnits }, ...form.units.map((u) => ({ value: u.id, label: u.label }))];
      parts.push(select("unit", words.unit, units, f.unitId, (s, v) => (s.filter.unitId = v || null)));
    }
    if (columns.length > 1) parts.push(columnPicker(columns, f.columns, words));
    if (form.handlers?.length) {
      const people = [{ value: "", label: words.allHandlers }, ...form.handlers.map((h) => ({ value: h.id, label: h.label }))];
      parts.push(select("handler", words.handler, people, f.handlerId, (s, v) => (s.filter.handlerId = v || null)));
    }
    parts.push(toggle("mine", words.mine, f.mine, (s, v) => (s.filter.mine = v)));
    parts.push(toggle("overdue", words.overdue, f.overdue, (s, v) => (s.filter.overdue = v)));
    if (form.dueWithinOptions?.length) {
      const days = [
        { value: "", label: words.noDueLimit },
        ...form.dueWithinOptions.map((d) => ({ value: String(d.days), label: d.label })),
      ];
      parts.push(
        select("due", words.dueWithin, days, f.dueWithinDays === null ? "" : String(f.dueWithinDays), (s, v) => {
          s.filter.dueWithinDays = v === "" ? null : Number(v);
        }),
      );
    }
    if (form.sorts?.length > 1) {
      const sorts = form.sorts.map((o) => ({ value: o.id, label: o.label }));
      const current = state.sort || form.sorts[0].id;
      parts.push(
        select("sort", words.sort, sorts, current, (s, v) => (s.sort = v === form.sorts[0].id ? null : v)),
      );
    }
    const clear = el("button.btn.btn-ghost.btn-small.filter-clear", {
      type: "button",
      text: "清除筛选",
      dataset: { focus: "clear" },
    });
    clear.hidden = !hasFilter(state);
    clear.addEventListener("click", () => {
      search.value = "";
      change((s) => (s.filter = emptyState().filter));
    });
    parts.push(clear);
    // The bar is built again; the control that had the focus (a choice made with the keyboard)
    // keeps it.
    const active = document.activeElement;
    const focusKey = root.contains(active) ? active.dataset.focus : null;
    const laneFocus = lanes.contains(active);
    root.replaceChildren(...parts);
    root.hidden = false;
    // The box says the state's text, unless the person is typing in it (a newer text waits).
    if (form.searchMaxLength) search.maxLength = form.searchMaxLength;
    if (search.value.trim() !== f.search && document.activeElement !== search) search.value = f.search;
    const laneOptions = (form.laneBys || []).map((o) => ({ id: o.id, label: o.label, byLanes: o.id !== "NONE" }));
    laneSwitch.show(laneOptions, laneById(laneOptions, state.laneBy || defaultLanes));
    if (focusKey) (root.querySelector(`[data-focus="${focusKey}"]:not([hidden])`) || search).focus();
    if (laneFocus) lanes.querySelector("input:checked")?.focus();
  }

  const laneById = (options, wanted) => (options.some((o) => o.id === wanted) ? wanted : null);

  return {
    show,
    columns: [], // the kind's columns the picker offers (set by the board's reader)
    /** The lane grouping a state shows (its own or the kind's default). */
    lanesOf: (s) => s.laneBy || laneDefault || "NONE",
    get state() {
      return clone(state);
    },
    clear() {
      clearTimeout(searchTimer);
      root.replaceChildren();
      root.hidden = true;
      laneSwitch.clear();
      search.value = "";
      state = emptyState();
    },
  };
}
