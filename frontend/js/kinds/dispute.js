// 行政争议实质性化解: the card names the respondent agency and the stage; the detail shows
// the applicants and their demand, the investigations, hearings, the agency's materials,
// judicial aid (internal), the resolution plans and the performance follow-up.

import { byAt, entry, facts, formatDate, paragraph, review, section } from "../sections.js";
import { joinLine } from "../ui.js";

const money = (value) => (value === null || value === undefined ? null : `${value} 元`);
const day = (value) => (value ? formatDate(value) : null);

export default {
  cardFields: "... on Dispute { agencyUnit { name } stageLabel }",
  detailFields: `... on Dispute {
    stageLabel actTypeLabel thirdParties coreDemand amount petitionRiskLabel reconsiderationNo
    rejectionReason outcomeLabel resolvedOn resolutionSummary notResolvedReason
    agencyUnit { id name }
    applicants { name kind kindLabel contact }
    investigations { investigatedOn methodLabel finding recordedBy }
    hearings { hearingOn hearingOfficers public venue heldOn result recordedBy }
    plans { content parties agreedOn agreedBy recordedBy confirmedBy confirmedAt }
    judicialAids { amount approvedAmount reason appliedOn statusLabel decidedOn decidedBy decisionNote paidOn }
    followUps { checkedOn finding performed recordedBy }
    materials { content submittedBy submittedAt }
  }`,

  cardLine(card) {
    return joinLine(card.agencyUnit?.name, card.stageLabel);
  },

  facts(c) {
    return [
      ["争议阶段", c.stageLabel],
      ["行为类型", c.actTypeLabel],
      ["涉案金额", money(c.amount)],
      ["信访风险", c.petitionRiskLabel],
      ["关联复议案号", c.reconsiderationNo],
      ["化解方式", c.outcomeLabel],
      ["化解日期", day(c.resolvedOn)],
    ];
  },

  sections(c) {
    const applicants = (c.applicants || []).map((a) =>
      entry(a.name, [a.kindLabel, a.contact].filter(Boolean).join(" · ")),
    );
    const investigations = (c.investigations || []).map((i) =>
      entry(i.methodLabel, [day(i.investigatedOn), i.recordedBy].filter(Boolean).join(" · "), paragraph(i.finding)),
    );
    const materials = (c.materials || []).map((m) =>
      entry("行政机关材料", byAt(m.submittedBy, m.submittedAt), paragraph(m.content)),
    );
    const hearings = (c.hearings || []).map((h, index) =>
      entry(
        `第 ${index + 1} 次听证`,
        [day(h.hearingOn), h.public ? "公开听证" : "不公开听证", h.venue].filter(Boolean).join(" · "),
        paragraph(h.hearingOfficers, "听证员"),
        review(h.heldOn ? `听证结果（${formatDate(h.heldOn)}举行）：${h.result}` : "", "待举行"),
      ),
    );
    const plans = (c.plans || []).map((p, index) =>
      entry(
        `化解方案 ${index + 1}`,
        [p.agreedOn ? `${formatDate(p.agreedOn)}商定` : null, p.recordedBy].filter(Boolean).join(" · "),
        paragraph(p.content),
        paragraph(p.parties, "参与各方"),
        paragraph(p.agreedBy, "同意方案的各方"),
        review(p.confirmedAt ? `行政机关已确认（${byAt(p.confirmedBy, p.confirmedAt)}）` : "", "待行政机关确认"),
      ),
    );
    const aids = (c.judicialAids || []).map((a) =>
      entry(
        `司法救助 · ${a.statusLabel}`,
        day(a.appliedOn) ? `${day(a.appliedOn)}申请` : "",
        facts([
          ["申请金额", money(a.amount)],
          ["核定金额", money(a.approvedAmount)],
          ["决定", a.decidedOn ? `${formatDate(a.decidedOn)} · ${a.decidedBy}` : null],
          ["发放日期", day(a.paidOn)],
        ]),
        paragraph(a.reason, "救助理由"),
        paragraph(a.decisionNote, "决定意见"),
      ),
    );
    const followUps = (c.followUps || []).map((f) =>
      entry(f.performed ? "已履行" : "未履行", [day(f.checkedOn), f.recordedBy].filter(Boolean).join(" · "), paragraph(f.finding)),
    );
    return [
      section("申请人", applicants, paragraph(c.thirdParties, "第三人")),
      section("核心诉求", paragraph(c.coreDemand)),
      section("不予受理理由", paragraph(c.rejectionReason)),
      section("调查核实", investigations),
      section("行政机关材料", materials),
      section("听证", hearings),
      section("司法救助", aids),
      section("化解方案", plans),
      section("化解情况", paragraph(c.resolutionSummary), paragraph(c.notResolvedReason, "未化解原因")),
      section("履行回访", followUps),
    ];
  },

  linkLabel(linked) {
    return linked.kind === "RECOMMENDATION" ? "化解中制发的检察建议" : null;
  },

  draftValues(c) {
    return { agencyUnitId: c.agencyUnit?.id };
  },
};
