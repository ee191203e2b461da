/** A few lines instead of a framework: build elements from a tag, props and children. */

export type Child = Node | string | number | null | undefined | false | Child[];
type Handler = (event: never) => void;
export type Props = Record<string, string | number | boolean | null | undefined | Handler>;

export const h = <K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] => {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(key.slice(2).toLowerCase(), value as EventListener);
    else if (key === 'class') element.className = String(value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
};

const append = (parent: Node, children: Child[]) => {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
};

export const byId = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from index.html`);
  return element as T;
};

/** Mark kana, hangul or Han text with its language, so screen readers and fonts pick it up. */
export const langOf = (text: string): string | undefined =>
  /[\u3040-\u30ff]/.test(text) ? 'ja' : /[\uac00-\ud7af]/.test(text) ? 'ko' : /[\u3400-\u9fff]/.test(text) ? 'zh' : undefined;

/** A short description for a confidence level, or nothing for CONFIRMED (the unmarked case). */
export const confidenceBadge = (confidence: string): HTMLElement | null =>
  confidence === 'CONFIRMED' ? null : h('span', { class: `badge conf-${confidence.toLowerCase()}`, title: CONFIDENCE_HELP[confidence] ?? '' }, confidence.toLowerCase());

export const CONFIDENCE_HELP: Record<string, string> = {
  CONFIRMED: 'Confirmed: stated by the organisation or the person',
  REPORTED: 'Reported: stated as fact by a source',
  RUMORED: 'Rumored: unconfirmed hearsay',
};
