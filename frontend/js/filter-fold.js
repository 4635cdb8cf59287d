// On a phone the board's filters (the filter row, the swimlane switch) fold behind one
// 筛选 button beside the search box, which says how many filters are on. Wider, the button
// does not show and neither does anything fold (styles.css, "phone and tablet").

/**
 * @param {object} options
 * @param {HTMLElement} options.view the board view, which carries `filters-open`
 * @param {HTMLButtonElement} options.button the 筛选 button
 * @param {HTMLElement[]} options.parts what folds behind it
 * @param {() => number} options.activeCount filters on, besides the search text
 */
export function createFilterFold({ view, button, parts, activeCount }) {
  const badge = button.querySelector(".filter-fold-count");
  const isOpen = () => view.classList.contains("filters-open");

  function setOpen(open) {
    view.classList.toggle("filters-open", open);
    button.setAttribute("aria-expanded", String(open));
  }

  /** The button shows while there is something behind it; its badge counts the filters on. */
  function refresh() {
    const shown = parts.filter(
      (part) => !part.hidden && part.querySelector(":scope > :not([hidden]):not(legend)"),
    );
    button.hidden = shown.length === 0;
    const n = activeCount();
    badge.textContent = n ? String(n) : "";
    badge.hidden = n === 0;
    button.setAttribute("aria-label", n ? `筛选，已设 ${n} 项` : "筛选");
  }

  button.addEventListener("click", () => setOpen(!isOpen()));
  for (const part of parts) {
    part.addEventListener("change", refresh);
    new MutationObserver(refresh).observe(part, {
      attributes: true,
      attributeFilter: ["hidden"],
      childList: true,
      subtree: true,
    });
  }
  refresh();

  return {
    refresh,
    close: () => setOpen(false),
  };
}
