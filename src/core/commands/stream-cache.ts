/**
 * The events of recently used streams, as this process last saw them committed, so that a
 * command can be decided without reading its streams first: one statement instead of two.
 *
 * Never trusted on its own. A decision made on cached streams is appended on condition that
 * every one of them is still at the cached version (a stream never seen counts as empty,
 * version 0); if another writer — another process, an import — moved one, the append is
 * refused, the stream is forgotten, and the command is decided again from the database.
 */
import type { StoredEvent } from '../event-store/rows.ts';

export class StreamCache {
  /** Map order is recency: the first entry is the least recently used. */
  private readonly streams = new Map<string, StoredEvent[]>();

  constructor(private readonly capacity = 20_000) {}

  /** The cached events of the streams, in log order (none for a stream not cached). */
  eventsOf(streams: readonly string[]): StoredEvent[] {
    const events: StoredEvent[] = [];
    for (const stream of streams) {
      const cached = this.streams.get(stream);
      if (cached) this.touch(stream, cached);
      events.push(...(cached ?? []));
    }
    return events.sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
  }

  /** Streams as just read from the database (complete, in order). */
  remember(streams: readonly string[], events: readonly StoredEvent[]): void {
    const byStream = new Map<string, StoredEvent[]>(streams.map((s) => [s, []]));
    for (const event of events) byStream.get(event.stream)?.push(event);
    for (const [stream, list] of byStream) this.touch(stream, list);
  }

  /** Events just appended on condition that their streams were at `versions`. */
  appended(versions: ReadonlyMap<string, number>, events: readonly StoredEvent[]): void {
    for (const [stream, version] of versions) {
      const known = this.streams.get(stream) ?? [];
      // Only a stream whose cached past is exactly what the append was conditioned on continues.
      if ((known.at(-1)?.version ?? 0) !== version) this.streams.delete(stream);
      else this.touch(stream, [...known, ...events.filter((e) => e.stream === stream)]);
    }
  }

  forget(streams: Iterable<string>): void {
    for (const stream of streams) this.streams.delete(stream);
  }

  private touch(stream: string, events: StoredEvent[]): void {
    this.streams.delete(stream);
    this.streams.set(stream, events);
    if (this.streams.size > this.capacity) this.streams.delete(this.streams.keys().next().value!);
  }
}
