// 行政复议陪议旁听: the card names the prosecutor the chief assigned (the case's handling
// prosecutor party, with the server's wording of the role); the detail's facts come from the
// server's sections.

export default {
  cardFields: "... on Reconsideration { parties { role roleLabel userName } }",

  cardLine(card) {
    const prosecutor = (card.parties || []).find((p) => p.role === "HANDLING_PROSECUTOR");
    return prosecutor && prosecutor.userName ? `${prosecutor.roleLabel}：${prosecutor.userName}` : "";
  },
};
