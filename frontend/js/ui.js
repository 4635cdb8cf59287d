// Small DOM helpers, Chinese labels and formatting. Text always goes in as text, never HTML.

import { cellDate, cellDateTime, days as dayCount, textDate, textDateTime } from "./dates.js";

/** el("div.card", {dataset: {id}, onclick}, child, "text", …) */
export function el(spec, props = {}, ...children) {
  const [tag, ...classes] = spec.split(".");
  const node = document.createElement(tag || "div");
  if (classes.length) node.className = classes.join(" ");
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2), value);
    } else if (key === "text") node.textContent = value;
    else if (key in node && typeof value !== "string") node[key] = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

// Every date and time the board shows or asks for is Beijing time (Asia/Shanghai, the hub's
// business timezone: hub/clock.py), whatever timezone the browser's computer is set to. The
// statutory clocks, the server's own texts and the alert emails all count in it, and a
// colleague's screen must show the same 09:30 as yours.
const TZ_OFFSET = "+08:00"; // Asia/Shanghai has had no daylight saving time since 1991

/** Today's business date (Asia/Shanghai) as YYYY-MM-DD. */
export function todayIso() {
  return cellDate(new Date());
}

/** An instant as a datetime-local value in Beijing time: YYYY-MM-DDTHH:MM. */
function beijingWallTime(date) {
  return cellDateTime(date).replace(" ", "T");
}

/**
 * Now in Beijing time as a datetime-local value (YYYY-MM-DDTHH:MM). Not the browser's local
 * clock: `<input type="datetime-local">` holds a wall time without a zone, and the board
 * reads every such value as Beijing time.
 */
export function nowLocalIso() {
  return beijingWallTime(new Date());
}

/** A datetime-local value (Beijing wall time) → an ISO instant with its offset (+08:00). */
export function localToInstant(value) {
  if (!value) return value;
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})(:\d{2}(\.\d+)?)?$/.exec(value);
  if (!match) return value; // not a datetime-local value: the server says what is wrong
  return `${match[1]}${match[2] || ":00"}${TZ_OFFSET}`;
}

/** An ISO instant → the datetime-local value showing it in Beijing time. */
export function instantToLocal(value) {
  if (!value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return beijingWallTime(date);
}

// Running text's dates and times (2026年12月1日, 2026年12月1日 09:30); dense cells use
// cellDate / cellDateTime. Both from js/dates.js, the one place dates are formatted.
export { textDate as formatDate, textDateTime as formatDateTime } from "./dates.js";
export { cellDate, cellDateTime } from "./dates.js";

export const PERIOD_UNIT_LABELS = {
  DAYS: "日",
  MONTHS: "个月",
  WORKING_DAYS: "个工作日",
  HOURS: "小时",
};

/** A clock's due date in running text: 2026年12月1日, or 2026年12月1日 09:30 for an hour clock. */
export function formatDue(clock) {
  if (clock.dueAt) return textDateTime(clock.dueAt);
  return textDate(clock.dueOn);
}

const LEVEL_ORDER = { RED: 0, YELLOW: 1, GREEN: 2 };

/**
 * The clock a card's chip shows: the most urgent running clock with a level; else one that
 * runs without a level; else a suspended one. A stopped clock (its step is done, or it does
 * not count in this state) shows only in the detail panel.
 */
export function primaryClock(clocks) {
  const running = (clocks || []).filter((c) => c.status === "RUNNING");
  const leveled = running.filter((c) => c.level in LEVEL_ORDER);
  if (leveled.length) {
    return leveled.reduce((a, b) =>
      LEVEL_ORDER[b.level] < LEVEL_ORDER[a.level] ||
      (LEVEL_ORDER[b.level] === LEVEL_ORDER[a.level] && b.daysLeft < a.daysLeft)
        ? b
        : a,
    );
  }
  return running.find((c) => c.dueOn) || (clocks || []).find((c) => c.status === "SUSPENDED") || null;
}

/** A clock chip's text, colour class and tooltip, or null when there is no clock. */
export function clockChip(clock) {
  if (!clock) return null;
  const tooltip = `${clock.label}：${clock.explanation || ""}${clock.provisional ? "（暂定）" : ""}`;
  const days = clock.daysLeft;
  let level = clock.level;
  let text;
  if (clock.status === "SUSPENDED") {
    text = "期限中止";
    level = "NONE";
  } else if (level === "NONE" || days === null || days === undefined) {
    text = `期限 ${cellDate(clock.dueOn)}`;
  } else if (days < 0) {
    text = `逾期 ${dayCount(-days)}`;
  } else if (days === 0) {
    text = "今日到期";
  } else {
    text = `剩余 ${dayCount(days)}`;
  }
  if (!["GREEN", "YELLOW", "RED", "NONE"].includes(level)) level = "NONE";
  return { text, level: level.toLowerCase(), tooltip };
}

export function chipElement(clock) {
  const chip = clockChip(clock);
  if (!chip) return null;
  const node = el(`span.chip.chip-${chip.level}`, {
    title: chip.tooltip,
    dataset: { level: chip.level.toUpperCase(), clock: clock.name },
  });
  if (clock.status === "SUSPENDED") node.classList.add("chip-suspended");
  node.append(el("span.chip-dot", { "aria-hidden": "true" }), chip.text);
  if (clock.provisional && chip.level !== "none") {
    node.append(el("span.chip-provisional", { text: "暂定" }));
  }
  node.setAttribute("aria-label", `${clock.label}：${chip.text}。${chip.tooltip}`);
  return node;
}

/** The unit of the first party in one of `roles`, or null. */
export function partyUnit(card, ...roles) {
  for (const role of roles) {
    const party = (card.parties || []).find((p) => p.role === role && p.unit);
    if (party) return party.unit;
  }
  return null;
}

/** "市生态环境局 · 生态环境和资源保护": the non-empty parts joined. */
export function joinLine(...parts) {
  return parts.filter((part) => part !== null && part !== undefined && part !== "").join(" · ");
}

// Toasts: errors are role="alert" (read out at once), confirmations role="status".
let toastRoot = null;

export function toast(message, kind = "info", { timeout } = {}) {
  toastRoot = toastRoot || document.getElementById("toasts");
  const isError = kind === "error";
  const node = el(`div.toast.toast-${kind}`, { role: isError ? "alert" : "status" });
  const close = el("button.toast-close", { type: "button", "aria-label": "关闭提示", text: "×" });
  node.append(el("span.toast-text", { text: message }), close);
  const remove = () => node.remove();
  close.addEventListener("click", remove);
  toastRoot.append(node);
  const ms = timeout ?? (isError ? 12000 : 5000);
  if (ms > 0) setTimeout(remove, ms);
  return node;
}

// A side panel's frame: a close button, Escape to close, and the body element to fill.
export function panelShell(panel, closeLabel, onClose) {
  const body = el("div.detail-body");
  const close = el("button.icon-button.detail-close", {
    type: "button",
    "aria-label": closeLabel,
    text: "×",
  });
  close.addEventListener("click", () => onClose());
  panel.replaceChildren(close, body);
  panel.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      onClose();
    }
  });
  return body;
}
