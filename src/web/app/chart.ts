/**
 * The chart: units as boxes with their role holders, drawn as nested lists (a tree of boxes with
 * CSS connectors on wide screens, an indented outline on narrow ones). Lists and buttons keep it
 * readable by screen readers and usable from the keyboard without a layout library.
 */
import type { DisplayRole, DisplayUnit } from './diff.ts';
import { confidenceBadge, h, langOf } from './dom.ts';
import { label } from './time.ts';

export interface ChartHandlers {
  onPerson: (handle: string, trigger: HTMLElement) => void;
}

const markLabel = (item: { mark?: string; detail?: string }) =>
  item.mark ? h('span', { class: `mark mark-${item.mark}` }, item.detail ? `${item.mark}: ${item.detail}` : item.mark) : null;

/** The person's other roles at the same moment: where else this person sits in the chart. */
const alsoHolds = (role: DisplayRole, unitHandle: string): string[] =>
  role.person.roles.filter((r) => r.unit.handle !== unitHandle).map((r) => `${r.title}, ${r.unit.name}`);

const badges = (role: DisplayRole) => {
  const leaving = role.status === 'LEAVING'
    ? h('span', { class: 'badge leaving', title: role.departureAnnouncedAt ? `Departure announced ${label(new Date(role.departureAnnouncedAt))}` : '' }, 'leaving')
    : null;
  const all = [confidenceBadge(role.confidence), leaving, markLabel(role)].filter((badge) => badge !== null);
  return all.length ? h('span', { class: 'badges' }, all) : null;
};

const roleItem = (role: DisplayRole, unit: DisplayUnit) => {
  const also = alsoHolds(role, unit.handle);
  const classes = ['role', `conf-${role.confidence.toLowerCase()}`, `status-${role.status.toLowerCase()}`, role.mark && `mark-${role.mark}`];
  return h(
    'li',
    { class: classes.filter(Boolean).join(' '), 'data-person': role.person.handle, 'data-role': role.roleId },
    h(
      'button',
      { type: 'button', class: 'person', 'data-person': role.person.handle, title: `${role.person.name}: history and sources` },
      h('span', { class: 'name' }, role.person.name),
      role.person.nativeName ? h('span', { class: 'native', lang: langOf(role.person.nativeName) }, role.person.nativeName) : null,
    ),
    h('span', { class: 'title' }, role.title),
    badges(role),
    also.length ? h('span', { class: 'also' }, `also ${also.join('; ')}`) : null,
  );
};

/** A group draws its members from other units: name them, so the group reads as spanning them. */
const spannedUnits = (unit: DisplayUnit): string[] => {
  const names = new Set<string>();
  for (const role of unit.roles) for (const other of role.person.roles) if (other.unit.handle !== unit.handle) names.add(other.unit.name);
  return [...names];
};

const unitCard = (unit: DisplayUnit) => {
  const isGroup = unit.kind === 'group';
  const spans = isGroup ? spannedUnits(unit) : [];
  const titleId = `unit-${unit.handle}`;
  const classes = ['unit', isGroup && 'is-group', unit.mark && `mark-${unit.mark}`];
  return h(
    'article',
    { class: classes.filter(Boolean).join(' '), 'aria-labelledby': titleId, 'data-unit': unit.handle },
    h('header', {}, h('h3', { id: titleId }, unit.name), h('span', { class: 'kind' }, unit.kind), markLabel(unit)),
    spans.length ? h('p', { class: 'spans' }, `Spans units: members also in ${spans.join(', ')}`) : null,
    unit.roles.length
      ? h('ul', { class: 'roles', role: 'list', 'aria-label': `People in ${unit.name}` }, unit.roles.map((role) => roleItem(role, unit)))
      : h('p', { class: 'no-roles' }, 'No role holders on record'),
  );
};

const branch = (unit: DisplayUnit): HTMLLIElement =>
  h(
    'li',
    { class: unit.mark ? `node node-${unit.mark}` : 'node' },
    unitCard(unit),
    unit.children.length ? h('ul', { class: 'children', role: 'list' }, unit.children.map(branch)) : null,
  );

export const renderChart = (container: HTMLElement, roots: DisplayUnit[], selectedPerson: string | null): void => {
  const content = roots.length
    ? roots.map((root) => h('ul', { class: 'tree', role: 'list' }, branch(root)))
    : [h('p', { class: 'empty-chart' }, 'Nothing on record for this moment with these settings. Try a later date, a later "known at", or more confidence levels.')];
  container.replaceChildren(...content);
  if (selectedPerson) highlight(container, selectedPerson, 'is-selected');
};

const highlight = (container: HTMLElement, handle: string | null, className: string) => {
  container.querySelectorAll(`.${className}`).forEach((el) => el.classList.remove(className));
  if (handle) container.querySelectorAll(`li[data-person="${CSS.escape(handle)}"]`).forEach((el) => el.classList.add(className));
};

/** Once: clicks open a person; pointing at or focusing someone lights up their other boxes. */
export const wireChart = (container: HTMLElement, handlers: ChartHandlers): void => {
  container.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLButtonElement>('button.person');
    if (button?.dataset.person) handlers.onPerson(button.dataset.person, button);
  });
  const point = (event: Event) => highlight(container, (event.target as Element).closest<HTMLElement>('[data-person]')?.dataset.person ?? null, 'same-person');
  container.addEventListener('pointerover', point);
  container.addEventListener('focusin', point);
  container.addEventListener('pointerleave', () => highlight(container, null, 'same-person'));
  container.addEventListener('focusout', () => highlight(container, null, 'same-person'));
};

/** After a live redraw: flash the units and roles that were not on the chart before it. */
export const markArrivals = (container: HTMLElement, before: Set<string>): void => {
  for (const element of container.querySelectorAll<HTMLElement>('[data-unit], [data-role]')) {
    const key = element.dataset.role ?? element.dataset.unit ?? '';
    if (!before.has(key)) element.classList.add('arrived');
  }
};

export const chartKeys = (container: HTMLElement): Set<string> =>
  new Set([...container.querySelectorAll<HTMLElement>('[data-unit], [data-role]')].map((element) => element.dataset.role ?? element.dataset.unit ?? ''));

export const selectPerson = (container: HTMLElement, handle: string | null): void => highlight(container, handle, 'is-selected');
