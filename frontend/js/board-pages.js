// The board's pages: each column shows the server's first cards under the filter and sort,
// its exact total in the header and 加载更多（还有 N 件） for the next page (`boardColumn`
// after its end cursor). After live events the columns they touched and the totals are read
// again in one request — at most one in flight and one per RESYNC_MS, however many events
// arrive — so a card that no longer matches the filter leaves, one that newly matches comes
// in, in the server's order, and the counts follow.

import { gql } from "./api.js";
import { BOARD_PAGE } from "./board-api.js";
import { el } from "./ui.js";

const RESYNC_MS = 600;
const PAGE_MAX = 100; // settings.board_page_max: one request's largest page

/**
 * @param {object} options
 * @param {object} options.board js/board.js
 * @param {() => object} options.docs the board documents (js/board-api.js boardDocuments)
 * @param {() => object} options.variables {kind, filter, sort} of the board shown
 * @param {(totals: {total: number, overdue: number, soon: number}) => void} options.onTotals
 * @param {(error: Error) => void} options.onError
 */
export function createPages({ board, docs, variables, onTotals, onError }) {
  const pages = new Map(); // column → {hasMore, endCursor, button}
  let generation = 0;
  let dirty = new Set();
  let timer = null;
  let inFlight = null;

  function button(column) {
    const node = el("button.btn.btn-ghost.column-more", { type: "button", hidden: true });
    node.addEventListener("click", () => more(column));
    return node;
  }

  function totalsOf(data) {
    return { total: data.totalCount, overdue: data.overdueCount, soon: data.dueSoonCount };
  }

  /** A board as read: its columns' first pages (the board has its columns already). */
  function load(data) {
    generation += 1;
    clearTimeout(timer);
    timer = null;
    dirty = new Set();
    pages.clear();
    board.loadPages(data.columns);
    for (const column of data.columns) {
      const section = board.columnSection(column.id);
      if (!section) continue;
      const node = button(column.id);
      section.append(node);
      pages.set(column.id, { hasMore: column.hasMore, endCursor: column.endCursor, button: node });
    }
    board.setTotals(Object.fromEntries(data.columns.map((c) => [c.id, c.totalCount])));
    onTotals(totalsOf(data));
    showButtons();
  }

  function showButtons() {
    for (const [column, page] of pages) {
      const left = Math.max(0, board.totalOf(column) - board.countIn(column));
      page.button.hidden = !page.hasMore || left === 0;
      page.button.textContent = `加载更多（还有 ${left} 件）`;
      page.button.setAttribute("aria-label", `${board.columnLabel(column)}：加载更多，还有 ${left} 件`);
    }
  }

  async function more(column) {
    const page = pages.get(column);
    if (!page || page.loading || !page.hasMore) return;
    const mine = generation;
    page.loading = true;
    page.button.disabled = true;
    page.button.setAttribute("aria-busy", "true");
    try {
      const data = await gql(docs().boardColumn, {
        ...variables(),
        column,
        first: BOARD_PAGE,
        after: page.endCursor,
      });
      if (mine !== generation) return;
      const next = data.boardColumn;
      board.appendPage(column, next.cards);
      page.hasMore = next.hasMore;
      page.endCursor = next.endCursor;
      board.setTotals({ [column]: next.totalCount });
    } catch (error) {
      onError(error);
    } finally {
      page.loading = false;
      page.button.disabled = false;
      page.button.removeAttribute("aria-busy");
      showButtons();
    }
  }

  /** Live events changed cards in these columns: read them and the totals again, soon. */
  function touch(...columns) {
    for (const column of columns) if (column && pages.has(column)) dirty.add(column);
    if (!timer) timer = setTimeout(resync, RESYNC_MS);
  }

  async function resync() {
    timer = null;
    if (inFlight) {
      // One request at a time: the next starts when this one answers.
      inFlight.then(() => touch());
      return;
    }
    const mine = generation;
    const columns = [...dirty];
    dirty = new Set();
    const windows = columns.map((column) => ({
      column,
      first: Math.min(PAGE_MAX, Math.max(BOARD_PAGE, board.countIn(column))),
    }));
    const request = gql(docs().resync(windows), variables());
    inFlight = request.catch(() => null);
    try {
      const data = await request;
      if (mine !== generation) return;
      windows.forEach((w, i) => {
        const part = data[`c${i}`];
        const page = pages.get(w.column);
        if (!part || !page) return;
        board.resyncColumn(w.column, part.cards, { complete: !part.hasMore });
        page.hasMore = part.hasMore;
        page.endCursor = part.endCursor;
      });
      board.setTotals(Object.fromEntries(data.totals.columns.map((c) => [c.id, c.totalCount])));
      onTotals(totalsOf(data.totals));
      showButtons();
    } catch (error) {
      if (mine === generation) onError(error);
    } finally {
      inFlight = null;
    }
  }

  return {
    load,
    touch,
    /** Something other than an event changed what is loaded (a step's own result). */
    refreshButtons: showButtons,
    /** The board shown is being replaced: drop what is pending for the old one. */
    reset() {
      generation += 1;
      clearTimeout(timer);
      timer = null;
      dirty = new Set();
      pages.clear();
    },
    get pending() {
      return Boolean(timer || inFlight);
    },
  };
}
