// Taking a step, creating a case and editing a draft: each opens the dialog the server's
// form describes and runs the mutation it names. A step is sent with the version the user
// decided on, so a change made meanwhile by someone else is a conflict, not a surprise.

import {
  ACTION_FORMS,
  UNITS,
  gql,
  isStepError,
  periodUnitValues,
  runForm,
} from "./api.js";
import { chooseAction, openFormDialog } from "./dialogs.js";
import { kindModule } from "./kinds/index.js";
import { toast } from "./ui.js";

/** The values of a case a form field of the same name shows (a unit by its ID). */
function currentValues(c, form) {
  const values = {};
  for (const field of form.fields || []) {
    const value = c[field.name];
    if (value === undefined || value === null) continue;
    values[field.name] = typeof value === "object" && !Array.isArray(value) && "id" in value ? value.id : value;
  }
  return { ...values, ...kindModule(c.kind).draftValues(c) };
}

/**
 * @param {object} deps
 * @param {object} deps.board
 * @param {object} deps.details
 * @param {() => object} deps.documents the case documents for the known kinds
 * @param {(id: string) => void} deps.refreshCard read one card again
 * @param {(c: object) => void} deps.onCreated a new case: show it
 * @param {(error: Error) => void} deps.onError
 */
export function createSteps({ board, details, documents, refreshCard, onCreated, onError }) {
  let units = null;

  async function formOptions(form, extra = {}) {
    const fields = form.fields || [];
    if (fields.some((f) => f.type === "UNIT" || f.type === "UNITS") && !units) {
      units = (await gql(UNITS)).units; // each field offers its unitScope of them
    }
    const periods = fields.some((f) => f.type === "PERIOD") ? await periodUnitValues() : undefined;
    return { units: units || [], periodUnits: periods, ...extra };
  }

  function focusCard(id) {
    const node = board.element(id);
    const panel = document.getElementById("detail");
    if (node && !panel.contains(document.activeElement)) node.focus();
  }

  /** A card is to take one of `choices` (several when a drop has more than one meaning). */
  async function start(card, choices) {
    let action = choices[0];
    if (choices.length > 1) {
      action = await chooseAction({
        title: `移至“${board.columnLabel(choices[0].target)}”`,
        summary: `${card.caseNo}：请选择要执行的操作`,
        actions: choices,
      });
      if (!action) {
        focusCard(card.id); // cancelled: back to the card
        return;
      }
    }
    const version = card.version; // the version the user decided on
    let form;
    let options;
    try {
      const data = await gql(ACTION_FORMS, { id: card.id });
      const fresh = (data.node?.availableActions || []).find(
        (a) => a.action === action.action && (a.target || null) === (action.target || null),
      );
      form = fresh?.form;
      if (form) options = await formOptions(form);
    } catch (error) {
      onError(error);
      return;
    }
    if (!form) {
      toast(`${action.label}未成功：该案件已有变化，现已显示最新状态`, "error");
      refreshCard(card.id);
      details.refreshIf(card.id);
      focusCard(card.id); // the menu that had the focus is gone
      return;
    }
    const from = board.columnLabel(card.column);
    const to = action.target ? board.columnLabel(action.target) : null;
    openFormDialog({
      title: action.label,
      summary: `${card.caseNo} · ${card.title}`,
      route: to ? `从“${from}”移至“${to}”` : `仍在“${from}”，记入办理记录`,
      form,
      formOptions: options,
      onClose: () => focusCard(card.id),
      async submit(values) {
        if (action.target) board.setPending(card.id, action.target);
        let result;
        try {
          result = await runForm(form, { id: card.id, version, ...values }, documents().card);
        } catch (error) {
          board.setPending(card.id, null);
          onError(error);
          return { close: true };
        }
        board.setPending(card.id, null); // the card goes where the answer says
        if (!isStepError(result)) {
          board.upsert(result.case, { flash: true });
          details.refreshIf(card.id);
          toast(`“${action.label}”已完成：${card.caseNo}`, "success");
          return { close: true };
        }
        if (result.__typename === "ValidationError") {
          return { close: false, message: result.message, field: result.field };
        }
        toast(`${action.label}未成功：${result.message}`, "error");
        refreshCard(card.id);
        details.refreshIf(card.id);
        return { close: true };
      },
    });
  }

  /** A new case of `kind` ({kind, label, createForm}). */
  async function create(kind) {
    const form = kind.createForm;
    let options;
    try {
      options = await formOptions(form);
    } catch (error) {
      onError(error);
      return;
    }
    openFormDialog({
      title: `新建${kind.label}`,
      form,
      formOptions: options,
      submitLabel: "创建",
      async submit(values) {
        let result;
        try {
          result = await runForm(form, values, documents().card);
        } catch (error) {
          return { close: false, message: error.message };
        }
        if (isStepError(result)) return { close: false, message: result.message, field: result.field };
        board.upsert(result.case, { flash: true });
        toast(`已新建${kind.label}：${result.case.caseNo}`, "success");
        onCreated(result.case);
        return { close: true };
      },
    });
  }

  /** Edit a draft with its `editForm`, starting from its current values. */
  async function edit(c) {
    const form = c.editForm;
    let options;
    try {
      options = await formOptions(form, { initial: currentValues(c, form), editing: true });
    } catch (error) {
      onError(error);
      return;
    }
    const version = c.version;
    openFormDialog({
      title: "修改草稿",
      summary: `${c.caseNo} · ${c.title}`,
      form,
      formOptions: options,
      submitLabel: "保存",
      async submit(values) {
        let result;
        try {
          result = await runForm(form, { id: c.id, version, ...values }, documents().card);
        } catch (error) {
          onError(error);
          return { close: true };
        }
        if (!isStepError(result)) {
          board.upsert(result.case, { flash: true });
          details.refreshIf(c.id);
          toast(`草稿已保存：${result.case.caseNo}`, "success");
          return { close: true };
        }
        if (result.__typename === "ValidationError") {
          return { close: false, message: result.message, field: result.field };
        }
        toast(`保存未成功：${result.message}`, "error");
        refreshCard(c.id);
        details.refreshIf(c.id);
        return { close: true };
      },
    });
  }

  return {
    start,
    create,
    edit,
    /** A new session: units are read again. */
    reset() {
      units = null;
    },
  };
}
