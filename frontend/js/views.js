// The board's views: the server's built-ins (我承办的, 本单位, 逾期未回复 — those that make
// sense for this viewer) then the views this user saved, from `boardViews(kind)`. Choosing
// one applies its filter, sort and lanes; 保存视图 names the current state in a dialog (the
// form dialog of js/dialogs.js); 删除 removes one of the user's own views.

import { gql } from "./api.js";
import { BOARD_VIEWS, DELETE_BOARD_VIEW, SAVE_BOARD_VIEW } from "./board-api.js";
import { chooseAction, openFormDialog } from "./dialogs.js";
import { filterInput } from "./filters.js";
import { el, toast } from "./ui.js";

// The name prompt: one text field; the server checks the name and says what is wrong.
const NAME_FORM = {
  fields: [{ name: "name", label: "视图名称", type: "TEXT", required: true, options: [] }],
  fixed: [],
};

/**
 * @param {HTMLElement} root the views' container in the toolbar
 * @param {object} handlers
 * @param {(view: object) => void} handlers.onApply a view was chosen
 * @param {() => object} handlers.state the board's current state (to save)
 * @param {(view: object) => void} handlers.onDeleted the chosen view was deleted
 * @param {(error: Error) => void} handlers.onError
 */
export function createViews(root, { onApply, onDeleted, state, onError }) {
  let kind = null;
  let views = [];
  let current = null;
  let ticket = 0;

  const selectId = "board-view-select";
  const picker = el("select", { id: selectId, name: "view" });
  const save = el("button.btn.btn-ghost.btn-small", { type: "button", text: "保存视图" });
  const remove = el("button.btn.btn-ghost.btn-small", { type: "button", text: "删除视图" });
  root.replaceChildren(el("label.filter-caption", { for: selectId, text: "视图" }), picker, save, remove);

  picker.addEventListener("change", () => {
    const view = views.find((v) => v.id === picker.value);
    current = view ? view.id : null;
    syncButtons();
    if (view) onApply(view);
  });
  save.addEventListener("click", () => askName());
  remove.addEventListener("click", () => confirmDelete());

  function syncButtons() {
    const view = views.find((v) => v.id === current);
    remove.hidden = !view || view.builtIn;
  }

  function render() {
    const builtIn = views.filter((v) => v.builtIn);
    const own = views.filter((v) => !v.builtIn);
    const option = (v) => el("option", { value: v.id, text: v.name });
    const parts = [el("option", { value: "", text: "（未选择）" })];
    if (builtIn.length) parts.push(el("optgroup", { label: "常用" }, builtIn.map(option)));
    if (own.length) parts.push(el("optgroup", { label: "我的视图" }, own.map(option)));
    picker.replaceChildren(...parts);
    picker.value = views.some((v) => v.id === current) ? current : "";
    syncButtons();
  }

  /** Read a kind's views; `selected` is the view the URL names (or null). */
  async function load(caseKind, selected) {
    const mine = ++ticket;
    kind = caseKind;
    current = selected;
    root.hidden = false;
    const data = await gql(BOARD_VIEWS, { kind: caseKind });
    if (mine !== ticket) return;
    views = data.boardViews;
    render();
  }

  function select(id) {
    current = id;
    picker.value = views.some((v) => v.id === id) ? id : "";
    syncButtons();
  }

  function askName() {
    const shown = views.find((v) => v.id === current && !v.builtIn);
    openFormDialog({
      title: "保存视图",
      summary: "保存当前的筛选、排序和分组；同名视图将被替换。",
      form: NAME_FORM,
      formOptions: { initial: shown ? { name: shown.name } : {} },
      submitLabel: "保存",
      submit: (values) => saveAs(values.name || ""),
    });
  }

  async function saveAs(name) {
    const s = state();
    const input = { kind, name, filter: filterInput(s), sort: s.sort || null, laneBy: s.laneBy || null };
    try {
      const { result } = await gql(SAVE_BOARD_VIEW, { input });
      if (result.__typename.endsWith("Error")) {
        return { close: false, message: result.message, field: result.field };
      }
      const saved = result.view;
      views = [...views.filter((v) => v.id !== saved.id && (v.builtIn || v.name !== saved.name)), saved];
      current = saved.id;
      render();
      toast(`视图“${saved.name}”已保存`);
      onApply(saved);
      return { close: true };
    } catch (error) {
      onError(error);
      return { close: false, message: error.message || String(error) };
    }
  }

  async function confirmDelete() {
    const view = views.find((v) => v.id === current && !v.builtIn);
    if (!view) return;
    const chosen = await chooseAction({
      title: "删除视图",
      summary: `删除视图“${view.name}”？`,
      actions: [{ action: "delete", label: "删除" }],
    });
    if (!chosen) return;
    try {
      const { result } = await gql(DELETE_BOARD_VIEW, { id: view.id });
      if (result.__typename.endsWith("Error")) {
        toast(result.message, "error");
        return;
      }
      views = views.filter((v) => v.id !== view.id);
      current = null;
      render();
      toast(`视图“${view.name}”已删除`);
      onDeleted(view);
    } catch (error) {
      onError(error);
    }
  }

  return {
    load,
    select,
    clear() {
      ticket += 1;
      views = [];
      current = null;
      kind = null;
      root.hidden = true;
      picker.replaceChildren();
    },
  };
}
