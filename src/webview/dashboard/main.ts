/**
 * The usage dashboard's browser side. The host computes every figure; this page draws them and
 * reports the range and export choices back. Names are set as text only (see tables.ts).
 */
import { plural } from '../../core/usage/formatMoney';
import type { DashboardData } from '../../core/usage/dashboardData';
import type { HostToWebview, RangeSelection, WebviewToHost } from '../../protocol/dashboardProtocol';
import {
  costChart,
  DayChart,
  latencyChart,
  readTheme,
  trafficChart,
  type ChartSpec,
  type LegendEntry,
  type Theme,
} from './charts';
import { formatCostIn, formatCount, formatDay, formatMs, seriesLabel } from './format';
import { costNote, renderAcceptance, renderDaily, renderModels, renderTotals } from './tables';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

function main(): void {
  const vscode = acquireVsCodeApi();
  const status = byId('status');
  const content = byId('content');
  const charts = {
    cost: {
      chart: new DayChart(byId('cost-chart'), byId('cost-summary')),
      legend: byId('cost-legend'),
      make: costChart,
    },
    traffic: {
      chart: new DayChart(byId('traffic-chart'), byId('traffic-summary')),
      legend: byId('traffic-legend'),
      make: trafficChart,
    },
    latency: {
      chart: new DayChart(byId('latency-chart'), byId('latency-summary')),
      legend: byId('latency-legend'),
      make: latencyChart,
    },
  };
  const readout = byId('readout');
  let current: DashboardData | undefined;
  let theme: Theme = readTheme();
  let announced = '';

  const hover = (day: number | null) => {
    readout.textContent = current && day !== null ? describeDay(current, day) : '';
  };

  const draw = (data: DashboardData) => {
    const empty = data.totals.requests === 0;
    byId('empty').hidden = !empty;
    for (const id of ['charts', 'models-section', 'daily-details']) byId(id).hidden = empty;
    byId('acceptance-section').hidden = data.acceptance.length === 0;
    renderTotals(byId('totals'), data);
    renderAcceptance(byId<HTMLTableElement>('acceptance'), data);
    if (empty) {
      for (const { chart } of Object.values(charts)) chart.destroy();
      return;
    }
    for (const { chart, legend, make } of Object.values(charts)) {
      const spec: ChartSpec = make(data, theme, hover);
      renderLegend(legend, spec.legend);
      chart.render(spec);
    }
    byId('cost-note').textContent = costNote(data);
    renderModels(byId<HTMLTableElement>('models'), data);
    renderDaily(byId<HTMLTableElement>('daily'), data);
  };

  const radios = [...document.querySelectorAll<HTMLInputElement>('input[name="range"]')];
  for (const radio of radios) {
    radio.addEventListener('change', () => {
      if (!radio.checked) return;
      status.textContent = 'Loading…';
      vscode.postMessage({ type: 'range', days: Number(radio.value) as 1 | 7 | 30 | 90 });
    });
  }
  byId('export-csv').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'csv' }));
  byId('export-json').addEventListener('click', () => vscode.postMessage({ type: 'export', format: 'json' }));

  window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
    const message = event.data;
    switch (message.type) {
      case 'data': {
        current = message.data;
        for (const radio of radios)
          radio.checked = 'days' in message.selection && radio.value === String(message.selection.days);
        const text = describeRange(message.selection, message.data);
        // The live region speaks only when the range or the emptiness changes, not on each refresh.
        if (text !== announced) status.textContent = announced = text;
        byId('updated').textContent = `Updated ${new Date(message.updatedAt).toLocaleTimeString()}`;
        content.hidden = false;
        draw(message.data);
        break;
      }
      case 'unavailable':
        announced = '';
        status.textContent = message.message;
        content.hidden = true;
        break;
    }
  });

  // The charts are sized in pixels: follow the panel's width, and redraw when the theme changes.
  const resize = new ResizeObserver(() => {
    for (const { chart } of Object.values(charts)) chart.resize();
  });
  resize.observe(byId('charts'));
  // VS Code marks a theme change on <body> (class, theme id) and rewrites the variables on <html>.
  const retheme = new MutationObserver(() => {
    theme = readTheme();
    for (const { chart } of Object.values(charts)) chart.destroy();
    if (current) draw(current);
  });
  retheme.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
  retheme.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

  vscode.postMessage({ type: 'ready' });
}

function renderLegend(list: HTMLElement, entries: LegendEntry[]): void {
  list.replaceChildren(
    ...entries.map((entry) => {
      const item = document.createElement('li');
      const swatch = document.createElement('span');
      swatch.className = entry.dashed ? 'swatch dashed' : 'swatch';
      // A CSSOM property, which the CSP allows (a style attribute in markup would be blocked).
      swatch.style.setProperty('--swatch', entry.colour);
      swatch.setAttribute('aria-hidden', 'true');
      const label = document.createElement('span');
      label.textContent = entry.label;
      item.append(swatch, label);
      return item;
    }),
  );
}

function describeRange(selection: RangeSelection, data: DashboardData): string {
  const first = data.days[0];
  const last = data.days[data.days.length - 1];
  const span =
    !first || !last ? '' : first === last ? formatDay(first, true) : `${formatDay(first)} – ${formatDay(last, true)}`;
  const name = 'days' in selection ? (selection.days === 1 ? 'Today' : `Last ${selection.days} days`) : 'Custom range';
  const count = data.totals.requests === 0 ? 'no requests' : plural(data.totals.requests, 'request');
  return `${name} (${span}, UTC): ${count}`;
}

function describeDay(data: DashboardData, day: number): string {
  const costs = data.backends
    .filter((series) => series.requests[day])
    .map(
      (series) =>
        `${seriesLabel(series)} ${formatCostIn(series.currency, series.costMicros[day]!, series.requests[day]!, series.unpriced[day]!, series.inPlan[day]!, series.unserved[day]!)}`,
    );
  const { daily } = data;
  return [
    formatDay(data.days[day]!, true),
    costs.length ? costs.join(', ') : 'no cost',
    plural(daily.requests[day]!, 'request'),
    `${formatCount(daily.inputTokens[day]!)} in / ${formatCount(daily.outputTokens[day]!)} out tokens`,
    `p50 ${formatMs(daily.latencyP50[day] ?? null)}, p95 ${formatMs(daily.latencyP95[day] ?? null)}`,
  ].join(' · ');
}

function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`usage dashboard is missing #${id}`);
  return element as T;
}

main();
