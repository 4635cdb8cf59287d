// The board of one case kind: the server's columns in its order, one card per case, drag and
// drop and a keyboard action menu. Cards are only ever placed from server data (the board
// query, a step's result, a live event or a refetch); a card being moved is shown in its
// target column as pending until the server answers, and returns to where the data says it
// is otherwise. The kind's module writes the card's extra line.

import { createColumns } from "./columns.js";
import { kindModule } from "./kinds/index.js";
import { createActionMenu } from "./menu.js";
import { chipElement, el, primaryClock } from "./ui.js";

export function createBoard(root, handlers) {
  const { onStep, onDetail } = handlers;
  let kind = null;
  let module = kindModule(null);
  const cards = new Map(); // id → case as last read from the server
  const cardEls = new Map(); // id → element
  const pending = new Map(); // id → target column while a step is in flight
  let filterText = "";
  let dragging = null; // {id, targets: Set}
  let laneOrder = new Map(); // lane id → position, for kinds whose cards are grouped in lanes
  let kindLanes = new Map(); // the kind's lanes, whether or not the viewer groups by them

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
    onRefresh: () => handlers.onCounts?.(summary()),
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
        const lane = laneOrder.size ? node.dataset.lane || "" : "";
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
    laneOrder = kindLanes;
    root.dataset.grouped = String(laneOrder.size > 0);
    cards.clear();
    cardEls.clear();
    pending.clear();
    columns.set(caseKind, list, notForViewer);
  }

  /** Group each column's cards by the kind's lanes (the default), or not (the board's
   * grouping switch); the cards are placed again in the order that gives. */
  function setGrouped(grouped) {
    const order = grouped ? kindLanes : new Map();
    if (order === laneOrder) return;
    laneOrder = order;
    for (const node of cardEls.values()) node.remove(); // each then goes in its new place
    for (const id of cards.keys()) place(id);
    refreshColumns();
    root.dataset.grouped = String(laneOrder.size > 0);
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
      node = el("article.card", { tabindex: "0", role: "listitem", dataset: { id: rec.id } });
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
    node.dataset.lane = rec.lane || "";
    node.dataset.laneLabel = rec.laneLabel || "";
    node.dataset.level = clock && clock.status !== "SUSPENDED" ? clock.level : "NONE";
    node.draggable = targetsOf(rec).size > 0;
    node.classList.toggle("has-actions", actions.length > 0);
    node.setAttribute(
      "aria-label",
      [line, rec.caseNo, rec.title, rec.stateLabel].filter(Boolean).join("，") +
        (actions.length ? "。按回车键选择操作" : ""),
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
    node.replaceChildren(...parts);
    if (focusInside) node.focus();
    node.classList.toggle("pending", pending.has(rec.id));
    node.setAttribute("aria-busy", String(pending.has(rec.id)));
    applyFilter(node, rec);
    return node;
  }

  function sortKey(rec) {
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

  function setPending(id, target) {
    if (!cards.has(id)) return;
    if (target) pending.set(id, target);
    else pending.delete(id);
    place(id);
    refreshColumns();
  }

  // ---- filter --------------------------------------------------------------------------

  function applyFilter(node, rec) {
    const text = filterText;
    node.hidden = Boolean(
      text && !`${module.cardLine(rec)} ${rec.caseNo} ${rec.title}`.toLowerCase().includes(text),
    );
  }

  function setFilter(text) {
    filterText = text.trim().toLowerCase();
    for (const [id, node] of cardEls) applyFilter(node, cards.get(id));
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
      onDetail: () => onDetail(id),
    });
  }

  window.addEventListener("resize", () => closeMenu({ restoreFocus: false }));
  root.addEventListener("scroll", () => closeMenu({ restoreFocus: false }), true);

  return {
    setColumns,
    setGrouped,
    load,
    upsert,
    setPending,
    setFilter,
    get: (id) => cards.get(id),
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
      columns.clear();
    },
  };
}
