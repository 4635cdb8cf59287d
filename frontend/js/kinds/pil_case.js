// 行政公益诉讼: the card names the agency concerned and the domain; the detail shows the clue
// and the harm, the filing, the consultation records (磋商) with the agency's confirmation,
// the follow-up investigations, the outcome, and (among the linked cases) the pre-suit
// recommendation.

import { byAt, entry, formatDate, paragraph, review, section } from "../sections.js";
import { joinLine } from "../ui.js";

const day = (value) => (value ? formatDate(value) : null);

export default {
  cardFields: "... on PilCase { agencyUnit { name } domain { name } }",
  detailFields: `... on PilCase {
    clueSourceLabel clueReceivedOn department urgent harmDescription dutyBasis assessment
    filedOn filingDecisionNo filingServedOn awaitingConfirmation
    domain { code name } agencyUnit { id name }
    consultations { formLabel heldOn participants agreedMeasures minutes recordedBy
      confirmedBy confirmedAt confirmationNote awaitingConfirmation }
    followUps { methodLabel investigatedOn finding recordedBy }
    outcomeLabel terminationReasonLabel outcomeNote decidedOn
    court suitFiledOn indictmentNo litigationResultLabel
  }`,

  cardLine(card) {
    return joinLine(card.agencyUnit?.name, card.domain?.name);
  },

  facts(c) {
    return [
      ["领域", c.domain?.name],
      ["线索来源", c.clueSourceLabel],
      ["线索受理", day(c.clueReceivedOn)],
      ["承办部门", c.department],
      ["紧急情形", c.urgent ? "是（检察建议回复期限可为 15 日）" : null],
      ["立案", c.filedOn ? joinLine(formatDate(c.filedOn), c.filingDecisionNo) : null],
      ["立案决定书送达", day(c.filingServedOn)],
      ["结案方式", joinLine(c.outcomeLabel, c.terminationReasonLabel, c.litigationResultLabel)],
      ["决定日期", day(c.decidedOn)],
    ];
  },

  sections(c) {
    const consultations = (c.consultations || []).map((record, index) =>
      entry(
        `第 ${index + 1} 次磋商`,
        joinLine(day(record.heldOn), record.formLabel, record.recordedBy),
        paragraph(record.participants, "参加人员"),
        paragraph(record.agreedMeasures, "行政机关认可的整改措施"),
        paragraph(record.minutes, "磋商纪要"),
        review(
          record.confirmedAt
            ? `行政机关已确认（${byAt(record.confirmedBy, record.confirmedAt)}）${record.confirmationNote ? `：${record.confirmationNote}` : ""}`
            : "",
          "待行政机关确认",
        ),
      ),
    );
    const followUps = (c.followUps || []).map((f) =>
      entry(f.methodLabel, joinLine(day(f.investigatedOn), f.recordedBy), paragraph(f.finding)),
    );
    const litigation = c.court
      ? paragraph(joinLine(c.court, c.indictmentNo, c.suitFiledOn ? `${formatDate(c.suitFiledOn)}起诉` : null), "诉讼")
      : null;
    return [
      section("公益受损情况", paragraph(c.harmDescription)),
      section("行政机关的法定职责及法律依据", paragraph(c.dutyBasis)),
      section("线索评估意见", paragraph(c.assessment)),
      section("诉前磋商", consultations),
      section("跟进调查", followUps),
      section("结案", litigation, paragraph(c.outcomeNote)),
    ];
  },

  /** CaseParty.roleLabel is the same for every kind ("被建议单位"); a PIL case's addressee is
   * the agency it supervises. (Goes when the server labels parties per kind.) */
  partyLabel(party) {
    return party.role === "ADDRESSEE" ? "被监督行政机关" : null;
  },

  /** The pre-suit recommendation among the linked cases. */
  linkLabel(linked) {
    return linked.kind === "RECOMMENDATION" ? "诉前检察建议" : null;
  },

  draftValues(c) {
    return { agencyUnitId: c.agencyUnit?.id, domainCode: c.domain?.code };
  },
};
