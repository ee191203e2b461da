/**
 * Live updates: the `eventAppended` subscription over Server-Sent Events (graphql-yoga answers a
 * GET with `accept: text/event-stream`), read with the browser's own EventSource. On a drop it
 * reconnects from the last position it saw, so nothing is missed and nothing arrives twice.
 */
import { EVENT_APPENDED, type LogEvent } from './queries.ts';

export type LiveStatus = 'connecting' | 'live' | 'offline';

export interface LiveHandlers {
  onEvent: (event: LogEvent) => void;
  onStatus: (status: LiveStatus) => void;
}

/** Follow the log after `after` (a position; "0" for an empty log; null: from now). Returns a stop function. */
export const followLog = (after: string | null, { onEvent, onStatus }: LiveHandlers): (() => void) => {
  let last: string | null = after;
  let source: EventSource | null = null;
  let retryMs = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const reconnect = () => {
    source?.close();
    if (stopped) return;
    onStatus('offline');
    timer = setTimeout(open, retryMs);
    retryMs = Math.min(retryMs * 2, 30_000);
  };

  const open = () => {
    onStatus('connecting');
    const params = new URLSearchParams({ query: EVENT_APPENDED, variables: JSON.stringify({ after: last }) });
    source = new EventSource(`/graphql?${params}`);
    source.onopen = () => {
      retryMs = 1000;
      onStatus('live');
    };
    source.addEventListener('next', (message) => {
      const payload = JSON.parse((message as MessageEvent<string>).data) as { data?: { eventAppended?: LogEvent }; errors?: unknown[] };
      const event = payload.data?.eventAppended;
      if (!event) {
        // e.g. the position we resume from is gone (a reset database): start again at the head.
        if (payload.errors) last = null;
        return;
      }
      if (last !== null && BigInt(event.position) <= BigInt(last)) return;
      last = event.position;
      onEvent(event);
    });
    source.addEventListener('complete', reconnect);
    source.onerror = reconnect;
  };

  open();
  return () => {
    stopped = true;
    clearTimeout(timer);
    source?.close();
  };
};
