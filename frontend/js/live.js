// The live board: boardEvents over graphql-ws, resumed from the last cursor after a drop.
//
// graphql-ws retries a subscription with the payload it was first given, which would replay
// from the board's original cursor after every reconnect. So the board does not let it: the
// subscription is dropped when the socket closes and started afresh on every `connected`
// event with `after` = the cursor of the last event this page applied. Each subscription has
// a generation number; a late message from an older one is ignored, and events at or before
// the last applied sequence number are dropped, so a replay can never apply twice.

/* global graphqlWs */

const PONG_TIMEOUT_MS = 10_000;
const KEEP_ALIVE_MS = 20_000;

/**
 * @param {object} options
 * @param {string} options.query  the boardEvents subscription document
 * @param {object} [options.variables] its other variables (the kinds shown)
 * @param {string} options.cursor the board's cursor: the stream resumes after it
 * @param {(boardEvent: object) => void} options.onEvent called once per new event, in order
 * @param {(state: "connecting"|"connected"|"disconnected") => void} options.onStatus
 * @param {(closeEvent: object) => void} [options.onRejected] the server refused us or our
 *   session ended (4403, 4401)
 * @param {(message: string) => void} [options.onError] a subscription error to show
 */
export function startLive(options) {
  const { query, onEvent, onStatus, onRejected, onError } = options;
  const variables = options.variables || {};
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/graphql`;
  let cursor = options.cursor;
  let lastSeq = Number.isFinite(Number(cursor)) ? Number(cursor) : -1;
  let unsubscribe = null;
  let generation = 0;
  let connected = false;
  let everConnected = false;
  let disposed = false;
  let pongTimer = null;
  let hold = null; // tests: keep the socket down until released
  let errorRetry = null;
  let failures = 0; // subscription errors in a row, for the back-off
  let client = null;
  const debug = { subscribeCursors: [], appliedSeqs: [], statuses: [] };

  function status(state) {
    debug.statuses.push(state);
    onStatus(state);
  }

  function stopSubscription() {
    generation += 1;
    clearTimeout(errorRetry);
    if (unsubscribe) {
      const stop = unsubscribe;
      unsubscribe = null;
      stop();
    }
  }

  function subscribe() {
    stopSubscription();
    if (!connected || disposed) return;
    const mine = generation;
    debug.subscribeCursors.push(cursor);
    unsubscribe = client.subscribe(
      { query, variables: { ...variables, after: cursor } },
      {
        next(message) {
          if (mine !== generation) return;
          if (message.errors && message.errors.length) {
            onError?.(message.errors[0].message);
            return;
          }
          const boardEvent = message.data && message.data.boardEvents;
          if (!boardEvent) return;
          const seq = boardEvent.event.seq;
          if (seq <= lastSeq) return; // already applied (a replay overlapping the board)
          lastSeq = seq;
          cursor = boardEvent.cursor;
          failures = 0;
          debug.appliedSeqs.push(seq);
          onEvent(boardEvent);
        },
        error(error) {
          if (mine !== generation) return;
          const message = Array.isArray(error) ? error[0]?.message : error?.message;
          // A close event also lands here on a drop; `closed` handles that case.
          if (message) onError?.(message);
          resubscribeLater();
        },
        complete() {
          // The server ended the stream (it never does on its own): pick it up again.
          if (mine === generation) resubscribeLater();
        },
      },
    );
  }

  function resubscribeLater() {
    if (!connected || disposed) return;
    clearTimeout(errorRetry);
    const delay = Math.min(2000 * 2 ** failures, 60_000);
    failures += 1;
    errorRetry = setTimeout(subscribe, delay);
  }

  async function retryWait(retries) {
    const base = Math.min(500 * 2 ** retries, 10_000);
    await new Promise((resolve) => setTimeout(resolve, base + Math.random() * 300));
    if (hold) await hold.promise;
  }

  function createClient() {
    client = graphqlWs.createClient({
      url,
      lazy: false,
      keepAlive: KEEP_ALIVE_MS,
      retryAttempts: Infinity,
      shouldRetry: () => true,
      retryWait,
      onNonLazyError() {
        // A close code graphql-ws treats as fatal: start a new client a little later.
        if (disposed) return;
        connected = false;
        status("disconnected");
        setTimeout(() => {
          if (!disposed) createClient();
        }, 3000);
      },
      on: {
        connecting() {
          if (!everConnected) status("connecting");
        },
        connected() {
          connected = true;
          everConnected = true;
          status("connected");
          subscribe();
        },
        closed(event) {
          clearTimeout(pongTimer);
          const wasConnected = connected;
          connected = false;
          stopSubscription();
          if (disposed) return;
          if (wasConnected || everConnected) status("disconnected");
          // 4403: refused or deactivated; 4401: the session ended (logout, expiry).
          if (event && (event.code === 4403 || event.code === 4401)) onRejected?.(event);
        },
        ping(received) {
          if (received) return;
          clearTimeout(pongTimer);
          pongTimer = setTimeout(() => client.terminate(), PONG_TIMEOUT_MS);
        },
        pong(received) {
          if (received) clearTimeout(pongTimer);
        },
      },
    });
  }

  createClient();

  return {
    get cursor() {
      return cursor;
    },
    debug,
    /** Drop the socket as a network failure would; `hold` keeps it down until release(). */
    drop({ hold: keepDown = false } = {}) {
      if (keepDown && !hold) {
        let release;
        const promise = new Promise((resolve) => (release = resolve));
        hold = { promise, release };
      }
      client.terminate();
    },
    release() {
      if (hold) {
        hold.release();
        hold = null;
      }
    },
    dispose() {
      disposed = true;
      clearTimeout(pongTimer);
      stopSubscription();
      this.release();
      client.dispose();
    },
  };
}
