/**
 * A person's history: every role they held (as known at the page's "known at", at its confidence
 * level), then each change in their stream of the log with its source — publisher, date, the
 * quoted sentence, and a link where the source has one.
 */
import { loadPerson, type TimeArgs } from './api.ts';
import { confidenceBadge, h, langOf } from './dom.ts';
import type { Confidence, PersonEvent, PersonHistory, Source } from './queries.ts';
import { label, labelPrecise } from './time.ts';

const LEVEL: Record<Confidence, number> = { RUMORED: 0, REPORTED: 1, CONFIRMED: 2 };

type Data = Record<string, string | null | undefined>;

const describe = (event: PersonEvent, unitName: (handle: string) => string, byId: Map<string, PersonEvent>): string => {
  const data = event.data as Data;
  const role = () => `${data.title ?? 'a role'}, ${unitName(data.unit ?? '')}`;
  switch (event.type) {
    case 'PersonRegistered':
      return `Entered the record as ${data.name ?? data.handle}`;
    case 'RoleAssigned':
      return `Took the role ${role()}${data.reportsTo ? ` (reporting to ${data.reportsTo})` : ''}`;
    case 'DepartureAnnounced':
      return `Departure announced: ${role()}`;
    case 'RoleEnded':
      return `Left ${role()}${data.reason ? ` — ${data.reason}` : ''}`;
    case 'EventConfirmed':
    case 'EventRetracted': {
      const target = byId.get(data.eventId ?? '');
      const what = target ? `“${describe(target, unitName, byId)}”` : 'an earlier fact';
      return event.type === 'EventConfirmed' ? `Confirmed ${what}` : `Retracted ${what}${data.reason ? ` — ${data.reason}` : ''}`;
    }
    default:
      return event.type;
  }
};

const sourceBlock = (source: Source | null) => {
  if (!source || (!source.publisher && !source.quote && !source.url && !source.title)) return h('p', { class: 'source none' }, 'No source given');
  return h(
    'div',
    { class: 'source' },
    source.quote ? h('blockquote', { lang: langOf(source.quote) }, source.quote) : null,
    h(
      'p',
      {},
      source.publisher ? h('span', { class: 'publisher', lang: langOf(source.publisher) }, source.publisher) : null,
      source.title && !source.quote ? h('span', { lang: langOf(source.title) }, ` “${source.title}”`) : null,
      source.publishedAt ? h('span', { class: 'published' }, `, published ${label(new Date(source.publishedAt))}`) : null,
      source.url ? [' · ', h('a', { href: source.url, target: '_blank', rel: 'noopener noreferrer' }, 'Open the source')] : null,
    ),
  );
};

const roleList = (person: PersonHistory, asOf: number) =>
  h(
    'ol',
    { class: 'history' },
    person.history.map((role) => {
      const started = role.startedAt ? Date.parse(role.startedAt) : -Infinity;
      const ended = role.endedAt ? Date.parse(role.endedAt) : Infinity;
      const held = started <= asOf && asOf < ended;
      return h(
        'li',
        { class: held ? 'held' : '' },
        h('strong', {}, role.title),
        `, ${role.unit.name} `,
        confidenceBadge(role.confidence),
        h('span', { class: `badge status-${role.status.toLowerCase()}` }, role.status.toLowerCase()),
        held ? h('span', { class: 'badge held' }, 'held at the chart’s moment') : null,
        h(
          'span',
          { class: 'dates' },
          `${role.startedAt ? label(new Date(role.startedAt)) : '?'} → ${role.endedAt ? label(new Date(role.endedAt)) : 'now'}`,
          role.departureAnnouncedAt ? ` (departure announced ${label(new Date(role.departureAnnouncedAt))})` : '',
        ),
      );
    }),
  );

const changeList = (events: PersonEvent[], person: PersonHistory, time: TimeArgs) => {
  const knownAt = time.knownAt ? Date.parse(time.knownAt) : Infinity;
  const known = events.filter((e) => Date.parse(e.recordedAt) <= knownAt);
  const byId = new Map(known.map((e) => [e.eventId, e]));
  const units = new Map(person.history.map((r) => [r.unit.handle, r.unit.name]));
  const confirmed = new Set(known.filter((e) => e.type === 'EventConfirmed').map((e) => String(e.data.eventId)));
  const retracted = new Set(known.filter((e) => e.type === 'EventRetracted').map((e) => String(e.data.eventId)));
  const shown = known.filter((e) => LEVEL[confirmed.has(e.eventId) ? 'CONFIRMED' : e.confidence] >= LEVEL[time.min]);
  if (!shown.length) return h('p', {}, 'No changes on record with these settings.');
  return h(
    'ol',
    { class: 'change-log' },
    shown.map((event) =>
      h(
        'li',
        { class: retracted.has(event.eventId) ? 'retracted' : '' },
        h(
          'p',
          { class: 'what' },
          h('time', { datetime: event.occurredAt }, label(new Date(event.occurredAt))),
          ' ',
          describe(event, (handle) => units.get(handle) ?? handle, byId),
          ' ',
          confidenceBadge(event.confidence),
          confirmed.has(event.eventId) ? h('span', { class: 'badge confirmed-later' }, 'confirmed later') : null,
          retracted.has(event.eventId) ? h('span', { class: 'badge retracted' }, 'retracted') : null,
        ),
        sourceBlock(event.source),
        h('p', { class: 'recorded' }, `recorded ${labelPrecise(new Date(event.recordedAt))}`),
      ),
    ),
  );
};

export class PersonPanel {
  private handle: string | null = null;
  private trigger: HTMLElement | null = null;
  private request: AbortController | null = null;

  constructor(private readonly root: HTMLElement, private readonly onClose: () => void) {
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
    });
  }

  get open(): string | null {
    return this.handle;
  }

  async show(handle: string, time: TimeArgs, asOf: number, trigger: HTMLElement | null = null, focus = true): Promise<void> {
    this.handle = handle;
    if (trigger) this.trigger = trigger;
    this.request?.abort();
    const request = (this.request = new AbortController());
    this.root.hidden = false;
    this.root.setAttribute('aria-busy', 'true');
    try {
      const { person, events } = await loadPerson(handle, time, request.signal);
      if (request.signal.aborted) return;
      const title = h('h2', { id: 'person-title', tabindex: '-1' }, person?.name ?? handle, ' ', person?.nativeName ? h('span', { class: 'native', lang: langOf(person.nativeName) }, person.nativeName) : null);
      this.root.replaceChildren(
        h('header', {}, title, h('button', { type: 'button', class: 'close', 'aria-label': 'Close the history', onClick: () => this.close() }, '×')),
        ...(person
          ? [h('h3', {}, 'Roles'), person.history.length ? roleList(person, asOf) : h('p', {}, 'No roles on record.'), h('h3', {}, 'Changes and their sources'), changeList(events, person, time)]
          : [h('p', {}, 'Not on record with these settings.')]),
      );
      if (focus) title.focus();
    } catch (error) {
      if (!request.signal.aborted) this.root.replaceChildren(h('p', { role: 'alert' }, `Could not load ${handle}: ${(error as Error).message}`));
    } finally {
      if (this.request === request) this.root.setAttribute('aria-busy', 'false');
    }
  }

  close(): void {
    this.request?.abort();
    const handle = this.handle ?? '';
    this.handle = null;
    this.root.hidden = true;
    this.root.replaceChildren();
    // The chart may have been redrawn since: then go back to the same person's (new) button.
    const again = document.querySelector<HTMLElement>(`#chart button.person[data-person="${CSS.escape(handle)}"]`);
    (this.trigger?.isConnected ? this.trigger : (again ?? document.getElementById('chart')))?.focus();
    this.trigger = null;
    this.onClose();
  }
}
