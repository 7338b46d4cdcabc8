/**
 * Every message between the usage dashboard and the extension host, declared once. The host
 * validates each incoming message against `webviewToHost` before acting on it.
 */
import * as z from 'zod/mini';
import type { DashboardData } from '../core/usage/dashboardData';

/** The ranges the dashboard offers: today (UTC) and the last 7, 30 or 90 UTC days. */
export const PRESET_DAYS = [1, 7, 30, 90] as const;
export type PresetDays = (typeof PRESET_DAYS)[number];

/** The longest custom range accepted: the chart has a bar per day. */
export const MAX_RANGE_DAYS = 3_660;
const DAY_MS = 86_400_000;

const epochMs = z.number().check(z.int(), z.nonnegative());

// A plain union rather than a discriminated one: the two range shapes share `type: 'range'`.
// Strict objects, so a message carrying both `days` and `from`/`to` is rejected, not guessed at.
export const webviewToHost = z.union([
  z.strictObject({ type: z.literal('ready') }),
  z.strictObject({ type: z.literal('range'), days: z.union(PRESET_DAYS.map((days) => z.literal(days))) }),
  z
    .strictObject({ type: z.literal('range'), from: epochMs, to: epochMs })
    .check(
      z.refine(
        (range) => range.from <= range.to && range.to - range.from <= MAX_RANGE_DAYS * DAY_MS,
        'from must not be after to, nor the range longer than 10 years',
      ),
    ),
  z.strictObject({ type: z.literal('export'), format: z.enum(['csv', 'json']) }),
]);
export type WebviewToHost = z.infer<typeof webviewToHost>;

/** What the host is showing: a preset, or a custom span. */
export type RangeSelection = { days: PresetDays } | { from: number; to: number };

export type HostToWebview =
  | { type: 'data'; selection: RangeSelection; data: DashboardData; updatedAt: number }
  /** The ledger is not open (yet, or at all in this window): shown instead of figures. */
  | { type: 'unavailable'; message: string };
