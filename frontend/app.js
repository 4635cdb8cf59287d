// 府检联动平台 — the live board. No build step: ES modules plus the vendored graphql-ws UMD.

import {
  BOARD,
  BOARD_EVENTS,
  CARD_BY_ID,
  LOGIN,
  LOGOUT,
  Unauthenticated,
  VIEWER,
  gql,
  isStepError,
  runStep,
} from "./js/api.js";
import { createBoard } from "./js/board.js";
import { createDetails } from "./js/details.js";
import { chooseAction, openStepDialog } from "./js/dialogs.js";
import { startLive } from "./js/live.js";
import { createOutbox } from "./js/outbox.js";
import { toast, todayIso } from "./js/ui.js";

const $ = (id) => document.getElementById(id);

const STATUS_TEXT = {
  connecting: "连接中…",
  connected: "已连接",
  disconnected: "已断开，正在重连",
};

let viewer = null;
let live = null;
let boardLoad = 0;

const board = createBoard($("board"), {
  onStep: startStep,
  onDetail: (id) => openDetail(id),
  onCounts: showCounts,
});

const details = createDetails($("detail"), {
  onStep: startStep,
  onClosed() {
    if (location.hash.startsWith("#/recommendation/")) {
      history.replaceState(null, "", location.pathname + location.search);
    }
  },
  onError: handleError,
});

// The alert emails this viewer may see: a count in the top bar, the list in a side panel.
const outbox = createOutbox($("outbox"), $("outbox-button"), {
  onOpenCard: (id) => openDetail(id),
  onOpening: () => details.close(),
  onError: handleError,
});

// ---- session ---------------------------------------------------------------------------

function showLogin(message) {
  viewer = null;
  stopLive();
  board.clear();
  details.close({ notify: false });
  outbox.setViewer(null);
  $("board-view").hidden = true;
  $("session").hidden = true;
  $("login-view").hidden = false;
  const error = $("login-error");
  error.textContent = message || "";
  error.hidden = !message;
  $("login-username").focus();
}

function showViewer(who) {
  viewer = who;
  outbox.setViewer(who);
  $("who-name").textContent = who.name;
  $("who-role").textContent = who.roleLabel;
  $("who-unit").textContent = who.unit.name;
  $("session").hidden = false;
  $("login-view").hidden = true;
  $("board-view").hidden = false;
}

async function boot() {
  try {
    const data = await gql(VIEWER);
    if (!data.viewer) {
      showLogin();
      return;
    }
    showViewer(data.viewer);
    await loadBoard();
  } catch (error) {
    if (error instanceof Unauthenticated) showLogin();
    else {
      showLogin();
      toast(error.message, "error");
    }
  }
}

$("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  const username = $("login-username").value.trim();
  const password = $("login-password").value;
  const error = $("login-error");
  if (!username || !password) {
    error.textContent = "请输入用户名和密码";
    error.hidden = false;
    return;
  }
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  button.textContent = "正在登录…";
  try {
    const data = await gql(LOGIN, { input: { username, password } });
    const result = data.login;
    if (result.__typename !== "LoginSuccess") {
      error.textContent = result.message || "用户名或密码错误";
      error.hidden = false;
      $("login-password").select();
      return;
    }
    error.hidden = true;
    form.reset();
    showViewer(result.viewer);
    await loadBoard();
  } catch (failure) {
    error.textContent = failure.message;
    error.hidden = false;
  } finally {
    button.disabled = false;
    button.textContent = "登录";
  }
});

$("logout").addEventListener("click", async () => {
  stopLive();
  try {
    await gql(LOGOUT);
  } catch {
    /* the session is gone either way */
  }
  showLogin();
});

function sessionExpired() {
  showLogin("登录已失效，请重新登录");
}

function handleError(error) {
  if (error instanceof Unauthenticated) sessionExpired();
  else toast(error.message || String(error), "error");
}

// ---- board and live updates ------------------------------------------------------------

async function loadBoard() {
  const ticket = ++boardLoad;
  stopLive();
  setStatus("connecting");
  $("board").setAttribute("aria-busy", "true");
  const data = await gql(BOARD);
  if (ticket !== boardLoad || !viewer) return;
  // An agency never sees a recommendation before it is served.
  const internal = ["DRAFT", "PENDING_APPROVAL", "APPROVED"];
  board.setColumns(
    data.board.columns,
    new Set(viewer.unit.side === "GOVERNMENT" ? internal : []),
  );
  board.load(data.board.cards);
  $("board").setAttribute("aria-busy", "false");
  $("board").dataset.ready = "true";
  outbox.refreshCount();
  live = startLive({
    query: BOARD_EVENTS,
    cursor: data.board.cursor,
    onEvent(boardEvent) {
      const rec = boardEvent.recommendation;
      board.upsert(rec, { flash: true });
      details.refreshIf(rec.id);
    },
    onStatus: setStatus,
    async onRejected() {
      try {
        const check = await gql(VIEWER);
        if (!check.viewer) sessionExpired();
      } catch (error) {
        if (error instanceof Unauthenticated) sessionExpired();
      }
    },
    onError(message) {
      toast(`实时更新出错：${message}`, "error");
    },
  });
  route();
}

// Overdue is derived from the date, not an event: when the business date changes, read the
// board again and apply it (equal versions re-render with the new column and days left).
let boardDate = todayIso();
setInterval(async () => {
  const now = todayIso();
  if (now === boardDate || !viewer || !live) return;
  boardDate = now;
  try {
    const data = await gql(BOARD);
    for (const rec of data.board.cards) board.upsert(rec);
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

async function refreshCard(id) {
  try {
    const data = await gql(CARD_BY_ID, { id });
    if (data.node && data.node.__typename === "Recommendation") board.upsert(data.node);
  } catch (error) {
    handleError(error);
  }
}

// ---- steps -----------------------------------------------------------------------------

/** A card is to take one of `choices` (several when a drop has more than one meaning). */
async function startStep(rec, choices) {
  let action = choices[0];
  if (choices.length > 1) {
    action = await chooseAction({
      title: `移至“${board.columnLabel(choices[0].target)}”`,
      summary: `${rec.docNo}：请选择要执行的操作`,
      actions: choices,
    });
    if (!action) return;
  }
  const version = rec.version; // the version the user decided on: a later change is a conflict
  const from = board.columnLabel(rec.column);
  const to = action.target ? board.columnLabel(action.target) : null;
  openStepDialog({
    title: action.label,
    summary: `${rec.docNo} · ${rec.title}`,
    route: to ? `从“${from}”移至“${to}”` : `仍在“${from}”，记入办理记录`,
    action: action.action,
    submitLabel: "确认",
    onClose() {
      const node = board.element(rec.id);
      if (node && !$("detail").contains(document.activeElement)) node.focus();
    },
    async submit(input) {
      if (action.target) board.setPending(rec.id, action.target);
      let result;
      try {
        result = await runStep(action.action, rec.id, version, input);
      } catch (error) {
        board.setPending(rec.id, null);
        handleError(error);
        return { close: true };
      }
      if (!isStepError(result)) {
        board.upsert(result.recommendation, { flash: true });
        board.setPending(rec.id, null);
        details.refreshIf(rec.id);
        toast(`“${action.label}”已完成：${rec.docNo}`, "success");
        return { close: true };
      }
      board.setPending(rec.id, null); // the card returns to where it is
      if (result.__typename === "ValidationError") {
        return { close: false, message: result.message, field: result.field };
      }
      toast(`${action.label}未成功：${result.message}`, "error");
      refreshCard(rec.id);
      details.refreshIf(rec.id);
      return { close: true };
    },
  });
}

// ---- details and deep links ------------------------------------------------------------

function openDetail(id) {
  const target = `#/recommendation/${id}`;
  if (location.hash !== target) location.hash = target;
  else details.open(id);
}

function route() {
  if (!viewer) return;
  const match = location.hash.match(/^#\/recommendation\/(.+)$/);
  if (match) {
    outbox.close({ restoreFocus: false }); // one side panel at a time
    details.open(decodeURIComponent(match[1]));
  } else {
    details.close({ notify: false });
  }
}

window.addEventListener("hashchange", route);

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
};

boot();
