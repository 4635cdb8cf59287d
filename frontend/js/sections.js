// Building blocks of the detail panel, shared by the generic part and the kind modules.

import { el, formatDate, formatDateTime } from "./ui.js";

/** A titled section, or null when it would be empty. */
export function section(title, ...content) {
  const nodes = content.flat(Infinity).filter(Boolean);
  if (!nodes.length) return null;
  return el("section.detail-section", { dataset: { section: title } }, el("h3", { text: title }), ...nodes);
}

export function paragraph(text, label) {
  if (!text) return null;
  return el("p.prose", { text: label ? `${label}：${text}` : text });
}

/** A definition list of [label, value] rows; empty values are left out. */
export function facts(rows) {
  const items = [];
  for (const [label, value] of rows) {
    if (value === null || value === undefined || value === "" || value === false) continue;
    items.push(el("dt", { text: label }), el("dd", {}, value));
  }
  return items.length ? el("dl.facts", {}, items) : null;
}

/** One record (a reply, a hearing, a consultation): a header line, then its content. */
export function entry(title, meta, ...content) {
  return el(
    "article.entry",
    {},
    el("header", {}, el("strong", { text: title }), meta ? el("span.muted", { text: ` ${meta}` }) : null),
    ...content.flat().filter(Boolean),
  );
}

/** A decision under a record ("审查：采纳…"), or a muted "pending" line. */
export function review(text, pending) {
  return text ? el("p.review", { text }) : el("p.muted", { text: pending });
}

/** "张三 · 2026/12/01 09:30", skipping what is missing. */
export function byAt(by, at, ...more) {
  return [by, at ? formatDateTime(at) : null, ...more].filter(Boolean).join(" · ");
}

export { el, formatDate, formatDateTime };
