/**
 * The time slider over the span of the log, with the log's events marked beneath it. Dragging
 * only previews the moment; the chart is asked for on release (or, from the keyboard, once the
 * keys stop). Keys: ←/→ a day, Shift+←/→ an hour, Page Up/Down the previous/next event, Home/End.
 */
import { h } from './dom.ts';
import type { Confidence, LogEvent } from './queries.ts';
import { DAY, HOUR, clamp, endOfDay, label, startOfDay } from './time.ts';

interface Mark {
  at: number;
  count: number;
  types: Map<string, number>;
  weakest: Confidence;
}

const WEAKER: Record<Confidence, number> = { RUMORED: 0, REPORTED: 1, CONFIRMED: 2 };
const KEY_COMMIT_MS = 450;

export class Timeline {
  private readonly input: HTMLInputElement;
  private readonly output: HTMLOutputElement;
  private readonly strip: HTMLElement;
  private readonly scale: HTMLElement;
  private marks: Mark[] = [];
  private start = 0;
  private end = DAY;
  private value: Date | null = null;
  private compare: Date | null = null;
  private keyTimer: ReturnType<typeof setTimeout> | undefined;
  private dragging = false;

  constructor(root: HTMLElement, private readonly onCommit: (asOf: Date | null) => void) {
    this.input = h('input', { type: 'range', id: 'as-of', step: 'any', 'aria-describedby': 'as-of-help' });
    this.output = h('output', { id: 'as-of-label', for: 'as-of', 'aria-live': 'off' });
    this.strip = h('div', { class: 'marks', title: 'Events in the log: click one to jump to it' });
    this.scale = h('div', { class: 'scale', 'aria-hidden': 'true' });
    const step = (text: string, title: string, onClick: () => void) =>
      h('button', { type: 'button', title, 'aria-label': title.replace(/ \(.*\)$/, ''), onClick }, text);
    root.replaceChildren(
      h(
        'div',
        { class: 'timeline-head' },
        h('label', { for: 'as-of' }, 'As of'),
        this.output,
        h(
          'span',
          { class: 'steppers' },
          step('◀ Event', 'Previous event (Page Up)', () => this.jump(-1)),
          step('Event ▶', 'Next event (Page Down)', () => this.jump(1)),
          step('Latest', 'Latest: the chart as it stands now', () => this.commit(null)),
        ),
      ),
      this.input,
      this.strip,
      this.scale,
      h('p', { id: 'as-of-help', class: 'help' }, '←/→ one day, Shift+←/→ one hour, Page Up/Down previous/next event, Home/End the ends of the log. Times are UTC.'),
    );
    const picked = () => new Date(Math.round(Number(this.input.value) / HOUR) * HOUR);
    this.input.addEventListener('input', () => this.preview(picked()));
    this.input.addEventListener('change', () => this.commit(picked()));
    // While the thumb is held, a live redraw must not pull it away from the pointer.
    this.input.addEventListener('pointerdown', () => (this.dragging = true));
    for (const end of ['pointerup', 'pointercancel']) addEventListener(end, () => (this.dragging = false));
    this.input.addEventListener('keydown', (event) => this.onKey(event));
    this.strip.addEventListener('click', (event) => this.onStripClick(event));
  }

  /** The whole log (replaces the marks); `pinned` moments (from the URL) stay inside the span. */
  setLog(events: LogEvent[], pinned: Array<Date | null> = []): void {
    const byTime = new Map<number, Mark>();
    for (const event of events) this.addToMarks(byTime, event);
    this.marks = [...byTime.values()].sort((a, b) => a.at - b.at);
    const times = this.marks.length ? this.marks.map((m) => m.at) : [Date.now()];
    const moments = pinned.filter((d): d is Date => d !== null).map((d) => d.getTime());
    const first = Math.min(...times, ...moments);
    const last = Math.max(...times);
    this.start = startOfDay(first);
    // Past the last event (to the next midnight, at least a day), so its effect shows at the end.
    this.end = Math.max(endOfDay(last) === last ? last + DAY : endOfDay(last), ...moments, this.start + DAY);
    this.draw();
  }

  /** A live event: add its mark (and grow the span if it falls outside). */
  addEvent(event: LogEvent): void {
    const at = Date.parse(event.occurredAt);
    const byTime = new Map(this.marks.map((m) => [m.at, m]));
    this.addToMarks(byTime, event);
    this.marks = [...byTime.values()].sort((a, b) => a.at - b.at);
    if (at < this.start) this.start = startOfDay(at);
    if (at >= this.end) this.end = endOfDay(at) === at ? at + DAY : endOfDay(at);
    this.draw(at);
  }

  setValue(asOf: Date | null, compare: Date | null): void {
    this.value = asOf;
    this.compare = compare;
    this.draw();
  }

  get span(): { start: Date; end: Date } {
    return { start: new Date(this.start), end: new Date(this.end) };
  }

  private addToMarks(byTime: Map<number, Mark>, event: LogEvent) {
    const at = Date.parse(event.occurredAt);
    const mark = byTime.get(at) ?? { at, count: 0, types: new Map(), weakest: 'CONFIRMED' as Confidence };
    mark.count += 1;
    mark.types.set(event.type, (mark.types.get(event.type) ?? 0) + 1);
    if (WEAKER[event.confidence] < WEAKER[mark.weakest]) mark.weakest = event.confidence;
    byTime.set(at, mark);
  }

  private current(): number {
    return clamp(this.value?.getTime() ?? Date.now(), this.start, this.end);
  }

  private percent(at: number): string {
    return `${(((at - this.start) / (this.end - this.start)) * 100).toFixed(3)}%`;
  }

  private draw(fresh?: number): void {
    this.input.min = String(this.start);
    this.input.max = String(this.end);
    if (!this.dragging) {
      this.input.value = String(this.current());
      this.preview(this.value);
    }
    this.strip.replaceChildren(
      ...this.marks.map((mark) => {
        const types = [...mark.types].map(([type, n]) => (n > 1 ? `${type} ×${n}` : type)).join(', ');
        const tick = h('span', { class: `tick conf-${mark.weakest.toLowerCase()}${mark.at === fresh ? ' fresh' : ''}`, title: `${label(new Date(mark.at))}: ${types}` });
        tick.style.left = this.percent(mark.at);
        tick.style.height = `${Math.min(22, 8 + 4 * Math.log2(mark.count))}px`;
        return tick;
      }),
      ...(this.compare ? [this.flag(this.compare.getTime())] : []),
    );
    const ticks = 4;
    this.scale.replaceChildren(
      ...Array.from({ length: ticks + 1 }, (_, i) => h('span', {}, label(new Date(startOfDay(this.start + ((this.end - this.start) * i) / ticks))))),
    );
  }

  private flag(at: number): HTMLElement {
    const flag = h('span', { class: 'compare-flag', title: `Compared with ${label(new Date(at))}` }, 'from');
    flag.style.left = this.percent(clamp(at, this.start, this.end));
    return flag;
  }

  private preview(asOf: Date | null): void {
    const text = asOf ? label(asOf) : 'Now (latest)';
    this.output.textContent = text;
    this.input.setAttribute('aria-valuetext', text);
  }

  private commit(asOf: Date | null): void {
    clearTimeout(this.keyTimer);
    this.value = asOf;
    this.draw();
    this.onCommit(asOf);
  }

  /** From the keyboard: move at once, ask for the chart when the keys stop. */
  private moveTo(at: number): void {
    this.value = new Date(clamp(at, this.start, this.end));
    this.input.value = String(this.value.getTime());
    this.preview(this.value);
    clearTimeout(this.keyTimer);
    this.keyTimer = setTimeout(() => this.commit(this.value), KEY_COMMIT_MS);
  }

  private jump(direction: -1 | 1): void {
    const now = this.current();
    const target = direction < 0 ? this.marks.filter((m) => m.at < now).at(-1) : this.marks.find((m) => m.at > now);
    if (target) this.commit(new Date(target.at));
  }

  private onKey(event: KeyboardEvent): void {
    const now = this.current();
    const unit = event.shiftKey ? HOUR : DAY;
    // To the next (previous) whole day or hour strictly after (before) the current moment.
    const forward = () => this.moveTo(Math.floor(now / unit) * unit + unit);
    const back = () => this.moveTo(Math.ceil(now / unit) * unit - unit);
    const moves: Record<string, () => void> = {
      ArrowLeft: back,
      ArrowDown: back,
      ArrowRight: forward,
      ArrowUp: forward,
      PageUp: () => this.jump(-1),
      PageDown: () => this.jump(1),
      Home: () => this.moveTo(this.start),
      End: () => this.moveTo(this.end),
    };
    const move = moves[event.key];
    if (!move || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    move();
  }

  private onStripClick(event: MouseEvent): void {
    if (!this.marks.length) return;
    const box = this.strip.getBoundingClientRect();
    const at = this.start + ((event.clientX - box.left) / box.width) * (this.end - this.start);
    const nearest = this.marks.reduce((best, m) => (Math.abs(m.at - at) < Math.abs(best.at - at) ? m : best));
    this.commit(new Date(nearest.at));
  }
}
