// GraphQL over HTTP (session cookie) and the documents the board uses.

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

export const CARD = `fragment Card on Recommendation {
  id docNo title state stateLabel column version typeLabel isOverdue updatedAt
  addresseeUnit { id name }
  deadline { dueOn daysLeft level explanation provisional }
  availableActions { action label target }
}`;

export const VIEWER = `query Viewer { viewer { name role roleLabel kind unit { id name side } } }`;

export const LOGIN = `mutation Login($input: LoginInput!) {
  login(input: $input) {
    __typename
    ... on LoginSuccess { viewer { name role roleLabel kind unit { id name side } } }
    ... on AuthenticationError { message }
  }
}`;

export const LOGOUT = `mutation Logout { logout }`;

export const BOARD = `query Board {
  board { cursor columns { column label } cards { ...Card } }
}
${CARD}`;

export const CARD_BY_ID = `query CardById($id: ID!) {
  node(id: $id) { __typename ... on Recommendation { ...Card } }
}
${CARD}`;

export const DETAIL = `query Detail($id: ID!) {
  node(id: $id) {
    __typename
    ... on Recommendation {
      ...Card
      issues suggestions legalBasis internalNote servedOn serviceMethod prosecutorName
      createdAt closedAt
      issuerUnit { name }
      deadline { servedOn dueOn rule legalBasis explanation provisional daysLeft level }
      replies {
        id content measures completeness submittedBy submittedAt
        decision reviewComment reviewedBy reviewedAt
      }
      objections { grounds raisedBy raisedAt decision reasons decidedBy decidedAt }
      events { seq action actionLabel actorName createdAt comment fromState toState }
    }
  }
}
${CARD}`;

export const BOARD_EVENTS = `subscription BoardEvents($after: String) {
  boardEvents(after: $after) {
    cursor
    event { seq action actionLabel actorName toState version }
    recommendation { ...Card }
  }
}
${CARD}`;

// Each lifecycle action → [mutation field, input type, fixed input fields].
const STEP_MUTATIONS = {
  SUBMIT_FOR_APPROVAL: ["submitForApproval", "StepInput", {}],
  APPROVE: ["approveRecommendation", "StepInput", {}],
  RETURN_FOR_REVISION: ["returnForRevision", "StepInput", {}],
  SERVE: ["serveRecommendation", "ServeRecommendationInput", {}],
  ACKNOWLEDGE: ["acknowledgeRecommendation", "StepInput", {}],
  SUBMIT_REPLY: ["submitReply", "SubmitReplyInput", {}],
  ADOPT_REPLY: ["reviewReply", "ReviewReplyInput", { decision: "ADOPTED" }],
  PARTIALLY_ADOPT_REPLY: ["reviewReply", "ReviewReplyInput", { decision: "PARTIALLY_ADOPTED" }],
  RAISE_OBJECTION: ["raiseObjection", "RaiseObjectionInput", {}],
  REJECT_OBJECTION: ["decideObjection", "DecideObjectionInput", { decision: "REJECTED" }],
  AMEND_AND_RESERVE: ["decideObjection", "DecideObjectionInput", { decision: "AMENDED" }],
  WITHDRAW: ["decideObjection", "DecideObjectionInput", { decision: "WITHDRAWN" }],
  URGE: ["urgeReply", "StepInput", {}],
};

/**
 * Run one lifecycle step. Resolves to the result union member:
 * `{__typename: "RecommendationStepSuccess", recommendation, event}` or an error type
 * (`__typename` ending in "Error", with `message`, `code`, `field`, and `currentVersion` for
 * VersionConflictError).
 */
export async function runStep(action, id, version, fields) {
  const spec = STEP_MUTATIONS[action];
  if (!spec) throw new Error(`未知操作 ${action}`);
  const [field, inputType, fixed] = spec;
  const query = `mutation Step($input: ${inputType}!) {
    result: ${field}(input: $input) {
      __typename
      ... on RecommendationStepSuccess {
        recommendation { ...Card }
        event { seq actionLabel }
      }
      ... on Error { code message field }
      ... on VersionConflictError { currentVersion }
    }
  }
  ${CARD}`;
  const data = await gql(query, { input: { id, version, ...fixed, ...fields } });
  return data.result;
}

export function isStepError(result) {
  return typeof result.__typename === "string" && result.__typename.endsWith("Error");
}

// The alert emails this viewer may see, newest first (the Linkage Office sees them all).
export const OUTBOX_PAGE = 200; // the server's largest page (settings.max_page_size)

export const OUTBOX = `query Outbox($first: Int!) {
  outboxEmails(first: $first) {
    level subject body status recipientName recipientEmail
    attempts lastError createdAt sentAt docNo
  }
}`;

/** Only to count them (the schema has no total): one small field per email. */
export const OUTBOX_COUNT = `query OutboxCount($first: Int!) { outboxEmails(first: $first) { status } }`;

export const RECOMMENDATION_ID_BY_DOC_NO = `query RecommendationIdByDocNo($docNo: String!) {
  recommendationByDocNo(docNo: $docNo) { id }
}`;
