// GraphQL over HTTP (session cookie), the documents the board uses, and running a form's
// mutation. The case documents are assembled from the generic `Case` fields and each kind
// module's inline fragment (`... on PilCase { … }`), for the kinds the server announces.

import { boardDocuments } from "./board-api.js";
import { kindModule } from "./kinds/index.js";

export class Unauthenticated extends Error {}

/** POST a GraphQL document to /graphql; returns `data`, throws on top-level errors. */
export async function gql(query, variables = {}) {
  let response;
  try {
    response = await fetch("/graphql", {
      method: "POST",
      credentials: "same-origin",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ query, variables }),
    });
  } catch {
    throw new Error("无法连接服务器，请检查网络后重试");
  }
  let body;
  try {
    body = await response.json();
  } catch {
    throw new Error(`服务器返回异常（HTTP ${response.status}）`);
  }
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    if (first.extensions && first.extensions.code === "UNAUTHENTICATED") {
      throw new Unauthenticated(first.message);
    }
    throw new Error(first.message || "请求失败");
  }
  return body.data;
}

// ---- session ---------------------------------------------------------------------------

const VIEWER_FIELDS = "name role roleLabel kind unit { id name side } header { name roleLabel unitName }";

export const VIEWER = `query Viewer { viewer { ${VIEWER_FIELDS} } }`;

export const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) {
    __typename
    ... on LoginSuccess { viewer { ${VIEWER_FIELDS} } }
    ... on Error { message }
  }
}`;

export const LOGOUT = `mutation Logout { logout }`;

// ---- forms, kinds, units ---------------------------------------------------------------

/** The selection of an ActionForm: what the dialog builder needs (a LIST field's rows have
 * fields of their own, one level deep). */
const FIELD = "name label type required options { value label } help maxLength unitScope minValue maxValue";
export const FORM = `mutation inputType
  fields { ${FIELD} rules { id label basis custom } fields { ${FIELD} } }
  fixed { name value }`;

export const KINDS = `query Kinds { kinds { kind label group groupLabel canCreate createForm { ${FORM} } } }`;

export const UNITS = `query Units { units { id name side } }`;

// ---- cases -----------------------------------------------------------------------------

const CLOCK_CARD = "name label status dueOn dueAt daysLeft level provisional explanation";

/** A card: the generic fields plus each known kind's card line fields; its swimlanes by unit
 * and by handler come along, so that switching the lanes reads nothing (board.js). */
function cardFields(kinds) {
  const extra = kinds.map((kind) => kindModule(kind).cardFields || "").join("\n");
  return `id kind caseNo title state stateLabel column columnLabel lane laneLabel version updatedAt
  laneUnit: swimlane(by: UNIT) { id label } laneHandler: swimlane(by: HANDLER) { id label }
  clocks { ${CLOCK_CARD} }
  availableActions { action label target }
  ${extra}`;
}

const CASE_LINK = "id kind kindLabel caseNo title stateLabel";

function detailFields(kinds) {
  const extra = kinds.map((kind) => kindModule(kind).detailFields || "").join("\n");
  return `id kind kindLabel caseNo title state stateLabel column columnLabel version
  createdAt updatedAt closedAt internalNote
  parties { role roleLabel unit { id name } userName }
  clocks { name label rule ruleLabel legalBasis status startedOn dueOn dueAt provisional
    explanation daysLeft level }
  availableActions { action label target }
  events { seq action actionLabel fromStateLabel toStateLabel actorName comment createdAt }
  sourceCase { ${CASE_LINK} }
  linkedCases { ${CASE_LINK} }
  editForm { ${FORM} }
  details { title emptyText facts { label value } items { heading facts { label value } } }
  ${extra}`;
}

/** The documents for the kinds the server knows (a module's fragment for an unknown type
 * would make the whole document invalid). */
export function documents(kinds) {
  const card = cardFields(kinds);
  return {
    card,
    ...boardDocuments(card), // board, boardColumn, resync (js/board-api.js)
    cardById: `query CardById($id: ID!) { node(id: $id) { __typename ... on Case { ${card} } } }`,
    detail: `query Detail($id: ID!) { node(id: $id) { __typename ... on Case { ${detailFields(kinds)} } } }`,
    // Each event's card says whether it matches the board's filter (js/board-pages.js).
    boardEvents: `subscription BoardEvents($after: String, $kinds: [CaseKind!], $filter: BoardFilter!) {
      boardEvents(after: $after, kinds: $kinds) {
        cursor
        event { seq action actionLabel actorName }
        case { ${card} matchesBoardFilter(filter: $filter) }
      }
    }`,
  };
}

/** A case's kind (to choose the board a deep link opens on); null when not visible. */
export const CASE_KIND = `query CaseKind($id: ID!) { node(id: $id) { __typename ... on Case { id kind } } }`;

/** The forms of a case's steps, read when a step starts (cards carry no forms). */
export const ACTION_FORMS = `query ActionForms($id: ID!) {
  node(id: $id) { ... on Case { id version availableActions { action label target form { ${FORM} } } } }
}`;

// ---- running a form's mutation ---------------------------------------------------------

// Which members each mutation's result union has: a fragment on a type that is not a member
// makes the document invalid, and the legacy recommendation mutations answer with
// RecommendationStepSuccess where the generic ones answer with CaseStepSuccess. (Introspection
// is limited in depth, so only the member names are asked for.)
const RESULT_MEMBERS = `query ResultMembers {
  __type(name: "Mutation") {
    fields { name type { name ofType { name possibleTypes { name } } } }
  }
}`;
let resultMembers = null;

async function membersOf(mutation) {
  if (!resultMembers) {
    resultMembers = gql(RESULT_MEMBERS).then((data) => {
      const byName = new Map();
      for (const field of data.__type.fields) {
        const union = field.type.ofType || field.type;
        byName.set(field.name, union.possibleTypes || []);
      }
      return byName;
    });
    resultMembers.catch(() => {
      resultMembers = null; // try again next time
    });
  }
  const byName = await resultMembers;
  if (!byName.has(mutation)) throw new Error(`服务器没有操作 ${mutation}`);
  return byName.get(mutation);
}

/**
 * Run the mutation a form names with `input` (a case's id and version plus the form's values
 * and its fixed values). Resolves to the result union member: a success `{__typename, case}`
 * or an error (`__typename` ending in "Error", with `code`, `message`, `field`, and
 * `currentVersion` for VersionConflictError).
 */
export async function runForm(form, input, card) {
  const members = await membersOf(form.mutation);
  const parts = [];
  for (const member of members) {
    // Every success member of a form's mutation (CaseStepSuccess, RecommendationStepSuccess)
    // carries the case as it is after the step.
    if (member.name.endsWith("Success")) parts.push(`... on ${member.name} { case { ${card} } }`);
    if (member.name === "VersionConflictError") parts.push("... on VersionConflictError { currentVersion }");
  }
  const query = `mutation Run($input: ${form.inputType}!) {
    result: ${form.mutation}(input: $input) {
      __typename
      ${parts.join("\n")}
      ... on Error { code message field }
    }
  }`;
  const fixed = Object.fromEntries((form.fixed || []).map(({ name, value }) => [name, value]));
  const data = await gql(query, { input: { ...input, ...fixed } });
  return data.result;
}

export function isStepError(result) {
  return typeof result.__typename === "string" && result.__typename.endsWith("Error");
}

// ---- the outbox ------------------------------------------------------------------------

// The alerts this viewer may see, newest first, one per alert with its recipients' emails
// (the Linkage Office sees every recipient, anyone else themselves).
export const OUTBOX_PAGE = 200; // the server's largest page (settings.max_page_size)

export const OUTBOX = `query Outbox($first: Int!) {
  outboxAlertCount
  outboxAlerts(first: $first) {
    level subject body status clockLabel createdAt
    case { id kind kindLabel caseNo }
    recipients { recipientName recipientEmail status attempts lastError sentAt }
  }
}`;

/** How many alerts (not emails) there are, for the top bar. */
export const OUTBOX_COUNT = `query OutboxCount { outboxAlertCount }`;

// ---- facts about the schema the forms need ----------------------------------------------

let periodUnits = null;

/** The PeriodUnit values (DAYS, MONTHS, WORKING_DAYS, HOURS…), read once. */
export function periodUnitValues() {
  if (!periodUnits) {
    periodUnits = gql(`query PeriodUnits { __type(name: "PeriodUnit") { enumValues { name } } }`)
      .then((data) => (data.__type ? data.__type.enumValues.map((v) => v.name) : ["DAYS", "MONTHS"]))
      .catch(() => {
        periodUnits = null;
        return ["DAYS", "MONTHS"];
      });
  }
  return periodUnits;
}
