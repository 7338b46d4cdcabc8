/** One benchmark figure, in the format of CONVENTIONS.md §9. */
export interface Metric {
  value: number;
  unit: string;
  better: 'lower' | 'higher';
  baseline?: number;
  note?: string;
}

export type Metrics = Record<string, Metric>;
