// The action menu of a card (its 操作 button, or Enter on the card): the steps the viewer may
// take, then 查看详情. Arrow keys, Home and End move; Escape closes and gives the focus back.

import { el } from "./ui.js";

export function createActionMenu(menu) {
  let opener = null;

  function items() {
    return [...menu.querySelectorAll('[role="menuitem"]')];
  }

  function close({ restoreFocus = true } = {}) {
    if (menu.hidden) return;
    menu.hidden = true;
    menu.replaceChildren();
    const from = opener;
    opener = null;
    if (restoreFocus && from && from.isConnected) from.focus();
  }

  function item(label, hint, onClick, dataset) {
    const node = el(
      "button.menu-item",
      { type: "button", role: "menuitem", tabindex: "-1", dataset },
      el("span.menu-label", { text: label }),
      hint ? el("span.menu-hint", { text: hint }) : null,
    );
    node.addEventListener("click", () => {
      close({ restoreFocus: false });
      onClick();
    });
    return node;
  }

  /** `actions`: [{action, hint}] in the server's order. */
  function open({ title, opener: from, actions, onAction, onDetail }) {
    close();
    opener = from;
    const list = actions.map(({ action, hint }) =>
      item(action.label, hint, () => onAction(action), { action: action.action }),
    );
    if (!list.length) list.push(el("div.menu-empty", { role: "none", text: "您当前没有可执行的操作" }));
    const detail = item("查看详情", null, onDetail);
    detail.classList.add("menu-detail");
    menu.replaceChildren(
      el("div.menu-title", { text: title, "aria-hidden": "true" }),
      ...list,
      el("div.menu-sep", { role: "separator" }),
      detail,
    );
    menu.setAttribute("aria-label", `${title} 的操作`);
    menu.hidden = false;
    const box = from.getBoundingClientRect();
    const width = menu.offsetWidth;
    const height = menu.offsetHeight;
    let left = Math.min(box.left, window.innerWidth - width - 8);
    let top = box.bottom + 4;
    if (top + height > window.innerHeight - 8) top = Math.max(8, box.top - height - 4);
    left = Math.max(8, left);
    menu.style.left = `${left + window.scrollX}px`;
    menu.style.top = `${top + window.scrollY}px`;
    items()[0]?.focus();
  }

  menu.addEventListener("keydown", (event) => {
    const list = items();
    const index = list.indexOf(document.activeElement);
    const moves = {
      ArrowDown: () => list[(index + 1) % list.length],
      ArrowUp: () => list[(index - 1 + list.length) % list.length],
      Home: () => list[0],
      End: () => list[list.length - 1],
    };
    if (moves[event.key]) {
      event.preventDefault();
      moves[event.key]()?.focus();
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Tab") {
      close();
    }
  });
  document.addEventListener("mousedown", (event) => {
    if (!menu.hidden && !menu.contains(event.target)) close({ restoreFocus: false });
  });

  return { open, close };
}
