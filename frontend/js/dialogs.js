// The step dialog (native <dialog>): what each lifecycle step asks for, and the choice
// between several steps that lead to the same column.

import { LABELS, el, todayIso } from "./ui.js";

const options = (labels) => Object.entries(labels);
const comment = (label = "意见（可选）") => ({ name: "comment", label, type: "textarea" });

/** The fields each step asks for; `build` turns the form's values into the mutation input. */
export const STEP_FORMS = {
  SERVE: {
    intro: "送达后，系统依法计算回复期限。",
    fields: [
      { name: "servedOn", label: "送达日期", type: "date", required: true, value: todayIso },
      {
        name: "serviceMethod",
        label: "送达方式",
        type: "select",
        options: options(LABELS.serviceMethod),
      },
      { name: "rule", label: "回复期限", type: "select", options: options(LABELS.rule) },
      {
        name: "customAmount",
        label: "自定义期限",
        type: "number",
        min: 1,
        max: 366,
        showIf: (v) => v.rule === "CUSTOM",
        required: true,
      },
      {
        name: "customUnit",
        label: "期限单位",
        type: "select",
        options: options(LABELS.periodUnit),
        showIf: (v) => v.rule === "CUSTOM",
      },
      comment("备注（可选）"),
    ],
    build: (v) => ({
      servedOn: v.servedOn,
      serviceMethod: v.serviceMethod,
      rule: v.rule,
      customPeriod:
        v.rule === "CUSTOM" ? { amount: Number(v.customAmount), unit: v.customUnit } : null,
      comment: v.comment,
    }),
  },
  SUBMIT_REPLY: {
    intro: "请填写书面整改回复，提交后由承办检察官审查。",
    fields: [
      { name: "content", label: "整改回复", type: "textarea", required: true, rows: 5 },
      { name: "measures", label: "整改措施", type: "textarea", rows: 3 },
      {
        name: "completeness",
        label: "整改情况",
        type: "select",
        options: options(LABELS.completeness),
      },
    ],
    build: (v) => ({ content: v.content, measures: v.measures, completeness: v.completeness }),
  },
  ADOPT_REPLY: {
    intro: "采纳整改回复并结案。",
    fields: [comment("审查意见（可选）")],
    build: (v) => ({ comment: v.comment }),
  },
  PARTIALLY_ADOPT_REPLY: {
    intro: "部分采纳：被建议单位须继续整改，请说明尚未落实的事项。",
    fields: [{ name: "comment", label: "审查意见", type: "textarea", required: true }],
    build: (v) => ({ comment: v.comment }),
  },
  RAISE_OBJECTION: {
    intro: "对检察建议有异议的，请写明理由，由检察院复核。",
    fields: [{ name: "grounds", label: "异议理由", type: "textarea", required: true, rows: 4 }],
    build: (v) => ({ grounds: v.grounds }),
  },
  REJECT_OBJECTION: {
    intro: "异议不成立：检察建议维持原送达，被建议单位继续整改。",
    fields: [{ name: "reasons", label: "决定理由", type: "textarea", required: true }],
    build: (v) => ({ reasons: v.reasons }),
  },
  WITHDRAW: {
    intro: "异议成立：撤回检察建议，案件结束。",
    fields: [{ name: "reasons", label: "决定理由", type: "textarea", required: true }],
    build: (v) => ({ reasons: v.reasons }),
  },
  AMEND_AND_RESERVE: {
    intro: "异议成立：修改检察建议后重新送达，回复期限重新计算。",
    fields: [
      { name: "reasons", label: "决定理由", type: "textarea", required: true },
      {
        name: "amendedSuggestions",
        label: "修改后的建议内容",
        type: "textarea",
        required: true,
        rows: 4,
      },
      { name: "servedOn", label: "重新送达日期", type: "date", required: true, value: todayIso },
    ],
    build: (v) => ({
      reasons: v.reasons,
      amendedSuggestions: v.amendedSuggestions,
      servedOn: v.servedOn,
    }),
  },
};
const DEFAULT_FORM = {
  intro: "",
  fields: [comment()],
  build: (v) => ({ comment: v.comment }),
};

// The server names some fields as in the mutation input; the form splits them.
const FIELD_ALIASES = { customPeriod: "customAmount" };

export function formFor(action) {
  return STEP_FORMS[action] || DEFAULT_FORM;
}

function control(field) {
  const id = `step-${field.name}`;
  let input;
  if (field.type === "textarea") {
    input = el("textarea", { id, name: field.name, rows: String(field.rows || 3) });
  } else if (field.type === "select") {
    input = el("select", { id, name: field.name });
    for (const [value, label] of field.options) input.append(el("option", { value, text: label }));
  } else {
    input = el("input", { id, name: field.name, type: field.type });
    if (field.min !== undefined) input.min = String(field.min);
    if (field.max !== undefined) input.max = String(field.max);
  }
  if (field.required) input.required = true;
  const initial = typeof field.value === "function" ? field.value() : field.value;
  if (initial !== undefined) input.value = initial;
  const label = el("label", { for: id }, field.label);
  if (field.required) label.append(el("span.required", { "aria-hidden": "true", text: " *" }));
  const error = el("p.field-error", { id: `${id}-error`, hidden: true });
  input.setAttribute("aria-describedby", error.id);
  return { wrap: el("div.field", { dataset: { field: field.name } }, label, input, error), input };
}

function values(form) {
  const data = {};
  for (const [key, value] of new FormData(form).entries()) data[key] = String(value);
  return data;
}

/**
 * Open the dialog for one step. `submit(input)` runs the mutation and resolves to
 * `{close: true}` or `{close: false, message, field}` to keep the dialog open with an error.
 */
export function openStepDialog({ title, summary, route, action, submitLabel, submit, onClose }) {
  const dialog = document.getElementById("step-dialog");
  const spec = formFor(action);
  const form = el("form.dialog-form", { method: "dialog", novalidate: true });
  const controls = spec.fields.map((field) => ({ field, ...control(field) }));
  const formError = el("p.form-error", { role: "alert", hidden: true });
  const cancel = el("button.btn.btn-ghost", { type: "button", value: "cancel", text: "取消" });
  const confirm = el("button.btn.btn-primary", { type: "submit", text: submitLabel });
  const titleId = "step-dialog-title";
  const parts = [
    el("h2.dialog-title", { id: titleId, text: title }),
    el("p.dialog-summary", { text: summary }),
    route ? el("p.dialog-route", { text: route }) : null,
    spec.intro ? el("p.dialog-intro", { text: spec.intro }) : null,
    ...controls.map((c) => c.wrap),
    formError,
    el("div.dialog-actions", {}, cancel, confirm),
  ];
  form.append(...parts.filter(Boolean));
  dialog.setAttribute("aria-labelledby", titleId);
  dialog.replaceChildren(form);

  function syncVisibility() {
    const current = values(form);
    for (const { field, wrap, input } of controls) {
      if (!field.showIf) continue;
      const show = field.showIf(current);
      wrap.hidden = !show;
      input.disabled = !show;
    }
  }
  form.addEventListener("change", syncVisibility);
  syncVisibility();

  let busy = false;
  function clearErrors() {
    formError.hidden = true;
    for (const { wrap } of controls) {
      const error = wrap.querySelector(".field-error");
      error.hidden = true;
      wrap.querySelector("input, textarea, select").removeAttribute("aria-invalid");
    }
  }
  function showError(message, fieldName) {
    const name = FIELD_ALIASES[fieldName] || fieldName;
    const target = controls.find((c) => c.field.name === name);
    if (target) {
      const error = target.wrap.querySelector(".field-error");
      error.textContent = message;
      error.hidden = false;
      target.input.setAttribute("aria-invalid", "true");
      target.input.focus();
    }
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

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    const data = values(form);
    for (const { field, input } of controls) {
      if (field.required && !input.disabled && !String(data[field.name] || "").trim()) {
        showError(`请填写${field.label}`, field.name);
        return;
      }
    }
    busy = true;
    confirm.disabled = true;
    cancel.disabled = true;
    confirm.textContent = "提交中…";
    try {
      const outcome = await submit(spec.build(data));
      if (outcome.close) {
        close();
      } else {
        showError(outcome.message, outcome.field);
      }
    } finally {
      busy = false;
      confirm.disabled = false;
      cancel.disabled = false;
      confirm.textContent = submitLabel;
    }
  });

  dialog.showModal();
  const first = controls.find((c) => !c.input.disabled);
  (first ? first.input : confirm).focus();
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
