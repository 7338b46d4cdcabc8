/** Money as users read it. Amounts are integer micro-dollars (1 USD = 1,000,000 micros). */

const MICROS_PER_CENT = 10_000;

/** "$1,234.57", "$0.01"; half up to the cent. */
function formatCents(micros: number): string {
  const cents = Math.floor((micros + MICROS_PER_CENT / 2) / MICROS_PER_CENT);
  const dollars = String(Math.floor(cents / 100)).replace(/\B(?=(\d{3})+$)/g, ',');
  return `$${dollars}.${String(cents % 100).padStart(2, '0')}`;
}

/**
 * "$1.23" from a cent up; below it two significant digits ("$0.0042", "$0.000015"), because a
 * completion costs fractions of a cent and "$0.00" would hide it. Null is "price unknown".
 */
export function formatMicros(micros: number | null): string {
  if (micros === null || !Number.isFinite(micros)) return 'price unknown';
  if (micros < 0) return `-${formatMicros(-micros)}`;
  const whole = Math.round(micros);
  if (whole === 0) return '$0.00';
  if (whole >= MICROS_PER_CENT) return formatCents(whole);
  const step = 10 ** Math.max(0, String(whole).length - 2);
  const rounded = Math.floor((whole + step / 2) / step) * step;
  if (rounded >= MICROS_PER_CENT) return formatCents(rounded);
  return `$0.${String(rounded).padStart(6, '0').replace(/0+$/, '')}`;
}
