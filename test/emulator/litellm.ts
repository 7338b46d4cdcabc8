/**
 * LiteLLM proxy: `GET /key/info` for the calling virtual key (spend, budget, reset).
 * https://docs.litellm.ai/docs/proxy/virtual_keys and https://docs.litellm.ai/docs/proxy/users
 */
import { createHash } from 'node:crypto';
import type { RequestContext } from './context';

export function litellmKeyInfo(ctx: RequestContext): Promise<void> {
  const key = {
    keyAlias: null,
    spend: 1.25,
    maxBudget: 10,
    budgetDuration: '30d',
    budgetResetAt: '2025-02-01T00:00:00Z',
    ...ctx.settings.litellm,
  };
  const presented = (ctx.header('authorization') ?? '').replace(/^Bearer\s+/i, '') || 'sk-emulator';
  return ctx.ok({
    // LiteLLM answers with the key's hash, never the key.
    key: createHash('sha256').update(presented).digest('hex'),
    info: {
      key_name: `sk-...${presented.slice(-4)}`,
      key_alias: key.keyAlias,
      spend: key.spend,
      max_budget: key.maxBudget,
      budget_duration: key.budgetDuration,
      budget_reset_at: key.budgetResetAt,
      expires: null,
      models: [],
      tpm_limit: null,
      rpm_limit: null,
      user_id: null,
      team_id: null,
      metadata: {},
    },
  });
}
