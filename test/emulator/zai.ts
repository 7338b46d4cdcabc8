/**
 * Z.ai's GLM Coding Plan: its OpenAI-compatible root (`/api/coding/paas/v4`, served by openai.ts)
 * and `GET /api/monitor/usage/quota/limit`, which tells the plan's windows:
 * `{code: 200, msg, success, data: {limits: [...], level}}`. `TOKENS_LIMIT` (`unit: 3` hours,
 * `number: 5`) is the model-token window with `nextResetTime` in epoch ms; `TIME_LIMIT` counts MCP
 * tool calls. Older answers carry `usage`/`currentValue`/`remaining` on both, newer ones only
 * `percentage` on the token window. Shape as observed by jukanntenn/glm-plan-usage
 * docs/api-research.md (2026-02).
 */
import type { RequestContext } from './context';

const DEFAULT_TOKENS_PER_5H = 40_000_000;

export function zaiQuota(ctx: RequestContext): Promise<void> {
  const account = ctx.settings.zai ?? {};
  // The tokens the plan's chat routes admitted in the last 5 hours.
  const tracker = ctx.state.quotas.get('zai');
  const used = tracker?.tokensIn5h() ?? 0;
  const limit = account.tokensPer5h ?? DEFAULT_TOKENS_PER_5H;
  const percentage = Math.min(100, Math.round((used / limit) * 100));
  const nextResetTime = tracker?.resetAt('5h') ?? ctx.state.now() + 5 * 3_600_000;
  const tokens = account.percentageOnly
    ? { type: 'TOKENS_LIMIT', unit: 3, number: 5, percentage, nextResetTime }
    : {
        type: 'TOKENS_LIMIT',
        unit: 3,
        number: 5,
        usage: limit,
        currentValue: used,
        remaining: Math.max(0, limit - used),
        percentage,
        nextResetTime,
      };
  return ctx.ok({
    code: 200,
    msg: 'Operation successful',
    data: {
      limits: [
        {
          type: 'TIME_LIMIT',
          unit: 5,
          number: 1,
          usage: 100,
          currentValue: 0,
          remaining: 100,
          percentage: 0,
          usageDetails: [
            { modelCode: 'search-prime', usage: 0 },
            { modelCode: 'web-reader', usage: 0 },
          ],
        },
        tokens,
      ],
      level: account.level ?? 'lite',
    },
    success: true,
  });
}
