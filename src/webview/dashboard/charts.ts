/**
 * The dashboard's three charts, drawn by uPlot on canvas. uPlot sets only element.style
 * properties (CSSOM), which the webview's CSP allows; it injects no <style> and evaluates no code.
 * The x axis is the day's index in `DashboardData.days`, so labels are the ledger's UTC days.
 */
import uPlot from 'uplot';
import type { DashboardData } from '../../core/usage/dashboardData';
import { formatMoney, formatMoneyTicks, formatTotalCost, plural } from '../../core/usage/formatMoney';
import type { Currency } from '../../core/usage/money';
import { chartCurrency, formatCompact, formatDay, formatMs } from './format';

const HEIGHT = 220;
// Every chart gives its axes the same room, so the days line up from one chart to the next.
const LEFT_AXIS = 80;
const RIGHT_AXIS = 64;
const LABEL_SIZE = 24;
const MICROS_PER_UNIT = 1_000_000;

/** Colours and font read from VS Code's theme variables, so the charts follow the theme. */
export interface Theme {
  foreground: string;
  grid: string;
  palette: string[];
  font: string;
}

export function readTheme(): Theme {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const foreground = read('--vscode-charts-foreground', read('--vscode-foreground', '#888'));
  return {
    foreground,
    grid: read('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    palette: [
      read('--vscode-charts-blue', '#3794ff'),
      read('--vscode-charts-orange', '#d18616'),
      read('--vscode-charts-green', '#89d185'),
      read('--vscode-charts-purple', '#b180d7'),
      read('--vscode-charts-red', '#f14c4c'),
      // Last: next to orange it is hard to tell apart in the light themes.
      read('--vscode-charts-yellow', '#cca700'),
    ],
    font: `11px ${read('--vscode-font-family', 'sans-serif')}`,
  };
}

export function colourOf(theme: Theme, index: number): string {
  return theme.palette[index % theme.palette.length]!;
}

/** One legend entry; the page draws the legend as HTML so it can be read and zoomed. */
export interface LegendEntry {
  label: string;
  colour: string;
  dashed?: boolean;
}

export interface ChartSpec {
  legend: LegendEntry[];
  /** Read by a screen reader in place of the canvas. */
  summary: string;
  build(width: number): uPlot.Options;
  values: uPlot.AlignedData;
  /** Series and days: a data update keeps the chart when these stay the same. */
  shape: string;
}

/** A chart that is rebuilt only when its shape changes; otherwise its data is replaced in place. */
export class DayChart {
  private plot: uPlot | undefined;
  private shape = '';

  constructor(
    private readonly host: HTMLElement,
    private readonly summary: HTMLElement,
  ) {}

  render(spec: ChartSpec): void {
    this.summary.textContent = spec.summary;
    if (this.plot && spec.shape === this.shape) {
      this.plot.setData(spec.values);
      return;
    }
    this.destroy();
    this.shape = spec.shape;
    this.plot = new uPlot(spec.build(this.width()), spec.values, this.host);
  }

  resize(): void {
    this.plot?.setSize({ width: this.width(), height: HEIGHT });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.shape = '';
  }

  private width(): number {
    return Math.max(200, Math.floor(this.host.clientWidth));
  }
}

/** Cost per day, one bar per day with a segment per backend, stacked in the order of `data.backends`. */
export function costChart(data: DashboardData, theme: Theme, onHover: (day: number | null) => void): ChartSpec {
  const { days } = data;
  const currency = chartCurrency(data);
  const backends = data.backends.filter((series) => series.currency === currency);
  // Bars overlap rather than stack: each series is drawn from zero to its running total, the
  // tallest (last backend's) first, so each backend shows as the band above the ones below it.
  const running = days.map(() => 0);
  const totals = backends.map((series) =>
    series.costMicros.map((micros, day) => (running[day]! += micros) / MICROS_PER_UNIT),
  );
  const order = backends.map((_, index) => index).reverse();
  const bars = uPlot.paths.bars!({ size: [0.7, 56], align: 0 });
  return {
    legend: backends.map((series, index) => ({
      // A backend whose every request is unpriced has no bar: say so rather than leave a blank.
      label: !series.costMicros.every((micros) => micros === 0)
        ? series.label
        : series.unpriced.some(Boolean)
          ? `${series.label} (price unknown)`
          : series.inPlan.some(Boolean)
            ? `${series.label} (included in plan)`
            : series.label,
      colour: colourOf(theme, index),
    })),
    summary: costSummary(data, currency),
    values: [days.map((_, index) => index), ...order.map((index) => totals[index]!)],
    shape: `cost|${currency}|${days.join()}|${backends.map((series) => series.backend).join('\u0000')}`,
    build: (width) => ({
      ...frame(width, days, theme, onHover),
      series: [
        {},
        ...order.map((index) => ({
          label: backends[index]!.label,
          stroke: colourOf(theme, index),
          fill: colourOf(theme, index),
          width: 0,
          paths: bars,
          points: { show: false },
        })),
      ],
      scales: { x: dayScale(days.length), y: { range: fromZero } },
      axes: [
        dayAxis(days, theme),
        {
          ...axisStyle(theme),
          size: LEFT_AXIS,
          // Not formatMoney: its "< $0.0001" would label every tick of a small range alike.
          values: (_plot, splits) => formatMoneyTicks(splits, currency),
        },
      ],
    }),
  };
}

/** Requests as bars on the left axis; input, output and cache-read tokens as lines on the right. */
export function trafficChart(data: DashboardData, theme: Theme, onHover: (day: number | null) => void): ChartSpec {
  const { days, daily } = data;
  const requestsColour = colourOf(theme, 0);
  const lines: (LegendEntry & { values: number[] })[] = [
    { label: 'Input tokens', colour: colourOf(theme, 1), values: daily.inputTokens },
    { label: 'Output tokens', colour: colourOf(theme, 2), values: daily.outputTokens },
    { label: 'Cache-read tokens', colour: colourOf(theme, 3), values: daily.cacheReadTokens, dashed: true },
  ];
  return {
    legend: [
      { label: 'Requests', colour: requestsColour },
      ...lines.map(({ label, colour, dashed }) => ({ label, colour, dashed })),
    ],
    summary: `${plural(data.totals.requests, 'request')}, ${plural(data.totals.inputTokens, 'input token')} and ${plural(data.totals.outputTokens, 'output token')} over ${plural(days.length, 'day')}.`,
    values: [days.map((_, index) => index), daily.requests, ...lines.map((line) => line.values)],
    shape: `traffic|${days.join()}`,
    build: (width) => ({
      ...frame(width, days, theme, onHover, true),
      series: [
        {},
        {
          label: 'Requests',
          scale: 'requests',
          stroke: requestsColour,
          fill: requestsColour,
          alpha: 0.45,
          width: 0,
          paths: uPlot.paths.bars!({ size: [0.6, 40], align: 0 }),
          points: { show: false },
        },
        ...lines.map((line) => ({
          label: line.label,
          scale: 'tokens',
          stroke: line.colour,
          width: 2,
          ...(line.dashed && { dash: [6, 4] }),
          points: { show: days.length < 3 },
        })),
      ],
      scales: { x: dayScale(days.length), requests: { range: fromZero }, tokens: { range: fromZero } },
      axes: [
        dayAxis(days, theme),
        {
          ...axisStyle(theme),
          scale: 'requests',
          size: LEFT_AXIS - LABEL_SIZE,
          label: 'requests',
          labelSize: LABEL_SIZE,
          labelFont: theme.font,
          values: (_plot, splits) => splits.map(wholeOrBlank),
        },
        {
          ...axisStyle(theme),
          scale: 'tokens',
          side: 1,
          size: RIGHT_AXIS - LABEL_SIZE,
          label: 'tokens',
          labelSize: LABEL_SIZE,
          labelFont: theme.font,
          grid: { show: false },
          values: (_plot, splits) => splits.map(formatCompact),
        },
      ],
    }),
  };
}

/** p50 and p95 latency per day; a day without requests is a gap, not zero. */
export function latencyChart(data: DashboardData, theme: Theme, onHover: (day: number | null) => void): ChartSpec {
  const { days, daily, totals } = data;
  const lines = [
    { label: 'p50', colour: colourOf(theme, 2), values: daily.latencyP50 },
    { label: 'p95', colour: colourOf(theme, 4), values: daily.latencyP95, dashed: true },
  ];
  return {
    legend: lines.map(({ label, colour, dashed }) => ({ label, colour, dashed })),
    summary: `Over the range: p50 ${formatMs(totals.latencyP50)}, p95 ${formatMs(totals.latencyP95)}.${totals.unservedRequests ? ` ${plural(totals.unservedRequests, 'request')} refused or not sent ${totals.unservedRequests === 1 ? 'is' : 'are'} left out: the model never ran.` : ''}`,
    values: [days.map((_, index) => index), ...lines.map((line) => line.values)],
    shape: `latency|${days.join()}`,
    build: (width) => ({
      ...frame(width, days, theme, onHover),
      series: [
        {},
        ...lines.map((line) => ({
          label: line.label,
          stroke: line.colour,
          width: 2,
          ...(line.dashed && { dash: [6, 4] }),
          points: { show: true, size: 5 },
        })),
      ],
      scales: { x: dayScale(days.length), y: { range: fromZero } },
      axes: [
        dayAxis(days, theme),
        { ...axisStyle(theme), size: LEFT_AXIS, values: (_plot, splits) => splits.map((ms) => formatMs(ms)) },
      ],
    }),
  };
}

function costSummary(data: DashboardData, currency: Currency): string {
  const charted = data.backends.filter((series) => series.currency === currency);
  const perDay = data.days.map((_, day) => charted.reduce((sum, series) => sum + series.costMicros[day]!, 0));
  const top = perDay.reduce((best, micros, day) => (micros > (perDay[best] ?? 0) ? day : best), 0);
  const highest = perDay[top]
    ? ` The most expensive day was ${formatDay(data.days[top]!)} at ${formatMoney(perDay[top]!, currency)}.`
    : '';
  const names = new Set(data.backends.map((series) => series.backend));
  const other = currency === 'USD' ? 'CNY' : 'USD';
  const apart = data.totals.cost[other] ? ` The chart shows ${currency} only; ${other} is kept apart.` : '';
  const { totals } = data;
  // As the Cost card says it: a plan's requests are included in it, never "$0.00".
  const spent = formatTotalCost(
    totals.cost,
    totals.requests,
    totals.unpricedRequests,
    totals.planRequests,
    totals.unservedRequests,
  );
  return `${spent} over ${plural(data.days.length, 'day')} across ${plural(names.size, 'backend')}.${highest}${apart}`;
}

/** What every chart shares: size, no built-in legend, a cursor synced across the charts, hover reporting. */
function frame(
  width: number,
  days: string[],
  theme: Theme,
  onHover: (day: number | null) => void,
  rightAxis = false,
): Pick<uPlot.Options, 'width' | 'height' | 'legend' | 'cursor' | 'hooks' | 'padding'> {
  return {
    width,
    height: HEIGHT,
    legend: { show: false },
    padding: [12, rightAxis ? 12 : 12 + RIGHT_AXIS, 0, 0],
    cursor: { y: false, sync: { key: 'switchboard-days' }, drag: { x: false, y: false }, points: { show: false } },
    hooks: {
      setCursor: [
        (plot) => {
          const index = plot.cursor.idx;
          onHover(index === null || index === undefined || index < 0 || index >= days.length ? null : index);
        },
      ],
    },
  };
}

function dayScale(count: number): uPlot.Scale {
  // Half a day either side, so the first and last bars are whole.
  return { time: false, range: () => [-0.5, count - 0.5] };
}

function fromZero(_plot: uPlot, _min: number | null, max: number | null): uPlot.Range.MinMax {
  return [0, max !== null && max > 0 ? (uPlot.rangeNum(0, max, 0.1, true)[1] ?? max) : 1];
}

function wholeOrBlank(value: number): string {
  return Number.isInteger(value) ? formatCompact(value) : '';
}

function axisStyle(theme: Theme): uPlot.Axis {
  return {
    stroke: theme.foreground,
    font: theme.font,
    grid: { stroke: theme.grid, width: 1 },
    ticks: { stroke: theme.grid, width: 1, size: 4 },
  };
}

function dayAxis(days: string[], theme: Theme): uPlot.Axis {
  return {
    ...axisStyle(theme),
    grid: { show: false },
    // One label per day while they fit, then every second, third… day.
    splits: (plot) => {
      const fit = Math.max(1, Math.floor(plot.bbox.width / uPlot.pxRatio / 64));
      const step = Math.ceil(days.length / fit);
      return days.map((_, index) => index).filter((index) => index % step === 0);
    },
    values: (_plot, splits) => splits.map((index) => (days[index] ? formatDay(days[index]) : '')),
  };
}
