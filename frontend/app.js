// 府检联动平台 — the live board. No build step: ES modules plus the vendored graphql-ws UMD.
//
// After sign-in the server says which case kinds there are (`kinds`); the URL says which
// board is shown (`#/board/<kind>`) or which case is open (`#/case/<id>`, over its kind's
// board). Each board subscribes to its own kind's events, resuming after its last cursor.

import { CASE_KIND, KINDS, Unauthenticated, documents, gql } from "./js/api.js";
import { createBoard } from "./js/board.js";
import { createDetails } from "./js/details.js";
import { createGrouping } from "./js/grouping.js";
import { createKindNav } from "./js/kind-nav.js";
import { startLive } from "./js/live.js";
import { createOutbox } from "./js/outbox.js";
import { createPanels } from "./js/panels.js";
import { boardHash, caseHash, createRouter } from "./js/router.js";
import { createSession } from "./js/session.js";
import { createSteps } from "./js/steps.js";
import { toast, todayIso } from "./js/ui.js";

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
let shownGroup = null; // its grouping's id in the URL (null: the kind's default)

const panels = createPanels();
const kindNav = createKindNav($("kind-tabs"), { hashOf: boardHash });
const router = createRouter(() => route());

const board = createBoard($("board"), {
  onStep: (card, choices) => steps.start(card, choices),
  onDetail: (id) => router.go(caseHash(id)),
  onCounts: showCounts,
});

// 按类别分组 / 不分组: the server's options for the shown kind, the choice kept in the URL.
const grouping = createGrouping($("grouping"), {
  onChange(option) {
    shownGroup = grouping.urlId(option);
    router.replace(boardHash(shownKind, shownGroup));
    board.setGrouped(option.byLanes);
  },
});

/** Apply the grouping chosen (null: the kind has no switch) and keep it in the board's URL. */
function applyGrouping(option) {
  shownGroup = grouping.urlId(option);
  board.setGrouped(option ? option.byLanes : true);
  if (router.current().view === "board") router.replace(boardHash(shownKind, shownGroup));
}

const details = createDetails($("detail"), {
  documents: () => docs,
  onStep: (c, choices) => steps.start(c, choices),
  onEdit: (c) => steps.edit(c),
  onOpenCase: (id) => router.go(caseHash(id)),
  onOpening: () => panels.opening("detail"),
  onClosed() {
    if (router.current().view === "case" && shownKind) {
      router.replace(boardHash(shownKind, shownGroup));
    }
  },
  onError: handleError,
  notFound: () => notFoundText(router.current()),
});
panels.register("detail", (options) => details.close(options));

const steps = createSteps({
  board,
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

function notFoundText(current) {
  return current.legacy === "RECOMMENDATION" ? "检察建议不存在，或您无权查看" : "案件不存在，或您无权查看";
}

// ---- session ---------------------------------------------------------------------------

const session = createSession({
  async onSignIn(who) {
    viewer = who;
    outbox.setViewer(who);
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
    shownGroup = null;
    grouping.clear();
    boardLoad += 1;
    stopLive();
    board.clear();
    steps.reset();
    details.close({ notify: false, restoreFocus: false });
    outbox.setViewer(null);
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
    if (current.view === "case") {
      await openCase(current, ticket);
      return;
    }
    const kind = current.view === "board" && kindInfo(current.kind) ? current.kind : defaultKind();
    const group = current.view === "board" && kind === current.kind ? current.group : null;
    router.replace(boardHash(kind, group));
    details.close({ notify: false });
    if (kind !== shownKind) await loadBoard(kind, group);
    else applyGrouping(grouping.select(group));
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
  $("filter").value = "";
  board.setFilter("");
  grouping.clear(); // until the kind's board says its options
}

async function loadBoard(kind, group = null) {
  const ticket = ++boardLoad;
  stopLive();
  shownKind = kind;
  try {
    localStorage.setItem(KIND_KEY, kind);
  } catch {
    /* private mode: not remembered */
  }
  showKind(kind);
  setStatus("connecting");
  $("board").setAttribute("aria-busy", "true");
  let data;
  try {
    data = await gql(docs.board, { kind });
  } catch (error) {
    if (ticket === boardLoad) shownKind = null; // the next route loads it again
    throw error;
  }
  if (ticket !== boardLoad || !viewer) return;
  board.setColumns(kind, data.board.columns, undefined, data.board.lanes);
  const option = grouping.show(data.board.groupings, group);
  board.load(data.board.cards);
  applyGrouping(option);
  $("board").setAttribute("aria-busy", "false");
  $("board").dataset.ready = "true";
  outbox.refreshCount();
  live = startLive({
    query: docs.boardEvents,
    variables: { kinds: [kind] },
    cursor: data.board.cursor,
    onEvent(boardEvent) {
      const c = boardEvent.case;
      if (c.kind === shownKind) board.upsert(c, { flash: true }); // never another kind's card
      details.refreshIf(c.id);
    },
    onStatus: setStatus,
    onRejected: () => session.check(),
    onError(message) {
      toast(`实时更新出错：${message}`, "error");
    },
  });
}

// Overdue is derived from the date, not an event: when the business date changes, read the
// board again and apply it (equal versions re-render with the new column and days left).
let boardDate = todayIso();
setInterval(async () => {
  const now = todayIso();
  if (now === boardDate || !viewer || !live || !shownKind) return;
  boardDate = now;
  try {
    const data = await gql(docs.board, { kind: shownKind });
    for (const c of data.board.cards) board.upsert(c);
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

$("filter").addEventListener("input", (event) => board.setFilter(event.target.value));
$("create-case").addEventListener("click", () => {
  const info = kindInfo(shownKind);
  if (info && info.createForm) steps.create(info);
});

async function refreshCard(id) {
  try {
    const data = await gql(docs.cardById, { id });
    if (data.node && data.node.kind === shownKind) board.upsert(data.node);
  } catch (error) {
    handleError(error);
  }
}

// Escape closes the open side panel even when the focus is not inside it (it was on a link
// the panel has since re-rendered away).
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented) return;
  if (document.querySelector("dialog[open]") || !$("action-menu").hidden) return;
  if (!$("detail").hidden) details.close();
  else if (outbox.isOpen) outbox.close();
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
