/** Pieces every view uses: sections, loading and error states, badges. */
import { ApiError, type ApiClient } from '../api';
import type { ChartAnnotation, MetricChart } from '../chart';
import { h, replaceChildren, type Child } from '../dom';
import { formatWindow } from '../format';

export interface ViewContext {
  api: ApiClient;
  now: Date;
  /** Charts on the current view, destroyed when the view is replaced. */
  charts: MetricChart[];
  navigate(hash: string): void;
}

export function section(id: string, title: string, ...children: Child[]): HTMLElement {
  return h('section', { class: 'card', id, 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), ...children);
}

export function loading(what: string): HTMLElement {
  return h('p', { class: 'muted', role: 'status' }, `Loading ${what}…`);
}

export function errorNotice(err: unknown): HTMLElement {
  const message = err instanceof ApiError ? err.message : 'Something went wrong while rendering this part of the page.';
  const requestId = err instanceof ApiError ? err.requestId : undefined;
  return h('p', { class: 'notice error', role: 'alert' }, message, requestId && h('span', { class: 'muted' }, ` (request id ${requestId})`));
}

/** Fills `target` with a loading line, then with `render(value)`, or with the error. */
export async function fill<T>(target: Element, what: string, data: Promise<T>, render: (value: T) => Child): Promise<void> {
  replaceChildren(target, loading(what));
  try {
    const value = await data;
    replaceChildren(target, render(value));
  } catch (err) {
    if (!(err instanceof ApiError)) console.error(err);
    replaceChildren(target, errorNotice(err));
  }
}

export type BadgeKind = 'keep' | 'discard' | 'running' | 'planned' | 'abandoned' | 'backlog' | 'concluded' | 'ok' | 'warn' | 'fail';

export function badge(kind: BadgeKind, text: string = kind): HTMLElement {
  return h('span', { class: `badge badge-${kind}` }, text);
}

export function experimentLink(id: string, name: string): HTMLAnchorElement {
  return h('a', { href: `#/experiments/${encodeURIComponent(id)}`, class: 'experiment-link' }, name);
}

export function emptyState(text: Child): HTMLElement {
  return h('p', { class: 'empty' }, text);
}

/** The annotations as text: a keyboard and screen-reader route to every experiment on the chart. */
export function annotationList(annotations: readonly ChartAnnotation[], now: Date): HTMLElement {
  if (annotations.length === 0) return h('p', { class: 'muted small' }, 'No experiment on this metric in this period.');
  return h('ul', { class: 'annotations', 'aria-label': 'Experiment windows on this chart' }, annotations.map((a) =>
    h('li', { class: `annotation annotation-${a.kind}`, 'data-experiment': a.id },
      h('span', { class: 'swatch', 'aria-hidden': 'true' }),
      experimentLink(a.id, a.name), ' ', badge(a.kind as BadgeKind, a.label),
      h('span', { class: 'muted' }, ` ${formatWindow(new Date(a.window.start * 1000).toISOString(), new Date(a.window.end * 1000).toISOString(), now)}`))));
}
