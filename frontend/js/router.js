// The views in the URL: `#/board/<kind>` (a kind's board, `?group=none` when its cards are
// not grouped the default way) and `#/case/<id>` (a case over its kind's board).
// `#/recommendation/<id>` is the link in emails already sent: it opens the case like
// `#/case/<id>` (a recommendation's global ID is its case's ID).

import { kindFromSlug, kindSlug } from "./kinds/index.js";

/** → {view: "board", kind, group} | {view: "case", id, legacy?} | {view: "home"}; `group`
 * is the board's grouping (`?group=none`, upper-cased as the server names it) or null. */
export function parseRoute(hash) {
  let match = /^#\/board\/([A-Za-z_]+)\/?(?:\?(.*))?$/.exec(hash);
  if (match) {
    const group = new URLSearchParams(match[2] || "").get("group");
    return { view: "board", kind: kindFromSlug(match[1]), group: group ? group.toUpperCase() : null };
  }
  match = /^#\/case\/(.+)$/.exec(hash);
  if (match) return { view: "case", id: decodeURIComponent(match[1]) };
  match = /^#\/recommendation\/(.+)$/.exec(hash);
  if (match) return { view: "case", id: decodeURIComponent(match[1]), legacy: "RECOMMENDATION" };
  return { view: "home" };
}

export const boardHash = (kind, group = null) =>
  `#/board/${kindSlug(kind)}${group ? `?group=${encodeURIComponent(group.toLowerCase())}` : ""}`;
export const caseHash = (id) => `#/case/${id}`;

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
