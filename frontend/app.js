// 府检联动平台 — the live board. No build step: ES modules plus the vendored graphql-ws UMD.
//
// After sign-in the server says which case kinds there are (`kinds`); the URL says which
// board is shown (`#/board/<kind>`) or which case is open (`#/case/<id>`, over its kind's
// board). Each board subscribes to its own kind's events, resuming after its last cursor.

import { createAnnouncer } from "./js/announce.js";
import { CASE_KIND, KINDS, UNITS, Unauthenticated, documents, gql } from "./js/api.js";
import { BOARD_PAGE } from "./js/board-api.js";
import { createPages } from "./js/board-pages.js";
import { createBoard } from "./js/board.js";
import { createBulk } from "./js/bulk.js";
import { createColumnSwitcher } from "./js/column-switcher.js";
import { createDetails } from "./js/details.js";
import { createFilterFold } from "./js/filter-fold.js";
import {
  createFilterBar,
  dataKey,
  emptyState,
  filterInput,
  queryOfState,
  stateFromQuery,
  stateOfView,
} from "./js/filters.js";
import { attachKeyboard } from "./js/keyboard.js";
import { createKindNav } from "./js/kind-nav.js";
import { startLive } from "./js/live.js";
import { createNotifications } from "./js/notifications.js";
import { createOutbox } from "./js/outbox.js";
import { createPanels } from "./js/panels.js";
import { boardHash, caseHash, createRouter } from "./js/router.js";
import { createSession } from "./js/session.js";
import { createStatisticsPages } from "./js/statistics.js";
import { createSteps } from "./js/steps.js";
import { toast, todayIso } from "./js/ui.js";
import { createViews } from "./js/views.js";

const $ = (id) => document.getElementById(id);

const STATUS_TEXT = {
  connecting: "连接中…",
  connected: "已连接",
  disconnected: "已断开，正在重连",
};
const KIND_KEY = "hub.board.kind";

let viewer = null;
let kinds = []; // [{kind, label, group, groupLabel, canCreate, createForm}] in the server's order
let docs = null;
let live = null;
let boardLoad = 0;
let routeTicket = 0;
let shownKind = null; // the kind whose board is loaded (or loading)
let shownState = emptyState(); // its filter, sort, lanes and view, as the URL says (js/filters.js)
let shownForm = null; // its Board.filterForm

const panels = createPanels();
const kindNav = createKindNav($("kind-tabs"), { hashOf: boardHash });
const router = createRouter(() => route());

const switcher = createColumnSwitcher($("column-switcher"), $("board"), $("board-frame"));
let bulk = null; // 批量操作 (js/bulk.js), made once the board is
const board = createBoard($("board"), {
  cardExtra: (rec) => bulk?.cardExtra(rec),
  onStep: (card, choices) => steps.start(card, choices),
  onDetail: (id) => router.go(caseHash(id)),
  onColumns: (kind, list) => switcher.update(kind, list),
});
const keyboard = attachKeyboard($("board"));
bulk = createBulk($("bulk"), { board, cardFields: () => docs.card, onError: handleError });

// Other people's changes to the cards on screen, said in one polite live region.
const announcer = createAnnouncer($("announcer"), {
  isShown(id) {
    const node = board.element(id);
    return Boolean(node && node.isConnected && !node.hidden && node.getClientRects().length);
  },
  caseNo: (id) => board.get(id)?.caseNo ?? null,
});

// The filter bar, the views and the columns' pages. A choice goes into the URL; the route
// applies it (so reload and back/forward restore it): a new filter or sort reads the board
// again, new lanes only regroup the cards.
const shownHash = (state = shownState) => boardHash(shownKind, queryOfState(state));
const filterBar = createFilterBar($("filter-bar"), {
  search: $("filter"),
  lanes: $("grouping"),
  onChange: (state) => router.go(boardHash(shownKind, queryOfState(state))),
});
const views = createViews($("board-views"), {
  state: () => shownState,
  onApply: (view) => router.go(shownHash(stateOfView(view))),
  onDeleted() {
    shownState = { ...shownState, view: null };
    router.replace(shownHash());
  },
  onError: handleError,
});
// A phone: the filters fold behind 筛选, which counts those on (the search box stays out).
createFilterFold({
  view: $("board-view"),
  button: $("filter-fold"),
  parts: [$("filter-row"), $("grouping")],
  activeCount: () => Object.keys(filterInput(shownState) || {}).filter((key) => key !== "search").length,
});
const boardVariables = () => ({
  kind: shownKind,
  filter: filterInput(shownState),
  sort: shownState.sort || "DUE",
});
const pages = createPages({
  board,
  docs: () => docs,
  variables: boardVariables,
  onTotals: showCounts,
  onError: handleError,
});

/** The lanes a state shows: its own when the kind offers them, else the kind's default. */
function lanesOf(state, form = shownForm) {
  const offered = (form?.laneBys || []).map((o) => o.id);
  if (state.laneBy && offered.includes(state.laneBy)) return state.laneBy;
  return offered.includes("KIND") ? "KIND" : "NONE";
}

function applyLanes(state) {
  const by = lanesOf(state);
  const order = { UNIT: shownForm?.units, HANDLER: shownForm?.handlers }[by] || [];
  board.setLanes(by, order.map((o) => o.id));
}

const details = createDetails($("detail"), {
  documents: () => docs,
  onStep: (c, choices) => steps.start(c, choices),
  onEdit: (c) => steps.edit(c),
  onOpenCase: (id) => router.go(caseHash(id)),
  onOpening: () => panels.opening("detail"),
  onClosed() {
    if (router.current().view === "case" && shownKind) {
      router.replace(shownHash());
    }
  },
  onError: handleError,
  notFound: () => notFoundText(router.current()),
});
panels.register("detail", (options) => details.close(options));

const steps = createSteps({
  // The board as this browser's own steps see it: what they produce is not announced.
  board: Object.create(board, {
    upsert: {
      value(rec, options) {
        announcer.own(rec);
        return board.upsert(rec, options);
      },
    },
  }),
  details,
  documents: () => docs,
  refreshCard,
  onCreated: (c) => router.go(caseHash(c.id)),
  onError: handleError,
});

// The alert emails this viewer may see: a count in the top bar, the list in a side panel.
const outbox = createOutbox($("outbox"), $("outbox-button"), {
  onOpenCard: (id) => router.go(caseHash(id)),
  onOpening: () => panels.opening("outbox"),
  onError: handleError,
});
panels.register("outbox", (options) => outbox.close(options));

// The notification centre: the bell's unread count, the list in a side panel, live.
const notifications = createNotifications($("notifications"), $("notifications-button"), {
  onOpenCase: (id) => router.go(caseHash(id)),
  onOpening: () => panels.opening("notifications"),
  onError: handleError,
});
panels.register("notifications", (options) => notifications.close(options));

// 统计分析 and 任务清单报告 (`#/statistics`, `#/tasklist-report`): pages in place of the board.
const statsPages = createStatisticsPages({
  router,
  kinds: () => kinds,
  units: () => gql(UNITS).then((data) => data.units),
  boardLink: () => (shownKind ? shownHash() : boardHash(defaultKind())),
  today: todayIso,
  onError: handleError,
  onOpening: () => panels.opening("stats-cases"),
});
panels.register("stats-cases", (options) => statsPages.closeList(options));

function notFoundText(current) {
  return current.legacy === "RECOMMENDATION" ? "检察建议不存在，或您无权查看" : "案件不存在，或您无权查看";
}

// ---- session ---------------------------------------------------------------------------

const session = createSession({
  async onSignIn(who) {
    viewer = who;
    outbox.setViewer(who);
    notifications.setViewer(who);
    statsPages.setViewer(who);
    const data = await gql(KINDS);
    if (viewer !== who) return;
    kinds = data.kinds;
    docs = documents(kinds.map((k) => k.kind));
    await route();
  },
  onSignOut() {
    viewer = null;
    kinds = [];
    docs = null;
    shownKind = null;
    shownState = emptyState();
    shownForm = null;
    filterBar.clear();
    views.clear();
    pages.reset();
    boardLoad += 1;
    stopLive();
    bulk.clear();
    board.clear();
    switcher.clear();
    steps.reset();
    details.close({ notify: false, restoreFocus: false });
    outbox.setViewer(null);
    notifications.setViewer(null);
    statsPages.setViewer(null);
  },
});

function handleError(error) {
  if (error instanceof Unauthenticated) session.expired();
  else toast(error.message || String(error), "error");
}

// ---- routes ----------------------------------------------------------------------------

function kindInfo(kind) {
  return kinds.find((k) => k.kind === kind) || null;
}

function defaultKind() {
  let remembered = null;
  try {
    remembered = localStorage.getItem(KIND_KEY);
  } catch {
    /* private mode */
  }
  return kindInfo(remembered) ? remembered : kinds[0]?.kind;
}

async function route() {
  if (!viewer || !kinds.length) return;
  const ticket = ++routeTicket;
  const current = router.current();
  try {
    if (statsPages.route(current)) {
      details.close({ notify: false });
      return;
    }
    if (current.view === "case") {
      await openCase(current, ticket);
      return;
    }
    const kind = current.view === "board" && kindInfo(current.kind) ? current.kind : defaultKind();
    const sameKind = current.view === "board" && kind === current.kind;
    const state = sameKind ? stateFromQuery(current.query) : emptyState();
    router.replace(boardHash(kind, queryOfState(state)));
    details.close({ notify: false });
    if (kind !== shownKind || dataKey(state) !== dataKey(shownState)) await loadBoard(kind, state);
    else showState(state);
  } catch (error) {
    handleError(error);
  }
}

/** A case's link: its kind's board underneath, the case in the side panel. */
async function openCase(current, ticket) {
  let kind = board.get(current.id)?.kind;
  if (!kind) {
    const data = await gql(CASE_KIND, { id: current.id });
    if (ticket !== routeTicket) return;
    kind = data.node && data.node.kind;
  }
  if (!kind || !kindInfo(kind)) {
    toast(notFoundText(current), "error");
    details.close({ notify: false });
    const fallback = shownKind || defaultKind();
    router.replace(boardHash(fallback));
    if (fallback !== shownKind) await loadBoard(fallback);
    return;
  }
  if (kind !== shownKind) await loadBoard(kind);
  if (ticket !== routeTicket) return;
  details.open(current.id);
}

// ---- the board of one kind and its live updates ----------------------------------------

function showKind(kind) {
  const info = kindInfo(kind);
  $("board-title").textContent = `${info.label}看板`;
  $("board").setAttribute("aria-label", `${info.label}看板`);
  document.title = `府检联动平台 · ${info.label}看板`;
  kindNav.show(kinds, kind);
  const create = $("create-case");
  create.hidden = !(info.canCreate && info.createForm);
  create.title = `新建${info.label}`;
  create.setAttribute("aria-label", `新建${info.label}`);
  filterBar.clear(); // until the kind's board says its options
  views.clear();
}

/** The same board's lanes, view or bar changed (not what the server reads). */
function showState(state) {
  shownState = state;
  if (!shownForm) return; // the board is being read: it applies the state when it is
  filterBar.show(shownForm, filterBar.columns, state, lanesOf(emptyState()));
  views.select(state.view);
  applyLanes(state);
}

async function loadBoard(kind, state = emptyState()) {
  const ticket = ++boardLoad;
  stopLive();
  pages.reset();
  const kindChanged = kind !== shownKind;
  shownKind = kind;
  shownState = state;
  try {
    localStorage.setItem(KIND_KEY, kind);
  } catch {
    /* private mode: not remembered */
  }
  if (kindChanged) {
    shownForm = null;
    showKind(kind);
    views.load(kind, state.view).catch(handleError);
  }
  setStatus("connecting");
  $("board").setAttribute("aria-busy", "true");
  let data;
  try {
    const someColumns = state.filter.columns.length > 0;
    data = await gql(docs.board, { ...boardVariables(), first: BOARD_PAGE, someColumns });
  } catch (error) {
    if (ticket === boardLoad) shownKind = null; // the next route loads it again
    throw error;
  }
  if (ticket !== boardLoad || !viewer) return;
  shownForm = data.board.filterForm;
  board.setColumns(kind, data.board.columns, undefined, data.board.lanes);
  pages.load(data.board);
  bulk.show(data.board.bulkActions);
  filterBar.columns = (data.kindColumns || data.board).columns;
  showState(shownState); // as the URL says now (its lanes may have changed meanwhile)
  $("board").setAttribute("aria-busy", "false");
  $("board").dataset.ready = "true";
  outbox.refreshCount();
  live = startLive({
    query: docs.boardEvents,
    variables: { kinds: [kind], filter: filterInput(state) || {} },
    cursor: data.board.cursor,
    onEvent(boardEvent) {
      const c = boardEvent.case;
      if (c.kind === shownKind) {
        // never another kind's card
        announcer.heard(c);
        onCardEvent(c);
      }
      details.refreshIf(c.id);
    },
    onStatus: setStatus,
    onRejected: () => session.check(),
    onError(message) {
      toast(`实时更新出错：${message}`, "error");
    },
  });
}

/**
 * A live change to a case of the shown kind. Whether it matches the filter is the server's to
 * say (the event's `matchesBoardFilter`): one that no longer does leaves, one that does takes
 * the change or comes in. Its columns and the totals are then read again (throttled,
 * js/board-pages.js), which puts the cards in the server's order and page.
 */
function onCardEvent(c) {
  const before = board.get(c.id)?.column;
  if (!c.matchesBoardFilter || !board.hasColumn(c.column)) board.remove(c.id);
  else board.upsert(c, { flash: true });
  pages.touch(before, c.column);
}

// Overdue is derived from the date, not an event: when the business date changes, read the
// board again (the cards' columns and days left, and what the filter matches).
let boardDate = todayIso();
setInterval(async () => {
  const now = todayIso();
  if (now === boardDate || !viewer || !live || !shownKind) return;
  boardDate = now;
  try {
    await loadBoard(shownKind, shownState);
    outbox.refreshCount(); // a new day brings that day's alerts
  } catch (error) {
    handleError(error);
  }
}, 60_000);

function stopLive() {
  if (live) {
    live.dispose();
    live = null;
  }
  announcer.reset();
  keyboard.reset();
  delete $("board").dataset.ready;
}

function setStatus(state) {
  const node = $("conn");
  node.dataset.state = state;
  $("conn-text").textContent = STATUS_TEXT[state] || state;
}

function showCounts({ total, overdue, soon }) {
  $("count-total").textContent = String(total);
  $("count-overdue").textContent = String(overdue);
  $("count-soon").textContent = String(soon);
}

$("create-case").addEventListener("click", () => {
  const info = kindInfo(shownKind);
  if (info && info.createForm) steps.create(info);
});

async function refreshCard(id) {
  try {
    const data = await gql(docs.cardById, { id });
    if (data.node && data.node.kind === shownKind) {
      board.upsert(data.node);
      pages.refreshButtons();
    }
  } catch (error) {
    handleError(error);
  }
}

// Escape closes the open side panel even when the focus is not inside it (it was on a link
// the panel has since re-rendered away).
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented) return;
  if (document.querySelector("dialog[open]")) return; // the dialog closes itself
  if (!$("action-menu").hidden) {
    board.closeMenu(); // the topmost: the focus is back on its card
    return;
  }
  if (!$("detail").hidden) details.close();
  else if (outbox.isOpen) outbox.close();
  else if (notifications.isOpen) notifications.close();
  else if (!$("stats-cases").hidden) statsPages.closeList();
});

// ---- hooks for tests and support -------------------------------------------------------

window.__hub = {
  /** Drop the live connection as a network failure would; {hold: true} keeps it down. */
  dropConnection(options) {
    live?.drop(options);
  },
  releaseConnection() {
    live?.release();
  },
  get cursor() {
    return live ? live.cursor : null;
  },
  get debug() {
    return live ? live.debug : null;
  },
  get kind() {
    return shownKind;
  },
};

session.boot();
