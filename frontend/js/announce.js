// Changes other people make to the cards on screen, told to screen readers (WCAG 4.1.3)
// through one polite live region. Changes are gathered and said together at most once every
// WINDOW_MS ("2 张卡片已更新"), so a busy board does not talk over the user.
//
// A live event counts when it raises a card past the version this browser's own steps
// produced (those the user sees happen; the event for them may arrive before or after the
// step's answer, so the check waits for the window's end) and the card was on screen before
// the event or is on screen after it.

const WINDOW_MS = 2000;

/**
 * @param {HTMLElement} region an element with aria-live="polite", present since page load
 * @param {object} options
 * @param {(id: string) => boolean} options.isShown whether a card is on screen now
 * @param {(id: string) => string | null} options.caseNo the card's document number, if known
 */
export function createAnnouncer(region, { isShown, caseNo }) {
  const heard = new Map(); // id → {version, shown}: live events since the last announcement
  const own = new Map(); // id → the highest version this browser's own steps produced
  let timer = null;

  function say(text) {
    // Emptied first, so the same sentence twice is read twice.
    region.textContent = "";
    requestAnimationFrame(() => {
      region.textContent = text;
    });
  }

  function flush() {
    timer = null;
    const changed = [...heard]
      .filter(([id, seen]) => seen.version > (own.get(id) ?? -1) && (seen.shown || isShown(id)))
      .map(([id]) => id);
    heard.clear();
    if (!changed.length) return;
    const single = changed.length === 1 ? caseNo(changed[0]) : null;
    say(single ? `1 张卡片已更新：${single}` : `${changed.length} 张卡片已更新`);
  }

  return {
    /** A live event about `rec`, before the board applies it. */
    heard(rec) {
      const before = heard.get(rec.id);
      heard.set(rec.id, {
        version: Math.max(rec.version, before?.version ?? -1),
        shown: Boolean(before?.shown) || isShown(rec.id),
      });
      if (!timer) timer = setTimeout(flush, WINDOW_MS);
    },
    /** A case as this browser's own step (or new case, or draft edit) left it. */
    own(rec) {
      own.set(rec.id, Math.max(rec.version, own.get(rec.id) ?? -1));
    },
    /** Another board, or signed out: nothing pending is said. */
    reset() {
      clearTimeout(timer);
      timer = null;
      heard.clear();
      own.clear();
      region.textContent = "";
    },
  };
}
