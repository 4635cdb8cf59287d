// The board on a phone or a tablet, and a board wider than its screen.
//
// Narrow (the switcher's strip shows: styles.css, "phone and tablet"): one column at a time,
// chosen in a strip of tabs above the board that names each column with its count (the tabs
// pattern: the arrow keys, Home and End move between the tabs, the column is the tab panel).
// The choice is kept per kind while the page lives. Wide: every column shows, and when they do
// not all fit, the board's edges say how many columns lie beyond them and scroll to them.
// Which width is which is the stylesheet's alone: here only "does the strip show".

import { el } from "./ui.js";

/**
 * @param {HTMLElement} strip the role="tablist" above the board
 * @param {HTMLElement} board the board's column container (it scrolls sideways when wide)
 * @param {HTMLElement} frame the board's frame, which carries the edge hints
 */
export function createColumnSwitcher(strip, board, frame) {
  const chosen = new Map(); // kind → the column shown when narrow
  let kind = null;
  let columns = []; // [{id, label, count, overdue, absent}] as last given
  let shape = "";
  const tabs = new Map(); // column id → {tab, count}

  const narrow = () => strip.offsetParent !== null;
  const present = () => columns.filter((c) => !c.absent);

  const edges = {
    left: edgeButton("left", "‹", "向左滚动看板"),
    right: edgeButton("right", "›", "向右滚动看板"),
  };
  frame.append(edges.left.node, edges.right.node);

  function edgeButton(side, arrow, label) {
    const text = el("span.board-edge-text");
    // Not a tab stop: the keyboard reaches every column through its cards already.
    const node = el(
      `button.board-edge.board-edge-${side}`,
      { type: "button", tabindex: "-1", title: label, "aria-hidden": "true", hidden: true },
      side === "left" ? el("span.board-edge-arrow", { text: arrow }) : null,
      text,
      side === "right" ? el("span.board-edge-arrow", { text: arrow }) : null,
    );
    node.addEventListener("click", () => {
      const step = Math.max(160, Math.round(board.clientWidth * 0.8));
      board.scrollBy({ left: side === "left" ? -step : step, behavior: "smooth" });
    });
    return { node, text };
  }

  /** The columns from the board's latest refresh; `kind` is the board's. */
  function update(caseKind, list) {
    kind = caseKind;
    columns = list;
    const next = JSON.stringify([kind, present().map((c) => [c.id, c.label])]);
    if (next !== shape) {
      shape = next;
      build();
    }
    for (const c of present()) {
      const { tab, count } = tabs.get(c.id);
      count.textContent = String(c.count);
      tab.setAttribute("aria-label", `${c.label}，${c.count} 件`);
      tab.classList.toggle("overdue", Boolean(c.overdue));
    }
    apply();
  }

  function build() {
    tabs.clear();
    strip.replaceChildren(
      ...present().map((c) => {
        const count = el("span.switch-count");
        const tab = el(
          "button.switch-tab",
          {
            type: "button",
            role: "tab",
            id: `column-tab-${c.id}`,
            "aria-controls": `column-panel-${c.id}`,
            dataset: { column: c.id },
          },
          el("span.switch-label", { text: c.label }),
          count,
        );
        tab.addEventListener("click", () => select(c.id, { focus: false }));
        tabs.set(c.id, { tab, count });
        return tab;
      }),
    );
  }

  /** The column shown when narrow: the one chosen, else the first with cards, else the first. */
  function current() {
    const list = present();
    const id = chosen.get(kind);
    if (list.some((c) => c.id === id)) return id;
    return (list.find((c) => c.count > 0) || list[0])?.id ?? null;
  }

  function select(id, { focus = true } = {}) {
    if (!tabs.has(id)) return;
    chosen.set(kind, id);
    apply();
    const { tab } = tabs.get(id);
    if (focus) tab.focus();
    reveal(tab);
  }

  /** Mark the current column and tab; the tab panel roles only while the tabs show. */
  function apply() {
    const id = current();
    const isNarrow = narrow();
    board.toggleAttribute("data-single", isNarrow);
    for (const [column, { tab }] of tabs) {
      const on = column === id;
      tab.setAttribute("aria-selected", String(on));
      tab.tabIndex = on ? 0 : -1;
    }
    for (const section of board.querySelectorAll(".column[data-column]")) {
      const column = section.dataset.column;
      section.id = `column-panel-${column}`;
      section.classList.toggle("current", column === id);
      if (isNarrow && tabs.has(column)) {
        section.setAttribute("role", "tabpanel");
        section.setAttribute("aria-labelledby", `column-tab-${column}`);
      } else {
        section.removeAttribute("role");
        section.removeAttribute("aria-labelledby");
      }
    }
    if (isNarrow && id) reveal(tabs.get(id).tab);
    showStripEdges();
    showEdges();
  }

  /** Scroll the strip (never the page) so the tab shows clear of the faded edges. */
  function reveal(tab) {
    const margin = 44;
    const left = tab.offsetLeft; // the strip is positioned
    const right = left + tab.offsetWidth;
    if (left - margin < strip.scrollLeft) strip.scrollLeft = left - margin;
    else if (right + margin > strip.scrollLeft + strip.clientWidth) {
      strip.scrollLeft = right + margin - strip.clientWidth;
    }
  }

  /** Which edges of the strip have tabs beyond them. */
  function showStripEdges() {
    const end = strip.scrollWidth - strip.clientWidth;
    const more = [strip.scrollLeft > 1 && "left", strip.scrollLeft < end - 1 && "right"];
    strip.dataset.more = more.filter(Boolean).join(" ");
  }

  /** Wide and wider than the screen: how many columns lie beyond each edge. */
  function showEdges() {
    const box = board.getBoundingClientRect();
    let before = 0;
    let after = 0;
    if (!narrow() && board.scrollWidth > board.clientWidth + 1) {
      for (const section of board.querySelectorAll(".column")) {
        const r = section.getBoundingClientRect();
        if (!r.width) continue; // not shown
        if (r.left < box.left + 8) before += 1;
        else if (r.right > box.right - 8) after += 1;
      }
    }
    for (const [side, n] of [
      ["left", before],
      ["right", after],
    ]) {
      const edge = edges[side];
      edge.node.hidden = n === 0;
      edge.text.textContent = n ? `还有 ${n} 列` : "";
    }
    frame.dataset.more = [before && "left", after && "right"].filter(Boolean).join(" ");
  }

  strip.addEventListener("keydown", (event) => {
    const list = present().map((c) => c.id);
    const at = list.indexOf(current());
    const next = {
      ArrowRight: at + 1,
      ArrowLeft: at - 1,
      Home: 0,
      End: list.length - 1,
    }[event.key];
    if (next === undefined || !list.length) return;
    event.preventDefault();
    select(list[(next + list.length) % list.length]);
  });
  board.addEventListener("scroll", showEdges, { passive: true });
  strip.addEventListener("scroll", showStripEdges, { passive: true });
  window.addEventListener("resize", apply); // the board's own refresh follows its width

  return {
    update,
    select,
    /** The column shown when narrow (null: no board). */
    get current() {
      return current();
    },
    clear() {
      columns = [];
      shape = "";
      kind = null;
      tabs.clear();
      strip.replaceChildren();
      showEdges();
    },
  };
}
