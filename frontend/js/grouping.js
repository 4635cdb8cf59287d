// The board's grouping switch (按类别分组 / 不分组). The options are the server's
// (`board.groupings`: id, label and whether it groups by the kind's lanes; the default
// first); a kind without them cannot switch and the switch is hidden. The caller keeps the
// chosen option's id in the URL.

import { el } from "./ui.js";

export function createGrouping(root, { onChange }) {
  let options = [];

  const find = (id) => options.find((o) => o.id === id) || options[0] || null;

  /** Show a kind's options with the one of id `current` chosen (the default when it names
   * none of them); returns the chosen option, null when the kind has no switch. */
  function show(list, current) {
    options = list && list.length > 1 ? list : [];
    root.hidden = options.length === 0;
    root.replaceChildren(root.querySelector("legend") || el("legend.visually-hidden"));
    const chosen = find(current);
    for (const option of options) {
      const input = el("input", { type: "radio", name: "board-grouping", value: option.id });
      input.checked = option === chosen;
      input.addEventListener("change", () => {
        if (input.checked) onChange(option);
      });
      root.append(el("label.grouping-option", {}, input, option.label));
    }
    return chosen;
  }

  /** Reflect a choice the URL made; returns the chosen option (null: no switch). */
  function select(current) {
    const chosen = find(current);
    for (const input of root.querySelectorAll("input")) input.checked = input.value === chosen?.id;
    return chosen;
  }

  return {
    show,
    select,
    /** The id to keep in the URL: null for the default. */
    urlId: (option) => (option && option !== options[0] ? option.id : null),
    clear() {
      options = [];
      root.hidden = true;
    },
  };
}
