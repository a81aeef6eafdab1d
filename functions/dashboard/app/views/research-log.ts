/**
 * The research log: every concluded experiment with its effect and decision, sortable by any column
 * (header buttons, so it works from the keyboard), with the TSV download the spreadsheet people want.
 */
import type { LogRow } from '../api';
import { h, replaceChildren } from '../dom';
import { formatDate, formatLift, formatValue, formatWindow } from '../format';
import { badge, emptyState, errorNotice, experimentLink, type ViewContext } from './common';

interface Column {
  key: string;
  title: string;
  /** Sort key; numbers sort numerically, nulls last. */
  value: (r: LogRow) => string | number | null;
  cell: (r: LogRow, now: Date) => Node | string;
  numeric?: boolean;
}

const COLUMNS: Column[] = [
  { key: 'concluded', title: 'Concluded', value: (r) => r.concludedAt, cell: (r, now) => h('span', { class: 'nowrap' }, formatDate(r.concludedAt, now)) },
  {
    key: 'name', title: 'Experiment', value: (r) => r.name.toLowerCase(),
    cell: (r) => h('span', {}, experimentLink(r.id, r.name), h('code', { class: 'sub muted small' }, r.primaryMetric)),
  },
  { key: 'window', title: 'Window', value: (r) => r.window?.start ?? null, cell: (r, now) => h('span', { class: 'nowrap' }, formatWindow(r.window?.start, r.window?.end, now)) },
  {
    key: 'values', title: 'Baseline → window', value: (r) => r.windowValue, numeric: true,
    cell: (r) => h('span', {}, `${formatValue(r.baselineValue, r.unit?.startsWith('fraction') ? r.unit : undefined)} → ${formatValue(r.windowValue, r.unit?.startsWith('fraction') ? r.unit : undefined)}`,
      h('span', { class: 'sub muted small' }, `expected ${formatValue(r.expectedValue, r.unit?.startsWith('fraction') ? r.unit : undefined)}${r.unit && !r.unit.startsWith('fraction') ? ` ${r.unit}` : ''}`)),
  },
  {
    key: 'lift', title: 'Lift (95 % interval)', value: (r) => r.effect?.relative ?? null, numeric: true,
    cell: (r) => h('span', {}, formatLift(r.effect?.relative), r.effect?.relativeInterval
      ? h('span', { class: 'muted interval' }, ` ${formatLift(r.effect.relativeInterval.lower)} to ${formatLift(r.effect.relativeInterval.upper)}`)
      : null),
  },
  { key: 'decision', title: 'Decision', value: (r) => r.decision, cell: (r) => badge(r.decision, r.decision === 'keep' ? 'Keep' : 'Discard') },
  { key: 'outcome', title: 'Outcome', value: (r) => r.outcome ?? null, cell: (r) => (r.outcome ? r.outcome.replace(/_/g, ' ') : '—') },
  { key: 'reason', title: 'Reason', value: (r) => r.reason, cell: (r) => r.reason.replace(/_/g, ' ') },
];

function compare(a: string | number | null, b: string | number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** The log table with sortable headers (newest conclusion first by default). */
export function researchLogTable(rows: readonly LogRow[], now: Date): HTMLElement {
  if (rows.length === 0) return emptyState('No concluded experiments yet. Each verdict adds a row here when its window ends.');
  let sortKey = 'concluded';
  let descending = true;
  const tbody = h('tbody');
  const headRow = h('tr');
  const table = h('table', { class: 'data-table log-table' }, h('caption', { class: 'visually-hidden' }, 'Research log: concluded experiments, sortable by column'), h('thead', {}, headRow), tbody);

  function render(): void {
    const column = COLUMNS.find((c) => c.key === sortKey) ?? COLUMNS[0];
    const sorted = [...rows].sort((a, b) => {
      const c = compare(column.value(a), column.value(b));
      return descending ? -c : c;
    });
    replaceChildren(headRow, COLUMNS.map((c) => {
      const active = c.key === sortKey;
      const ariaSort = active ? (descending ? 'descending' : 'ascending') : 'none';
      return h('th', { scope: 'col', 'aria-sort': ariaSort, class: c.numeric ? 'num' : null },
        h('button', { type: 'button', class: 'sort', 'data-sort': c.key, onclick: () => {
          if (sortKey === c.key) descending = !descending;
          else { sortKey = c.key; descending = c.key === 'concluded'; }
          render();
          (headRow.querySelector(`button[data-sort="${c.key}"]`) as HTMLButtonElement | null)?.focus();
        } }, c.title, h('span', { class: 'sort-indicator', 'aria-hidden': 'true' }, active ? (descending ? ' ▼' : ' ▲') : ' ↕')));
    }));
    replaceChildren(tbody, sorted.map((r) => h('tr', { 'data-id': r.id },
      COLUMNS.map((c) => h('td', { class: c.numeric ? 'num' : null, 'data-label': c.title }, c.cell(r, now))))));
  }
  render();
  return h('div', { class: 'table-scroll' }, table);
}

/** Fetches the TSV through the authenticated API and hands it to the browser as a download. */
export function downloadButton(ctx: ViewContext): HTMLElement {
  const status = h('span', { class: 'muted', role: 'status' });
  const button = h('button', { type: 'button', class: 'primary', id: 'download-log' }, 'Download TSV');
  button.addEventListener('click', () => {
    button.disabled = true;
    status.textContent = 'Preparing…';
    ctx.api.researchLogTsv()
      .then((tsv) => {
        const url = URL.createObjectURL(new Blob([tsv], { type: 'text/tab-separated-values;charset=utf-8' }));
        const a = h('a', { href: url, download: `verdict-research-log-${ctx.now.toISOString().slice(0, 10)}.tsv`, class: 'visually-hidden' });
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        status.textContent = '';
      })
      .catch((err: unknown) => { replaceChildren(status, errorNotice(err)); })
      .finally(() => { button.disabled = false; });
  });
  return h('div', { class: 'section-actions' }, button, status);
}
