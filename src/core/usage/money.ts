/**
 * Money as Switchboard holds it: integer micro-units (1,000,000 per dollar or yuan), each amount
 * in its own currency. Nothing converts between currencies: Switchboard has no exchange rate, so
 * "$0.42 · ¥3.10" is shown as two figures, never summed.
 */

/** The currencies a price list may bill in. Beijing's Model Studio and siliconflow.cn bill in yuan. */
export type Currency = 'USD' | 'CNY';

/** In the order totals are shown. */
export const CURRENCIES: readonly Currency[] = ['USD', 'CNY'];

export function isCurrency(value: unknown): value is Currency {
  return value === 'USD' || value === 'CNY';
}

/** Micro-units per currency; a currency absent is nothing spent in it. */
export type Amounts = Partial<Record<Currency, number>>;

export function addAmount(into: Amounts, currency: Currency, micros: number): void {
  into[currency] = (into[currency] ?? 0) + micros;
}

export function addAmounts(into: Amounts, from: Amounts): void {
  for (const currency of CURRENCIES) {
    const micros = from[currency];
    if (micros !== undefined) addAmount(into, currency, micros);
  }
}

/** The amounts that are not zero, in display order. */
export function nonZero(amounts: Amounts): [Currency, number][] {
  return CURRENCIES.flatMap((currency) => {
    const micros = amounts[currency];
    return micros ? [[currency, micros] as [Currency, number]] : [];
  });
}

/** Compares by dollars, then yuan: an order for tables, not a claim that one is worth more. */
export function compareAmounts(a: Amounts, b: Amounts): number {
  for (const currency of CURRENCIES) {
    const diff = (a[currency] ?? 0) - (b[currency] ?? 0);
    if (diff) return diff;
  }
  return 0;
}
