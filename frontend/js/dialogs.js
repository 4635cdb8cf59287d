// The form dialog (native <dialog>) for a step, a new case or a draft edit, built from the
// server's ActionForm; and the choice between several steps that lead to the same column.

import { buildForm } from "./form.js";
import { el } from "./ui.js";

/**
 * Open the dialog for one form. `submit(values)` runs the mutation and resolves to
 * `{close: true}` or `{close: false, message, field}` to keep the dialog open with an error.
 *
 * @param {object} options
 * @param {string} options.title
 * @param {string} [options.summary] the case it is about
 * @param {string} [options.route] where the card goes
 * @param {object} options.form the ActionForm
 * @param {object} [options.formOptions] initial values, units, period units, editing
 * @param {string} [options.submitLabel]
 * @param {(values: object) => Promise<{close: boolean, message?: string, field?: string}>} options.submit
 * @param {() => void} [options.onClose]
 */
export function openFormDialog({ title, summary, route, form, formOptions, submitLabel = "确认", submit, onClose }) {
  const dialog = document.getElementById("step-dialog");
  const built = buildForm(form, formOptions);
  const element = el("form.dialog-form", { method: "dialog", novalidate: true });
  const formError = el("p.form-error", { role: "alert", hidden: true });
  const cancel = el("button.btn.btn-ghost", { type: "button", value: "cancel", text: "取消" });
  const confirm = el("button.btn.btn-primary", { type: "submit", text: submitLabel });
  const titleId = "step-dialog-title";
  element.append(
    ...[
      el("h2.dialog-title", { id: titleId, text: title }),
      summary ? el("p.dialog-summary", { text: summary }) : null,
      route ? el("p.dialog-route", { text: route }) : null,
      el("div.dialog-fields", {}, built.nodes),
      formError,
      el("div.dialog-actions", {}, cancel, confirm),
    ].filter(Boolean),
  );
  dialog.setAttribute("aria-labelledby", titleId);
  dialog.replaceChildren(element);

  let busy = false;
  function showError(message, field) {
    built.showError(message, field);
    formError.textContent = message;
    formError.hidden = false;
  }
  function close() {
    if (dialog.open) dialog.close();
  }
  cancel.addEventListener("click", () => {
    if (!busy) close();
  });
  dialog.oncancel = (event) => {
    if (busy) event.preventDefault();
  };
  dialog.onclose = () => onClose?.();

  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    formError.hidden = true;
    built.clearErrors();
    const problem = built.validate();
    if (problem) {
      showError(problem.message, problem.field);
      return;
    }
    busy = true;
    confirm.disabled = true;
    cancel.disabled = true;
    confirm.textContent = "提交中…";
    try {
      const outcome = await submit(built.values());
      if (outcome.close) close();
      else showError(outcome.message, outcome.field);
    } finally {
      busy = false;
      confirm.disabled = false;
      cancel.disabled = false;
      confirm.textContent = submitLabel;
    }
  });

  dialog.showModal();
  if (!built.focusFirst()) confirm.focus();
}

/** Several steps lead to the same column: ask which. Resolves to an action or null. */
export function chooseAction({ title, summary, actions }) {
  const dialog = document.getElementById("choice-dialog");
  return new Promise((resolve) => {
    let chosen = null;
    const buttons = actions.map((action) => {
      const button = el("button.btn.choice", { type: "button", dataset: { action: action.action } });
      button.append(el("span.choice-label", { text: action.label }));
      button.addEventListener("click", () => {
        chosen = action;
        dialog.close();
      });
      return button;
    });
    const cancel = el("button.btn.btn-ghost", { type: "button", text: "取消" });
    cancel.addEventListener("click", () => dialog.close());
    dialog.setAttribute("aria-labelledby", "choice-dialog-title");
    dialog.replaceChildren(
      el(
        "div.dialog-form",
        {},
        el("h2.dialog-title", { id: "choice-dialog-title", text: title }),
        el("p.dialog-summary", { text: summary }),
        el("div.choices", { role: "group", "aria-label": "可选操作" }, buttons),
        el("div.dialog-actions", {}, cancel),
      ),
    );
    dialog.onclose = () => resolve(chosen);
    dialog.showModal();
    buttons[0]?.focus();
  });
}
