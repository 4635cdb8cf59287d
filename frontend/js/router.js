// The views in the URL: `#/board/<kind>` (a kind's board) and `#/case/<id>` (a case over its
// kind's board). `#/recommendation/<id>` is the link in emails already sent: it opens the
// case like `#/case/<id>` (a recommendation's global ID is its case's ID).

import { kindFromSlug, kindSlug } from "./kinds/index.js";

/** → {view: "board", kind} | {view: "case", id, legacy?} | {view: "home"} */
export function parseRoute(hash) {
  let match = /^#\/board\/([A-Za-z_]+)\/?$/.exec(hash);
  if (match) return { view: "board", kind: kindFromSlug(match[1]) };
  match = /^#\/case\/(.+)$/.exec(hash);
  if (match) return { view: "case", id: decodeURIComponent(match[1]) };
  match = /^#\/recommendation\/(.+)$/.exec(hash);
  if (match) return { view: "case", id: decodeURIComponent(match[1]), legacy: "RECOMMENDATION" };
  return { view: "home" };
}

export const boardHash = (kind) => `#/board/${kindSlug(kind)}`;
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
