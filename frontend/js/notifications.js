// The notification centre: a bell in the top bar with the unread count, and a side panel
// listing the viewer's notifications (new cases for their unit, the other side's steps on
// their cases, overdue cases, mentions). The server writes each notification's text and keeps
// the read state, so every tab and device shows the same; `notificationEvents` pushes new
// ones and read-state changes (made in any tab) to every open page of the user.

/* global graphqlWs */

import { gql } from "./api.js";
import { el, formatDateTime, panelShell } from "./ui.js";

export const NOTIFICATIONS_PAGE = 20;

const FIELDS = "id topic topicLabel text read createdAt case { id kind kindLabel caseNo title }";

export const NOTIFICATIONS = `query Notifications($first: Int!, $after: String) {
  notifications(first: $first, after: $after) { unreadCount hasMore endCursor nodes { ${FIELDS} } }
}`;
export const UNREAD_COUNT = `query UnreadNotificationCount { unreadNotificationCount }`;
export const MARK_READ = `mutation MarkNotificationsRead($ids: [ID!], $all: Boolean!) {
  markNotificationsRead(ids: $ids, all: $all) {
    __typename
    ... on MarkNotificationsReadSuccess { ids all unreadCount }
    ... on Error { message }
  }
}`;
export const NOTIFICATION_EVENTS = `subscription NotificationEvents {
  notificationEvents { type unreadCount readIds allReadUpTo notification { ${FIELDS} } }
}`;

/**
 * @param {HTMLElement} panel   the side panel (hidden until opened)
 * @param {HTMLButtonElement} button  the bell in the top bar
 * @param {object} handlers
 * @param {(id: string) => void} handlers.onOpenCase  open a case's details
 * @param {() => void} handlers.onOpening  the panel is about to open (close other panels)
 * @param {(error: Error) => void} handlers.onError
 */
export function createNotifications(panel, button, { onOpenCase, onOpening, onError }) {
  const badge = button.querySelector(".notifications-count");
  let viewer = null;
  let unread = 0;
  let items = []; // the notifications listed, newest first
  let hasMore = false;
  let endCursor = null;
  let loading = 0; // tickets: a late answer (another user, a newer read) is ignored
  let counting = 0;
  let client = null;
  let unsubscribe = null;

  const body = panelShell(panel, "关闭通知", () => closePanel());
  button.addEventListener("click", () => {
    if (panel.hidden) openPanel();
    else closePanel();
  });

  // ---- the bell ------------------------------------------------------------------------

  function showCount(count) {
    unread = Math.max(0, count);
    counting += 1; // this answer is the newest
    badge.textContent = unread > 99 ? "99+" : String(unread);
    badge.hidden = unread === 0;
    button.dataset.count = String(unread);
    button.classList.toggle("has-unread", unread > 0);
    button.setAttribute("aria-label", `通知，${unread} 条未读`);
    const markAll = body.querySelector(".notifications-mark-all");
    if (markAll) markAll.disabled = unread === 0;
  }

  function resetCount() {
    counting += 1;
    unread = 0;
    badge.textContent = "";
    badge.hidden = true;
    delete button.dataset.count;
    button.classList.remove("has-unread");
    button.setAttribute("aria-label", "通知");
  }

  async function refreshCount() {
    const ticket = ++counting;
    const who = viewer;
    try {
      const data = await gql(UNREAD_COUNT);
      if (ticket === counting && who === viewer) showCount(data.unreadNotificationCount);
    } catch (error) {
      if (ticket === counting && who === viewer) onError(error);
    }
  }

  // ---- the panel -----------------------------------------------------------------------

  function heading() {
    return el("h2", { id: "notifications-title", text: "通知", tabindex: "-1" });
  }

  function renderItem(n) {
    const time = el("time", { datetime: n.createdAt, text: formatDateTime(n.createdAt) });
    const link = el(
      "a.notification-link",
      { href: `#/case/${n.case.id}` },
      el("span.notification-text", { text: n.text }),
      el(
        "span.notification-meta",
        {},
        el("span.tag.notification-topic", { text: n.topicLabel }),
        " ",
        time,
        n.read ? null : el("span.visually-hidden", { text: "（未读）" }),
      ),
    );
    link.addEventListener("click", (event) => {
      event.preventDefault();
      choose(n);
    });
    return el(
      "li.notification",
      { dataset: { id: n.id, read: String(n.read), topic: n.topic, caseNo: n.case.caseNo } },
      n.read ? null : el("span.notification-dot", { "aria-hidden": "true" }),
      link,
    );
  }

  function render() {
    const markAll = el("button.btn.btn-small.notifications-mark-all", {
      type: "button",
      text: "全部标为已读",
      disabled: unread === 0,
    });
    markAll.addEventListener("click", () => markRead(null));
    const header = el(
      "header.detail-header.notifications-header",
      {},
      heading(),
      markAll,
    );
    if (!items.length) {
      body.replaceChildren(header, el("p.notifications-empty", { text: "暂无通知" }));
      return;
    }
    const more = hasMore
      ? el("button.btn.btn-small.notifications-more", { type: "button", text: "加载更多" })
      : null;
    more?.addEventListener("click", () => load({ append: true }));
    const list = el("ol.notifications-list", { "aria-label": "通知列表" }, items.map(renderItem));
    body.replaceChildren(...[header, list, more].filter(Boolean));
  }

  async function load({ append = false } = {}) {
    const ticket = ++loading;
    const who = viewer;
    let data;
    try {
      data = await gql(NOTIFICATIONS, {
        first: NOTIFICATIONS_PAGE,
        after: append ? endCursor : null,
      });
    } catch (error) {
      if (ticket === loading && !panel.hidden) {
        body.replaceChildren(heading(), el("p.form-error", { text: `通知加载失败：${error.message}` }));
        onError(error);
      }
      return;
    }
    if (ticket !== loading || panel.hidden || who !== viewer) return;
    const page = data.notifications;
    const known = new Set(items.map((n) => n.id));
    items = append ? [...items, ...page.nodes.filter((n) => !known.has(n.id))] : page.nodes;
    hasMore = page.hasMore;
    endCursor = page.endCursor;
    showCount(page.unreadCount);
    const focused = panel.contains(document.activeElement) && document.activeElement;
    render();
    if (!append || !focused || !focused.isConnected) panel.querySelector("#notifications-title")?.focus();
  }

  async function markRead(ids) {
    let data;
    try {
      data = await gql(MARK_READ, ids ? { ids, all: false } : { ids: null, all: true });
    } catch (error) {
      onError(error);
      return;
    }
    const result = data.markNotificationsRead;
    if (result.__typename !== "MarkNotificationsReadSuccess") {
      onError(new Error(result.message));
      return;
    }
    applyRead(ids || [], !ids, result.unreadCount);
  }

  /** Read-state change (here or in another tab): the count and the list follow it. */
  function applyRead(ids, all, count) {
    const read = new Set(ids);
    let changed = false;
    items = items.map((n) => {
      if (n.read || (!all && !read.has(n.id))) return n;
      changed = true;
      return { ...n, read: true };
    });
    showCount(count);
    if (changed && !panel.hidden) {
      const focusedId = document.activeElement?.closest?.(".notification")?.dataset.id;
      render();
      if (focusedId) body.querySelector(`.notification[data-id="${CSS.escape(focusedId)}"] a`)?.focus();
    }
  }

  function choose(n) {
    if (!n.read) markRead([n.id]);
    closePanel({ restoreFocus: false });
    onOpenCase(n.case.id);
  }

  function openPanel() {
    onOpening?.();
    items = [];
    body.replaceChildren(heading(), el("p.muted.loading", { text: "正在加载…" }));
    panel.hidden = false;
    document.body.classList.add("notifications-open");
    button.setAttribute("aria-expanded", "true");
    return load();
  }

  function closePanel({ restoreFocus = true } = {}) {
    if (panel.hidden) return;
    loading += 1;
    panel.hidden = true;
    document.body.classList.remove("notifications-open");
    body.replaceChildren();
    items = [];
    button.setAttribute("aria-expanded", "false");
    if (restoreFocus && button.isConnected) button.focus();
  }

  // ---- live ----------------------------------------------------------------------------

  function onEvent(event) {
    if (event.type === "CREATED" && event.notification) {
      showCount(event.unreadCount);
      if (!panel.hidden && !items.some((n) => n.id === event.notification.id)) {
        items = [event.notification, ...items];
        render();
      }
    } else if (event.type === "READ") {
      if (!event.allReadUpTo) {
        applyRead(event.readIds, false, event.unreadCount);
        return;
      }
      // All up to that one (newest first: it and everything listed after it).
      const at = items.findIndex((n) => n.id === event.allReadUpTo);
      if (at >= 0) applyRead(items.slice(at).map((n) => n.id), false, event.unreadCount);
      else if (!panel.hidden && items.length) load();
      else showCount(event.unreadCount);
    } else {
      // RESYNC: something may have been missed; read it all again.
      showCount(event.unreadCount);
      if (!panel.hidden) load();
    }
  }

  function subscribe() {
    unsubscribe?.();
    const mine = client;
    unsubscribe = client.subscribe(
      { query: NOTIFICATION_EVENTS },
      {
        next(message) {
          if (mine !== client) return;
          const event = message.data && message.data.notificationEvents;
          if (event) onEvent(event);
        },
        error() {
          /* a drop: `connected` subscribes again */
        },
        complete() {},
      },
    );
  }

  function startLive() {
    if (typeof graphqlWs === "undefined") return;
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
    client = graphqlWs.createClient({
      url,
      lazy: false,
      keepAlive: 20_000,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      retryWait: (retries) =>
        new Promise((resolve) => setTimeout(resolve, Math.min(500 * 2 ** retries, 10_000))),
      on: {
        connected() {
          subscribe();
          // Whatever happened while the socket was down: the server has it.
          refreshCount();
          if (!panel.hidden) load();
        },
      },
    });
  }

  function stopLive() {
    unsubscribe?.();
    unsubscribe = null;
    client?.dispose();
    client = null;
  }

  return {
    open: openPanel,
    close: closePanel,
    refreshCount,
    get isOpen() {
      return !panel.hidden;
    },
    get unread() {
      return unread;
    },
    /** A new session (null on sign-out): its own notifications, live. */
    setViewer(who) {
      stopLive();
      viewer = who;
      closePanel({ restoreFocus: false });
      resetCount();
      if (who) {
        refreshCount();
        startLive();
      }
    },
  };
}
