// The GraphQL documents of the paged, filtered board: the board with its columns' first pages
// and totals, a column's next page (加载更多), the totals again after live events, and the
// saved views. `card` is the card selection of js/api.js (it carries each card's swimlanes).

export const BOARD_PAGE = 30; // the cards a column shows before 加载更多

const FILTER_FORM = `filterForm {
  captions { unit allUnits columns allColumns handler allHandlers mine overdue dueWithin noDueLimit sort search }
  units { id label } handlers { id label } sorts { id label } laneBys { id label }
  dueWithinOptions { days label } searchMaxLength
}`;

const PAGE = "totalCount hasMore endCursor";

/** The documents that depend on the card selection. */
export function boardDocuments(card) {
  return {
    // `kindColumns`: every column of the kind, for the column picker while some are chosen
    // (the board then has only those).
    board: `query Board($kind: CaseKind!, $filter: BoardFilter, $sort: BoardSort!, $first: Int!,
        $someColumns: Boolean!) {
      board(kind: $kind, filter: $filter, sort: $sort, first: $first) {
        kind kindLabel cursor totalCount overdueCount dueSoonCount
        columns { id label collapsed overdue ${PAGE} cards { ${card} } }
        lanes { id label }
        groupings { id label byLanes }
        bulkActions { action label commentLabel commentRequired }
        ${FILTER_FORM}
      }
      kindColumns: board(kind: $kind, first: 0) @include(if: $someColumns) { columns { id label } }
    }`,
    boardColumn: `query BoardColumn($kind: CaseKind!, $column: String!, $filter: BoardFilter,
        $sort: BoardSort!, $first: Int!, $after: String) {
      boardColumn(kind: $kind, column: $column, filter: $filter, sort: $sort, first: $first,
          after: $after) {
        column ${PAGE} cards { ${card} }
      }
    }`,
    /** The totals and, for each column in `windows` ({column, first}), its first cards. */
    resync(windows) {
      const parts = windows.map(
        (w, i) => `c${i}: boardColumn(kind: $kind, column: ${JSON.stringify(w.column)}, filter: $filter,
            sort: $sort, first: ${Number(w.first)}) { column ${PAGE} cards { ${card} } }`,
      );
      return `query BoardResync($kind: CaseKind!, $filter: BoardFilter, $sort: BoardSort!) {
        totals: board(kind: $kind, filter: $filter, sort: $sort, first: 0) {
          totalCount overdueCount dueSoonCount columns { id totalCount }
        }
        ${parts.join("\n")}
      }`;
    },
  };
}

const VIEW = "id name builtIn sort laneBy filter { unitId columns handlerId mine overdue dueWithinDays search }";

export const BOARD_VIEWS = `query BoardViews($kind: CaseKind!) { boardViews(kind: $kind) { ${VIEW} } }`;

export const SAVE_BOARD_VIEW = `mutation SaveBoardView($input: SaveBoardViewInput!) {
  result: saveBoardView(input: $input) {
    __typename
    ... on SaveBoardViewSuccess { view { ${VIEW} } }
    ... on Error { code message field }
  }
}`;

export const DELETE_BOARD_VIEW = `mutation DeleteBoardView($id: ID!) {
  result: deleteBoardView(id: $id) {
    __typename
    ... on Error { code message field }
  }
}`;
