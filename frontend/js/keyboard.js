// The board by keyboard (WCAG 2.1.1, 2.4.3) with a roving tabindex:
//
// - Tab stops once per column, on the column's current card (tabindex 0). Every other card,
//   and every link and button inside a card, is tabindex -1: the card's menu reaches them.
// - On a card: ↑/↓ go to the previous/next card of the column, Home/End to its first/last;
//   ←/→ go to the nearest column on that side that shows cards, to the card at the same
//   position there (or its last card).
// - Enter or Space opens the card's menu (board.js): its steps, then 查看详情, which opens the
//   detail panel. Escape closes the menu and gives the focus back to the card.
//
// A column's current card is the one last focused there while it is still shown, else its
// first shown card. Everything is read from the DOM (`.column`, `.column-cards > .card`), so a
// card placed by any path (the board query, a step, a live event, 加载更多) takes part.

const CARD = ".card";
const INSIDE = `${CARD} a[href], ${CARD} button, ${CARD} input, ${CARD} select, ${CARD} textarea`;
const HELP_ID = "card-keys-help";
const HELP = "按回车键打开操作菜单（含“查看详情”）；上下方向键在本列卡片间移动，左右方向键切换列。";

/** Shown: not hidden by the filter, not in a collapsed or absent column. */
function shown(node) {
  return !node.hidden && node.getClientRects().length > 0;
}

function setTabIndex(node, value) {
  if (node.getAttribute("tabindex") !== value) node.setAttribute("tabindex", value);
}

/** @param {HTMLElement} root the board */
export function attachKeyboard(root) {
  const current = new Map(); // column id → id of its current card

  const help = document.createElement("p");
  help.id = HELP_ID;
  help.hidden = true; // a description only: aria-describedby reads hidden text
  help.textContent = HELP;
  root.after(help);

  const sections = () => [...root.querySelectorAll(".column")];
  const cardsOf = (section) => [...section.querySelectorAll(`.column-cards > ${CARD}`)];

  /** Give each column exactly one card with tabindex 0 (reads layout once, then writes). */
  function sync() {
    const plan = sections().map((section) => {
      const all = cardsOf(section);
      const visible = all.filter(shown);
      const focused = visible.find((node) => node === document.activeElement);
      const remembered = visible.find((node) => node.dataset.id === current.get(section.dataset.column));
      return { all, active: focused || remembered || visible[0] || null };
    });
    for (const { all, active } of plan) {
      for (const node of all) {
        setTabIndex(node, node === active ? "0" : "-1");
        if (node.getAttribute("aria-describedby") !== HELP_ID) node.setAttribute("aria-describedby", HELP_ID);
      }
    }
    for (const inner of root.querySelectorAll(INSIDE)) setTabIndex(inner, "-1");
  }

  function focus(node) {
    node.focus();
    node.scrollIntoView({ block: "nearest", inline: "nearest" });
  }

  /** The card a key moves to from `card`: a card, null (no further), undefined (not ours). */
  function target(card, key) {
    const section = card.closest(".column");
    const list = cardsOf(section).filter(shown);
    const index = list.indexOf(card);
    switch (key) {
      case "ArrowDown":
        return list[index + 1] || null;
      case "ArrowUp":
        return index > 0 ? list[index - 1] : null;
      case "Home":
        return list[0];
      case "End":
        return list[list.length - 1];
      case "ArrowLeft":
      case "ArrowRight": {
        const all = sections();
        const step = key === "ArrowRight" ? 1 : -1;
        for (let i = all.indexOf(section) + step; i >= 0 && i < all.length; i += step) {
          const there = cardsOf(all[i]).filter(shown);
          if (there.length) return there[Math.min(index, there.length - 1)];
        }
        return null;
      }
      default:
        return undefined;
    }
  }

  root.addEventListener("keydown", (event) => {
    const card = event.target instanceof Element ? event.target : null;
    if (!card || !card.matches(CARD) || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const next = target(card, event.key);
    if (next === undefined) return;
    event.preventDefault(); // the board must not scroll under the arrow keys
    if (next && next !== card) focus(next);
  });

  root.addEventListener("focusin", (event) => {
    const card = event.target instanceof Element ? event.target.closest(CARD) : null;
    const section = card?.closest(".column");
    if (!section) return;
    current.set(section.dataset.column, card.dataset.id);
    sync();
  });

  // Cards come, go, move, re-render and hide (filter, collapsed columns): keep the stops right.
  new MutationObserver(sync).observe(root, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["hidden", "class"],
  });

  return {
    sync,
    /** Forget the current cards (another kind's board). */
    reset() {
      current.clear();
      sync();
    },
  };
}
