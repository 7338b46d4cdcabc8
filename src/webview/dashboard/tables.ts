/**
 * The dashboard's text: totals, the per-model table and the daily figures. Every name (backend,
 * model) comes from settings or a backend's answer, so it is set as textContent, never as HTML.
 */
import { plural } from '../../core/usage/formatMoney';
import type { DashboardData } from '../../core/usage/dashboardData';
import { formatCostPerAccepted, formatPerAccepted, formatRate } from '../../core/usage/acceptanceText';
import {
  chartCurrency,
  formatCost,
  formatCostIn,
  formatCount,
  formatDay,
  formatMoney,
  formatMs,
  seriesLabel,
} from './format';

type Align = 'text' | 'number';

interface Column<Row> {
  title: string;
  align: Align;
  cell(row: Row): string;
}

/** What the latency figures count, for their tooltips. */
const LATENCY_COUNTS =
  'Over the requests the model ran, failed ones included. Requests refused before the model ran (a rate limit, a spent quota, a refused key) or never sent are left out: their few milliseconds are no answer’s.';

export function renderTotals(list: HTMLElement, data: DashboardData): void {
  const { totals } = data;
  const { failures, unservedRequests: unserved } = totals;
  const leftOut = unserved ? `${formatCount(unserved)} refused or not sent left out` : undefined;
  const items: [term: string, value: string, detail?: string, title?: string][] = [
    [
      'Cost',
      formatCost(totals.cost, totals.requests, totals.unpricedRequests, totals.planRequests, unserved),
      [
        totals.unpricedRequests
          ? `${plural(totals.unpricedRequests, 'request')} ${totals.unpricedRequests === 1 ? 'has' : 'have'} no known price`
          : '',
        totals.planRequests ? `${plural(totals.planRequests, 'request')} included in a plan` : '',
        unserved ? `${formatCount(unserved)} refused or not sent: not billed` : '',
      ]
        .filter(Boolean)
        .join(' · ') || undefined,
    ],
    [
      'Requests',
      formatCount(totals.requests),
      !failures
        ? 'none failed'
        : !unserved
          ? `${formatCount(failures)} failed`
          : failures === 1
            ? '1 failed: refused or not sent'
            : unserved === failures
              ? `${formatCount(failures)} failed, all refused or not sent`
              : `${formatCount(failures)} failed, ${formatCount(unserved)} of them refused or not sent`,
    ],
    [
      'Tokens',
      formatCount(totals.inputTokens + totals.outputTokens),
      `${formatCount(totals.inputTokens)} in · ${formatCount(totals.outputTokens)} out · ${formatCount(totals.cacheReadTokens)} cache read${totals.estimatedRequests ? ` · ${plural(totals.estimatedRequests, 'request')} estimated` : ''}`,
    ],
    ['Latency p50', formatMs(totals.latencyP50), leftOut, LATENCY_COUNTS],
    ['Latency p95', formatMs(totals.latencyP95), leftOut, LATENCY_COUNTS],
  ];
  list.replaceChildren(
    ...items.map(([term, value, detail, title]) => {
      const group = document.createElement('div');
      group.className = 'total';
      if (title) group.title = title;
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      dd.textContent = value;
      group.append(dt, dd);
      if (detail) {
        const more = document.createElement('dd');
        more.className = 'detail';
        more.textContent = detail;
        group.append(more);
      }
      return group;
    }),
  );
}

export function renderModels(table: HTMLTableElement, data: DashboardData): void {
  fillTable(table, 'Requests, tokens, cost and latency per backend and model', data.models, [
    { title: 'Backend', align: 'text', cell: (row) => row.label },
    { title: 'Model', align: 'text', cell: (row) => row.model },
    // What it cost, next to whose it is: the figure looked for first, seen before any other scrolls away.
    {
      title: 'Cost',
      align: 'number',
      cell: (row) =>
        formatCostIn(
          row.currency,
          row.costMicros,
          row.requests,
          row.unpricedRequests,
          row.planRequests,
          row.unservedRequests,
        ),
    },
    { title: 'Requests', align: 'number', cell: (row) => formatCount(row.requests) },
    { title: 'Input tokens', align: 'number', cell: (row) => formatCount(row.inputTokens) },
    { title: 'Output tokens', align: 'number', cell: (row) => formatCount(row.outputTokens) },
    { title: 'Latency p50', align: 'number', cell: (row) => formatMs(row.latencyP50) },
    { title: 'Failures', align: 'number', cell: (row) => formatCount(row.failures) },
  ]);
}

/** The note under the cost chart: which requests it leaves out, and why. */
export function costNote(data: DashboardData): string {
  const { unpricedRequests: unpriced, planRequests: inPlan, unservedRequests: unserved, requests } = data.totals;
  // The chart's legend lists only the backends it plots: the other currency's spend is said here,
  // or a backend billed in yuan would look as if it cost nothing.
  const charted = chartCurrency(data);
  const other = charted === 'USD' ? 'CNY' : 'USD';
  const apart = data.backends.filter((series) => series.currency === other && series.costMicros.some(Boolean));
  return [
    apart.length
      ? `The chart shows ${charted} only: ${apart.map((series) => series.label).join(', ')} spent ${formatMoney(data.totals.cost[other] ?? 0, other)} in ${other}, which is not in it (nothing is converted).`
      : '',
    unpriced
      ? `${formatCount(unpriced)} of ${formatCount(requests)} requests have no known price: they are not in this chart, and are shown as "price unknown", never as $0.`
      : '',
    inPlan
      ? `${formatCount(inPlan)} of ${formatCount(requests)} requests are included in a subscription plan: they cost nothing more per request and are shown as "included in plan".`
      : '',
    unserved
      ? `${formatCount(unserved)} of ${formatCount(requests)} requests were refused or not sent: the model never ran, nothing was billed, and their latency is left out.`
      : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** What a completion is worth per backend and model: is the cheaper backend good enough? */
export function renderAcceptance(table: HTMLTableElement, data: DashboardData): void {
  fillTable(
    table,
    'Completion suggestions shown and accepted, and their cost, per backend and model',
    data.acceptance,
    [
      { title: 'Backend', align: 'text', cell: (row) => row.label },
      { title: 'Model', align: 'text', cell: (row) => row.model },
      { title: 'Shown', align: 'number', cell: (row) => formatCount(row.shown) },
      {
        title: 'Accepted',
        align: 'number',
        cell: (row) =>
          row.acceptedPartial
            ? `${formatCount(row.accepted)} (${formatCount(row.acceptedPartial)} in part)`
            : formatCount(row.accepted),
      },
      { title: 'Acceptance rate', align: 'number', cell: (row) => formatRate(row.acceptanceRate) },
      { title: 'Requests per accepted', align: 'number', cell: (row) => formatPerAccepted(row.requestsPerAccepted) },
      {
        title: 'Cost per accepted',
        align: 'number',
        cell: (row) =>
          row.costPerAccepted.kind === 'unknown'
            ? `${formatCostPerAccepted(row.costPerAccepted)} (${formatCount(row.costPerAccepted.unpricedRequests)} unpriced)`
            : formatCostPerAccepted(row.costPerAccepted),
      },
      {
        // A no-break space: the heading wraps, but never between the number and its unit.
        title: 'Kept after 30\u00a0s',
        align: 'number',
        cell: (row) =>
          row.keptRate === null ? '—' : `${formatRate(row.keptRate)} of ${formatCount(row.kept + row.removed)}`,
      },
    ],
  );
}

/** The charts' figures as a table: what a keyboard or screen-reader user reads instead of the canvas. */
export function renderDaily(table: HTMLTableElement, data: DashboardData): void {
  const { daily } = data;
  const rows = data.days.map((day, index) => ({ day, index })).reverse();
  fillTable<{ day: string; index: number }>(table, 'Daily figures (UTC days), newest first', rows, [
    { title: 'Day', align: 'text', cell: ({ day }) => formatDay(day, true) },
    ...data.backends.map((series): Column<{ index: number }> => ({
      title: `Cost: ${seriesLabel(series)}`,
      align: 'number',
      cell: ({ index }) =>
        series.requests[index]
          ? formatCostIn(
              series.currency,
              series.costMicros[index]!,
              series.requests[index],
              series.unpriced[index]!,
              series.inPlan[index]!,
              series.unserved[index]!,
            )
          : '—',
    })),
    { title: 'Requests', align: 'number', cell: ({ index }) => formatCount(daily.requests[index]!) },
    { title: 'Failures', align: 'number', cell: ({ index }) => formatCount(daily.failures[index]!) },
    { title: 'Input tokens', align: 'number', cell: ({ index }) => formatCount(daily.inputTokens[index]!) },
    { title: 'Output tokens', align: 'number', cell: ({ index }) => formatCount(daily.outputTokens[index]!) },
    { title: 'Cache-read tokens', align: 'number', cell: ({ index }) => formatCount(daily.cacheReadTokens[index]!) },
    { title: 'Latency p50', align: 'number', cell: ({ index }) => formatMs(daily.latencyP50[index] ?? null) },
    { title: 'Latency p95', align: 'number', cell: ({ index }) => formatMs(daily.latencyP95[index] ?? null) },
  ]);
}

/**
 * A narrow view shows each row as a block, each figure under its column's heading (`data-label`,
 * see dashboard.css). A table laid out as blocks is no longer a table to Chromium's accessibility
 * tree, so the roles say it still is.
 */
function fillTable<Row>(table: HTMLTableElement, caption: string, rows: Row[], columns: Column<Row>[]): void {
  table.setAttribute('role', 'table');
  const captionElement = document.createElement('caption');
  captionElement.className = 'visually-hidden';
  captionElement.textContent = caption;
  const head = document.createElement('thead');
  head.setAttribute('role', 'rowgroup');
  const headRow = head.insertRow();
  headRow.setAttribute('role', 'row');
  for (const column of columns) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.setAttribute('role', 'columnheader');
    th.className = column.align;
    th.textContent = column.title;
    headRow.append(th);
  }
  const body = document.createElement('tbody');
  body.setAttribute('role', 'rowgroup');
  for (const row of rows) {
    const tr = body.insertRow();
    tr.setAttribute('role', 'row');
    columns.forEach((column, index) => {
      // The first column names the row, so a screen reader announces it with each cell.
      const cell = document.createElement(index === 0 ? 'th' : 'td');
      if (index === 0) cell.scope = 'row';
      cell.setAttribute('role', index === 0 ? 'rowheader' : 'cell');
      cell.dataset.label = column.title;
      cell.className = column.align;
      cell.textContent = column.cell(row);
      tr.append(cell);
    });
  }
  table.replaceChildren(captionElement, head, body);
}
