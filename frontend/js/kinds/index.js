// Each case kind's slice of the board: the fields its card line and detail sections read
// (inline fragments on the kind's GraphQL type) and how it renders them. Everything generic —
// columns, states, steps, forms, clocks, parties, history — comes from the server.
//
// A module exports:
//   cardFields    `... on <Type> { … }`: what cardLine reads
//   detailFields  `... on <Type> { … }`: what facts and sections read
//   cardLine(card)       the card's extra line (addressee unit, domain, stage)
//   facts(c)             extra [label, value] rows in the detail's facts
//   sections(c)          the kind's own detail sections (DOM nodes or null)
//   linkLabel(linked)    what a linked case is to this one ("诉前检察建议"), or null
//   partyLabel(party)    a party's role as this kind words it, or null for the server's
//   draftValues(c)       the current values of a draft, by edit-form field name
// A kind without a module (a new one on the server) still shows with the generic parts.

import dispute from "./dispute.js";
import pilCase from "./pil_case.js";
import recommendation from "./recommendation.js";
import reconsideration from "./reconsideration.js";

const MODULES = {
  RECOMMENDATION: recommendation,
  PIL_CASE: pilCase,
  DISPUTE: dispute,
  RECONSIDERATION: reconsideration,
};

const GENERIC = {
  cardFields: "",
  detailFields: "",
  cardLine: () => "",
  facts: () => [],
  sections: () => [],
  linkLabel: () => null,
  partyLabel: () => null,
  draftValues: () => ({}),
};

export function kindModule(kind) {
  return { ...GENERIC, ...(MODULES[kind] || {}) };
}

/** #/board/pil_case ↔ PIL_CASE */
export const kindSlug = (kind) => String(kind).toLowerCase();
export const kindFromSlug = (slug) => String(slug).toUpperCase();
