// A form built from the server's ActionForm: one control per field, in the server's order,
// with its label, required mark, options, allowed deadline rules and their legal basis. The
// board holds no copy of what a step asks for.
//
// Values become the mutation input: DATE "2026-12-01", DATETIME an instant with +08:00,
// NUMBER a number, BOOLEAN true/false, MULTISELECT a list of option values, UNIT a unit's
// global ID, USER the chosen option's value (a person's ID: the server lists whom this viewer
// may choose), RULE a rule id, PERIOD {amount, unit} (only while the chosen rule is custom),
// LIST a list of rows, each an object of the field's own `fields`.
// An empty optional field is left out, so the input type's default applies; when editing a
// draft an emptied text field is sent as "" (the author cleared it).

import { isEmpty, legendFor, listControl, listProblem } from "./form-list.js";
import { PERIOD_UNIT_LABELS, el, instantToLocal, localToInstant, nowLocalIso, todayIso } from "./ui.js";

let sequence = 0;

/** The label names the control exactly; the required mark sits beside it, not in it. */
function labelFor(field, id) {
  const label = el("label", { for: id }, field.label);
  if (!field.required) return label;
  return el("div.field-head", {}, label, el("span.required", { "aria-hidden": "true", text: "*" }));
}

function selectOf(id, name, options, { placeholder } = {}) {
  const select = el("select", { id, name });
  if (placeholder !== undefined) select.append(el("option", { value: "", text: placeholder }));
  for (const { value, label } of options) select.append(el("option", { value, text: label }));
  return select;
}

/** A control whose value is its element's `value`. */
function valued(input) {
  return { input, read: () => input.value, set: (v) => (input.value = v ?? "") };
}

function choiceOptions(field, context) {
  if (field.type === "RULE") return (field.rules || []).map((r) => ({ value: r.id, label: r.label }));
  if (field.type === "UNIT" || field.type === "UNITS") return unitOptions(field, context);
  return field.options || [];
}

/** The units a UNIT / UNITS field offers: the government side, or every unit (unitScope ANY). */
function unitOptions(field, context) {
  const units = field.unitScope === "ANY" ? context.units : context.units.filter((u) => u.side === "GOVERNMENT");
  return units.map((u) => ({ value: u.id, label: u.name }));
}

const PICK = { UNIT: "请选择单位", USER: "请选择人员" };

function choice(field, id, context) {
  const options = choiceOptions(field, context);
  // A required choice among a few starts on the first; a unit or a person is always chosen on
  // purpose.
  const placeholder = PICK[field.type] || (field.required && options.length ? undefined : "（不选）");
  const input = selectOf(id, field.name, options, { placeholder });
  const set = (v) => {
    if (v !== null && v !== undefined && [...input.options].some((o) => o.value === v)) {
      input.value = v;
    }
  };
  return { input, read: () => input.value, set };
}

function checkboxes(field, id, context) {
  const boxes = choiceOptions(field, context).map((option, index) => {
    const box = el("input", { type: "checkbox", id: `${id}-${index}`, name: field.name, value: option.value });
    return { box, label: el("label.check", { for: box.id }, box, el("span", { text: option.label })) };
  });
  const input = el("fieldset.choice-group", { id }, legendFor(field), boxes.map((b) => b.label));
  const set = (v) => {
    const chosen = new Set(v || []);
    for (const b of boxes) b.box.checked = chosen.has(b.box.value);
  };
  return { input, body: [input], read: () => boxes.filter((b) => b.box.checked).map((b) => b.box.value), set };
}

function period(field, id, context) {
  const amount = el("input", { id, name: `${field.name}.amount`, type: "number", min: "1", inputmode: "numeric" });
  const units = context.periodUnits.map((u) => ({ value: u, label: PERIOD_UNIT_LABELS[u] || u }));
  const unit = selectOf(`${id}-unit`, `${field.name}.unit`, units);
  unit.setAttribute("aria-label", `${field.label}的单位`);
  const set = (v) => {
    if (v && typeof v === "object") {
      amount.value = v.amount ?? "";
      if (v.unit) unit.value = v.unit;
    }
  };
  const read = () => (amount.value === "" ? "" : { amount: Number(amount.value), unit: unit.value });
  return { input: amount, body: [labelFor(field, id), el("div.period", {}, amount, unit)], read, set };
}

/** Per field type: the control's element(s), how to read and how to set its value. */
const BUILDERS = {
  TEXT: (field, id) => valued(el("input", { id, name: field.name, type: "text" })),
  TEXTAREA: (field, id) => {
    const long = !field.maxLength || field.maxLength > 2000;
    return valued(el("textarea", { id, name: field.name, rows: long ? "4" : "3" }));
  },
  DATE: (field, id) => valued(el("input", { id, name: field.name, type: "date" })),
  // A wall time in Beijing time (Asia/Shanghai), said beside the input: a browser set to
  // another timezone still shows, prefills and sends the hub's own time (ui.js).
  DATETIME: (field, id) => {
    const input = el("input", { id, name: field.name, type: "datetime-local" });
    const zone = el("span.field-zone", { id: `${id}-zone`, text: "北京时间" });
    return {
      input,
      body: [labelFor(field, id), el("div.datetime", {}, input, zone)],
      describedBy: zone.id,
      read: () => localToInstant(input.value),
      set: (v) => (input.value = instantToLocal(v)),
    };
  },
  NUMBER: (field, id) => {
    const input = el("input", { id, name: field.name, type: "number", inputmode: "decimal", step: "any" });
    return { input, read: () => (input.value === "" ? "" : Number(input.value)), set: (v) => (input.value = v ?? "") };
  },
  INTEGER: (field, id) => {
    const input = el("input", { id, name: field.name, type: "number", inputmode: "numeric", step: "1" });
    if (field.minValue !== null && field.minValue !== undefined) input.min = field.minValue;
    if (field.maxValue !== null && field.maxValue !== undefined) input.max = field.maxValue;
    return { input, read: () => (input.value === "" ? "" : Number(input.value)), set: (v) => (input.value = v ?? "") };
  },
  BOOLEAN: (field, id) => {
    const input = el("input", { id, name: field.name, type: "checkbox" });
    const label = el("label.check", { for: id }, input, el("span", { text: field.label }));
    return { input, body: [label], read: () => input.checked, set: (v) => (input.checked = Boolean(v)) };
  },
  SELECT: choice,
  RULE: choice,
  UNIT: choice,
  USER: choice,
  MULTISELECT: checkboxes,
  UNITS: checkboxes,
  PERIOD: period,
  LIST: (field, id, context) => {
    const list = listControl(field, id, context, control);
    return { input: list.element, body: [list.element], read: list.read, set: list.set, rows: true };
  },
};

/** One field → {field, wrap, input (the element errors point at), help, error, read, set}. */
function control(field, context) {
  const id = `${context.prefix}-${field.name}`;
  const help = el("p.field-help", { id: `${id}-help`, text: field.help || "", hidden: !field.help });
  const error = el("p.field-error", { id: `${id}-error`, hidden: true });
  const built = (BUILDERS[field.type] || BUILDERS.TEXT)(field, id, context);
  const { input } = built;
  if (field.maxLength && "maxLength" in input) input.maxLength = field.maxLength;
  if (field.required && input.tagName !== "FIELDSET") input.required = true;
  input.setAttribute("aria-describedby", [built.describedBy, help.id, error.id].filter(Boolean).join(" "));
  const wrap = el(
    "div.field",
    { dataset: { field: field.name, type: field.type } },
    built.body || [labelFor(field, id), input],
    help,
    error,
  );
  const validateRows = built.rows ? () => listProblem(field, built.read()) : null;
  return { field, wrap, input, help, error, read: built.read, set: built.set, validateRows };
}

/**
 * @param {object} form the ActionForm ({fields, fixed, …})
 * @param {object} options
 * @param {object} [options.initial] field name → current value (editing a draft)
 * @param {Array<{id, name}>} options.units the government units a UNIT field offers
 * @param {string[]} options.periodUnits the PeriodUnit values
 * @param {boolean} [options.editing] sending "" for an emptied text field
 */
export function buildForm(form, { initial = {}, units = [], periodUnits = ["DAYS", "MONTHS"], editing = false } = {}) {
  sequence += 1;
  const context = { prefix: `f${sequence}`, units, periodUnits };
  const controls = (form.fields || []).map((field) => control(field, context));
  const ruleControl = controls.find((c) => c.field.type === "RULE");

  for (const c of controls) {
    const { field } = c;
    if (Object.prototype.hasOwnProperty.call(initial, field.name)) c.set(initial[field.name]);
    else if (field.required && field.type === "DATE") c.set(todayIso());
    else if (field.required && field.type === "DATETIME") c.input.value = nowLocalIso(); // Beijing time
  }

  /** The chosen rule's legal basis under the rule select; a PERIOD only for a custom rule. */
  function sync() {
    if (!ruleControl) return;
    const rule = (ruleControl.field.rules || []).find((r) => r.id === ruleControl.input.value);
    const basis = rule && rule.basis ? `依据：${rule.basis}` : "";
    const text = [ruleControl.field.help, basis].filter(Boolean).join("。");
    ruleControl.help.textContent = text;
    ruleControl.help.hidden = !text;
    for (const c of controls) {
      if (c.field.type !== "PERIOD") continue;
      const show = Boolean(rule && rule.custom);
      c.wrap.hidden = !show;
      for (const node of c.wrap.querySelectorAll("input, select")) node.disabled = !show;
    }
  }
  for (const c of controls) c.wrap.addEventListener("change", sync);
  sync();

  function active(c) {
    return !c.wrap.hidden;
  }

  return {
    nodes: controls.map((c) => c.wrap),
    controls,
    /** The first problem a user can fix before sending, or null. */
    validate() {
      for (const c of controls) {
        if (!active(c)) continue;
        // A period shown for a custom rule is that rule's period: needed, whatever the flag.
        const needed = c.field.required || (c.field.type === "PERIOD" && ruleControl);
        if (needed && c.field.type !== "BOOLEAN") {
          const value = c.read();
          const missing =
            c.field.type === "PERIOD" ? isEmpty(value) || !(value.amount >= 1) : isEmpty(value);
          if (missing) {
            const choose = ["SELECT", "MULTISELECT", "UNIT", "UNITS", "USER", "RULE"].includes(c.field.type);
            return { message: `请${choose ? "选择" : "填写"}${c.field.label}`, field: c.field.name };
          }
        }
        const rows = c.validateRows?.();
        if (rows) return rows;
      }
      return null;
    },
    /** The input fields from the form (without id, version and the fixed values). */
    values() {
      const input = {};
      for (const c of controls) {
        if (!active(c)) continue;
        const value = c.read();
        if (isEmpty(value)) {
          if (editing && (c.field.type === "TEXT" || c.field.type === "TEXTAREA")) input[c.field.name] = "";
          else if (editing && (c.field.type === "MULTISELECT" || c.field.type === "UNITS")) input[c.field.name] = [];
          continue;
        }
        input[c.field.name] = value;
      }
      return input;
    },
    clearErrors() {
      for (const c of controls) {
        c.error.hidden = true;
        c.error.textContent = "";
        c.input.removeAttribute("aria-invalid");
      }
    },
    /** Mark the control a message is about (by input field name); false if none matches. */
    showError(message, fieldName) {
      if (!fieldName) return false;
      const leaf = String(fieldName).split(".")[0];
      const target = controls.find((c) => c.field.name === fieldName || c.field.name === leaf);
      if (!target || !active(target)) return false;
      target.error.textContent = message;
      target.error.hidden = false;
      target.input.setAttribute("aria-invalid", "true");
      (target.input.tagName === "FIELDSET" ? target.input.querySelector("input") : target.input)?.focus();
      return true;
    },
    focusFirst() {
      const first = controls.find((c) => active(c));
      if (!first) return false;
      (first.input.tagName === "FIELDSET" ? first.input.querySelector("input") : first.input)?.focus();
      return true;
    },
  };
}
