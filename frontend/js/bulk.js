// 批量操作: select several cards and take one step on all of them (the Office urging overdue
// recommendations). Shown only when the server lists a bulk action for this viewer on this
// board (Board.bulkActions); the server checks each case as it would a single step and answers
// case by case (takeSteps), and the summary says which were done and why others were not.

import { gql } from "./api.js";
import { el, primaryClock, toast } from "./ui.js";

const TAKE_STEPS = (card) => `mutation TakeSteps($input: TakeStepsInput!) {
  result: takeSteps(input: $input) {
    __typename
    ... on TakeStepsSuccess { okCount failedCount results { id ok code message case { ${card} } } }
    ... on Error { code message field }
  }
}`;

/**
 * @param {HTMLElement} slot  the toolbar element the toggle and the bar go in
 * @param {object} deps
 * @param {object} deps.board  the board (get, cards, element, refreshCards, upsert, isOverdueColumn)
 * @param {() => string} deps.cardFields  the card selection, for the cases the step returns
 * @param {(error: Error) => void} deps.onError
 */
export function createBulk(slot, { board, cardFields, onError }) {
  let actions = [];
  let active = false;
  let running = false;
  const selected = new Set();

  const toggle = el("button.btn.btn-secondary.bulk-toggle", {
    type: "button",
    text: "批量操作",
    "aria-pressed": "false",
  });
  const count = el("span.bulk-count", { "aria-live": "polite" });
  const overdue = el("button.btn.btn-ghost.bulk-overdue", { type: "button", text: "全选逾期" });
  const none = el("button.btn.btn-ghost.bulk-none", { type: "button", text: "清除选择" });
  const steps = el("span.bulk-steps");
  const summary = el("div.bulk-summary", { role: "status", hidden: true });
  const bar = el("div.bulk-bar", { role: "group", "aria-label": "批量操作", hidden: true },
    count, overdue, none, steps);
  slot.replaceChildren(toggle);
  slot.hidden = true;
  // The selection's bar and the result each take a row of their own under the toolbar.
  (slot.closest(".toolbar") || slot).after(bar, summary);

  toggle.addEventListener("click", () => setActive(!active));
  overdue.addEventListener("click", () => {
    for (const rec of board.cards()) if (isOverdue(rec)) selected.add(rec.id);
    sync();
  });
  none.addEventListener("click", () => {
    selected.clear();
    sync();
  });

  function isOverdue(rec) {
    if (board.isOverdueColumn(rec.column)) return true;
    const clock = primaryClock(rec.clocks);
    return Boolean(clock && clock.status === "RUNNING" && clock.daysLeft < 0);
  }

  function setActive(on) {
    active = on && actions.length > 0;
    toggle.setAttribute("aria-pressed", String(active));
    toggle.classList.toggle("is-on", active);
    bar.hidden = !active;
    document.body.classList.toggle("bulk-mode", active);
    if (!active) selected.clear();
    board.refreshCards();
    sync();
  }

  /** The count, the buttons and the checkboxes as the selection now is. */
  function sync() {
    for (const id of [...selected]) if (!board.get(id)) selected.delete(id); // gone from the board
    count.textContent = `已选 ${selected.size} 件`;
    for (const button of steps.querySelectorAll("button")) button.disabled = running || selected.size === 0;
    none.disabled = selected.size === 0;
    for (const rec of board.cards()) {
      const box = board.element(rec.id)?.querySelector(".card-select input");
      if (box) box.checked = selected.has(rec.id);
      board.element(rec.id)?.classList.toggle("is-selected", active && selected.has(rec.id));
    }
  }

  /** The checkbox a card carries in bulk mode (the board asks while it renders a card). */
  function cardExtra(rec) {
    if (!active) return null;
    const box = el("input", { type: "checkbox", "aria-label": `选择 ${rec.caseNo}` });
    box.checked = selected.has(rec.id);
    box.addEventListener("click", (event) => event.stopPropagation());
    box.addEventListener("change", () => {
      if (box.checked) selected.add(rec.id);
      else selected.delete(rec.id);
      sync();
    });
    const label = el("label.card-select", { draggable: "false" }, box);
    label.addEventListener("click", (event) => event.stopPropagation());
    return label;
  }

  async function run(action) {
    const ids = [...selected];
    if (!ids.length || running) return;
    const comment = await askComment(action, ids.length);
    if (comment === null) return;
    running = true;
    sync();
    let result;
    try {
      const data = await gql(TAKE_STEPS(cardFields()), {
        input: {
          kind: board.kind,
          action: action.action,
          caseIds: ids,
          versions: ids.map((id) => board.get(id)?.version ?? 0),
          comment,
        },
      });
      result = data.result;
    } catch (error) {
      onError(error);
      return;
    } finally {
      running = false;
      sync();
    }
    if (result.__typename !== "TakeStepsSuccess") {
      toast(result.message, "error");
      return;
    }
    report(action, result);
  }

  function report(action, result) {
    const failed = result.results.filter((r) => !r.ok);
    for (const r of result.results) if (r.ok && r.case) board.upsert(r.case, { flash: true });
    selected.clear();
    for (const r of failed) selected.add(r.id); // left selected, to see them or try again
    sync();
    const done = `已${action.label} ${result.okCount} 件`;
    const head = failed.length ? `${done}，${failed.length} 件未能${action.label}：` : `${done}。`;
    const list = failed.map((r) =>
      el("li", {}, el("strong", { text: board.get(r.id)?.caseNo || "（无法查看的案件）" }), `：${r.message}`),
    );
    const close = el("button.icon-button.bulk-summary-close", { type: "button", "aria-label": "关闭结果", text: "×" });
    close.addEventListener("click", () => {
      summary.hidden = true;
    });
    summary.replaceChildren(el("p", { text: head }), list.length ? el("ul", {}, list) : null, close);
    summary.hidden = false;
    summary.dataset.ok = String(result.okCount);
    summary.dataset.failed = String(result.failedCount);
  }

  /** Ask for the text that goes with the step (required for some, e.g. 督办意见); null: cancelled. */
  function askComment(action, n) {
    return new Promise((resolve) => {
      const dialog = el("dialog.dialog.bulk-dialog", { "aria-labelledby": "bulk-dialog-title" });
      const text = el("textarea", { id: "bulk-comment", rows: "3", maxlength: "2000" });
      const error = el("p.form-error", { role: "alert", hidden: true });
      const ok = el("button.btn.btn-primary", { type: "submit", text: `${action.label} ${n} 件` });
      const cancel = el("button.btn.btn-ghost", { type: "button", text: "取消" });
      const form = el(
        "form.dialog-form",
        { method: "dialog" },
        el("h2", { id: "bulk-dialog-title", text: `批量${action.label}` }),
        el("p", { text: `将对所选 ${n} 件逐件办理“${action.label}”；不能办理的会列出原因，其余照常办理。` }),
        el("div.field", {},
          el("label", { for: "bulk-comment", text: action.commentRequired ? `${action.commentLabel}（必填）` : `${action.commentLabel}（选填）` }),
          text),
        error,
        el("div.dialog-actions", {}, cancel, ok),
      );
      dialog.append(form);
      document.body.append(dialog);
      const finish = (value) => {
        dialog.close();
        dialog.remove();
        resolve(value);
      };
      cancel.addEventListener("click", () => finish(null));
      dialog.addEventListener("cancel", (event) => {
        event.preventDefault();
        finish(null);
      });
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        const value = text.value.trim();
        if (action.commentRequired && !value) {
          error.textContent = `请填写${action.commentLabel}`;
          error.hidden = false;
          text.focus();
          return;
        }
        finish(value);
      });
      dialog.showModal();
      text.focus();
    });
  }

  return {
    cardExtra,
    /** A board was read: its bulk actions for this viewer (none: no toggle). */
    show(list) {
      actions = list || [];
      steps.replaceChildren(
        ...actions.map((action) => {
          const button = el("button.btn.btn-primary.bulk-step", {
            type: "button",
            text: action.label,
            dataset: { action: action.action },
          });
          button.addEventListener("click", () => run(action));
          return button;
        }),
      );
      slot.hidden = actions.length === 0;
      summary.hidden = true;
      selected.clear();
      if (active || actions.length === 0) setActive(false);
      else sync();
    },
    /** Signed out, or another board is loading. */
    clear() {
      actions = [];
      slot.hidden = true;
      summary.hidden = true;
      if (active) setActive(false);
      selected.clear();
    },
    /** Cards changed (a page loaded, a live event): the checkboxes and the count again. */
    sync,
  };
}
