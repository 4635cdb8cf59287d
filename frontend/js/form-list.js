// A LIST field of a server form (e.g. a dispute's applicants): one or more rows, each an
// object of the field's own `fields`.

import { el } from "./ui.js";

/** A fieldset's legend (a group of checkboxes, a list of rows), with the required mark. */
export function legendFor(field) {
  const mark = field.required ? el("span.required", { "aria-hidden": "true", text: " *" }) : null;
  return el("legend", {}, field.label, mark);
}

export function isEmpty(value) {
  return (
    value === "" ||
    value === null ||
    value === undefined ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === "string" && !value.trim())
  );
}

/**
 * A LIST field: rows of the field's sub-fields, added and removed by the user; `control`
 * builds one sub-field's control (form.js's, passed in to keep the import one-way).
 */
export function listControl(field, id, context, control) {
  const rows = [];
  const rowsBox = el("div.list-rows");
  const add = el("button.btn.btn-ghost.list-add", { type: "button", text: `添加${field.label}` });
  const element = el(
    "fieldset.choice-group.list-field",
    { id },
    legendFor(field),
    rowsBox,
    add,
  );
  let made = 0;

  function renumber() {
    rows.forEach((row, index) => {
      row.title.textContent = `${field.label} ${index + 1}`;
      row.remove.setAttribute("aria-label", `删除${field.label} ${index + 1}`);
    });
  }

  function addRow(values = {}) {
    made += 1;
    const prefix = `${id}-${made}`;
    const controls = (field.fields || []).map((sub) => control(sub, { ...context, prefix }));
    for (const c of controls) if (values[c.field.name] !== undefined) c.set(values[c.field.name]);
    const title = el("span.list-row-title");
    const remove = el("button.btn.btn-ghost.list-remove", { type: "button", text: "删除" });
    const node = el("div.list-row", {}, el("div.list-row-head", {}, title, remove), controls.map((c) => c.wrap));
    const row = { node, controls, title, remove };
    remove.addEventListener("click", () => {
      rows.splice(rows.indexOf(row), 1);
      node.remove();
      renumber();
      add.focus();
    });
    rows.push(row);
    rowsBox.append(node);
    renumber();
    return row;
  }

  add.addEventListener("click", () => {
    const row = addRow();
    row.controls[0]?.input.focus();
  });
  if (field.required) addRow();

  return {
    element,
    read() {
      return rows
        .map((row) => {
          const value = {};
          for (const c of row.controls) {
            const v = c.read();
            if (!isEmpty(v)) value[c.field.name] = v;
          }
          return value;
        })
        .filter((value) => Object.keys(value).length);
    },
    set(list) {
      for (const row of rows.splice(0)) row.node.remove();
      for (const values of list || []) addRow(values);
      if (!rows.length && field.required) addRow();
    },
  };
}

export function listProblem(field, rows) {
  for (const [index, row] of rows.entries()) {
    for (const sub of field.fields || []) {
      if (sub.required && sub.type !== "BOOLEAN" && isEmpty(row[sub.name])) {
        return { message: `请填写${field.label} ${index + 1} 的${sub.label}`, field: field.name };
      }
    }
  }
  return null;
}

