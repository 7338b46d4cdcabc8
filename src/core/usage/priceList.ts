/**
 * Which of Switchboard's own price lists (priceTable.ts) prices a backend, and the rates it gives
 * one request. A list is chosen by the backend's host where the host names the region (the same
 * preset reaches Singapore, Virginia or Beijing, siliconflow.com or siliconflow.cn), otherwise by
 * the preset: a proxy or a test server keeps its preset's list.
 */
import type { Currency } from './money';
import { PRICE_ROWS, type PriceListId, type PriceRow, type PriceTier } from './priceTable';

const LIST_BY_PRESET: ReadonlyMap<string, PriceListId> = new Map([
  ['dashscope-intl', 'dashscope-intl'],
  ['dashscope-us', 'dashscope-us'],
  ['dashscope-cn', 'dashscope-cn'],
  ['siliconflow', 'siliconflow'],
  ['zhipu', 'zai'],
  ['together', 'together'],
]);

// Model Studio's workspace hosts are `{WorkspaceId}.{region}.maas.aliyuncs.com`.
const DASHSCOPE_HOSTS: readonly [RegExp, PriceListId][] = [
  [/^dashscope-intl\.aliyuncs\.com$|\.ap-southeast-1\.maas\.aliyuncs\.com$/, 'dashscope-intl'],
  [/^dashscope-us\.aliyuncs\.com$|\.us-east-1\.maas\.aliyuncs\.com$/, 'dashscope-us'],
  [/^dashscope\.aliyuncs\.com$|\.cn-beijing\.maas\.aliyuncs\.com$/, 'dashscope-cn'],
];

function hostOf(baseUrl: string | undefined): string {
  if (!baseUrl) return '';
  try {
    return new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return '';
  }
}

/**
 * Hosts where an international preset serves mainland China accounts, billed in yuan: Moonshot's
 * api.moonshot.cn and Zhipu's open.bigmodel.cn (the presets' notes). No yuan list for them is
 * bundled, and the dollar prices do not apply: a request there is priced as unknown.
 */
const MAINLAND_HOSTS: ReadonlyMap<string, RegExp> = new Map([
  ['moonshot', /(?:^|\.)moonshot\.cn$/],
  ['zhipu', /(?:^|\.)bigmodel\.cn$/],
]);

/** Whether the dollar prices (the dataset's, the lists') apply to `presetId` at `baseUrl`. */
export function dollarPricesApply(presetId: string, baseUrl?: string): boolean {
  return !(MAINLAND_HOSTS.get(presetId)?.test(hostOf(baseUrl)) ?? false);
}

/** The currency a backend bills in where no price says: yuan on a mainland host, else dollars. */
export function billingCurrencyOf(presetId: string, baseUrl?: string): Currency {
  return dollarPricesApply(presetId, baseUrl) ? 'USD' : 'CNY';
}

export function priceListFor(presetId: string, baseUrl?: string): PriceListId | undefined {
  const preset = LIST_BY_PRESET.get(presetId);
  if (!preset || !dollarPricesApply(presetId, baseUrl)) return undefined;
  const host = hostOf(baseUrl);
  if (preset.startsWith('dashscope')) return DASHSCOPE_HOSTS.find(([pattern]) => pattern.test(host))?.[1] ?? preset;
  if (preset === 'siliconflow')
    return host === 'siliconflow.cn' || host.endsWith('.siliconflow.cn') ? 'siliconflow-cn' : preset;
  return preset;
}

const ROWS = new Map(PRICE_ROWS.map((row) => [`${row.list}\u0000${row.model.toLowerCase()}`, row]));

/** Model ids match without regard to case: providers accept `Qwen/…` and `qwen/…` alike. */
export function findPriceRow(list: PriceListId, model: string): PriceRow | undefined {
  return ROWS.get(`${list}\u0000${model.toLowerCase()}`);
}

/** The one tier a request's whole input falls in; every token of the request bills at it. */
export function tierFor(row: PriceRow, inputTokens: number): PriceTier {
  return row.tiers.find((tier) => tier.upTo === null || inputTokens <= tier.upTo) ?? row.tiers[row.tiers.length - 1]!;
}
