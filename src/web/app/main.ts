/**
 * The page: reads its state from the URL, draws the chart for it, keeps the URL in step with the
 * controls, and redraws when the log grows. Everything comes from the public GraphQL API.
 */
import '../style.css';
import { loadChanges, loadChart, loadLog, type TimeArgs } from './api.ts';
import { renderChanges } from './changes-list.ts';
import { chartKeys, markArrivals, renderChart, selectPerson, wireChart } from './chart.ts';
import { compareCharts } from './diff.ts';
import { byId } from './dom.ts';
import { fillKnownAt } from './known-at.ts';
import { followLog, type LiveStatus } from './live.ts';
import { PersonPanel } from './person-panel.ts';
import type { Confidence, LogEvent } from './queries.ts';
import { DAY, clamp, label, parseMoment, startOfDay } from './time.ts';
import { Timeline } from './timeline.ts';
import { readState, writeState, type ViewState } from './url-state.ts';

const state: ViewState = readState(location.search);
const chart = byId('chart');
const changes = byId('changes');
const errorBox = byId('error');
const knownAt = byId<HTMLSelectElement>('known-at');
const compareOn = byId<HTMLInputElement>('compare-on');
const compareFrom = byId<HTMLInputElement>('compare-from');
const log: LogEvent[] = [];

const timeArgs = (): TimeArgs => ({ asOf: state.asOf?.toISOString() ?? null, knownAt: state.knownAt?.toISOString() ?? null, min: state.min });
const asOfMs = () => state.asOf?.getTime() ?? Date.now();

const timeline = new Timeline(byId('timeline'), (asOf) => update({ asOf }));
const panel = new PersonPanel(byId('person'), () => update({ person: null }, false));
const openPerson = (handle: string, trigger: HTMLElement | null) => {
  update({ person: handle }, false);
  selectPerson(chart, handle);
  void panel.show(handle, timeArgs(), asOfMs(), trigger);
};
wireChart(chart, { onPerson: openPerson });

// ---- one view at a time: a newer request aborts the one in flight

let inFlight: AbortController | null = null;
let firstChart = true;

/** Draw the chart for the current state. `live`: a redraw for new events, without dimming the chart. */
const loadView = async ({ live = false } = {}): Promise<void> => {
  inFlight?.abort();
  const request = (inFlight = new AbortController());
  const { signal } = request;
  const shownBefore = live ? chartKeys(chart) : null;
  if (!live) chart.setAttribute('aria-busy', 'true');
  try {
    const time = timeArgs();
    if (state.compare) {
      const from = state.compare;
      const to = state.asOf ?? new Date();
      const [first, last] = from <= to ? [from, to] : [to, from];
      const [after, before, list] = await Promise.all([
        loadChart(time, signal),
        loadChart({ ...time, asOf: from.toISOString() }, signal),
        loadChanges(first.toISOString(), last.toISOString(), time, signal),
      ]);
      if (signal.aborted) return;
      const { tree, counts } = compareCharts(before, after);
      renderChart(chart, tree, state.person);
      renderChanges(changes, { from: first, to: last, changes: list, counts }, openPerson);
    } else {
      const roots = await loadChart(time, signal);
      if (signal.aborted) return;
      renderChart(chart, roots, state.person);
      changes.hidden = true;
      changes.replaceChildren();
    }
    if (shownBefore) markArrivals(chart, shownBefore);
    chart.dataset.view = writeState({ ...state, person: null });
    errorBox.hidden = true;
    if (firstChart) {
      firstChart = false;
      performance.mark('orgtime:first-chart');
    }
  } catch (error) {
    if (signal.aborted) return;
    errorBox.textContent = `Could not load the chart: ${(error as Error).message}`;
    errorBox.hidden = false;
  } finally {
    if (inFlight === request) chart.setAttribute('aria-busy', 'false');
  }
};

// ---- state ⇄ URL ⇄ controls

const syncControls = () => {
  for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="min"]')) radio.checked = radio.value === state.min;
  compareOn.checked = state.compare !== null;
  if (state.compare) compareFrom.value = state.compare.toISOString().slice(0, 10);
  fillKnownAt(knownAt, log, state.knownAt);
  timeline.setValue(state.asOf, state.compare);
};

function update(change: Partial<ViewState>, reload = true): void {
  Object.assign(state, change);
  history.replaceState(null, '', location.pathname + writeState(state));
  syncControls();
  if (!reload) return;
  void loadView();
  if (panel.open) void panel.show(panel.open, timeArgs(), asOfMs(), null, false);
}

for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="min"]')) radio.addEventListener('change', () => update({ min: radio.value as Confidence }));
knownAt.addEventListener('change', () => update({ knownAt: parseMoment(knownAt.value) }));
compareFrom.addEventListener('change', () => {
  const date = parseMoment(compareFrom.value);
  if (date) update({ compare: date });
});
compareOn.addEventListener('change', () => {
  if (!compareOn.checked) return update({ compare: null });
  // Three days before the chart's moment unless a date was already picked.
  const picked = parseMoment(compareFrom.value);
  const { start } = timeline.span;
  update({ compare: picked ?? new Date(clamp(startOfDay(asOfMs()) - 3 * DAY, start.getTime(), asOfMs())) });
});
addEventListener('popstate', () => {
  // Following the skip link (#chart) pops state too, with the same query: nothing to redraw.
  if (writeState(readState(location.search)) === writeState(state)) return;
  Object.assign(state, readState(location.search));
  syncControls();
  void loadView();
});

// ---- live

const liveText = byId('live-text');
const announcer = byId('announcer');
const STATUS_TEXT: Record<LiveStatus, string> = { connecting: 'Connecting…', live: 'Live', offline: 'Offline — reconnecting' };
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
let settleTimer: ReturnType<typeof setTimeout> | undefined;

const onLiveEvent = (event: LogEvent) => {
  log.push(event);
  timeline.addEvent(event);
  fillKnownAt(knownAt, log, state.knownAt);
  const news = `New in the log: ${event.type}, effective ${label(new Date(event.occurredAt))}`;
  liveText.textContent = `Live · ${news}`;
  announcer.textContent = news;
  if (state.knownAt) return; // a pinned "known at" does not see later recordings
  // The subscription follows the log; the read model catches up a moment later. Redraw when the
  // burst is over, and once more shortly after in case the projection was still behind.
  clearTimeout(refreshTimer);
  clearTimeout(settleTimer);
  refreshTimer = setTimeout(() => {
    void loadView({ live: true });
    if (panel.open) void panel.show(panel.open, timeArgs(), asOfMs(), null, false);
  }, 250);
  settleTimer = setTimeout(() => void loadView({ live: true }), 1500);
};

// ---- start: the chart and the log in parallel; live once the log's end is known

syncControls();
void loadView();
if (state.person) void panel.show(state.person, timeArgs(), asOfMs(), null, false);
loadLog()
  .then(({ events, complete }) => {
    log.push(...events);
    timeline.setLog(log, [state.asOf, state.compare]);
    syncControls();
    // A log too long to load whole: follow from its head rather than replay the rest.
    followLog(complete ? (events.at(-1)?.position ?? '0') : null, {
      onEvent: onLiveEvent,
      onStatus: (status) => {
        byId('live').dataset.status = status;
        liveText.textContent = STATUS_TEXT[status];
      },
    });
  })
  .catch((error: unknown) => {
    errorBox.textContent = `Could not load the log: ${(error as Error).message}`;
    errorBox.hidden = false;
  });
