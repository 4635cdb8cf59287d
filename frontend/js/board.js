// The board of one case kind: the server's columns in its order, one card per case, drag and
// drop and a keyboard action menu. Cards are only ever placed from server data (the board
// query, a step's result, a live event or a refetch); a card being moved is shown in its
// target column as pending until the server answers, and returns to where the data says it
// is otherwise. The kind's module writes the card's extra line.

import { cardName } from "./card-name.js";
import { createColumns } from "./columns.js";
import { kindModule } from "./kinds/index.js";
import { createActionMenu } from "./menu.js";
import { chipElement, el, primaryClock } from "./ui.js";

// A touch screen moves cards through their 操作 menu; a press-and-hold drag is not offered.
const touchOnly = window.matchMedia("(hover: none) and (pointer: coarse)");

export function createBoard(root, handlers) {
  const { onStep, onDetail } = handlers;
  let kind = null;
  let module = kindModule(null);
  const cards = new Map(); // id → case as last read from the server
  const cardEls = new Map(); // id → element
  const pending = new Map(); // id → target column while a step is in flight
  let dragging = null; // {id, targets: Set}
  let laneOrder = new Map(); // lane id → position, for kinds whose cards are grouped in lanes
  let kindLanes = new Map(); // the kind's lanes, whether or not the viewer groups by them
  // Swimlanes (filters.js): KIND the kind's own lanes, UNIT / HANDLER the card's swimlane
  // under that grouping (its laneUnit / laneHandler), NONE none.
  let laneBy = "KIND";
  let grouped = false;
  // Paged boards (board-pages.js): each card's place in its column as the server sorted it;
  // a card not (yet) ranked — a live or own change — shows first until the column is read.
  const ranks = new Map();
  let paged = false;

  const columns = createColumns(root, {
    dropHandlers: (column) => ({
      dragover: (event) => onDragOver(event, column),
      dragenter: (event) => onDragOver(event, column),
      dragleave: (event) => {
        const section = columns.get(column).section;
        if (!section.contains(event.relatedTarget)) section.classList.remove("drop-over");
      },
      drop: (event) => onDrop(event, column),
    }),
    onRefresh: () => {
      handlers.onCounts?.(summary());
      handlers.onColumns?.(kind, columns.summary());
    },
  });
  const refreshColumns = () => {
    markLanes();
    columns.refresh();
  };

  /** In a kind with lanes, the first shown card of each lane in a column carries its heading. */
  function markLanes() {
    for (const list of root.querySelectorAll(".column-cards")) {
      let last = null;
      for (const node of list.children) {
        if (node.hidden) continue;
        const lane = grouped ? node.dataset.lane || "" : "";
        node.toggleAttribute("data-lane-start", Boolean(lane) && lane !== last);
        last = lane;
      }
    }
  }
  const columnLabel = (column) => columns.label(column);

  /** A kind's columns from the server; the cards come with `load`. */
  function setColumns(caseKind, list, notForViewer = new Set(), lanes = []) {
    closeMenu({ restoreFocus: false });
    kind = caseKind;
    module = kindModule(caseKind);
    kindLanes = new Map((lanes || []).map((lane, i) => [lane.id, i]));
    laneBy = "KIND";
    laneOrder = kindLanes;
    grouped = laneOrder.size > 0;
    root.dataset.grouped = String(grouped);
    cards.clear();
    cardEls.clear();
    pending.clear();
    ranks.clear();
    paged = false;
    columns.set(caseKind, list, notForViewer);
  }

  // The server names a card's lane under every grouping; "UNASSIGNED" (未指定) goes last.
  const UNASSIGNED = "UNASSIGNED";
  const OTHER_LANE = { id: UNASSIGNED, label: "" };

  /** The lane a card is in under the grouping shown (null: not grouped). */
  function laneOf(rec) {
    if (laneBy === "UNIT") return rec.laneUnit || OTHER_LANE;
    if (laneBy === "HANDLER") return rec.laneHandler || OTHER_LANE;
    if (laneBy === "KIND" && rec.lane) return { id: rec.lane, label: rec.laneLabel || "" };
    return null;
  }

  /** Group the cards by `by` (KIND, UNIT, HANDLER, NONE); `order` lists lane ids in the order
   * the lanes go (the filter form's units or handlers), others follow by name. */
  function setLanes(by, order = []) {
    laneBy = by;
    laneOrder = by === "KIND" ? kindLanes : new Map(order.map((id, i) => [id, i]));
    grouped = by === "UNIT" || by === "HANDLER" || (by === "KIND" && kindLanes.size > 0);
    for (const node of cardEls.values()) node.remove(); // each then goes in its new place
    for (const id of cards.keys()) place(id);
    refreshColumns();
    root.dataset.grouped = String(grouped);
    root.dataset.lanes = by.toLowerCase();
  }

  /** Group each column's cards by the kind's lanes (the default), or not (the board's
   * grouping switch); the cards are placed again in the order that gives. */
  function setGrouped(byLanes) {
    if ((byLanes ? "KIND" : "NONE") !== laneBy) setLanes(byLanes ? "KIND" : "NONE");
  }

  function summary() {
    let total = 0;
    let overdue = 0;
    let soon = 0;
    for (const card of cards.values()) {
      total += 1;
      if (columns.isOverdue(card.column)) overdue += 1;
      else if (primaryClock(card.clocks)?.level === "YELLOW") soon += 1;
    }
    return { total, overdue, soon };
  }

  // ---- cards ---------------------------------------------------------------------------

  function targetsOf(rec) {
    return new Set(rec.availableActions.filter((a) => a.target).map((a) => a.target));
  }

  function renderCard(rec) {
    let node = cardEls.get(rec.id);
    if (!node) {
      // A list item (<article> may not take that role); keyboard.js sets its tabindex.
      node = el("div.card", { tabindex: "-1", role: "listitem", dataset: { id: rec.id } });
      node.addEventListener("keydown", (event) => onCardKey(event, node));
      node.addEventListener("dragstart", (event) => onDragStart(event, node));
      node.addEventListener("dragend", onDragEnd);
      cardEls.set(rec.id, node);
    }
    const actions = rec.availableActions;
    const clock = primaryClock(rec.clocks);
    const line = module.cardLine(rec);
    node.dataset.kind = rec.kind;
    node.dataset.version = String(rec.version);
    node.dataset.state = rec.state;
    node.dataset.column = rec.column;
    node.dataset.caseNo = rec.caseNo;
    const lane = grouped ? laneOf(rec) : { id: rec.lane, label: rec.laneLabel };
    node.dataset.lane = lane?.id || "";
    node.dataset.laneLabel = lane?.label || "";
    node.dataset.level = clock && clock.status !== "SUSPENDED" ? clock.level : "NONE";
    node.draggable = targetsOf(rec).size > 0 && !touchOnly.matches; // touch: the 操作 menu
    node.classList.toggle("has-actions", actions.length > 0);
    // Its keys are its description (keyboard.js).
    node.setAttribute(
      "aria-label",
      cardName(rec, {
        line,
        columnLabel: columnLabel(rec.column),
        overdueColumn: columns.isOverdue(rec.column),
      }),
    );
    const title = el("a.card-title", {
      href: `#/case/${rec.id}`,
      text: rec.title,
      draggable: "false",
    });
    const foot = el("div.card-foot");
    const chip = chipElement(clock);
    if (chip) foot.append(chip);
    if (rec.column.toLowerCase() !== rec.state.toLowerCase()) {
      foot.append(el("span.card-state", { text: rec.stateLabel }));
    }
    foot.append(el("span.spacer"));
    if (actions.length) {
      const button = el("button.card-action", {
        type: "button",
        text: "操作",
        "aria-haspopup": "menu",
        "aria-label": `${rec.caseNo} 的操作`,
      });
      button.addEventListener("click", (event) => {
        event.stopPropagation();
        openMenu(rec.id, button);
      });
      foot.append(button);
    }
    const focusInside = node !== document.activeElement && node.contains(document.activeElement);
    const parts = [el("div.card-doc", { text: rec.caseNo }), title];
    if (foot.childElementCount > 1) parts.push(foot); // more than its spacer
    if (line) parts.unshift(el("div.card-line", { text: line }));
    const extra = handlers.cardExtra?.(rec); // the bulk mode's checkbox (js/bulk.js)
    if (extra) parts.unshift(extra);
    node.replaceChildren(...parts);
    if (focusInside) node.focus();
    node.classList.toggle("pending", pending.has(rec.id));
    node.setAttribute("aria-busy", String(pending.has(rec.id)));
    return node;
  }

  function sortKey(rec) {
    if (paged) {
      const lane = grouped ? laneOf(rec) : null;
      const known = lane ? laneOrder.get(lane.id) : 0;
      const position = known ?? laneOrder.size + (lane.id === UNASSIGNED ? 1 : 0);
      const name = known === undefined && lane ? lane.label : "";
      return [position, name, ranks.get(rec.id) ?? -1, rec.caseNo];
    }
    const lane = laneOrder.get(rec.lane) ?? laneOrder.size; // lanes first, in their order
    const clock = primaryClock(rec.clocks);
    if (clock && clock.status === "RUNNING" && clock.level !== "NONE") {
      return [lane, 0, clock.daysLeft, rec.caseNo];
    }
    return [lane, 1, -Date.parse(rec.updatedAt || 0), rec.caseNo];
  }

  function compare(a, b) {
    const ka = sortKey(a);
    const kb = sortKey(b);
    for (let i = 0; i < ka.length; i += 1) {
      if (ka[i] < kb[i]) return -1;
      if (ka[i] > kb[i]) return 1;
    }
    return 0;
  }

  /** Put a card's element where its data (or its pending move) says, keeping focus. */
  function place(id) {
    const rec = cards.get(id);
    const node = renderCard(rec);
    const column = pending.get(id) || rec.column;
    const info = columns.get(column) || columns.get(rec.column);
    if (!info) return;
    const siblings = [...info.list.children].filter((child) => child !== node);
    const before = siblings.find((child) => compare(rec, cards.get(child.dataset.id)) < 0);
    const hadFocus = node.contains(document.activeElement);
    const focused = document.activeElement;
    if (node.parentElement !== info.list || node.nextElementSibling !== (before || null)) {
      info.list.insertBefore(node, before || null);
      if (hadFocus && focused instanceof HTMLElement) focused.focus({ preventScroll: false });
    }
  }

  function load(list) {
    closeMenu({ restoreFocus: false });
    cards.clear();
    for (const node of cardEls.values()) node.remove();
    cardEls.clear();
    pending.clear();
    for (const rec of list) cards.set(rec.id, rec);
    for (const rec of list) place(rec.id);
    refreshColumns();
  }

  /**
   * Apply a case as read from the server. Older versions than the one shown are ignored (a
   * late event); the same version again changes nothing visible; a case of another kind
   * never lands on this board.
   */
  function upsert(rec, { flash = false } = {}) {
    if (rec.kind !== kind) return false;
    const current = cards.get(rec.id);
    if (current && rec.version < current.version) return false;
    const moved = !current || current.column !== rec.column;
    if (current && rec.version !== current.version) ranks.delete(rec.id); // until read again
    cards.set(rec.id, rec);
    if (pending.has(rec.id) && current && rec.version > current.version) pending.delete(rec.id);
    place(rec.id);
    refreshColumns();
    if (flash && (moved || !current || rec.version !== current.version)) {
      const node = cardEls.get(rec.id);
      node.classList.remove("flash");
      void node.offsetWidth; // restart the animation
      node.classList.add("flash");
    }
    return true;
  }

  // ---- pages (board-pages.js) ----------------------------------------------------------

  function rankColumn(column, list, start = 0) {
    list.forEach((rec, i) => ranks.set(rec.id, start + i));
  }

  /** A paged board's first cards, column by column ({id, cards}), in the server's order. */
  function loadPages(list) {
    paged = true;
    ranks.clear();
    for (const column of list) rankColumn(column.id, column.cards);
    load(list.flatMap((column) => column.cards));
  }

  /** The next page of a column (加载更多), after the cards it shows. */
  function appendPage(column, list) {
    let start = 0;
    for (const [id, rank] of ranks) if (cards.get(id)?.column === column) start = Math.max(start, rank + 1);
    for (const rec of list) {
      const current = cards.get(rec.id);
      if (current && rec.version < current.version) continue;
      cards.set(rec.id, rec);
    }
    rankColumn(column, list, start);
    for (const rec of list) place(rec.id);
    refreshColumns();
  }

  /** A column's first cards read again: they go in the server's order, and the cards the
   * column showed that are not among them leave (no longer matching, or past the page). */
  function resyncColumn(column, list) {
    const fresh = new Set(list.map((rec) => rec.id));
    for (const [id, rec] of cards) {
      if (rec.column === column && !fresh.has(id) && !pending.has(id)) drop(id);
    }
    for (const rec of list) {
      const current = cards.get(rec.id);
      if (!current || rec.version >= current.version) cards.set(rec.id, rec);
    }
    rankColumn(column, list);
    for (const rec of list) place(rec.id);
    refreshColumns();
  }

  function drop(id) {
    const node = cardEls.get(id);
    if (node?.contains(document.activeElement)) closeMenu({ restoreFocus: false });
    node?.remove();
    cards.delete(id);
    cardEls.delete(id);
    ranks.delete(id);
    pending.delete(id);
  }

  /** A card that is no longer on this board (it left the filter's columns). */
  function remove(id) {
    if (!cards.has(id)) return;
    drop(id);
    refreshColumns();
  }

  /** The server's totals per column under the filter ({column: count}). */
  function setTotals(totals) {
    for (const [id, count] of Object.entries(totals)) {
      const info = columns.get(id);
      if (info) info.totalCount = count;
    }
    refreshColumns();
  }

  function countIn(column) {
    let count = 0;
    for (const rec of cards.values()) if (rec.column === column) count += 1;
    return count;
  }

  function setPending(id, target) {
    if (!cards.has(id)) return;
    if (target) pending.set(id, target);
    else pending.delete(id);
    place(id);
    refreshColumns();
  }

  // ---- drag and drop -------------------------------------------------------------------

  function onDragStart(event, node) {
    const rec = cards.get(node.dataset.id);
    const targets = rec ? targetsOf(rec) : new Set();
    if (!rec || targets.size === 0 || pending.has(rec.id)) {
      event.preventDefault();
      return;
    }
    closeMenu();
    dragging = { id: rec.id, targets };
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", rec.caseNo);
    node.classList.add("dragging");
    root.classList.add("is-dragging");
    columns.markDrag(targets, rec.column);
  }

  function onDragOver(event, column) {
    if (!dragging || !dragging.targets.has(column)) return; // not a drop target: refuse
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    columns.get(column).section.classList.add("drop-over");
  }

  function onDrop(event, column) {
    const drag = dragging;
    clearDrag();
    if (!drag || !drag.targets.has(column)) return;
    event.preventDefault();
    const rec = cards.get(drag.id);
    if (!rec) return;
    const choices = rec.availableActions.filter((a) => a.target === column);
    if (choices.length) onStep(rec, choices, { via: "drop" });
  }

  function clearDrag() {
    dragging = null;
    root.classList.remove("is-dragging");
    columns.clearDrag();
    for (const node of cardEls.values()) node.classList.remove("dragging");
  }

  function onDragEnd() {
    clearDrag();
  }

  // ---- keyboard and the action menu ----------------------------------------------------

  const menu = createActionMenu(document.getElementById("action-menu"));
  const closeMenu = (options) => menu.close(options);

  function onCardKey(event, node) {
    if (event.target !== node) return;
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      openMenu(node.dataset.id, node);
    }
  }

  function openMenu(id, opener) {
    const rec = cards.get(id);
    if (!rec) return;
    menu.open({
      title: rec.caseNo,
      opener,
      actions: rec.availableActions.map((action) => ({
        action,
        hint: action.target ? `→ ${columnLabel(action.target)}` : "不改变状态",
      })),
      onAction: (action) => onStep(cards.get(id) || rec, [action], { via: "menu", opener }),
      onDetail() {
        // The detail panel gives the focus back to what had it when it opened: the card.
        cardEls.get(id)?.focus();
        onDetail(id);
      },
    });
  }

  window.addEventListener("resize", () => closeMenu({ restoreFocus: false }));
  root.addEventListener("scroll", () => closeMenu({ restoreFocus: false }), true);

  return {
    setColumns,
    setGrouped,
    setLanes,
    load,
    loadPages,
    appendPage,
    resyncColumn,
    remove,
    setTotals,
    countIn,
    totalOf: (column) => columns.get(column)?.totalCount ?? countIn(column),
    hasColumn: (column) => Boolean(columns.get(column)),
    columnSection: (column) => columns.get(column)?.section ?? null,
    upsert,
    setPending,
    get: (id) => cards.get(id),
    cards: () => [...cards.values()],
    /** Render every card again from its data (bulk mode switched on or off). */
    refreshCards() {
      for (const rec of cards.values()) renderCard(rec);
    },
    isOverdueColumn: (column) => columns.isOverdue(column),
    element: (id) => cardEls.get(id),
    columnLabel,
    closeMenu,
    size: () => cards.size,
    get kind() {
      return kind;
    },
    clear() {
      closeMenu({ restoreFocus: false });
      kind = null;
      cards.clear();
      cardEls.clear();
      pending.clear();
      ranks.clear();
      columns.clear();
    },
  };
}
