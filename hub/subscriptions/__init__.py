"""The board event stream: replay after a cursor, then live events, in order, once each."""
