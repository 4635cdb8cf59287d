// 检察建议: the card names the addressee unit; the detail shows what was found and
// recommended, the service, the agency's replies and their review, objections and the chief's
// escalations (D6).

import { byAt, entry, formatDate, paragraph, review, section } from "../sections.js";
import { partyUnit } from "../ui.js";

const SERVICE_METHOD = { WRITTEN: "书面送达", ANNOUNCED: "宣告送达" };
const COMPLETENESS = { FULL: "全部整改", PARTIAL: "部分整改", NONE: "未整改" };
const REPLY_DECISION = { ADOPTED: "采纳", PARTIALLY_ADOPTED: "部分采纳，继续整改" };
const OBJECTION_DECISION = {
  REJECTED: "异议不成立",
  AMENDED: "异议成立，修改后重新送达",
  WITHDRAWN: "异议成立，撤回检察建议",
};

const label = (labels, value) => (value ? labels[value] || value : "");

export default {
  cardFields: "... on Recommendation { addresseeUnit { name } }",
  detailFields: `... on Recommendation {
    typeLabel issues suggestions legalBasis servedOn serviceMethod
    replies { content measures completeness submittedBy submittedAt decision reviewComment reviewedBy reviewedAt }
    objections { grounds raisedBy raisedAt decision reasons decidedBy decidedAt }
    escalations { targetLabel decidedOn decidedBy note }
  }`,

  cardLine(card) {
    return card.addresseeUnit?.name || "";
  },

  facts(c) {
    const served = c.servedOn
      ? `${formatDate(c.servedOn)}${c.serviceMethod ? ` · ${label(SERVICE_METHOD, c.serviceMethod)}` : ""}`
      : null;
    return [
      ["类型", c.typeLabel],
      ["送达", served],
    ];
  },

  sections(c) {
    const replies = (c.replies || []).map((reply, index) =>
      entry(
        `第 ${index + 1} 次回复`,
        byAt(reply.submittedBy, reply.submittedAt, label(COMPLETENESS, reply.completeness)),
        paragraph(reply.content),
        paragraph(reply.measures, "整改措施"),
        review(
          reply.decision
            ? `审查：${label(REPLY_DECISION, reply.decision)}${reply.reviewComment ? `。${reply.reviewComment}` : ""}（${byAt(reply.reviewedBy, reply.reviewedAt)}）`
            : "",
          "待审查",
        ),
      ),
    );
    const objections = (c.objections || []).map((objection) =>
      entry(
        "异议",
        byAt(objection.raisedBy, objection.raisedAt),
        paragraph(objection.grounds),
        review(
          objection.decision
            ? `决定：${label(OBJECTION_DECISION, objection.decision)}${objection.reasons ? `。${objection.reasons}` : ""}（${byAt(objection.decidedBy, objection.decidedAt)}）`
            : "",
          "待复核",
        ),
      ),
    );
    const escalations = (c.escalations || []).map((e) =>
      entry(e.targetLabel, byAt(e.decidedBy, null, e.decidedOn ? `${formatDate(e.decidedOn)}决定` : null), paragraph(e.note)),
    );
    return [
      section("存在的问题", paragraph(c.issues)),
      section("检察建议内容", paragraph(c.suggestions)),
      section("法律依据", paragraph(c.legalBasis)),
      section("整改回复", replies),
      section("异议", objections),
      section("报告与通报", escalations),
    ];
  },

  linkLabel(linked) {
    if (linked.kind === "PIL_CASE") return "所属公益诉讼案件";
    return linked.kind === "DISPUTE" ? "来源行政争议案件" : null;
  },

  draftValues(c) {
    return { docNo: c.caseNo, addresseeUnit: partyUnit(c, "ADDRESSEE")?.id };
  },
};
