"""Database ids read from outside the hub: ASCII digits within the column's range, or none.

A global ID, a cursor or a token key is text a stranger chose. ``str.isdigit`` lets through
superscripts that ``int`` refuses, and a number past the column's range reaches PostgreSQL
as a driver error; here both are simply an id that does not exist.
"""

from __future__ import annotations

ROW_ID_MAX = 2**31 - 1  # an integer primary key on PostgreSQL
SEQ_MAX = 2**63 - 1  # a bigint column (the event sequence)


def database_id(text: str, *, top: int = ROW_ID_MAX) -> int | None:
    """The id ``text`` names, or None when it names no row that could exist."""
    if not text or len(text) > len(str(top)) or not (text.isascii() and text.isdigit()):
        return None
    value = int(text)
    return value if 0 < value <= top else None


def sequence_number(text: str) -> int | None:
    """A position in the event sequence (0 is before the first event), or None."""
    if text == "0":
        return 0
    return database_id(text, top=SEQ_MAX)
