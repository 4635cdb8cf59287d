// The outbox: the alerts this viewer may see, one row per alert with its recipients (the
// Linkage Office sees every recipient, anyone else the emails addressed to them). Without an
// SMTP server they are only kept here (HELD), so this panel is where they are read. A button
// in the top bar shows how many alerts there are.

import { OUTBOX, OUTBOX_COUNT, OUTBOX_PAGE, gql } from "./api.js";
import { cellDateTime, el, panelShell } from "./ui.js";

export const LEVEL_LABELS = {
  DUE_SOON: "即将到期",
  OVERDUE: "已逾期",
  ESCALATION: "提请督办",
};

// Every OutboxStatus value in schema.graphql.
export const STATUS_LABELS = {
  HELD: "暂存（未配置邮件服务器）",
  PENDING: "待发送",
  SENT: "已发送",
  FAILED: "发送失败",
  CANCELLED: "已作废",
};

// The card link written into each body: `<base URL>/#/case/<global ID>`, or in emails sent
// before there were several kinds `<base URL>/#/recommendation/<global ID>`.
const CARD_LINK = /#\/(?:case|recommendation)\/([A-Za-z0-9+/=_-]+)/;

/** The case's global ID from an email body, or null. */
export function cardIdFromBody(body) {
  const match = CARD_LINK.exec(body || "");
  return match ? match[1] : null;
}

/**
 * @param {HTMLElement} panel   the side panel (hidden until opened)
 * @param {HTMLButtonElement} button  the top-bar button that opens and closes it
 * @param {object} handlers
 * @param {(id: string) => void} handlers.onOpenCard  open a case's details
 * @param {() => void} handlers.onOpening  the panel is about to open (close other panels)
 * @param {(error: Error) => void} handlers.onError
 */
export function createOutbox(panel, button, { onOpenCard, onOpening, onError }) {
  const badge = button.querySelector(".outbox-count");
  let loading = 0; // tickets: a late answer (another user, a newer read) is ignored
  let counting = 0;
  let viewer = null;

  const body = panelShell(panel, "关闭提醒邮件", () => closePanel());
  button.addEventListener("click", () => {
    if (panel.hidden) openPanel();
    else closePanel();
  });

  // ---- the count in the top bar --------------------------------------------------------

  function showCount(count) {
    const more = count >= OUTBOX_PAGE;
    badge.textContent = more ? `${OUTBOX_PAGE}+` : String(count);
    badge.hidden = false;
    button.dataset.count = String(count);
    button.classList.toggle("has-mail", count > 0);
    // The name holds what the button shows, word for word (WCAG 2.5.3): "提醒邮件 5 封" for
    // "提醒邮件 5", and for the bare "5" of a phone's top bar.
    button.setAttribute("aria-label", `提醒邮件 ${badge.textContent} 封`);
  }

  function resetCount() {
    counting += 1;
    badge.textContent = "";
    badge.hidden = true;
    delete button.dataset.count;
    button.classList.remove("has-mail");
    button.setAttribute("aria-label", "提醒邮件");
  }

  async function refreshCount() {
    const ticket = ++counting;
    let data;
    try {
      data = await gql(OUTBOX_COUNT);
    } catch (error) {
      if (ticket === counting) onError(error);
      return;
    }
    if (ticket === counting) showCount(data.outboxAlertCount);
  }

  // ---- the panel -----------------------------------------------------------------------

  function row(label, value) {
    if (value === null || value === undefined || value === "") return null;
    return [el("dt", { text: label }), el("dd", {}, value)];
  }

  function time(value) {
    return el("time", { datetime: value, text: cellDateTime(value) }); // a dense row
  }

  function cardLink(alert) {
    const c = alert.case;
    const id = c.id || cardIdFromBody(alert.body);
    const link = el("a.outbox-card-link", { href: `#/case/${id}`, text: `查看${c.kindLabel} ${c.caseNo}` });
    link.addEventListener("click", (event) => {
      event.preventDefault();
      goToCard(id);
    });
    return link;
  }

  function goToCard(id) {
    closePanel(); // focus returns to the top-bar button, which the details panel returns to
    onOpenCard(id);
  }

  function recipientItem(email) {
    const status = STATUS_LABELS[email.status] || email.status;
    const facts = [
      email.sentAt ? row("发送时间", time(email.sentAt)) : null,
      email.attempts > 0 ? row("尝试次数", `${email.attempts} 次`) : null,
      email.lastError ? row("失败原因", email.lastError) : null,
    ].filter(Boolean);
    return el(
      "li.outbox-recipient",
      { dataset: { status: email.status } },
      el("span.outbox-recipient-name", { text: email.recipientName }),
      " ",
      el("span.muted", { text: `<${email.recipientEmail}>` }),
      " ",
      el(
        `span.tag.outbox-status.status-${email.status.toLowerCase()}`,
        {},
        el("span.visually-hidden", { text: "状态：" }),
        status,
      ),
      facts.length ? el("dl.facts.outbox-recipient-facts", {}, facts.flat()) : null,
    );
  }

  // One alert: its level, subject and case once, then each recipient with their email's status.
  function renderAlert(alert, index) {
    const subjectId = `outbox-subject-${index}`;
    const level = LEVEL_LABELS[alert.level] || alert.level;
    const recipients = alert.recipients;
    const facts = el(
      "dl.facts.outbox-facts",
      {},
      row(
        `收件人（${recipients.length}）`,
        el("ul.outbox-recipients", { "aria-label": "收件人" }, recipients.map(recipientItem)),
      ),
      row("期限", alert.clockLabel || null),
      row("生成时间", time(alert.createdAt)),
    );
    const article = el(
      "article.outbox-email.outbox-alert",
      {
        "aria-labelledby": subjectId,
        dataset: {
          level: alert.level,
          status: alert.status || "MIXED",
          caseNo: alert.case.caseNo,
          kind: alert.case.kind,
          recipients: String(recipients.length),
        },
      },
      el("h3.outbox-subject", { id: subjectId, text: alert.subject }),
      el(
        "div.outbox-tags",
        {},
        el(
          `span.tag.outbox-level.level-${alert.level.toLowerCase()}`,
          {},
          el("span.visually-hidden", { text: "提醒级别：" }),
          level,
        ),
      ),
      facts,
      cardLink(alert),
      el(
        "details.outbox-body",
        {},
        el("summary", { text: "邮件正文" }),
        el("pre.outbox-text", { text: alert.body }),
      ),
    );
    return el("li", {}, article);
  }

  function render(alerts) {
    const office = viewer && viewer.role === "OFFICE_ADMIN";
    const held = alerts.some((alert) => alert.recipients.some((e) => e.status === "HELD"));
    const more = alerts.length >= OUTBOX_PAGE;
    const header = el(
      "header.detail-header",
      {},
      el("h2", { id: "outbox-title", text: "提醒邮件", tabindex: "-1" }),
      el("p.muted.outbox-scope", {
        text: office ? "府检联动办公室：全部提醒邮件" : "发给您的提醒邮件",
      }),
    );
    if (!alerts.length) {
      body.replaceChildren(header, el("p.outbox-empty", { text: "暂无提醒邮件" }));
      return;
    }
    const summary = more
      ? `最近 ${OUTBOX_PAGE} 条提醒，新的在前`
      : `共 ${alerts.length} 条提醒，新的在前`;
    body.replaceChildren(
      header,
      el("p.outbox-summary", { text: summary }),
      held
        ? el("p.outbox-note", {
            text: "平台未配置邮件服务器：提醒邮件暂存在平台内，未实际发出，请在此查看。",
          })
        : null,
      el(
        "ol.outbox-list",
        { "aria-label": "提醒邮件列表" },
        alerts.map((alert, index) => renderAlert(alert, index)),
      ),
    );
  }

  async function load() {
    const ticket = ++loading;
    counting += 1; // this read is the newest count
    let data;
    try {
      data = await gql(OUTBOX, { first: OUTBOX_PAGE });
    } catch (error) {
      if (ticket === loading && !panel.hidden) {
        body.replaceChildren(
          el("h2", { id: "outbox-title", text: "提醒邮件", tabindex: "-1" }),
          el("p.form-error", { text: `提醒邮件加载失败：${error.message}` }),
        );
        onError(error);
      }
      return;
    }
    if (ticket !== loading || panel.hidden) return;
    showCount(data.outboxAlertCount);
    render(data.outboxAlerts);
    panel.querySelector("#outbox-title")?.focus();
  }

  function openPanel() {
    onOpening?.();
    body.replaceChildren(
      el("h2", { id: "outbox-title", text: "提醒邮件", tabindex: "-1" }),
      el("p.muted.loading", { text: "正在加载…" }),
    );
    panel.hidden = false;
    document.body.classList.add("outbox-open");
    button.setAttribute("aria-expanded", "true");
    return load();
  }

  function closePanel({ restoreFocus = true } = {}) {
    if (panel.hidden) return;
    loading += 1;
    panel.hidden = true;
    document.body.classList.remove("outbox-open");
    body.replaceChildren();
    button.setAttribute("aria-expanded", "false");
    if (restoreFocus && button.isConnected) button.focus();
  }

  return {
    open: openPanel,
    close: closePanel,
    refreshCount,
    get isOpen() {
      return !panel.hidden;
    },
    /** A new session: who is looking (their role words the panel); null on sign-out. */
    setViewer(who) {
      viewer = who;
      closePanel({ restoreFocus: false });
      resetCount();
    },
  };
}
