/** eventAppended over Server-Sent Events, consumed with the graphql-sse client: replay, then live, in order. */
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../support/app.ts';
import { ok } from '../support/mutations.ts';

let api: TestApp;
beforeAll(async () => {
  api = await createTestApp(); // the seed: 29 events to replay
});
afterAll(async () => api.close());

interface Received {
  position: string;
  type: string;
  stream: string;
}

describe('eventAppended', () => {
  it('replays from a position, then goes live, with no gap and no duplicate across the switch', async () => {
    const client = createClient({ url: 'http://orgtime.test/graphql', fetchFn: api.app.yoga.fetch as typeof fetch, retryAttempts: 0 });
    const received: Received[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    let failure: unknown;
    const dispose = client.subscribe<{ eventAppended: Received }>(
      { query: 'subscription($after: String) { eventAppended(after: $after) { position type stream } }', variables: { after: '10' } },
      {
        next: ({ data }) => {
          received.push(data!.eventAppended);
          if (received.length === 19 + 3) done();
        },
        error: (error) => {
          failure = error;
          done();
        },
        complete: () => done(),
      },
    );

    // While the replay is in flight, write three more events.
    await ok(api, 'registerPerson', { handle: 'live-one', name: 'Live One' });
    await ok(api, 'registerPerson', { handle: 'live-two', name: 'Live Two' });
    await ok(api, 'createOrgUnit', { handle: 'live-unit', name: 'Live Unit', kind: 'team' });
    await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, 10_000))]);
    dispose();
    client.dispose();

    expect(failure).toBeUndefined();
    expect(received.map((e) => Number(e.position))).toEqual(Array.from({ length: 22 }, (_, i) => 11 + i));
    expect(received.slice(-3).map((e) => e.stream)).toEqual(['person-live-one', 'person-live-two', 'unit-live-unit']);
  });

  it('starts at the head of the log when no position is given, and refuses a position not in the log', async () => {
    const client = createClient({ url: 'http://orgtime.test/graphql', fetchFn: api.app.yoga.fetch as typeof fetch, retryAttempts: 0 });
    const received: Received[] = [];
    const first = new Promise<void>((resolve, reject) => {
      client.subscribe<{ eventAppended: Received }>(
        { query: 'subscription { eventAppended { position type stream } }' },
        { next: ({ data }) => (received.push(data!.eventAppended), resolve()), error: reject, complete: () => {} },
      );
    });
    await new Promise((resolve) => setTimeout(resolve, 300)); // let the subscription settle at the head
    await ok(api, 'registerPerson', { handle: 'after-head', name: 'After Head' });
    await first;
    expect(received[0]!.stream).toBe('person-after-head');

    const refused = await new Promise<unknown>((resolve) => {
      client.subscribe({ query: 'subscription { eventAppended(after: "999999") { position } }' }, { next: resolve, error: resolve, complete: () => resolve(null) });
    });
    expect(JSON.stringify(refused)).toMatch(/not the position of an event/);
    client.dispose();
  });
});

describe('the event stream', () => {
  it('is never compressed, even for a client that accepts gzip (a gzip buffer would hold events back)', async () => {
    const controller = new AbortController();
    const response = await api.app.yoga.fetch('http://orgtime.test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'accept-encoding': 'gzip, deflate, br' },
      body: JSON.stringify({ query: 'subscription { eventAppended(after: "0") { position } }' }),
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    expect(response.headers.get('content-encoding') ?? 'identity').toMatch(/identity|none/);
    const reader = response.body!.getReader();
    let text = '';
    for (let i = 0; i < 20 && !/data:/.test(text); i++) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/event: next\s+data: \{"data":\{"eventAppended":\{"position":"1"\}\}\}/);
    controller.abort();
    await reader.cancel().catch(() => {});
  });

  it('while ordinary responses are compressed for clients that accept it', async () => {
    const response = await api.app.yoga.fetch('http://orgtime.test/graphql', { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(response.headers.get('content-encoding')).toBe('gzip');
  });
});
