// The case kinds' navigation (the landmark 案件类型): one link per kind, in the server's order,
// under the groups the server names (案件, 工作机制). On a wide screen every link shows, a group
// after the other, wrapping onto a second line when the board is narrow. On a phone the links
// fold into a menu under a button that names the shown kind (the disclosure pattern: Escape
// closes it, the arrow keys move between its links). Nothing here knows which kinds exist.

import { el } from "./ui.js";

const LIST_ID = "kind-nav-groups";

/**
 * @param {HTMLElement} nav the <nav aria-label="案件类型"> to fill
 * @param {{hashOf: (kind: string) => string}} options the link of a kind's board
 */
export function createKindNav(nav, { hashOf }) {
  const current = el("span.kind-nav-current");
  const toggle = el(
    "button.kind-nav-toggle",
    { type: "button", "aria-expanded": "false", "aria-controls": LIST_ID },
    el("span.kind-nav-caption", { text: "案件类型" }),
    current,
    el("span.kind-nav-caret", { "aria-hidden": "true" }),
  );
  const groups = el("div.kind-nav-groups", { id: LIST_ID });
  nav.replaceChildren(toggle, groups);
  let shape = "";

  const links = () => [...groups.querySelectorAll("a.kind-tab")];
  const isOpen = () => nav.classList.contains("open");
  // The menu exists only while the toggle shows (a phone's width); otherwise links always show.
  const folded = () => toggle.offsetParent !== null;

  function open({ focus = true } = {}) {
    nav.classList.add("open");
    toggle.setAttribute("aria-expanded", "true");
    if (focus) (groups.querySelector('[aria-current="page"]') || links()[0])?.focus();
  }

  function close({ restoreFocus = true } = {}) {
    if (!isOpen()) return;
    const hadFocus = groups.contains(document.activeElement);
    nav.classList.remove("open");
    toggle.setAttribute("aria-expanded", "false");
    if (restoreFocus && hadFocus) toggle.focus();
  }

  toggle.addEventListener("click", () => (isOpen() ? close() : open()));
  toggle.addEventListener("keydown", (event) => {
    if (event.key === "ArrowDown" && !isOpen()) {
      event.preventDefault();
      open();
    }
  });
  groups.addEventListener("click", (event) => {
    if (event.target.closest("a.kind-tab")) close();
  });
  nav.addEventListener("keydown", (event) => {
    if (!isOpen() || !folded()) return;
    if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation();
      close({ restoreFocus: false });
      toggle.focus();
      return;
    }
    if (event.target === toggle) return; // its own keys: the menu has just opened
    const all = links();
    const at = all.indexOf(document.activeElement);
    const next = {
      ArrowDown: at + 1,
      ArrowUp: at - 1,
      Home: 0,
      End: all.length - 1,
    }[event.key];
    if (next === undefined || !all.length) return;
    event.preventDefault();
    all[(next + all.length) % all.length].focus();
  });
  // Leaving the menu (Tab past it, a tap elsewhere) closes it.
  nav.addEventListener("focusout", (event) => {
    if (isOpen() && event.relatedTarget && !nav.contains(event.relatedTarget)) {
      close({ restoreFocus: false });
    }
  });
  document.addEventListener("pointerdown", (event) => {
    if (isOpen() && !nav.contains(event.target)) close({ restoreFocus: false });
  });

  /** Rebuild the links only when the kinds change, so a clicked link keeps its focus. */
  function build(kinds) {
    const next = JSON.stringify(kinds.map((k) => [k.kind, k.label, k.group, k.groupLabel]));
    if (next === shape) return;
    shape = next;
    const order = [];
    const byGroup = new Map();
    for (const k of kinds) {
      const key = k.group || "";
      if (!byGroup.has(key)) {
        byGroup.set(key, { label: k.groupLabel || "", kinds: [] });
        order.push(key);
      }
      byGroup.get(key).kinds.push(k);
    }
    groups.replaceChildren(
      ...order.map((key, index) => {
        const group = byGroup.get(key);
        const labelId = `kind-group-${index}`;
        const list = el(
          "ul.kind-group-links",
          {},
          group.kinds.map((k) =>
            el(
              "li",
              {},
              el("a.kind-tab", { href: hashOf(k.kind), text: k.label, dataset: { kind: k.kind } }),
            ),
          ),
        );
        if (!group.label) return el("div.kind-group", {}, list);
        return el(
          "div.kind-group",
          { role: "group", "aria-labelledby": labelId, dataset: { group: key } },
          el("span.kind-group-label", { id: labelId, text: group.label }),
          list,
        );
      }),
    );
  }

  return {
    /** Show `kinds` (the server's list) with `kind` as the current page. */
    show(kinds, kind) {
      build(kinds);
      for (const link of links()) {
        if (link.dataset.kind === kind) link.setAttribute("aria-current", "page");
        else link.removeAttribute("aria-current");
      }
      const label = kinds.find((k) => k.kind === kind)?.label || "";
      current.textContent = label;
      toggle.setAttribute("aria-label", label ? `案件类型：${label}` : "案件类型");
      close();
    },
    close,
  };
}
