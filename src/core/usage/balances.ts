/**
 * Real balances where a backend exposes them: OpenRouter `GET /api/v1/key`, DeepSeek
 * `GET /user/balance`, Moonshot `GET /v1/users/me/balance`, and a LiteLLM proxy's
 * `GET /key/info` (a team budget shared by many machines). Shapes from
 * openrouter.ai/docs/api-reference/limits, api-docs.deepseek.com/api/get-user-balance,
 * platform.moonshot.ai/docs (balance) and docs.litellm.ai/docs/proxy/virtual_keys.
 */
import { startDeadline } from '../providers/deadline';
import { callJson } from '../providers/httpJson';
import { isRecord } from '../jsonValue';

export type BalanceSource = 'openrouter' | 'deepseek' | 'litellm' | 'moonshot';

export interface Balance {
  source: BalanceSource;
  currency: string;
  /** What is left to spend, in the currency's units; undefined when the account has no cap. */
  remaining?: number;
  /** The cap, when there is one (a key limit or a team budget). */
  limit?: number;
  /** Spent against the cap. */
  used?: number;
  /** False when the backend says the account cannot be used now. */
  available: boolean;
  resetsAt?: number;
  /**
   * OpenRouter's `:free` allowance for the account (UTC day; its ceiling depends on the credits
   * ever bought: 50 below $10, 1,000 from $10).
   */
  freeDaily?: { used: number; limit: number; resetsAt: number };
  fetchedAt: number;
}

const number = (value: unknown): number | undefined => {
  const parsed = typeof value === 'string' ? Number(value) : value;
  return typeof parsed === 'number' && Number.isFinite(parsed) ? parsed : undefined;
};

export function parseOpenRouterKey(body: unknown, now: number): Balance | undefined {
  const data = isRecord(body) && isRecord(body.data) ? body.data : undefined;
  if (!data) return undefined;
  const limit = number(data.limit);
  const used = number(data.usage);
  const remaining =
    number(data.limit_remaining) ?? (limit !== undefined && used !== undefined ? limit - used : undefined);
  const free = isRecord(data.free_model_daily_requests) ? data.free_model_daily_requests : undefined;
  const freeLimit = number(free?.limit);
  const freeUsed =
    number(free?.used) ?? (freeLimit !== undefined ? freeLimit - (number(free?.remaining) ?? freeLimit) : undefined);
  const DAY = 86_400_000;
  return {
    source: 'openrouter',
    currency: 'USD',
    limit,
    used,
    remaining,
    available: remaining === undefined || remaining > 0,
    ...(freeLimit !== undefined &&
      freeUsed !== undefined && {
        freeDaily: { used: Math.max(0, freeUsed), limit: freeLimit, resetsAt: Math.floor(now / DAY) * DAY + DAY },
      }),
    fetchedAt: now,
  };
}

/** `{code, data: {available_balance, voucher_balance, cash_balance}, status}`; CNY on the .cn platform. */
export function parseMoonshotBalance(body: unknown, now: number, currency: string): Balance | undefined {
  const data = isRecord(body) && isRecord(body.data) ? body.data : undefined;
  const remaining = number(data?.available_balance);
  if (remaining === undefined) return undefined;
  return { source: 'moonshot', currency, remaining, available: remaining > 0, fetchedAt: now };
}

export function parseDeepSeekBalance(body: unknown, now: number): Balance | undefined {
  if (!isRecord(body) || !Array.isArray(body.balance_infos)) return undefined;
  // One entry per currency the account holds. The currency is shown beside the figure: only an ISO
  // code is taken from the server, never text.
  const entries = body.balance_infos
    .slice(0, 8)
    .filter(isRecord)
    .map((entry) => ({ currency: entry.currency ?? 'USD', remaining: number(entry.total_balance) }))
    .filter(
      (entry): entry is { currency: string; remaining: number } =>
        typeof entry.currency === 'string' && /^[A-Z]{3}$/.test(entry.currency) && entry.remaining !== undefined,
    );
  // The money the account can spend: an empty dollar entry beside a funded yuan one is not an
  // empty account (it would stop the backend). Dollars first among those that hold money.
  const funded = entries.filter((entry) => entry.remaining > 0);
  const pick = (list: typeof entries) => list.find((entry) => entry.currency === 'USD') ?? list[0];
  const info = pick(funded) ?? pick(entries);
  if (!info) return undefined;
  return {
    source: 'deepseek',
    currency: info.currency,
    remaining: info.remaining,
    available: body.is_available !== false && info.remaining > 0,
    fetchedAt: now,
  };
}

export function parseLiteLlmKeyInfo(body: unknown, now: number): Balance | undefined {
  const info = isRecord(body) && isRecord(body.info) ? body.info : undefined;
  if (!info) return undefined;
  const used = number(info.spend) ?? 0;
  const limit = number(info.max_budget);
  const reset = typeof info.budget_reset_at === 'string' ? Date.parse(info.budget_reset_at) : NaN;
  return {
    source: 'litellm',
    currency: 'USD',
    used,
    limit,
    remaining: limit !== undefined ? limit - used : undefined,
    available: limit === undefined || used < limit,
    ...(Number.isFinite(reset) && reset > now && { resetsAt: reset }),
    fetchedAt: now,
  };
}

/** Where each source answers, from the backend's configured base URL. */
export function balanceUrl(source: BalanceSource, baseUrl: string): string {
  const url = new URL(baseUrl);
  const root = `${url.protocol}//${url.host}`;
  switch (source) {
    case 'openrouter':
      return `${baseUrl.replace(/\/+$/, '')}/key`;
    case 'deepseek':
      return `${root}/user/balance`;
    case 'litellm':
      // A gateway behind a path (https://gw.example/litellm/) answers under that path too; only
      // the OpenAI-style /v1 suffix is not part of it.
      return `${baseUrl.replace(/\/+$/, '').replace(/\/v1$/, '')}/key/info`;
    case 'moonshot':
      return `${baseUrl.replace(/\/+$/, '')}/users/me/balance`;
  }
}

export async function fetchBalance(
  source: BalanceSource,
  options: {
    providerId: string;
    baseUrl: string;
    apiKey: string;
    headers?: Record<string, string>;
    signal?: AbortSignal;
    now?: () => number;
    /** See `ProviderHooks.confirmPlainHttpKey`; a background poll should not ask, only check. */
    confirmPlainHttpKey?: (origin: string) => Promise<boolean>;
  },
): Promise<Balance | undefined> {
  const deadline = startDeadline({ signal: options.signal }, 10_000);
  try {
    const { data } = await callJson<unknown>({
      providerId: options.providerId,
      url: balanceUrl(source, options.baseUrl),
      headers: { ...options.headers, authorization: `Bearer ${options.apiKey}` },
      apiKey: options.apiKey,
      confirmPlainHttpKey: options.confirmPlainHttpKey,
      deadline,
    });
    const now = (options.now ?? Date.now)();
    if (source === 'openrouter') return parseOpenRouterKey(data, now);
    if (source === 'deepseek') return parseDeepSeekBalance(data, now);
    if (source === 'moonshot')
      return parseMoonshotBalance(data, now, new URL(options.baseUrl).hostname.endsWith('.cn') ? 'CNY' : 'USD');
    return parseLiteLlmKeyInfo(data, now);
  } finally {
    deadline.dispose();
  }
}
