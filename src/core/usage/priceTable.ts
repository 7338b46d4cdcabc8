/**
 * Switchboard's own prices: the models `@pydantic/genai-prices` does not price, one row per price
 * list and model, each with its source and the date of that source. Every figure comes from
 * `shared/reference/prices-research.json` (gathered June–August 2026); a model whose price no
 * source gave is absent on purpose (unknown, never guessed). The dataset wins wherever it has the
 * model (see pricing.ts), so a row here never shadows it.
 *
 * Tiers: the request's whole input-token count picks ONE tier (the first whose `upTo` it does not
 * exceed; `null` has no bound) and every token of that request bills at that tier's rates.
 * Alibaba writes the bounds as 32K/128K/256K without saying whether K is 1,000 or 1,024; these
 * rows use 32,000/128,000/256,000 as their source (models.dev) encodes them.
 * `cacheRead` is the cache-hit input rate (Alibaba's implicit cache: 20% of input); without it,
 * cached tokens bill at the input rate.
 *
 * Not here because no source priced them: qwen3-coder-next and qwen2.5-coder-* in Singapore,
 * qwen3-coder-* in Virginia's US-only mode, Qwen/Qwen2.5-Coder-7B-Instruct on siliconflow.com,
 * the CNY list prices of Beijing's coder instruct models, and Z.ai's GLM Coding Plan.
 */
import type { Currency } from './money';

/** Where a price list applies; see `priceListFor` in priceList.ts. */
export type PriceListId =
  'dashscope-intl' | 'dashscope-us' | 'dashscope-cn' | 'siliconflow' | 'siliconflow-cn' | 'zai' | 'together';

export interface PriceTier {
  /** The largest input-token count of a request this tier prices; null: no bound. */
  upTo: number | null;
  /** Per 1M tokens, in the row's currency. */
  input: number;
  output: number;
  cacheRead?: number;
  /**
   * Output when the model thought (Alibaba's thinking mode): every output token of such a request,
   * the answer's too, bills at this rate. A request thought when its usage counts reasoning tokens.
   */
  outputThinking?: number;
  /**
   * From this many output tokens on, the request bills at these rates instead (SiliconFlow's
   * GLM-4.7, whose price depends on the answer's length as well as the input's).
   */
  longOutput?: { from: number; input: number; output: number; cacheRead?: number };
}

export interface PriceRow {
  list: PriceListId;
  model: string;
  currency: Currency;
  /** Ascending by `upTo`, the last one unbounded. */
  tiers: readonly PriceTier[];
  source: string;
  asOf: string;
  confidence: string;
}

// Beijing (dashscope-cn): a China-site (aliyun.com) account is billed in yuan; the USD rows are
// the prices Alibaba's international catalog lists for the Beijing region, used for the models
// whose yuan price no source gave.
export const PRICE_ROWS: readonly PriceRow[] = [
  {
    list: 'dashscope-intl',
    model: 'qwen3-coder-plus',
    currency: 'USD',
    tiers: [
      { upTo: 32_000, input: 1, output: 5, cacheRead: 0.2 },
      { upTo: 128_000, input: 1.8, output: 9, cacheRead: 0.36 },
      { upTo: 256_000, input: 3, output: 15, cacheRead: 0.6 },
      { upTo: null, input: 6, output: 60, cacheRead: 1.2 },
    ],
    source:
      "anomalyco/models.dev PR #2122 commit ea7b45e3b03692fbcbf58a2d6592b332d3737bcd 'feat(alibaba): sync DashScope pricing and normalize cost tiers' (2026-06-16), file providers/alibaba/models/qwen3-coder-plus.toml; values synced from Alibaba's own catalog API https://dashscope-intl.aliyuncs.com/api/v1/models (packages/core/src/sync/providers/alibaba.ts in the same PR). Official page: https://www.alibabacloud.com/help/en/model-studio/models",
    asOf: '2026-06-16',
    confidence: 'high',
  },
  {
    list: 'dashscope-intl',
    model: 'qwen3-coder-flash',
    currency: 'USD',
    tiers: [
      { upTo: 32_000, input: 0.3, output: 1.5, cacheRead: 0.06 },
      { upTo: 128_000, input: 0.5, output: 2.5, cacheRead: 0.1 },
      { upTo: 256_000, input: 0.8, output: 4, cacheRead: 0.16 },
      { upTo: null, input: 1.6, output: 9.6, cacheRead: 0.32 },
    ],
    source:
      "anomalyco/models.dev PR #2122 commit ea7b45e3b03692fbcbf58a2d6592b332d3737bcd 'feat(alibaba): sync DashScope pricing and normalize cost tiers' (2026-06-16), file providers/alibaba/models/qwen3-coder-flash.toml; values synced from Alibaba's own catalog API https://dashscope-intl.aliyuncs.com/api/v1/models (packages/core/src/sync/providers/alibaba.ts in the same PR). Official page: https://www.alibabacloud.com/help/en/model-studio/models",
    asOf: '2026-06-16',
    confidence: 'high',
  },
  {
    list: 'dashscope-intl',
    model: 'qwen3-coder-480b-a35b-instruct',
    currency: 'USD',
    tiers: [
      { upTo: 32_000, input: 1.5, output: 7.5 },
      { upTo: 128_000, input: 2.7, output: 13.5 },
      { upTo: null, input: 4.5, output: 22.5 },
    ],
    source:
      'https://raw.githubusercontent.com/anomalyco/models.dev/3f2765a58f8466f6d96dade1b4843189eeb6360b/providers/alibaba/models/qwen3-coder-480b-a35b-instruct.toml',
    asOf: '2026-08-26',
    confidence: 'high',
  },
  {
    list: 'dashscope-intl',
    model: 'qwen3-coder-30b-a3b-instruct',
    currency: 'USD',
    tiers: [
      { upTo: 32_000, input: 0.45, output: 2.25 },
      { upTo: 128_000, input: 0.75, output: 3.75 },
      { upTo: null, input: 1.2, output: 6 },
    ],
    source:
      'https://raw.githubusercontent.com/anomalyco/models.dev/3f2765a58f8466f6d96dade1b4843189eeb6360b/providers/alibaba/models/qwen3-coder-30b-a3b-instruct.toml',
    asOf: '2026-08-26',
    confidence: 'high',
  },
  {
    list: 'dashscope-intl',
    model: 'qwen3-max',
    currency: 'USD',
    tiers: [
      { upTo: 32_000, input: 1.2, output: 6, cacheRead: 0.24 },
      { upTo: 128_000, input: 2.4, output: 12, cacheRead: 0.48 },
      { upTo: null, input: 3, output: 15, cacheRead: 0.6 },
    ],
    source:
      "anomalyco/models.dev PR #2122 commit ea7b45e3b03692fbcbf58a2d6592b332d3737bcd 'feat(alibaba): sync DashScope pricing and normalize cost tiers' (2026-06-16), file providers/alibaba/models/qwen3-max.toml; values synced from Alibaba's own catalog API https://dashscope-intl.aliyuncs.com/api/v1/models (packages/core/src/sync/providers/alibaba.ts in the same PR). Official page: https://www.alibabacloud.com/help/en/model-studio/models",
    asOf: '2026-06-16',
    confidence: 'high',
  },
  {
    list: 'dashscope-intl',
    model: 'qwen-plus',
    currency: 'USD',
    tiers: [
      { upTo: 256_000, input: 0.4, output: 1.2, cacheRead: 0.08, outputThinking: 4 },
      { upTo: null, input: 1.2, output: 3.6, cacheRead: 0.24, outputThinking: 12 },
    ],
    source:
      "anomalyco/models.dev PR #2122 commit ea7b45e3b03692fbcbf58a2d6592b332d3737bcd 'feat(alibaba): sync DashScope pricing and normalize cost tiers' (2026-06-16), file providers/alibaba/models/qwen-plus.toml; values synced from Alibaba's own catalog API https://dashscope-intl.aliyuncs.com/api/v1/models (packages/core/src/sync/providers/alibaba.ts in the same PR). Official page: https://www.alibabacloud.com/help/en/model-studio/models",
    asOf: '2026-06-16',
    confidence: 'high',
  },
  {
    list: 'dashscope-intl',
    model: 'qwen-flash',
    currency: 'USD',
    tiers: [
      { upTo: 256_000, input: 0.05, output: 0.4, cacheRead: 0.01 },
      { upTo: null, input: 0.25, output: 2, cacheRead: 0.05 },
    ],
    source:
      "anomalyco/models.dev PR #2122 commit ea7b45e3b03692fbcbf58a2d6592b332d3737bcd 'feat(alibaba): sync DashScope pricing and normalize cost tiers' (2026-06-16), file providers/alibaba/models/qwen-flash.toml; values synced from Alibaba's own catalog API https://dashscope-intl.aliyuncs.com/api/v1/models (packages/core/src/sync/providers/alibaba.ts in the same PR). Official page: https://www.alibabacloud.com/help/en/model-studio/models",
    asOf: '2026-06-16',
    confidence: 'high',
  },
  {
    list: 'dashscope-intl',
    model: 'qwen-turbo',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.05, output: 0.2, cacheRead: 0.01, outputThinking: 0.5 }],
    source:
      "anomalyco/models.dev PR #2122 commit ea7b45e3b03692fbcbf58a2d6592b332d3737bcd 'feat(alibaba): sync DashScope pricing and normalize cost tiers' (2026-06-16), file providers/alibaba/models/qwen-turbo.toml; values synced from Alibaba's own catalog API https://dashscope-intl.aliyuncs.com/api/v1/models (packages/core/src/sync/providers/alibaba.ts in the same PR). Official page: https://www.alibabacloud.com/help/en/model-studio/models",
    asOf: '2026-06-16',
    confidence: 'high',
  },
  {
    list: 'dashscope-intl',
    model: 'qwen3.6-plus',
    currency: 'USD',
    tiers: [
      { upTo: 256_000, input: 0.5, output: 3, cacheRead: 0.05 },
      { upTo: null, input: 2, output: 6, cacheRead: 0.2 },
    ],
    source:
      "anomalyco/models.dev PR #2122 commit 0654d77cad6b9536b8bafcc23ebd92232a82be77 (2026-06-19) 'feat(alibaba): sync DashScope pricing and normalize cost tiers' (2026-06-16), file providers/alibaba/models/qwen3.6-plus.toml; values synced from Alibaba's own catalog API https://dashscope-intl.aliyuncs.com/api/v1/models (packages/core/src/sync/providers/alibaba.ts in the same PR). Official page: https://www.alibabacloud.com/help/en/model-studio/models",
    asOf: '2026-06-19',
    confidence: 'medium',
  },
  {
    list: 'dashscope-intl',
    model: 'qwen3.7-plus',
    currency: 'USD',
    tiers: [
      { upTo: 256_000, input: 0.4, output: 1.6, cacheRead: 0.08 },
      { upTo: null, input: 1.2, output: 4.8, cacheRead: 0.24 },
    ],
    source:
      "anomalyco/models.dev PR #2122 commit 0654d77cad6b9536b8bafcc23ebd92232a82be77 (2026-06-19) 'feat(alibaba): sync DashScope pricing and normalize cost tiers' (2026-06-16), file providers/alibaba/models/qwen3.7-plus.toml; values synced from Alibaba's own catalog API https://dashscope-intl.aliyuncs.com/api/v1/models (packages/core/src/sync/providers/alibaba.ts in the same PR). Official page: https://www.alibabacloud.com/help/en/model-studio/models",
    asOf: '2026-06-19',
    confidence: 'medium',
  },
  {
    list: 'dashscope-intl',
    model: 'qwen3.7-max',
    currency: 'USD',
    tiers: [{ upTo: null, input: 2.5, output: 7.5, cacheRead: 0.5 }],
    source:
      "anomalyco/models.dev PR #2122 commit 0654d77cad6b9536b8bafcc23ebd92232a82be77 (2026-06-19) 'feat(alibaba): sync DashScope pricing and normalize cost tiers' (2026-06-16), file providers/alibaba/models/qwen3.7-max.toml; values synced from Alibaba's own catalog API https://dashscope-intl.aliyuncs.com/api/v1/models (packages/core/src/sync/providers/alibaba.ts in the same PR). Official page: https://www.alibabacloud.com/help/en/model-studio/models",
    asOf: '2026-06-19',
    confidence: 'medium',
  },
  {
    list: 'dashscope-intl',
    model: 'qwen3.6-flash',
    currency: 'USD',
    tiers: [
      { upTo: 256_000, input: 0.25, output: 1.5, cacheRead: 0.025 },
      { upTo: null, input: 1, output: 4, cacheRead: 0.1 },
    ],
    source:
      "anomalyco/models.dev PR #2122 commit 0654d77cad6b9536b8bafcc23ebd92232a82be77 (2026-06-19) 'feat(alibaba): sync DashScope pricing and normalize cost tiers' (2026-06-16), file providers/alibaba/models/qwen3.6-flash.toml; values synced from Alibaba's own catalog API https://dashscope-intl.aliyuncs.com/api/v1/models (packages/core/src/sync/providers/alibaba.ts in the same PR). Official page: https://www.alibabacloud.com/help/en/model-studio/models",
    asOf: '2026-06-19',
    confidence: 'medium',
  },
  {
    list: 'dashscope-us',
    model: 'qwen-plus-us',
    currency: 'USD',
    tiers: [
      { upTo: 256_000, input: 0.4, output: 1.2, cacheRead: 0.08, outputThinking: 4 },
      { upTo: null, input: 1.2, output: 3.6, cacheRead: 0.24, outputThinking: 12 },
    ],
    source:
      'anomalyco/models.dev PR #2122 commits 776c07c3219c506298fd408f6775f4d7fe87d907 (2026-06-15) and 446b940db574f223f3bbe72418be3c352b350b2a (2026-06-19), providers/alibaba-global/models/qwen-plus-us.toml; provider synced from https://dashscope-us.aliyuncs.com/api/v1/models',
    asOf: '2026-06-19',
    confidence: 'medium',
  },
  {
    list: 'dashscope-us',
    model: 'qwen-flash-us',
    currency: 'USD',
    tiers: [
      { upTo: 256_000, input: 0.05, output: 0.4, cacheRead: 0.01 },
      { upTo: null, input: 0.25, output: 2, cacheRead: 0.05 },
    ],
    source:
      'anomalyco/models.dev PR #2122 commits 776c07c3219c506298fd408f6775f4d7fe87d907 (2026-06-15) and 446b940db574f223f3bbe72418be3c352b350b2a (2026-06-19), providers/alibaba-global/models/qwen-flash-us.toml; provider synced from https://dashscope-us.aliyuncs.com/api/v1/models',
    asOf: '2026-06-19',
    confidence: 'medium',
  },
  {
    list: 'dashscope-us',
    model: 'qwen3-coder-plus',
    currency: 'USD',
    tiers: [
      { upTo: 32_000, input: 0.574, output: 2.294, cacheRead: 0.115 },
      { upTo: 128_000, input: 0.861, output: 3.441, cacheRead: 0.173 },
      { upTo: 256_000, input: 1.434, output: 5.735, cacheRead: 0.287 },
      { upTo: null, input: 2.868, output: 28.671, cacheRead: 0.574 },
    ],
    source:
      'anomalyco/models.dev PR #2122 commits 776c07c3219c506298fd408f6775f4d7fe87d907 (2026-06-15) and 446b940db574f223f3bbe72418be3c352b350b2a (2026-06-19), providers/alibaba-global/models/qwen3-coder-plus.toml; provider synced from https://dashscope-us.aliyuncs.com/api/v1/models',
    asOf: '2026-06-19',
    confidence: 'low-medium',
  },
  {
    list: 'dashscope-us',
    model: 'qwen3-coder-flash',
    currency: 'USD',
    tiers: [
      { upTo: 32_000, input: 0.144, output: 0.574, cacheRead: 0.029 },
      { upTo: 128_000, input: 0.216, output: 0.861, cacheRead: 0.044 },
      { upTo: 256_000, input: 0.359, output: 1.434, cacheRead: 0.072 },
      { upTo: null, input: 0.717, output: 3.584, cacheRead: 0.144 },
    ],
    source:
      'anomalyco/models.dev PR #2122 commits 776c07c3219c506298fd408f6775f4d7fe87d907 (2026-06-15) and 446b940db574f223f3bbe72418be3c352b350b2a (2026-06-19), providers/alibaba-global/models/qwen3-coder-flash.toml; provider synced from https://dashscope-us.aliyuncs.com/api/v1/models',
    asOf: '2026-06-19',
    confidence: 'low-medium',
  },
  {
    list: 'dashscope-us',
    model: 'qwen3-max',
    currency: 'USD',
    tiers: [
      { upTo: 32_000, input: 0.359, output: 1.434, cacheRead: 0.072 },
      { upTo: 128_000, input: 0.574, output: 2.294, cacheRead: 0.115 },
      { upTo: null, input: 1.004, output: 4.014, cacheRead: 0.201 },
    ],
    source:
      'anomalyco/models.dev PR #2122 commits 776c07c3219c506298fd408f6775f4d7fe87d907 (2026-06-15) and 446b940db574f223f3bbe72418be3c352b350b2a (2026-06-19), providers/alibaba-global/models/qwen3-max.toml; provider synced from https://dashscope-us.aliyuncs.com/api/v1/models',
    asOf: '2026-06-19',
    confidence: 'low-medium',
  },
  {
    list: 'dashscope-us',
    model: 'qwen-plus',
    currency: 'USD',
    tiers: [
      { upTo: 128_000, input: 0.115, output: 0.287, cacheRead: 0.023, outputThinking: 1.147 },
      { upTo: 256_000, input: 0.345, output: 2.868, cacheRead: 0.069, outputThinking: 3.441 },
      { upTo: null, input: 0.689, output: 6.881, cacheRead: 0.138, outputThinking: 9.175 },
    ],
    source:
      'anomalyco/models.dev PR #2122 commits 776c07c3219c506298fd408f6775f4d7fe87d907 (2026-06-15) and 446b940db574f223f3bbe72418be3c352b350b2a (2026-06-19), providers/alibaba-global/models/qwen-plus.toml; provider synced from https://dashscope-us.aliyuncs.com/api/v1/models',
    asOf: '2026-06-19',
    confidence: 'low-medium',
  },
  {
    list: 'dashscope-us',
    model: 'qwen-flash',
    currency: 'USD',
    tiers: [
      { upTo: 128_000, input: 0.022, output: 0.216, cacheRead: 0.005 },
      { upTo: 256_000, input: 0.087, output: 0.861, cacheRead: 0.018 },
      { upTo: null, input: 0.173, output: 1.721, cacheRead: 0.035 },
    ],
    source:
      'anomalyco/models.dev PR #2122 commits 776c07c3219c506298fd408f6775f4d7fe87d907 (2026-06-15) and 446b940db574f223f3bbe72418be3c352b350b2a (2026-06-19), providers/alibaba-global/models/qwen-flash.toml; provider synced from https://dashscope-us.aliyuncs.com/api/v1/models',
    asOf: '2026-06-19',
    confidence: 'low-medium',
  },
  {
    list: 'dashscope-cn',
    model: 'qwen3-coder-plus',
    currency: 'CNY',
    tiers: [
      { upTo: 32_000, input: 4, output: 16 },
      { upTo: 128_000, input: 6, output: 24 },
      { upTo: 256_000, input: 10, output: 40 },
      { upTo: null, input: 20, output: 200 },
    ],
    source: 'https://help.aliyun.com/zh/model-studio/user-guide/qwen-coder',
    asOf: '2026-06-19',
    confidence: 'high',
  },
  {
    list: 'dashscope-cn',
    model: 'qwen3-coder-flash',
    currency: 'CNY',
    tiers: [
      { upTo: 32_000, input: 1, output: 4 },
      { upTo: 128_000, input: 1.5, output: 6 },
      { upTo: 256_000, input: 2.5, output: 10 },
      { upTo: null, input: 5, output: 25 },
    ],
    source: 'https://help.aliyun.com/zh/model-studio/user-guide/qwen-coder',
    asOf: '2026-06-19',
    confidence: 'high',
  },
  {
    list: 'dashscope-cn',
    model: 'qwen3-max',
    currency: 'CNY',
    tiers: [
      { upTo: 32_000, input: 2.5, output: 10, cacheRead: 0.5 },
      { upTo: 128_000, input: 4, output: 16, cacheRead: 0.8 },
      { upTo: null, input: 7, output: 28, cacheRead: 1.4 },
    ],
    source: 'http://47.109.151.80:15030/Maas2-group/Maas-Model-platform/raw/master/backend/parsed_json/qwen3-max.json',
    asOf: '2026-06-19',
    confidence: 'high',
  },
  {
    list: 'dashscope-cn',
    model: 'qwen-plus',
    currency: 'CNY',
    tiers: [
      { upTo: 128_000, input: 0.8, output: 2, outputThinking: 8 },
      { upTo: 256_000, input: 2.4, output: 20, outputThinking: 24 },
      { upTo: null, input: 4.8, output: 48, outputThinking: 64 },
    ],
    source: 'https://help.aliyun.com/en/document_detail/3023262.html (AI PaaS billing table, same numbers)',
    asOf: '2026-06-19',
    confidence: 'medium',
  },
  {
    list: 'dashscope-cn',
    model: 'qwen-flash',
    currency: 'CNY',
    tiers: [
      { upTo: 128_000, input: 0.15, output: 1.5, cacheRead: 0.03 },
      { upTo: 256_000, input: 0.6, output: 6, cacheRead: 0.12 },
      { upTo: null, input: 1.2, output: 12, cacheRead: 0.24 },
    ],
    source: 'http://47.109.151.80:15030/Maas2-group/Maas-Model-platform/raw/master/backend/parsed_json/qwen-flash.json',
    asOf: '2026-06-19',
    confidence: 'medium-high',
  },
  {
    list: 'dashscope-cn',
    model: 'qwen-turbo',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 0.3, output: 0.6 }],
    source: "github.com/qxytah/qwen-api-pricing (article citing Aliyun help center, 'updated May 2026')",
    asOf: '2026-06-19',
    confidence: 'medium',
  },
  {
    list: 'dashscope-cn',
    model: 'qwen3-coder-480b-a35b-instruct',
    currency: 'USD',
    tiers: [
      { upTo: 32_000, input: 0.861, output: 3.441 },
      { upTo: 128_000, input: 1.291, output: 5.161 },
      { upTo: null, input: 2.151, output: 8.602 },
    ],
    source:
      "anomalyco/models.dev PR #2122 commit 735cde79503d30a3dab85e1e690fe3546b4bdf19 'fix(alibaba-cn): sync model catalog' (2026-06-19), providers/alibaba-cn/models/qwen3-coder-480b-a35b-instruct.toml",
    asOf: '2026-06-19',
    confidence: 'medium',
  },
  {
    list: 'dashscope-cn',
    model: 'qwen3-coder-30b-a3b-instruct',
    currency: 'USD',
    tiers: [
      { upTo: 32_000, input: 0.216, output: 0.861 },
      { upTo: 128_000, input: 0.323, output: 1.291 },
      { upTo: null, input: 0.538, output: 2.151 },
    ],
    source:
      "anomalyco/models.dev PR #2122 commit 735cde79503d30a3dab85e1e690fe3546b4bdf19 'fix(alibaba-cn): sync model catalog' (2026-06-19), providers/alibaba-cn/models/qwen3-coder-30b-a3b-instruct.toml",
    asOf: '2026-06-19',
    confidence: 'medium',
  },
  {
    list: 'dashscope-cn',
    model: 'qwen2.5-coder-32b-instruct',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.287, output: 0.861 }],
    source:
      "anomalyco/models.dev PR #2122 commit 735cde79503d30a3dab85e1e690fe3546b4bdf19 'fix(alibaba-cn): sync model catalog' (2026-06-19), providers/alibaba-cn/models/qwen2-5-coder-32b-instruct.toml",
    asOf: '2026-06-19',
    confidence: 'medium',
  },
  {
    list: 'dashscope-cn',
    model: 'qwen2.5-coder-7b-instruct',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.144, output: 0.287 }],
    source:
      "anomalyco/models.dev PR #2122 commit 735cde79503d30a3dab85e1e690fe3546b4bdf19 'fix(alibaba-cn): sync model catalog' (2026-06-19), providers/alibaba-cn/models/qwen2-5-coder-7b-instruct.toml",
    asOf: '2026-06-19',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'Qwen/Qwen3-Coder-480B-A35B-Instruct',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.25, output: 1 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/Qwen/Qwen3-Coder-480B-A35B-Instruct.toml (file last changed 2026-01-13); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.07, output: 0.28 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/Qwen/Qwen3-Coder-30B-A3B-Instruct.toml (file last changed 2026-01-13); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'deepseek-ai/DeepSeek-V3.2',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.27, output: 0.42 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/deepseek-ai/DeepSeek-V3.2.toml (file last changed 2026-06-13); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'deepseek-ai/DeepSeek-V3.1-Terminus',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.27, output: 1 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/deepseek-ai/DeepSeek-V3.1-Terminus.toml (file last changed 2026-06-13); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'deepseek-ai/DeepSeek-V3.1',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.27, output: 1 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/deepseek-ai/DeepSeek-V3.1.toml (file last changed 2026-06-13); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'deepseek-ai/DeepSeek-V3',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.25, output: 1 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/deepseek-ai/DeepSeek-V3.toml (file last changed 2026-01-13); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'deepseek-ai/DeepSeek-V4-Flash',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.14, output: 0.28, cacheRead: 0.028 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/deepseek-ai/DeepSeek-V4-Flash.toml (file last changed 2026-06-13); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'deepseek-ai/DeepSeek-V4-Pro',
    currency: 'USD',
    tiers: [{ upTo: null, input: 1.74, output: 3.48, cacheRead: 0.145 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/deepseek-ai/DeepSeek-V4-Pro.toml (file last changed 2026-06-13); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'moonshotai/Kimi-K2.5',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.45, output: 2.25 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/moonshotai/Kimi-K2.5.toml (file last changed 2026-06-13); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'moonshotai/Kimi-K2.6',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.77, output: 4, cacheRead: 0.2 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/moonshotai/Kimi-K2.6.toml (file last changed 2026-06-27); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'zai-org/GLM-4.5-Air',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.14, output: 0.86 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/zai-org/GLM-4.5-Air.toml (file last changed 2026-01-13); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'zai-org/GLM-5',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.95, output: 2.55 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/zai-org/GLM-5.toml (file last changed 2026-06-27); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'zai-org/GLM-5.1',
    currency: 'USD',
    tiers: [{ upTo: null, input: 1.4, output: 4.4 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/zai-org/GLM-5.1.toml (file last changed 2026-06-23); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'zai-org/GLM-5.2',
    currency: 'USD',
    tiers: [{ upTo: null, input: 1.4, output: 4.4 }],
    source:
      'anomalyco/models.dev HEAD f3fc692 (2026-07-02) providers/siliconflow/models/zai-org/GLM-5.2.toml (file last changed 2026-06-27); official list https://cloud.siliconflow.com/models',
    asOf: '2026-07-02',
    confidence: 'medium',
  },
  {
    list: 'siliconflow',
    model: 'moonshotai/Kimi-K2-Instruct-0905',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.4, output: 2 }],
    source:
      'anomalyco/models.dev providers/siliconflow/models/moonshotai/Kimi-K2-Instruct-0905.toml as it was before commit 5e8a020a3/f8336b31d (2026-06-13), which deleted the file',
    asOf: '2026-06-13',
    confidence: 'low',
  },
  {
    list: 'siliconflow',
    model: 'zai-org/GLM-4.6',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.5, output: 1.9 }],
    source:
      'anomalyco/models.dev providers/siliconflow/models/zai-org/GLM-4.6.toml as it was before commit 5e8a020a3/f8336b31d (2026-06-13), which deleted the file',
    asOf: '2026-06-13',
    confidence: 'low',
  },
  {
    list: 'siliconflow',
    model: 'zai-org/GLM-4.7',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.6, output: 2.2 }],
    source:
      'anomalyco/models.dev providers/siliconflow/models/zai-org/GLM-4.7.toml as it was before commit 5e8a020a3/f8336b31d (2026-06-13), which deleted the file',
    asOf: '2026-06-13',
    confidence: 'low',
  },
  {
    list: 'siliconflow-cn',
    model: 'Qwen/Qwen3-Coder-30B-A3B-Instruct',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 0.7, output: 2.8 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'deepseek-ai/DeepSeek-V3.2',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 2, output: 3 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'Pro/deepseek-ai/DeepSeek-V3.2',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 2, output: 3 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'deepseek-ai/DeepSeek-V3.1-Terminus',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 4, output: 12 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'Pro/deepseek-ai/DeepSeek-V3.1-Terminus',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 4, output: 12 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'deepseek-ai/DeepSeek-V3',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 2, output: 8 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'Pro/deepseek-ai/DeepSeek-V3',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 2, output: 8 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'deepseek-ai/DeepSeek-V4-Flash',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 1, output: 2 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'moonshotai/Kimi-K2-Instruct-0905',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 4, output: 16 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'Pro/moonshotai/Kimi-K2-Instruct-0905',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 4, output: 16 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'moonshotai/Kimi-K2-Thinking',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 4, output: 16 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'Pro/moonshotai/Kimi-K2.5',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 4, output: 21 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'Pro/moonshotai/Kimi-K2.6',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 6.5, output: 27, cacheRead: 1.1 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'zai-org/GLM-4.6',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 3.5, output: 14 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'zai-org/GLM-4.5-Air',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 1, output: 6 }],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'Pro/zai-org/GLM-4.7',
    currency: 'CNY',
    tiers: [
      // "input<=32K with output>=200 tokens bills 3 in / 14 out / 0.6 cache" (the source's note).
      {
        upTo: 32_000,
        input: 2,
        output: 8,
        cacheRead: 0.4,
        longOutput: { from: 200, input: 3, output: 14, cacheRead: 0.6 },
      },
      { upTo: null, input: 4, output: 16, cacheRead: 0.8 },
    ],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'Pro/zai-org/glm-5',
    currency: 'CNY',
    tiers: [
      { upTo: 32_000, input: 4, output: 18, cacheRead: 1 },
      { upTo: null, input: 6, output: 22, cacheRead: 1.5 },
    ],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'Pro/zai-org/GLM-5.1',
    currency: 'CNY',
    tiers: [
      { upTo: 32_000, input: 6, output: 24, cacheRead: 1.3 },
      { upTo: null, input: 8, output: 28, cacheRead: 2 },
    ],
    source:
      'lobehub/lobehub packages/model-bank/src/aiModels/siliconcloud.ts at commit 036245f37ee23764397e407330a3c793a0cf56cd',
    asOf: '2026-04-21 or later',
    confidence: 'medium',
  },
  {
    list: 'siliconflow-cn',
    model: 'Qwen/Qwen2.5-Coder-7B-Instruct',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 0, output: 0 }],
    source:
      'https://huasheng.ai/insights/siliconflow-api-guide (third-party survey dated 2026-02-08, list of 15 free LLMs incl. Qwen/Qwen2.5-Coder-7B-Instruct); free models need real-name verification and have fixed rate limits: https://docs.siliconflow.cn/cn/userguide/rate-limits/rate-limit-and-upgradation',
    asOf: '2026-02-08',
    confidence: 'medium-low',
  },
  {
    list: 'siliconflow-cn',
    model: 'Qwen/Qwen3-Coder-480B-A35B-Instruct',
    currency: 'CNY',
    tiers: [{ upTo: null, input: 8, output: 16 }],
    source:
      "https://git.hxr.so/desirecore/config-center (\u5b57\u6bb5\u53d6\u503c\u8868/siliconflow, generatedAt 2026-04-23) - value marked '\u5f85\u786e\u8ba4' (unconfirmed) by its authors",
    asOf: '2026-04-23',
    confidence: 'low',
  },
  {
    list: 'zai',
    model: 'glm-5.1',
    currency: 'USD',
    tiers: [{ upTo: null, input: 1.4, output: 4.4, cacheRead: 0.26 }],
    source: 'anomalyco/models.dev providers/zai/models/glm-5.1.toml (2026-06-17; provider doc = docs.z.ai pricing)',
    asOf: '2026-06-17',
    confidence: 'medium-high',
  },
  {
    list: 'zai',
    model: 'glm-5',
    currency: 'USD',
    tiers: [{ upTo: null, input: 1, output: 3.2, cacheRead: 0.2 }],
    source:
      'https://docs.z.ai/guides/overview/pricing (official; docs corpus snapshot, undated, shows GLM-5 as newest row)',
    asOf: '2026-06-17',
    confidence: 'high',
  },
  {
    list: 'zai',
    model: 'glm-4.7',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.6, output: 2.2, cacheRead: 0.11 }],
    source:
      'https://docs.z.ai/guides/overview/pricing (official; docs corpus snapshot, undated, shows GLM-5 as newest row)',
    asOf: '2026-06-02',
    confidence: 'high',
  },
  {
    list: 'zai',
    model: 'glm-4.7-flash',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0, output: 0, cacheRead: 0 }],
    source:
      'https://docs.z.ai/guides/overview/pricing (official; docs corpus snapshot, undated, shows GLM-5 as newest row)',
    asOf: '2026-06-02',
    confidence: 'high',
  },
  {
    list: 'zai',
    model: 'glm-4.7-flashx',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.07, output: 0.4, cacheRead: 0.01 }],
    source:
      'https://docs.z.ai/guides/overview/pricing (official; docs corpus snapshot, undated, shows GLM-5 as newest row)',
    asOf: '2026-06-02',
    confidence: 'high',
  },
  {
    list: 'zai',
    model: 'glm-4.6',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.6, output: 2.2, cacheRead: 0.11 }],
    source:
      'https://docs.z.ai/guides/overview/pricing (official; docs corpus snapshot, undated, shows GLM-5 as newest row)',
    asOf: '2026-06-02',
    confidence: 'high',
  },
  {
    list: 'zai',
    model: 'glm-4.5-air',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.2, output: 1.1, cacheRead: 0.03 }],
    source:
      'https://docs.z.ai/guides/overview/pricing (official; docs corpus snapshot, undated, shows GLM-5 as newest row)',
    asOf: '2026-06-02',
    confidence: 'high',
  },
  {
    list: 'zai',
    model: 'glm-4.5-flash',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0, output: 0, cacheRead: 0 }],
    source:
      'https://docs.z.ai/guides/overview/pricing (official; docs corpus snapshot, undated, shows GLM-5 as newest row)',
    asOf: '2026-06-02',
    confidence: 'high',
  },
  {
    list: 'zai',
    model: 'glm-5-turbo',
    currency: 'USD',
    tiers: [{ upTo: null, input: 1.2, output: 4, cacheRead: 0.24 }],
    source:
      'https://docs.z.ai/guides/overview/pricing (official; docs corpus snapshot, undated, shows GLM-5 as newest row)',
    asOf: '2026-06-02',
    confidence: 'high',
  },
  {
    list: 'zai',
    model: 'glm-5.2',
    currency: 'USD',
    tiers: [{ upTo: null, input: 1.4, output: 4.4, cacheRead: 0.26 }],
    source: 'pydantic/genai-prices prices/providers/zai.yml (prices_checked 2026-08-04, HEAD 47df840 2026-08-21)',
    asOf: '2026-08-04',
    confidence: 'high',
  },
  {
    list: 'zai',
    model: 'glm-5.3',
    currency: 'USD',
    tiers: [{ upTo: null, input: 1.4, output: 4.4, cacheRead: 0.26 }],
    source: 'pydantic/genai-prices prices/providers/zai.yml (prices_checked 2026-08-19)',
    asOf: '2026-08-19',
    confidence: 'high',
  },
  {
    list: 'together',
    model: 'Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8',
    currency: 'USD',
    tiers: [{ upTo: null, input: 2, output: 2 }],
    source:
      'anomalyco/models.dev providers/togetherai/models/Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8.toml (last changed 2026-06-10)',
    asOf: '2026-06-10',
    confidence: 'high',
  },
  {
    list: 'together',
    model: 'Qwen/Qwen3-Coder-Next-FP8',
    currency: 'USD',
    tiers: [{ upTo: null, input: 0.5, output: 1.2 }],
    source: 'anomalyco/models.dev providers/togetherai/models/Qwen/Qwen3-Coder-Next-FP8.toml (2026-06-10)',
    asOf: '2026-06-10',
    confidence: 'high',
  },
];
