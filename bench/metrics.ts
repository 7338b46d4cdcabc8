/** One benchmark figure, in the format of CONVENTIONS.md §9. */
export interface Metric {
  value: number;
  unit: string;
  better: 'lower' | 'higher';
  baseline?: number;
  note?: string;
}

export type Metrics = Record<string, Metric>;

/** The middle value (the mean of the two middle ones for an even count); 0 for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;
