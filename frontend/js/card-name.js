// A card's accessible name: what a screen reader says when the card gets the focus. It names
// the case (document number and title), its unit line, where it stands and its deadline, in
// words ("已逾期 5日", "剩余 3日"), so the colour of the chip is never the only signal.

import { formatDate, primaryClock } from "./ui.js";

/** The deadline of a card in words, or "" when it has no clock. */
export function deadlineState(clock) {
  if (!clock) return "";
  if (clock.status === "SUSPENDED") return `${clock.label}已中止`;
  const days = clock.daysLeft;
  let text;
  if (clock.level === "NONE" || days === null || days === undefined) {
    text = clock.dueOn ? `期限 ${formatDate(clock.dueOn)}` : "";
  } else if (days < 0) text = `已逾期 ${-days}日`;
  else if (days === 0) text = "今日到期";
  else text = `剩余 ${days}日`;
  return text && clock.provisional ? `${text}（暂定）` : text;
}

/**
 * "宿检行建〔2026〕3号 某某标题，市生态环境局，逾期未回复，已逾期 5日".
 *
 * Where it stands is the card's state, except in a column the server marks `overdue`: a card
 * there is named by that column ("逾期未回复"), not by the state it is overdue in ("整改中"),
 * which would tell a listener the opposite of what the board shows.
 *
 * @param {object} rec the case as the board read it
 * @param {object} where
 * @param {string} [where.line] the kind's extra line on the card
 * @param {string} where.columnLabel the label of the column the card is in
 * @param {boolean} where.overdueColumn whether that column is the overdue one
 */
export function cardName(rec, { line, columnLabel, overdueColumn }) {
  const state = overdueColumn ? columnLabel : rec.stateLabel;
  return [`${rec.caseNo} ${rec.title}`, line, state, deadlineState(primaryClock(rec.clocks))]
    .filter(Boolean)
    .join("，");
}
