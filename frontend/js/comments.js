// The comments of the open case, for every kind alike: the list, a box to write one with @
// mentions, the internal option for the procuratorate side and 撤回 on one's own comments.
// What the viewer may do, the labels and the limits come from the server (Case.commenting,
// Case.mentionableUsers); the server checks every comment again. The section is one element
// kept across the detail panel's re-renders, so a live refresh never loses what is typed.

import { gql } from "./api.js";
import { el, formatDateTime, toast } from "./ui.js";

const COMMENTS = `query CaseComments($id: ID!) { node(id: $id) { __typename ... on Case {
  id
  comments { seq text displayText internal authorName authorUnit { name } createdAt retracted
             retractedAt retractedByName canRetract mentions { id name } }
  commenting { canComment canCommentInternally internalLabel maxLength maxMentions }
  mentionableUsers { id name label seesInternal }
} } }`;
const RESULT = "__typename ... on Error { code message field }";
const ADD = `mutation AddComment($input: AddCommentInput!) { addComment(input: $input) { ${RESULT} } }`;
const RETRACT = `mutation RetractComment($input: RetractCommentInput!) {
  retractComment(input: $input) { ${RESULT} }
}`;
/** The documents this module sends (validated against the schema by the tests). */
export const COMMENT_DOCUMENTS = { comments: COMMENTS, add: ADD, retract: RETRACT };
const PICKER_SIZE = 8; // people listed at once under the box

/** The @word being typed just before the caret, if any: its start and the text after @. */
function mentionQuery(textarea) {
  const upto = textarea.value.slice(0, textarea.selectionStart);
  const match = /(^|\s)@([^\s@]*)$/.exec(upto);
  return match ? { start: upto.length - match[2].length - 1, query: match[2] } : null;
}

export function createComments({ onError }) {
  let caseId = null;
  let ticket = 0;
  let policy = null;
  let people = [];
  const chosen = new Map(); // user id → person mentioned in the comment being written
  let picking = null; // the @word being completed, while the picker is open

  const list = el("ol.comment-list", { "aria-live": "polite" });
  const textarea = el("textarea.comment-text", {
    name: "comment",
    rows: 3,
    "aria-label": "评论内容",
    placeholder: "写下评论，输入 @ 提及相关人员",
  });
  const internal = el("input", { type: "checkbox", name: "internal" });
  const internalLabel = el("span");
  const internalRow = el("label.comment-internal", { hidden: true }, internal, internalLabel);
  const chips = el("ul.mention-chips", { "aria-label": "已提及" });
  const picker = el("ul.mention-picker", { role: "listbox", hidden: true, "aria-label": "选择要提及的人" });
  const mentionButton = el("button.btn.btn-ghost.mention-button", { type: "button", text: "@ 提及" });
  const counter = el("span.muted.comment-count");
  const submit = el("button.btn.btn-primary.comment-submit", { type: "submit", text: "发表评论" });
  const form = el(
    "form.comment-form",
    { hidden: true },
    textarea,
    picker,
    chips,
    el("div.comment-controls", {}, mentionButton, internalRow, counter, submit),
  );
  const root = el(
    "section.detail-section.comments",
    { dataset: { section: "评论" } },
    el("h3", { text: "评论" }),
    list,
    form,
  );

  function resetDraft() {
    textarea.value = "";
    internal.checked = false;
    chosen.clear();
    closePicker();
    renderChips();
    updateCounter();
  }

  function updateCounter() {
    const max = policy ? policy.maxLength : 0;
    counter.textContent = max ? `${textarea.value.length}/${max}` : "";
    counter.classList.toggle("over", Boolean(max) && textarea.value.length > max);
  }

  /** The people the picker may offer now: an internal comment mentions the procuratorate only. */
  function offered() {
    return people.filter((p) => !chosen.has(p.id) && (!internal.checked || p.seesInternal));
  }

  function renderChips() {
    chips.replaceChildren(
      ...[...chosen.values()].map((person) => {
        const remove = el("button.chip-remove", { type: "button", text: "×", "aria-label": `取消提及${person.name}` });
        remove.addEventListener("click", () => {
          chosen.delete(person.id);
          renderChips();
        });
        return el("li.mention-chip", { dataset: { id: person.id } }, `@${person.name}`, remove);
      }),
    );
  }

  function choose(person) {
    if (policy && chosen.size >= policy.maxMentions) {
      toast(`一条评论最多提及 ${policy.maxMentions} 人`, "error");
      return;
    }
    chosen.set(person.id, person);
    // A typed "@wor" is replaced by the name; from the button the name goes in at the caret.
    const at = picking && picking.start >= 0 ? picking.start : textarea.selectionStart;
    const before = textarea.value.slice(0, at);
    const after = textarea.value.slice(textarea.selectionStart);
    const inserted = `@${person.name} `;
    textarea.value = `${before}${inserted}${after}`;
    const caret = before.length + inserted.length;
    closePicker();
    renderChips();
    updateCounter();
    textarea.focus();
    textarea.setSelectionRange(caret, caret);
  }

  function openPicker(query, start) {
    const words = query.toLowerCase();
    const matches = offered()
      .filter((p) => !words || p.label.toLowerCase().includes(words))
      .slice(0, PICKER_SIZE);
    picking = { start, query };
    picker.replaceChildren(
      ...(matches.length
        ? matches.map((person, i) => {
            const option = el("li.mention-option", {
              role: "option",
              tabindex: "-1",
              text: person.label,
              dataset: { id: person.id },
              "aria-selected": i === 0 ? "true" : "false",
            });
            option.addEventListener("mousedown", (event) => event.preventDefault()); // keep focus
            option.addEventListener("click", () => choose(person));
            return option;
          })
        : [el("li.muted.mention-none", { text: internal.checked ? "没有可提及的检察院人员" : "没有可提及的人员" })]),
    );
    picker.hidden = false;
  }

  function closePicker() {
    picking = null;
    picker.hidden = true;
    picker.replaceChildren();
  }

  function moveSelection(step) {
    const options = [...picker.querySelectorAll(".mention-option")];
    if (!options.length) return;
    const current = options.findIndex((o) => o.getAttribute("aria-selected") === "true");
    const next = (current + step + options.length) % options.length;
    options.forEach((o, i) => o.setAttribute("aria-selected", i === next ? "true" : "false"));
  }

  textarea.addEventListener("input", () => {
    updateCounter();
    const typed = mentionQuery(textarea);
    if (typed) openPicker(typed.query, typed.start);
    else if (picking && picking.start >= 0) closePicker();
  });
  textarea.addEventListener("keydown", (event) => {
    if (picker.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      moveSelection(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter") {
      const selected = picker.querySelector('.mention-option[aria-selected="true"]');
      const person = selected && people.find((p) => p.id === selected.dataset.id);
      if (person) {
        event.preventDefault();
        choose(person);
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      event.stopPropagation(); // the picker, not the panel
      closePicker();
    }
  });
  textarea.addEventListener("blur", () => setTimeout(() => document.activeElement !== textarea && closePicker(), 150));
  mentionButton.addEventListener("click", () => {
    if (!picker.hidden) return closePicker();
    textarea.focus();
    openPicker("", -1);
  });
  internal.addEventListener("change", () => {
    if (!internal.checked) return;
    for (const [id, person] of chosen) if (!person.seesInternal) chosen.delete(id);
    renderChips();
    if (!picker.hidden) openPicker(picking ? picking.query : "", picking ? picking.start : -1);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!caseId || submit.disabled) return;
    const text = textarea.value.trim();
    if (!text) {
      toast("请填写评论内容", "error");
      textarea.focus();
      return;
    }
    const id = caseId;
    const input = {
      caseId: id,
      text,
      internal: Boolean(policy && policy.canCommentInternally && internal.checked),
      mentionIds: [...chosen.keys()],
    };
    submit.disabled = true;
    try {
      const result = (await gql(ADD, { input })).addComment;
      if (result.__typename.endsWith("Error")) {
        toast(result.message, "error");
        return;
      }
      if (caseId === id) resetDraft();
      toast(input.internal ? "内部评论已发表" : "评论已发表");
      await load(id);
    } catch (error) {
      onError(error);
    } finally {
      submit.disabled = false;
    }
  });

  async function retract(comment) {
    if (!window.confirm("撤回这条评论？撤回后原文不再显示，撤回记录会保留。")) return;
    const id = caseId;
    try {
      const input = { caseId: id, commentSeq: comment.seq };
      const result = (await gql(RETRACT, { input })).retractComment;
      if (result.__typename.endsWith("Error")) toast(result.message, "error");
      else toast("评论已撤回");
      await load(id);
    } catch (error) {
      onError(error);
    }
  }

  function commentItem(c) {
    const who = c.authorUnit ? `${c.authorName}（${c.authorUnit.name}）` : c.authorName;
    const retract_ = c.canRetract
      ? el("button.btn.btn-ghost.comment-retract", { type: "button", text: "撤回" })
      : null;
    retract_?.addEventListener("click", () => retract(c));
    return el(
      "li.comment",
      { dataset: { seq: String(c.seq), internal: String(c.internal), retracted: String(c.retracted) } },
      el(
        "header.comment-head",
        {},
        el("strong", { text: who }),
        el("time.muted", { datetime: c.createdAt, text: formatDateTime(c.createdAt) }),
        c.internal ? el("span.tag.tag-internal", { text: "内部" }) : null,
        retract_,
      ),
      el(`p.comment-body${c.retracted ? ".muted" : ".prose"}`, { text: c.displayText }),
      c.retracted
        ? el("p.muted.comment-retracted", {
            text: `${c.retractedByName || c.authorName} 于 ${formatDateTime(c.retractedAt)} 撤回`,
          })
        : null,
      c.mentions.length
        ? el("p.muted.comment-mentions", { text: `提及：${c.mentions.map((m) => `@${m.name}`).join(" ")}` })
        : null,
    );
  }

  function render(node) {
    policy = node.commenting;
    people = node.mentionableUsers || [];
    const items = node.comments.map(commentItem);
    list.replaceChildren(...(items.length ? items : [el("li.muted.comment-empty", { text: "暂无评论" })]));
    form.hidden = !policy.canComment;
    internalRow.hidden = !policy.canCommentInternally;
    internalLabel.textContent = policy.internalLabel;
    if (!policy.canCommentInternally) internal.checked = false;
    textarea.maxLength = policy.maxLength;
    for (const id of [...chosen.keys()]) if (!people.some((p) => p.id === id)) chosen.delete(id);
    renderChips();
    updateCounter();
  }

  async function load(id) {
    const mine = ++ticket;
    let data;
    try {
      data = await gql(COMMENTS, { id });
    } catch (error) {
      if (mine === ticket) onError(error);
      return;
    }
    if (mine !== ticket || caseId !== id || !data.node || !data.node.commenting) return;
    render(data.node);
  }

  return {
    /** The section for case `id` (read again from the server); a draft survives a refresh. */
    show(id) {
      if (id !== caseId) {
        resetDraft();
        list.replaceChildren(el("li.muted", { text: "正在加载评论…" }));
        form.hidden = true;
      }
      caseId = id;
      // The panel re-renders on every live event and moves this section: keep the caret.
      if (document.activeElement === textarea) {
        const [start, end] = [textarea.selectionStart, textarea.selectionEnd];
        queueMicrotask(() => {
          if (!root.isConnected) return;
          textarea.focus();
          textarea.setSelectionRange(start, end);
        });
      }
      load(id);
      return root;
    },
    clear() {
      caseId = null;
      ticket += 1;
      resetDraft();
    },
  };
}
