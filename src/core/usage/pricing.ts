/**
 * What a request cost, in integer micro-units of the currency it is billed in (1 USD or 1 CNY =
 * 1,000,000 micros).
 *
 * Prices come from `@pydantic/genai-prices`, a maintained dataset bundled with the extension:
 * version 0.1.8, published 2026-09-23, pinned exactly in package.json. It is never refreshed at run
 * time: its optional `updatePrices` auto-update fetches from GitHub, and nothing here calls it.
 * Newer prices arrive by bumping the package (and the figures in test/unit/pricing.test.ts).
 * Models the dataset lacks (Model Studio, SiliconFlow, some of Z.ai and Together) are priced from
 * Switchboard's own table (priceTable.ts), which never shadows the dataset.
 *
 * The dataset resolves the model and the rate in force at the request's time (it knows
 * time-of-day and dated price changes); the arithmetic is ours and exact, so a cost is rounded
 * once, half up, to a whole micro and callers only ever add integers.
 */
import type * as GenaiPrices from '@pydantic/genai-prices';
import type { ModelPrice, TieredPrices } from '@pydantic/genai-prices';
import type { Usage } from '../providers/types';
import { count } from './tokenCounts';
import type { Currency } from './money';
import { dollarPricesApply, findPriceRow, priceListFor, tierFor } from './priceList';

/** A request's cost. `null` means nobody knows, which is never the same as free. */
export type Price =
  | { micros: number; currency: Currency; source: 'dataset' | 'table' | 'override' | 'local' | 'not-sent' | 'refused' }
  /** A flat subscription's request: nothing more to pay, shown as "included in plan", never as $0. */
  | { micros: 0; currency: Currency; source: 'plan' }
  | { micros: null; source: 'unknown' };

/** The user's own rates for a backend, per 1M tokens. Cache rates default to the input rate. */
export interface PriceOverride {
  /** Default USD. */
  currency?: Currency;
  inputPerMTok: number;
  outputPerMTok: number;
  cacheReadPerMTok?: number;
  cacheWritePerMTok?: number;
}

export interface PriceInput {
  presetId: string;
  /** The backend's address: for Model Studio and SiliconFlow its host names the region and currency. */
  baseUrl?: string;
  /** The preset's `local` flag: a server on this machine costs nothing. */
  local: boolean;
  /** True for a backend on a subscription plan: its requests are included in the plan. */
  plan?: boolean;
  model: string;
  /**
   * `inputTokens` counts every input token, cache reads and writes included (OpenAI's
   * `prompt_tokens`); `cacheReadTokens` and `cacheWriteTokens` are the parts of it billed at the
   * cache rates. Usage whose cache tokens exceed its input tokens is priced as unknown.
   */
  usage: Usage;
  /** When the request was made; prices change by date and, for DeepSeek, by time of day. Default: now. */
  at?: Date;
  /** Wins over everything else, the local flag included (a "local" vLLM may be a rented GPU). */
  override?: PriceOverride;
}

const UNKNOWN: Price = { micros: null, source: 'unknown' };

/**
 * Which dataset provider prices each preset. `null`: the dataset has no provider for that
 * backend's own price list, so its requests are unknown unless the user sets an override.
 * Presets missing here must be local (`unit test: every preset is classified`).
 */
export const DATASET_PROVIDER_BY_PRESET: ReadonlyMap<string, string | null> = new Map([
  ['openai', 'openai'],
  ['anthropic', 'anthropic'],
  ['gemini', 'google'],
  ['deepseek', 'deepseek'],
  ['mistral', 'mistral'],
  // The IDE endpoint bills the same Codestral models as La Plateforme.
  ['codestral', 'mistral'],
  ['openrouter', 'openrouter'],
  ['groq', 'groq'],
  ['together', 'together'],
  ['fireworks', 'fireworks'],
  ['moonshot', 'moonshotai'],
  // api.z.ai (international, USD). The dataset's `zhipuai` is open.bigmodel.cn, priced from CNY.
  ['zhipu', 'zai'],
  // The dataset's LiteLLM rule: `provider/model` names the provider, otherwise the model's name decides.
  ['litellm', 'litellm'],
  // Alibaba Model Studio has no provider in the dataset; OpenRouter's resale price differs and is flat.
  ['dashscope-intl', null],
  ['dashscope-us', null],
  ['dashscope-cn', null],
  // Flat subscriptions: their requests are "included in plan" (priceRequest's `plan`), not priced.
  ['coding-plan-intl', null],
  ['coding-plan-cn', null],
  ['zai-coding-plan', null],
  // Discontinued (2026-04-15): what its requests would cost is moot.
  ['qwen-oauth', null],
  ['siliconflow', null],
  // Whatever the user runs; only they know its price.
  ['custom', null],
  // VS Code's own models are billed, if at all, by whoever contributes them (a Copilot plan).
  ['vscode-lm', null],
]);

let dataset: typeof GenaiPrices | undefined;

/** The dataset takes ~75 ms to evaluate, so it loads on the first price, not when this module does. */
function loadDataset(): typeof GenaiPrices {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deferred evaluation of a ~480 KB data module is the point
  dataset ??= require('@pydantic/genai-prices') as typeof GenaiPrices;
  return dataset;
}

/** The rates in force for a model at a time, or undefined when the dataset does not know it. */
function datasetPrice(presetId: string, model: string, at: Date): ModelPrice | undefined {
  const providerId = DATASET_PROVIDER_BY_PRESET.get(presetId);
  if (!providerId) return undefined;
  let found: GenaiPrices.PriceCalculationResult = null;
  try {
    // calcPrice is the dataset's only public lookup that applies its matching rules and dated or
    // time-of-day prices; with empty usage it just resolves `model_price`.
    found = loadDataset().calcPrice({}, model, { providerId, timestamp: at });
  } catch {
    // A malformed entry: unknown rather than a wrong number.
  }
  if (found) return found.model_price;
  // OpenRouter's `:free` variants cost nothing by definition; the dataset lists many (all with
  // empty prices) but the free pool rotates faster than its releases.
  if (providerId === 'openrouter' && model.endsWith(':free')) return {};
  return undefined;
}

/** A non-negative decimal held exactly: `units / 10^scale`. */
interface Decimal {
  units: bigint;
  scale: number;
}

function toDecimal(value: number): Decimal | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  // String() gives the shortest decimal that round-trips: the figure as written in the dataset or settings.
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) return undefined;
  const [, whole = '0', fraction = '', exponent = '0'] = match;
  const scale = fraction.length - Number(exponent);
  const units = BigInt(whole + fraction);
  return scale >= 0 ? { units, scale } : { units: units * 10n ** BigInt(-scale), scale: 0 };
}

/** Per-1M rates for one request; a missing cache rate leaves those tokens at the input rate. */
interface Rates {
  input?: Decimal;
  output?: Decimal;
  cacheRead?: Decimal;
  cacheWrite?: Decimal;
  /** USD per 1,000 requests, which a few models charge on top. */
  perKRequests?: Decimal;
}

/** A tier applies when the request's whole input exceeds its start, and prices every token. */
function rateAt(value: number | TieredPrices | undefined, inputTokens: number): number | undefined {
  if (value === undefined || typeof value === 'number') return value;
  let rate = value.base;
  let from = -1;
  for (const tier of value.tiers) {
    if (inputTokens > tier.start && tier.start > from) {
      rate = tier.price;
      from = tier.start;
    }
  }
  return rate;
}

/** Undefined when a present rate is not a usable number. */
function toRates(perMTok: Record<keyof Rates, number | undefined>): Rates | undefined {
  const rates: Rates = {};
  for (const [key, value] of Object.entries(perMTok) as [keyof Rates, number | undefined][]) {
    if (value === undefined) continue;
    const decimal = toDecimal(value);
    if (!decimal) return undefined;
    rates[key] = decimal;
  }
  return rates;
}

function datasetRates(price: ModelPrice, inputTokens: number): Rates | undefined {
  return toRates({
    input: rateAt(price.input_mtok, inputTokens),
    output: rateAt(price.output_mtok, inputTokens),
    cacheRead: rateAt(price.cache_read_mtok, inputTokens),
    cacheWrite: rateAt(price.cache_write_mtok, inputTokens),
    perKRequests: rateAt(price.requests_kcount, inputTokens),
  });
}

/**
 * Exact: tokens × USD-per-1M is already micros, summed as a fraction and rounded half up once.
 * Undefined past what a number holds exactly (Number.MAX_SAFE_INTEGER micros), as for unusable counts.
 */
function costMicros(rates: Rates, usage: Usage): number | undefined {
  const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens } = usage;
  if ([inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens].some((value) => count(value) === undefined))
    return undefined;
  if (cacheReadTokens + cacheWriteTokens > inputTokens) return undefined;
  const uncached = inputTokens - (rates.cacheRead ? cacheReadTokens : 0) - (rates.cacheWrite ? cacheWriteTokens : 0);
  const terms: [number, Decimal | undefined][] = [
    [uncached, rates.input],
    [outputTokens, rates.output],
    [cacheReadTokens, rates.cacheRead],
    [cacheWriteTokens, rates.cacheWrite],
    // One request at a per-1,000 price is that price × 1,000 micros.
    [1000, rates.perKRequests],
  ];
  const scale = Math.max(0, ...terms.map(([, rate]) => rate?.scale ?? 0));
  let numerator = 0n;
  for (const [count, rate] of terms) {
    if (rate) numerator += BigInt(count) * rate.units * 10n ** BigInt(scale - rate.scale);
  }
  const denominator = 10n ** BigInt(scale);
  const micros = (2n * numerator + denominator) / (2n * denominator);
  return micros <= BigInt(Number.MAX_SAFE_INTEGER) ? count(Number(micros)) : undefined;
}

function priced(
  rates: Rates | undefined,
  usage: Usage,
  currency: Currency,
  source: 'dataset' | 'table' | 'override',
): Price {
  const micros = rates && costMicros(rates, usage);
  return micros === undefined ? UNKNOWN : { micros, currency, source };
}

/** Our own table's row for the model, when the dataset has none. */
function tableRates(input: PriceInput): { rates: Rates | undefined; currency: Currency } | undefined {
  const list = priceListFor(input.presetId, input.baseUrl);
  const row = list && findPriceRow(list, input.model);
  if (!row) return undefined;
  const { usage } = input;
  const found = tierFor(row, usage.inputTokens);
  const tier = found.longOutput && usage.outputTokens >= found.longOutput.from ? found.longOutput : found;
  const thought = (usage.reasoningTokens ?? 0) > 0 && found.outputThinking !== undefined;
  return {
    currency: row.currency,
    rates: toRates({
      input: tier.input,
      output: thought ? found.outputThinking : tier.output,
      cacheRead: tier.cacheRead,
      cacheWrite: undefined,
      perKRequests: undefined,
    }),
  };
}

/** The cost of one request. */
export function priceRequest(input: PriceInput): Price {
  const { override, usage } = input;
  if (override) {
    return priced(
      toRates({
        input: override.inputPerMTok,
        output: override.outputPerMTok,
        cacheRead: override.cacheReadPerMTok,
        cacheWrite: override.cacheWritePerMTok,
        perKRequests: undefined,
      }),
      usage,
      override.currency ?? 'USD',
      'override',
    );
  }
  if (input.local) return { micros: 0, currency: 'USD', source: 'local' };
  if (input.plan) return { micros: 0, currency: 'USD', source: 'plan' };
  if (!dollarPricesApply(input.presetId, input.baseUrl)) return UNKNOWN;
  const price = datasetPrice(input.presetId, input.model, input.at ?? new Date());
  if (price) return priced(datasetRates(price, usage.inputTokens), usage, 'USD', 'dataset');
  const table = tableRates(input);
  return table ? priced(table.rates, usage, table.currency, 'table') : UNKNOWN;
}

/** Base input and output rates per 1M tokens, in their currency. */
export interface PerMTok {
  input: number;
  output: number;
  currency: Currency;
}

/**
 * Today's base input and output rates per 1M tokens, for pickers; the first tier of a tiered
 * price. Undefined when unknown, or when the model is not priced by the token.
 */
export function pricePerMTok(presetId: string, model: string, local: boolean, baseUrl?: string): PerMTok | undefined {
  if (local) return { input: 0, output: 0, currency: 'USD' };
  if (!dollarPricesApply(presetId, baseUrl)) return undefined;
  const price = datasetPrice(presetId, model, new Date());
  if (!price) {
    const list = priceListFor(presetId, baseUrl);
    const row = list && findPriceRow(list, model);
    const tier = row?.tiers[0];
    return row && tier ? { input: tier.input, output: tier.output, currency: row.currency } : undefined;
  }
  const { input_mtok: input, output_mtok: output } = price;
  if (input === undefined && output === undefined && Object.keys(price).length > 0) return undefined;
  return { input: rateAt(input, 0) ?? 0, output: rateAt(output, 0) ?? 0, currency: 'USD' };
}
