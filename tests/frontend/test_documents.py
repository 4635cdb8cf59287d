"""Every GraphQL document the board sends, read from its own modules in the browser, is valid
against the schema built from the code and within the server's token limit: a kind module
naming a field its type does not have fails here, not on someone's board."""

from __future__ import annotations

import pytest
from graphql import parse, validate

from hub.kinds.registry import SPECS
from hub.schema import build_schema
from hub.settings import get_settings
from tests.frontend.conftest import Browsers

pytestmark = [pytest.mark.browser, pytest.mark.parametrize("db", ["sqlite"], indirect=True)]

READ_DOCUMENTS = """async (kinds) => {
  const api = await import("/js/api.js");
  const boardApi = await import("/js/board-api.js");
  const docs = api.documents(kinds);
  const form = `query Form { kinds { createForm { ${api.FORM} } } }`;
  return {
    board: docs.board, cardById: docs.cardById, detail: docs.detail,
    boardEvents: docs.boardEvents, caseKind: api.CASE_KIND, actionForms: api.ACTION_FORMS,
    kinds: api.KINDS, units: api.UNITS, viewer: api.VIEWER, login: api.LOGIN,
    outbox: api.OUTBOX, outboxCount: api.OUTBOX_COUNT, form,
    card: `query Card { board { cards { ${docs.card} } } }`,
    boardColumn: docs.boardColumn, boardResync: docs.resync([{ column: "SERVED", first: 30 }]),
    boardViews: boardApi.BOARD_VIEWS, saveBoardView: boardApi.SAVE_BOARD_VIEW,
    deleteBoardView: boardApi.DELETE_BOARD_VIEW,
  };
}"""


async def test_every_document_is_valid_and_small_enough(browsers: Browsers) -> None:
    board = await browsers.open("prosecutor")
    kinds = [spec.kind.name for spec in SPECS]
    documents = await board.page.evaluate(READ_DOCUMENTS, kinds)
    schema = build_schema()._schema
    limit = get_settings().max_query_tokens
    assert len(documents) == 19
    for name, text in documents.items():
        document = parse(text, max_tokens=limit)  # raises past the server's limit
        errors = validate(schema, document)
        assert not errors, f"{name}: {[e.message for e in errors]}"


async def test_a_step_mutation_is_valid_for_each_result_union(browsers: Browsers) -> None:
    """The mutation document a form runs, for a legacy and a generic mutation (their success
    members differ), as the board builds it from the schema's own union members."""
    board = await browsers.open("prosecutor")
    schema = build_schema()._schema
    for mutation, input_type in (
        ("serveRecommendation", "ServeRecommendationInput"),
        ("takeStep", "TakeStepInput"),
        ("createPilCase", "CreatePilCaseInput"),
        ("createDispute", "CreateDisputeInput"),
    ):
        text = await board.page.evaluate(
            """async ([mutation, inputType, kinds]) => {
              const api = await import("/js/api.js");
              let sent = null;
              const original = window.fetch;
              window.fetch = async (url, init) => {
                const body = JSON.parse(init.body);
                if (body.query.startsWith("mutation Run")) {
                  sent = body.query;
                  return new Response(JSON.stringify({ data: { result: { __typename: "X" } } }));
                }
                return original(url, init);
              };
              try {
                await api.runForm({ mutation, inputType, fields: [], fixed: [] }, {},
                                  api.documents(kinds).card);
              } finally {
                window.fetch = original;
              }
              return sent;
            }""",
            [mutation, input_type, [spec.kind.name for spec in SPECS]],
        )
        errors = validate(schema, parse(text))
        assert not errors, f"{mutation}: {[e.message for e in errors]}"
