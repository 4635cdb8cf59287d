// The side panel with one recommendation in full; `#/recommendation/<id>` opens it.

import { DETAIL, gql } from "./api.js";
import { LABELS, chipElement, el, formatDate, formatDateTime, panelShell } from "./ui.js";

export function createDetails(panel, { onStep, onClosed, onError }) {
  let currentId = null;
  let loading = 0;
  let lastOpener = null;

  const body = panelShell(panel, "关闭详情", () => closePanel());

  function section(title, ...content) {
    const nodes = content.flat().filter(Boolean);
    if (!nodes.length) return null;
    return el("section.detail-section", {}, el("h3", { text: title }), ...nodes);
  }

  function paragraph(text) {
    return text ? el("p.prose", { text }) : null;
  }

  function row(label, value) {
    if (value === null || value === undefined || value === "") return null;
    return [el("dt", { text: label }), el("dd", {}, value)];
  }

  function render(rec) {
    const deadline = rec.deadline;
    const actions = el("div.detail-actions");
    for (const action of rec.availableActions) {
      const button = el("button.btn.btn-secondary", {
        type: "button",
        text: action.label,
        dataset: { action: action.action },
      });
      button.addEventListener("click", () => onStep(rec, [action], { via: "detail" }));
      actions.append(button);
    }
    const facts = el(
      "dl.facts",
      {},
      row("被建议单位", rec.addresseeUnit.name),
      row("发出单位", rec.issuerUnit.name),
      row("承办检察官", rec.prosecutorName),
      row("类型", rec.typeLabel),
      row("状态", rec.stateLabel),
      row(
        "送达",
        rec.servedOn
          ? `${formatDate(rec.servedOn)}${rec.serviceMethod ? ` · ${LABELS.serviceMethod[rec.serviceMethod] || rec.serviceMethod}` : ""}`
          : null,
      ),
      row("起草时间", formatDateTime(rec.createdAt)),
      row("结案时间", rec.closedAt ? formatDateTime(rec.closedAt) : null),
    );
    let deadlineBlock = null;
    if (deadline) {
      deadlineBlock = el(
        "div.deadline-box",
        { dataset: { level: deadline.level } },
        el(
          "div.deadline-head",
          {},
          el("strong", { text: `回复期限：${formatDate(deadline.dueOn)}` }),
          deadline.level !== "NONE" ? chipElement(deadline) : null,
        ),
        el("p", { text: deadline.explanation }),
        deadline.provisional
          ? el("p.muted", { text: "（暂定）该年节假日安排尚未公布，公布后自动重新计算。" })
          : null,
        deadline.legalBasis ? el("p.muted", { text: `依据：${deadline.legalBasis}` }) : null,
      );
    }
    const replies = rec.replies.map((reply, index) =>
      el(
        "article.entry",
        {},
        el(
          "header",
          {},
          el("strong", { text: `第 ${index + 1} 次回复` }),
          el("span.muted", {
            text: ` ${reply.submittedBy} · ${formatDateTime(reply.submittedAt)} · ${LABELS.completeness[reply.completeness] || reply.completeness}`,
          }),
        ),
        paragraph(reply.content),
        reply.measures ? el("p.prose", { text: `整改措施：${reply.measures}` }) : null,
        reply.decision
          ? el("p.review", {
              text: `审查：${LABELS.replyDecision[reply.decision] || reply.decision}${reply.reviewComment ? `。${reply.reviewComment}` : ""}（${reply.reviewedBy}，${formatDateTime(reply.reviewedAt)}）`,
            })
          : el("p.muted", { text: "待审查" }),
      ),
    );
    const objections = rec.objections.map((objection) =>
      el(
        "article.entry",
        {},
        el(
          "header",
          {},
          el("strong", { text: "异议" }),
          el("span.muted", {
            text: ` ${objection.raisedBy} · ${formatDateTime(objection.raisedAt)}`,
          }),
        ),
        paragraph(objection.grounds),
        objection.decision
          ? el("p.review", {
              text: `决定：${LABELS.objectionDecision[objection.decision] || objection.decision}${objection.reasons ? `。${objection.reasons}` : ""}（${objection.decidedBy}，${formatDateTime(objection.decidedAt)}）`,
            })
          : el("p.muted", { text: "待复核" }),
      ),
    );
    const timeline = el(
      "ol.timeline",
      {},
      rec.events.map((event) =>
        el(
          "li",
          {},
          el("time", { datetime: event.createdAt, text: formatDateTime(event.createdAt) }),
          el(
            "div",
            {},
            el("strong", { text: event.actionLabel }),
            el("span.muted", { text: ` · ${event.actorName}` }),
            event.comment ? el("p.prose", { text: event.comment }) : null,
          ),
        ),
      ),
    );
    const parts = [
      el(
        "header.detail-header",
        {},
        el("p.detail-doc", { text: rec.docNo }),
        el("h2", { id: "detail-title", text: rec.title, tabindex: "-1" }),
        el(
          "div.detail-tags",
          {},
          el("span.tag", { text: rec.stateLabel }),
          el("span.tag.tag-muted", { text: rec.typeLabel }),
        ),
      ),
      rec.availableActions.length ? actions : null,
      deadlineBlock,
      facts,
      section("存在的问题", paragraph(rec.issues)),
      section("检察建议内容", paragraph(rec.suggestions)),
      section("法律依据", paragraph(rec.legalBasis)),
      rec.internalNote !== null && rec.internalNote !== undefined
        ? section(
            "内部备注",
            el("p.muted", { text: "仅检察院内部可见" }),
            paragraph(rec.internalNote || "（无）"),
          )
        : null,
      section("整改回复", replies),
      section("异议", objections),
      section("办理记录", timeline),
    ];
    // replaceChildren would turn a null into the text "null"
    body.replaceChildren(...parts.filter(Boolean));
  }

  async function load(id, { focus = false } = {}) {
    const ticket = ++loading;
    let data;
    try {
      data = await gql(DETAIL, { id });
    } catch (error) {
      if (ticket === loading) onError(error);
      return;
    }
    if (ticket !== loading || currentId !== id) return;
    const node = data.node;
    if (!node || node.__typename !== "Recommendation") {
      closePanel({ notify: false });
      onError(new Error("检察建议不存在，或您无权查看"));
      onClosed();
      return;
    }
    render(node);
    if (focus) panel.querySelector("#detail-title")?.focus();
  }

  function open(id) {
    if (currentId !== id) {
      lastOpener = document.activeElement;
      body.replaceChildren(el("p.muted.loading", { text: "正在加载…" }));
    }
    currentId = id;
    panel.hidden = false;
    document.body.classList.add("detail-open");
    return load(id, { focus: true });
  }

  function closePanel({ notify = true } = {}) {
    if (currentId === null && panel.hidden) return;
    currentId = null;
    loading += 1;
    panel.hidden = true;
    document.body.classList.remove("detail-open");
    body.replaceChildren();
    if (notify) onClosed();
    if (lastOpener && lastOpener.isConnected) lastOpener.focus();
    lastOpener = null;
  }

  return {
    open,
    close: closePanel,
    get currentId() {
      return currentId;
    },
    /** A live change to the open card: read it again. */
    refreshIf(id) {
      if (currentId === id) load(id);
    },
  };
}
