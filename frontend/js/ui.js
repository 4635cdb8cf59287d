// Small DOM helpers, Chinese labels and formatting. Text always goes in as text, never HTML.

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

const TZ = "Asia/Shanghai";
const dateTimeFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: TZ,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hour12: false,
});
const isoDateFormat = new Intl.DateTimeFormat("en-CA", { timeZone: TZ });

/** Today's business date (Asia/Shanghai) as YYYY-MM-DD. */
export function todayIso() {
  return isoDateFormat.format(new Date());
}

export function formatDateTime(value) {
  if (!value) return "";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? String(value) : dateTimeFormat.format(date);
}

/** 2026-12-01 → 2026年12月1日 */
export function formatDate(value) {
  if (!value) return "";
  const [y, m, d] = String(value).split("-").map(Number);
  return `${y}年${m}月${d}日`;
}

export const LABELS = {
  serviceMethod: { WRITTEN: "书面送达", ANNOUNCED: "宣告送达" },
  rule: {
    STATUTORY_2_MONTHS: "两个月（法定期限）",
    URGENT_15_DAYS: "15 日（公益诉讼紧急情形）",
    CUSTOM: "自定义期限",
  },
  completeness: { FULL: "已全部整改", PARTIAL: "部分整改", NONE: "尚未整改" },
  replyDecision: { ADOPTED: "采纳", PARTIALLY_ADOPTED: "部分采纳，继续整改" },
  objectionDecision: {
    REJECTED: "异议不成立",
    AMENDED: "异议成立，修改后重新送达",
    WITHDRAWN: "异议成立，撤回检察建议",
  },
  periodUnit: { DAYS: "日", MONTHS: "个月" },
};

/** The deadline chip's text, colour class and tooltip, or null when there is no deadline. */
export function deadlineChip(deadline) {
  if (!deadline) return null;
  const tooltip = deadline.explanation + (deadline.provisional ? "（暂定）" : "");
  const days = deadline.daysLeft;
  let text;
  let level = deadline.level;
  if (level === "NONE") {
    text = `期限 ${deadline.dueOn}`;
  } else if (days < 0) {
    text = `逾期 ${-days} 天`;
  } else if (days === 0) {
    text = "今日到期";
  } else {
    text = `剩 ${days} 天`;
  }
  if (!["GREEN", "YELLOW", "RED", "NONE"].includes(level)) level = "NONE";
  return { text, level: level.toLowerCase(), tooltip };
}

export function chipElement(deadline) {
  const chip = deadlineChip(deadline);
  if (!chip) return null;
  const node = el(`span.chip.chip-${chip.level}`, {
    title: chip.tooltip,
    dataset: { level: chip.level.toUpperCase() },
  });
  node.append(el("span.chip-dot", { "aria-hidden": "true" }), chip.text);
  if (deadline.provisional && chip.level !== "none") node.append(el("span.chip-provisional", { text: "暂定" }));
  node.setAttribute("aria-label", `回复期限：${chip.text}。${chip.tooltip}`);
  return node;
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
