/** How acceptance figures read, in the status bar tooltip and the usage dashboard alike. */
import type { AcceptanceFigures, CostPerAccepted } from './acceptance';
import { formatAmounts, plural } from './formatMoney';

/** "42%"; "—" when nothing was shown. */
export function formatRate(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 100)}%`;
}

/** "2.5"; "—" before anything was accepted. */
export function formatPerAccepted(value: number | null): string {
  return value === null ? '—' : value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** "$0.0004", "$0.0004 · ¥0.002", "included in plan", "price unknown"; "—" before anything was accepted. */
export function formatCostPerAccepted(cost: CostPerAccepted): string {
  switch (cost.kind) {
    case 'none':
      return '—';
    case 'included':
      return 'included in plan';
    case 'unknown':
      return 'price unknown';
    case 'known':
      return formatAmounts(cost.perAccepted);
  }
}

/**
 * One sentence for the tooltip: "4 of 10 suggestions accepted (40%) · 2.5 requests and $0.0004
 * per accepted · 3 of 4 still there after 30 s". Undefined when nothing was shown or accepted.
 */
export function describeAcceptance(figures: AcceptanceFigures): string | undefined {
  if (figures.shown === 0 && figures.accepted === 0) return undefined;
  const parts = [
    `${figures.accepted} of ${plural(figures.shown, 'suggestion')} accepted (${formatRate(figures.acceptanceRate)})`,
  ];
  const cost = figures.costPerAccepted;
  const perAccepted = formatPerAccepted(figures.requestsPerAccepted);
  const requests = `${perAccepted} ${perAccepted === '1' ? 'request' : 'requests'}`;
  if (cost.kind === 'known') parts.push(`${requests} and ${formatCostPerAccepted(cost)} per accepted`);
  else if (cost.kind === 'included') parts.push(`${requests} per accepted, included in plan`);
  else if (cost.kind === 'unknown')
    parts.push(`${requests} per accepted, cost unknown (${plural(cost.unpricedRequests, 'request')} without a price)`);
  const checked = figures.kept + figures.removed;
  if (checked > 0) parts.push(`${figures.kept} of ${checked} still there after 30 s`);
  return parts.join(' · ');
}
