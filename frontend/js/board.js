// The board: columns in the server's order, one card per recommendation, drag and drop and
// a keyboard action menu. Cards are only ever placed from server data (the board query, a
// step's result, a live event or a refetch); a card being moved is shown in its target column
// as pending until the server answers, and returns to where the data says it is otherwise.

import { chipElement, el } from "./ui.js";

// Closed columns start collapsed (history); click a column's head to expand or collapse it.
const COLLAPSED_BY_DEFAULT = new Set(["CLOSED_ADOPTED", "WITHDRAWN"]);
const EXPANDED_KEY = "hub.board.expanded";

export function createBoard(root, handlers) {
  const { onStep, onDetail } = handlers;
  const cards = new Map(); // id → recommendation as last read from the server
  const cardEls = new Map(); // id → element
  const pending = new Map(); // id → target column while a step is in flight
  const columnEls = new Map(); // column → {section, list, count, label}
  let filterText = "";
  let dragging = null; // {id, targets: Set}
  let expanded = new Set();
  try {
    expanded = new Set(JSON.parse(localStorage.getItem(EXPANDED_KEY) || "[]"));
  } catch {
    expanded = new Set();
  }

  // ---- columns -------------------------------------------------------------------------

  /** `notForViewer`: columns to leave out while empty (stages this viewer never sees). */
  function setColumns(list, notForViewer = new Set()) {
    columnEls.clear();
    root.replaceChildren();
    for (const { column, label } of list) {
      const count = el("span.column-count", { text: "0" });
      const toggle = el(
        "button.column-head",
        { type: "button", "aria-expanded": "true", title: `${label}：展开或收起` },
        el("span.column-label", { text: label }),
        count,
      );
      toggle.addEventListener("click", () => toggleColumn(column));
      const cardList = el("div.column-cards", { role: "list", "aria-label": label });
      const section = el(
        notForViewer.has(column) ? "section.column.not-for-viewer" : "section.column",
        { dataset: { column }, "aria-label": label },
        el("h2.column-title", {}, toggle),
        cardList,
      );
      section.addEventListener("dragover", (event) => onDragOver(event, column));
      section.addEventListener("dragenter", (event) => onDragOver(event, column));
      section.addEventListener("dragleave", (event) => {
        if (!section.contains(event.relatedTarget)) section.classList.remove("drop-over");
      });
      section.addEventListener("drop", (event) => onDrop(event, column));
      columnEls.set(column, { section, list: cardList, count, label, toggle });
      root.append(section);
    }
  }

  function toggleColumn(column) {
    const info = columnEls.get(column);
    if (!info || info.list.childElementCount === 0) return;
    const collapsedNow = info.section.classList.contains("collapsed");
    const byDefault = COLLAPSED_BY_DEFAULT.has(column);
    // `expanded` holds the columns whose state differs from their default.
    if (collapsedNow === byDefault) expanded.add(column);
    else expanded.delete(column);
    try {
      localStorage.setItem(EXPANDED_KEY, JSON.stringify([...expanded]));
    } catch {
      /* private mode: not remembered */
    }
    refreshColumns();
  }

  function columnLabel(column) {
    return columnEls.get(column)?.label ?? column;
  }

  // Layout: a column is as wide as it needs (min COLUMN_MIN); closed columns and, when the
  // board is short of room, empty ones shrink to a narrow strip with a vertical label.
  const COLUMN_MIN = 150;
  const STRIP = 42;
  const GAP = 8;

  function refreshColumns() {
    const modes = new Map();
    let wide = 0;
    let strips = 0;
    let empties = 0;
    let visible = 0;
    for (const [column, info] of columnEls) {
      const all = [...info.list.children];
      const shown = all.filter((card) => !card.hidden).length;
      info.count.textContent = String(shown);
      info.section.classList.toggle("empty", all.length === 0);
      info.section.setAttribute("aria-label", `${info.label}，${shown} 件`);
      if (all.length === 0 && info.section.classList.contains("not-for-viewer")) {
        modes.set(column, "absent");
        continue;
      }
      visible += 1;
      const flipped = expanded.has(column);
      let mode = "wide";
      if (all.length === 0) mode = "empty";
      else if (COLLAPSED_BY_DEFAULT.has(column) ? !flipped : flipped) mode = "strip";
      modes.set(column, mode);
      if (mode === "wide") wide += 1;
      else if (mode === "strip") strips += 1;
      else empties += 1;
    }
    const room = root.clientWidth - 32 - GAP * Math.max(0, visible - 1);
    const emptiesFit = (wide + empties) * COLUMN_MIN + strips * STRIP <= room;
    for (const [column, info] of columnEls) {
      const mode = modes.get(column);
      const collapsed = mode === "strip" || (mode === "empty" && !emptiesFit);
      info.section.classList.toggle("collapsed", collapsed);
      info.toggle.setAttribute("aria-expanded", String(!collapsed && mode !== "absent"));
      info.toggle.disabled = mode === "empty" || mode === "absent";
    }
    handlers.onCounts?.(summary());
  }

  function summary() {
    let total = 0;
    let overdue = 0;
    let soon = 0;
    for (const rec of cards.values()) {
      total += 1;
      if (rec.column === "OVERDUE") overdue += 1;
      else if (rec.deadline && rec.deadline.level === "YELLOW") soon += 1;
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
    node.dataset.version = String(rec.version);
    node.dataset.state = rec.state;
    node.dataset.column = rec.column;
    node.dataset.docNo = rec.docNo;
    node.dataset.level = rec.deadline ? rec.deadline.level : "NONE";
    node.draggable = targetsOf(rec).size > 0;
    node.classList.toggle("has-actions", actions.length > 0);
    node.setAttribute(
      "aria-label",
      `${rec.addresseeUnit.name}，${rec.docNo}，${rec.title}，${rec.stateLabel}` +
        (actions.length ? "。按回车键选择操作" : ""),
    );
    const title = el("a.card-title", {
      href: `#/recommendation/${rec.id}`,
      text: rec.title,
      draggable: "false",
    });
    const foot = el("div.card-foot");
    const chip = chipElement(rec.deadline);
    if (chip) foot.append(chip);
    if (rec.column === "OVERDUE" || rec.column.toLowerCase() !== rec.state.toLowerCase()) {
      foot.append(el("span.card-state", { text: rec.stateLabel }));
    }
    foot.append(el("span.spacer"));
    if (actions.length) {
      const button = el("button.card-action", {
        type: "button",
        text: "操作",
        "aria-haspopup": "menu",
        "aria-label": `${rec.docNo} 的操作`,
      });
      button.addEventListener("click", (event) => {
        event.stopPropagation();
        openMenu(rec.id, button);
      });
      foot.append(button);
    }
    const focusInside = node !== document.activeElement && node.contains(document.activeElement);
    node.replaceChildren(
      el("div.card-unit", { text: rec.addresseeUnit.name }),
      el("div.card-doc", { text: rec.docNo }),
      title,
      foot,
    );
    if (focusInside) node.focus();
    node.classList.toggle("pending", pending.has(rec.id));
    node.setAttribute("aria-busy", String(pending.has(rec.id)));
    applyFilter(node, rec);
    return node;
  }

  function sortKey(rec) {
    if (rec.deadline && rec.deadline.level !== "NONE") return [0, rec.deadline.daysLeft, rec.docNo];
    return [1, -Date.parse(rec.updatedAt || 0), rec.docNo];
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
    const info = columnEls.get(column) || columnEls.get(rec.column);
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
    cards.clear();
    for (const node of cardEls.values()) node.remove();
    cardEls.clear();
    pending.clear();
    for (const rec of list) cards.set(rec.id, rec);
    for (const rec of list) place(rec.id);
    refreshColumns();
  }

  /**
   * Apply a recommendation as read from the server. Older versions than the one shown are
   * ignored (a late event); the same version again changes nothing visible.
   */
  function upsert(rec, { flash = false } = {}) {
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
      text &&
        !`${rec.addresseeUnit.name} ${rec.docNo} ${rec.title}`.toLowerCase().includes(text),
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
    event.dataTransfer.setData("text/plain", rec.docNo);
    node.classList.add("dragging");
    root.classList.add("is-dragging");
    for (const [column, info] of columnEls) {
      const ok = targets.has(column);
      info.section.classList.toggle("drop-allowed", ok);
      info.section.classList.toggle("drop-denied", !ok && column !== rec.column);
    }
  }

  function onDragOver(event, column) {
    if (!dragging || !dragging.targets.has(column)) return; // not a drop target: refuse
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    columnEls.get(column).section.classList.add("drop-over");
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
    for (const info of columnEls.values()) {
      info.section.classList.remove("drop-allowed", "drop-denied", "drop-over");
    }
    for (const node of cardEls.values()) node.classList.remove("dragging");
  }

  function onDragEnd() {
    clearDrag();
  }

  // ---- keyboard and the action menu ----------------------------------------------------

  const menu = document.getElementById("action-menu");
  let menuFor = null; // {id, opener}

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
    closeMenu();
    menuFor = { id, opener };
    const items = [];
    for (const action of rec.availableActions) {
      const hint = action.target ? `→ ${columnLabel(action.target)}` : "不改变状态";
      const item = el(
        "button.menu-item",
        { type: "button", role: "menuitem", tabindex: "-1", dataset: { action: action.action } },
        el("span.menu-label", { text: action.label }),
        el("span.menu-hint", { text: hint }),
      );
      item.addEventListener("click", () => {
        closeMenu({ restoreFocus: false });
        onStep(cards.get(id) || rec, [action], { via: "menu", opener });
      });
      items.push(item);
    }
    if (!items.length) {
      items.push(
        el("div.menu-empty", { role: "none", text: "您当前没有可执行的操作" }),
      );
    }
    const detail = el(
      "button.menu-item.menu-detail",
      { type: "button", role: "menuitem", tabindex: "-1" },
      el("span.menu-label", { text: "查看详情" }),
    );
    detail.addEventListener("click", () => {
      closeMenu({ restoreFocus: false });
      onDetail(id);
    });
    items.push(el("div.menu-sep", { role: "separator" }), detail);
    menu.replaceChildren(
      el("div.menu-title", { text: `${rec.docNo}`, "aria-hidden": "true" }),
      ...items,
    );
    menu.setAttribute("aria-label", `${rec.docNo} 的操作`);
    menu.hidden = false;
    const box = opener.getBoundingClientRect();
    const width = menu.offsetWidth;
    const height = menu.offsetHeight;
    let left = Math.min(box.left, window.innerWidth - width - 8);
    let top = box.bottom + 4;
    if (top + height > window.innerHeight - 8) top = Math.max(8, box.top - height - 4);
    left = Math.max(8, left);
    menu.style.left = `${left + window.scrollX}px`;
    menu.style.top = `${top + window.scrollY}px`;
    menuItems()[0]?.focus();
  }

  function menuItems() {
    return [...menu.querySelectorAll('[role="menuitem"]')];
  }

  function closeMenu({ restoreFocus = true } = {}) {
    if (menu.hidden) return;
    menu.hidden = true;
    menu.replaceChildren();
    const opener = menuFor?.opener;
    menuFor = null;
    if (restoreFocus && opener && opener.isConnected) opener.focus();
  }

  menu.addEventListener("keydown", (event) => {
    const items = menuItems();
    const index = items.indexOf(document.activeElement);
    if (event.key === "ArrowDown") {
      event.preventDefault();
      items[(index + 1) % items.length]?.focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      items[(index - 1 + items.length) % items.length]?.focus();
    } else if (event.key === "Home") {
      event.preventDefault();
      items[0]?.focus();
    } else if (event.key === "End") {
      event.preventDefault();
      items[items.length - 1]?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      closeMenu();
    } else if (event.key === "Tab") {
      closeMenu();
    }
  });
  document.addEventListener("mousedown", (event) => {
    if (!menu.hidden && !menu.contains(event.target)) closeMenu({ restoreFocus: false });
  });
  window.addEventListener("resize", () => {
    closeMenu({ restoreFocus: false });
    refreshColumns();
  });
  root.addEventListener("scroll", () => closeMenu({ restoreFocus: false }), true);

  return {
    setColumns,
    load,
    upsert,
    setPending,
    setFilter,
    get: (id) => cards.get(id),
    element: (id) => cardEls.get(id),
    columnLabel,
    closeMenu,
    size: () => cards.size,
    clear() {
      closeMenu({ restoreFocus: false });
      cards.clear();
      cardEls.clear();
      pending.clear();
      root.replaceChildren();
    },
  };
}
