// How the board writes a date or a time, in one place. Running text (the detail panel, the
// deadline explanations, dialogs, notifications) says 2026年12月2日 and 2026年12月2日 14:05;
// dense cells (cards, tables, outbox rows) say 2026-12-02 and 2026-12-02 14:05. Always in
// Beijing time (Asia/Shanghai), whatever the browser's own zone: the server words its
// sentences the same way (hub/domain/dates.py).

const TZ = "Asia/Shanghai";
const isoDay = new Intl.DateTimeFormat("en-CA", { timeZone: TZ }); // YYYY-MM-DD
const clockTime = new Intl.DateTimeFormat("en-GB", {
  timeZone: TZ,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23", // 00:30, never 24:30
});
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A date ("2026-12-02") or an instant → its Beijing calendar day as [y, m, d]; null if unreadable. */
function dayOf(value) {
  if (value === null || value === undefined || value === "") return null;
  const plain = DATE_ONLY.exec(String(value));
  if (plain) return [plain[1], plain[2], plain[3]];
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return null;
  return isoDay.format(date).split("-");
}

function timeOf(value) {
  if (DATE_ONLY.test(String(value))) return null; // a day has no time of day
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? null : clockTime.format(date);
}

/** 2026-12-02 → 2026年12月2日 (running text). */
export function textDate(value) {
  const day = dayOf(value);
  if (!day) return value ? String(value) : "";
  const [y, m, d] = day;
  return `${Number(y)}年${Number(m)}月${Number(d)}日`;
}

/** An instant → 2026年12月2日 14:05 (running text). */
export function textDateTime(value) {
  const time = value ? timeOf(value) : null;
  return time ? `${textDate(value)} ${time}` : textDate(value);
}

/** 2026-12-02 (a dense cell). */
export function cellDate(value) {
  const day = dayOf(value);
  return day ? day.join("-") : value ? String(value) : "";
}

/** An instant → 2026-12-02 14:05 (a dense cell). */
export function cellDateTime(value) {
  const time = value ? timeOf(value) : null;
  return time ? `${cellDate(value)} ${time}` : cellDate(value);
}

/** A period's length in days as the board says it: 3日 (never 天). */
export function days(count) {
  return `${count}日`;
}
