// The side panel with one case in full (`#/case/<id>`): its steps, clocks with their
// explanation and legal basis, parties, the kind's own sections, linked cases and history.

import { gql } from "./api.js";
import { createComments } from "./comments.js";
import { kindModule } from "./kinds/index.js";
import { entry, facts, paragraph, section } from "./sections.js";
import { chipElement, el, formatDateTime, formatDue, panelShell } from "./ui.js";

const CLOCK_STATUS = { RUNNING: "计时中", SUSPENDED: "已中止", STOPPED: "已停止" };

function clockBox(clock) {
  const suspended = clock.status === "SUSPENDED";
  const level = suspended ? "NONE" : clock.level;
  return el(
    "div.deadline-box",
    { dataset: { level, status: clock.status, clock: clock.name } },
    el(
      "div.deadline-head",
      {},
      el("strong", { text: `${clock.label}：${formatDue(clock)}` }),
      suspended || clock.status === "STOPPED"
        ? el("span.tag.tag-muted.clock-status", { text: CLOCK_STATUS[clock.status] })
        : clock.level !== "NONE"
          ? chipElement(clock)
          : null,
    ),
    clock.explanation ? el("p.clock-explanation", { text: clock.explanation }) : null,
    clock.provisional
      ? el("p.muted", { text: "（暂定）该年节假日安排尚未公布，公布后自动重新计算。" })
      : null,
    clock.ruleLabel ? el("p.muted", { text: `规则：${clock.ruleLabel}` }) : null,
    clock.legalBasis ? el("p.muted.clock-basis", { text: `依据：${clock.legalBasis}` }) : null,
  );
}

/** A section the server words for any kind (Case.details): facts, then records. */
function serverSection(s) {
  const rows = (list) => facts(list.map((f) => [f.label, f.value]));
  const items = (s.items || []).map((item) => entry(item.heading, null, rows(item.facts || [])));
  const empty = !s.facts.length && !items.length && s.emptyText ? el("p.muted", { text: s.emptyText }) : null;
  return section(s.title, rows(s.facts || []), items, empty);
}

/** Parties as fact rows: one row per role, several units of a role joined. */
function partyRows(parties, module) {
  const byRole = new Map();
  for (const party of parties || []) {
    const who = party.userName || (party.unit && party.unit.name); // a person, or a unit
    if (!who) continue;
    const key = module.partyLabel(party) || party.roleLabel || party.role;
    if (!byRole.has(key)) byRole.set(key, []);
    byRole.get(key).push(who);
  }
  return [...byRole].map(([role, names]) => [role, names.join("、")]);
}

function caseLink(linked, relation, onOpenCase) {
  const link = el(
    "a.case-link",
    { href: `#/case/${linked.id}`, dataset: { id: linked.id, kind: linked.kind } },
    el("span.tag.tag-muted", { text: relation ? `${relation} · ${linked.kindLabel}` : linked.kindLabel }),
    el("span.case-link-no", { text: linked.caseNo }),
    el("span.case-link-title", { text: linked.title }),
    el("span.muted", { text: linked.stateLabel }),
  );
  link.addEventListener("click", (event) => {
    event.preventDefault();
    onOpenCase(linked.id);
  });
  return el("li", {}, link);
}

export function createDetails(panel, { documents, onStep, onEdit, onClosed, onError, onOpenCase, onOpening, notFound }) {
  let currentId = null;
  let loading = 0;
  let lastOpener = null;
  let shown = null; // the case as last rendered

  const body = panelShell(panel, "关闭详情", () => closePanel());
  const comments = createComments({ onError }); // one section, kept across re-renders

  function render(c) {
    shown = c;
    const module = kindModule(c.kind);
    const actions = el("div.detail-actions");
    for (const action of c.availableActions) {
      const button = el("button.btn.btn-secondary", {
        type: "button",
        text: action.label,
        dataset: { action: action.action },
      });
      button.addEventListener("click", () => onStep(c, [action], { via: "detail" }));
      actions.append(button);
    }
    if (c.editForm) {
      const edit = el("button.btn.btn-ghost.edit-draft", { type: "button", text: "修改草稿" });
      edit.addEventListener("click", () => onEdit(c));
      actions.append(edit);
    }
    const links = [
      ...(c.sourceCase
        ? [caseLink(c.sourceCase, module.linkLabel(c.sourceCase) || "来源案件", onOpenCase)]
        : []),
      ...(c.linkedCases || []).map((linked) => caseLink(linked, module.linkLabel(linked), onOpenCase)),
    ];
    const timeline = el(
      "ol.timeline",
      {},
      (c.events || []).map((event) =>
        el(
          "li",
          {},
          el("time", { datetime: event.createdAt, text: formatDateTime(event.createdAt) }),
          el(
            "div",
            {},
            el("strong", { text: event.actionLabel }),
            el("span.muted", { text: ` · ${event.actorName}` }),
            event.fromStateLabel && event.toStateLabel && event.fromStateLabel !== event.toStateLabel
              ? el("span.muted.timeline-move", { text: `${event.fromStateLabel} → ${event.toStateLabel}` })
              : null,
            event.comment ? el("p.prose", { text: event.comment }) : null,
          ),
        ),
      ),
    );
    const parts = [
      el(
        "header.detail-header",
        {},
        el("p.detail-doc", { text: c.caseNo }),
        el("h2", { id: "detail-title", text: c.title, tabindex: "-1" }),
        el(
          "div.detail-tags",
          {},
          el("span.tag", { text: c.stateLabel }),
          el("span.tag.tag-muted", { text: c.kindLabel }),
        ),
      ),
      actions.childElementCount ? actions : null,
      // The case's file on A4 (statistics.css's print rules: only this panel, in full).
      el("div.detail-print", {}, el("button.btn.btn-ghost", { type: "button", text: "打印", onclick: () => window.print() })),
      section("期限", (c.clocks || []).map(clockBox)),
      facts([
        ...partyRows(c.parties, module),
        ["状态", c.stateLabel],
        ...module.facts(c),
        ["创建时间", formatDateTime(c.createdAt)],
        ["结案时间", c.closedAt ? formatDateTime(c.closedAt) : null],
      ]),
      ...module.sections(c),
      ...(c.details || []).map(serverSection),
      section("关联案件", links.length ? el("ul.case-links", {}, links) : null),
      c.internalNote !== null && c.internalNote !== undefined
        ? section(
            "内部备注",
            el("p.muted", { text: "仅检察院内部可见" }),
            paragraph(c.internalNote || "（无）"),
          )
        : null,
      comments.show(c.id),
      section("办理记录", c.events && c.events.length ? timeline : null),
    ];
    // replaceChildren would turn a null into the text "null"
    body.replaceChildren(...parts.filter(Boolean));
    panel.dataset.kind = c.kind;
    panel.dataset.id = c.id;
  }

  async function load(id, { focus = false } = {}) {
    const ticket = ++loading;
    let data;
    try {
      data = await gql(documents().detail, { id });
    } catch (error) {
      if (ticket === loading) onError(error);
      return;
    }
    if (ticket !== loading || currentId !== id) return;
    const node = data.node;
    if (!node || !node.caseNo) {
      closePanel({ notify: false });
      onError(new Error(notFound(id)));
      onClosed();
      return;
    }
    render(node);
    if (focus) panel.querySelector("#detail-title")?.focus();
  }

  function open(id) {
    onOpening?.();
    if (currentId !== id) {
      if (panel.hidden) lastOpener = document.activeElement;
      shown = null;
      body.replaceChildren(el("p.muted.loading", { text: "正在加载…" }));
    }
    currentId = id;
    panel.hidden = false;
    document.body.classList.add("detail-open");
    return load(id, { focus: true });
  }

  function closePanel({ notify = true, restoreFocus = true } = {}) {
    if (currentId === null && panel.hidden) return;
    currentId = null;
    comments.clear();
    shown = null;
    loading += 1;
    panel.hidden = true;
    document.body.classList.remove("detail-open");
    body.replaceChildren();
    delete panel.dataset.id;
    if (notify) onClosed();
    if (restoreFocus && lastOpener && lastOpener.isConnected) lastOpener.focus();
    lastOpener = null;
  }

  return {
    open,
    close: closePanel,
    get currentId() {
      return currentId;
    },
    get shown() {
      return shown;
    },
    /** A live change to the open case: read it again. */
    refreshIf(id) {
      if (currentId === id) load(id);
    },
  };
}
