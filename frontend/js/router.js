// The views in the URL: `#/board/<kind>` (a kind's board; its query is the board's filter,
// sort, swimlanes and view: js/filters.js) and `#/case/<id>` (a case over its kind's board).
// `#/recommendation/<id>` is the link in emails already sent: it opens the case like
// `#/case/<id>` (a recommendation's global ID is its case's ID).

import { kindFromSlug, kindSlug } from "./kinds/index.js";

/** → {view: "board", kind, group, query} | {view: "case", id, legacy?} |
 * {view: "statistics" | "tasklist-report", query} | {view: "home"};
 * `query` is the board's URLSearchParams; `group` its older grouping (`?group=none`,
 * upper-cased as the server names it) or null. */
export function parseRoute(hash) {
  let match = /^#\/board\/([A-Za-z_]+)\/?(?:\?(.*))?$/.exec(hash);
  if (match) {
    const query = new URLSearchParams(match[2] || "");
    const group = query.get("group");
    return { view: "board", kind: kindFromSlug(match[1]), group: group ? group.toUpperCase() : null, query };
  }
  match = /^#\/case\/(.+)$/.exec(hash);
  if (match) return { view: "case", id: decodeURIComponent(match[1]) };
  // 统计分析 and the task list's report (js/statistics.js): their query is their filters.
  match = /^#\/(statistics|tasklist-report)\/?(?:\?(.*))?$/.exec(hash);
  if (match) return { view: match[1], query: new URLSearchParams(match[2] || "") };
  match = /^#\/recommendation\/(.+)$/.exec(hash);
  if (match) return { view: "case", id: decodeURIComponent(match[1]), legacy: "RECOMMENDATION" };
  return { view: "home" };
}

/** A board's link; `query` is its URLSearchParams (or, as before, a grouping id). */
export function boardHash(kind, query = null) {
  if (typeof query === "string") query = new URLSearchParams({ group: query.toLowerCase() });
  const search = query ? query.toString() : "";
  return `#/board/${kindSlug(kind)}${search ? `?${search}` : ""}`;
}
export const caseHash = (id) => `#/case/${id}`;
/** The statistics page's or the task list report's link with its filters (URLSearchParams). */
export function pageHash(view, query = null) {
  const search = query ? query.toString() : "";
  return `#/${view}${search ? `?${search}` : ""}`;
}

/** Calls `onRoute(route)` on every hash change; `go` navigates, `replace` rewrites silently. */
export function createRouter(onRoute) {
  window.addEventListener("hashchange", () => onRoute(parseRoute(location.hash)));
  return {
    current: () => parseRoute(location.hash),
    go(hash) {
      if (location.hash === hash) onRoute(parseRoute(hash));
      else location.hash = hash;
    },
    replace(hash) {
      if (location.hash !== hash) history.replaceState(null, "", hash);
    },
  };
}
