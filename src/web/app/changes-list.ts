/** Compare mode's list: what `changes(from, to)` says happened between the two dates, oldest first. */
import type { MarkCounts } from './diff.ts';
import { confidenceBadge, h, langOf } from './dom.ts';
import type { Change } from './queries.ts';
import { label } from './time.ts';

const plural = (n: number, word: string) => `${n} ${word}`;

export const renderChanges = (
  root: HTMLElement,
  { from, to, changes, counts }: { from: Date; to: Date; changes: Change[]; counts: MarkCounts },
  onPerson: (handle: string, trigger: HTMLElement) => void,
): void => {
  const summary = [plural(counts.added, 'added'), plural(counts.removed, 'removed'), plural(counts.moved, 'moved'), plural(counts.changed, 'changed')].join(' · ');
  root.hidden = false;
  root.replaceChildren(
    h('h2', { id: 'changes-title' }, `Changes ${label(from)} → ${label(to)}`),
    h('p', { class: 'counts' }, `On the chart: ${summary}`),
    changes.length
      ? h(
          'ol',
          { class: 'changes', 'aria-labelledby': 'changes-title' },
          changes.map((change) =>
            h(
              'li',
              { class: `conf-${change.event.confidence.toLowerCase()}` },
              h('time', { datetime: change.event.occurredAt }, label(new Date(change.event.occurredAt))),
              h(
                'span',
                { class: 'summary' },
                change.summary,
                ' ',
                confidenceBadge(change.event.confidence),
              ),
              change.person
                ? h('button', { type: 'button', class: 'link', 'data-person': change.person.handle, onClick: (e: MouseEvent) => onPerson(change.person!.handle, e.currentTarget as HTMLElement) }, `${change.person.name}: history`)
                : null,
              change.event.source?.publisher ? h('span', { class: 'publisher', lang: langOf(change.event.source.publisher) }, change.event.source.publisher) : null,
            ),
          ),
        )
      : h('p', {}, 'No changes on record between these dates with these settings.'),
  );
};
