import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { totalsLine, usageLine } from '../../../src/core/chat/usageText';
import { findPreset, PRESETS } from '../../../src/core/providers/presets';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { parseOpenRouterKey, parseMoonshotBalance } from '../../../src/core/usage/balances';
import { evaluateLimits, planWindowReadings, type BackendUsage } from '../../../src/core/usage/limits';
import { parseZaiQuota, zaiQuotaUrl } from '../../../src/core/usage/planQuota';
import { freeQuotaReadings } from '../../../src/core/usage/freeQuota';
import { nearestWindowText, planReadings } from '../../../src/core/usage/planWindows';
import { priceRequest } from '../../../src/core/usage/pricing';
import { describeState } from '../../../src/core/usage/switchAdvice';

const NOW = Date.parse('2026-12-05T10:00:00Z');
const IDLE: BackendUsage = { requestsLastMinute: 0, requestsToday: 0, costToday: {}, costMonth: {} };

function planOf(entry: Record<string, unknown>) {
  const { providers, problems } = parseProviders([{ id: 'p', ...entry }]);
  return { plan: providers[0]?.plan, problems };
}

describe('plan presets', () => {
  it('the Coding Plan presets bill as a plan, on their own hosts, with sk-sp- keys', () => {
    for (const [id, host] of [
      ['coding-plan-intl', 'coding-intl.dashscope.aliyuncs.com'],
      ['coding-plan-cn', 'coding.dashscope.aliyuncs.com'],
    ] as const) {
      const preset = findPreset(id);
      assert.ok(preset);
      assert.equal(preset.billing, 'plan');
      assert.equal(new URL(preset.baseUrl).host, host);
      assert.equal(preset.keyPrefix, 'sk-sp-');
      assert.ok(preset.plan?.weeklyReset, 'the week resets at a fixed time');
    }
    assert.equal(findPreset('zai-coding-plan')?.plan?.usageEndpoint, 'zai-quota');
    // Every plan preset names where its numbers come from.
    for (const preset of PRESETS.filter((p) => p.plan)) assert.ok(preset.plan?.sources);
  });
});

describe('plan settings', () => {
  it('assumes the smallest tier until the user chooses, and says so', () => {
    const { plan, problems } = planOf({ preset: 'coding-plan-cn' });
    assert.deepEqual(problems, []);
    assert.equal(plan?.tier, 'lite');
    assert.equal(plan?.tierAssumed, true);
    assert.deepEqual(
      plan?.windows.map((w) => w.limit),
      [1200, 9000, 18000],
    );
  });

  it('a chosen tier takes its documented numbers; the Alibaba week resets Monday 00:00 Asia/Shanghai', () => {
    const { plan } = planOf({ preset: 'coding-plan-intl', plan: { tier: 'pro' } });
    assert.equal(plan?.tierAssumed, false);
    assert.deepEqual(plan?.windows, [
      { kind: 'rolling', hours: 5, limit: 6000 },
      { kind: 'weekly', limit: 45000, reset: { weekday: 1, hour: 0, timeZone: 'Asia/Shanghai' } },
      { kind: 'monthly', limit: 90000, reset: { day: 1, hour: 0, timeZone: 'Asia/Shanghai' } },
    ]);
  });

  it('custom numbers and resets win over the tier', () => {
    const { plan } = planOf({
      preset: 'coding-plan-intl',
      plan: { tier: 'pro', requestsPer5h: 100, monthlyResetDay: 17, resetTimeZone: 'Europe/Berlin' },
    });
    assert.deepEqual(plan?.windows[0], { kind: 'rolling', hours: 5, limit: 100 });
    assert.deepEqual(plan?.windows[2], {
      kind: 'monthly',
      limit: 90000,
      reset: { day: 17, hour: 0, timeZone: 'Europe/Berlin' },
    });
  });

  it('any backend can carry a plan of the user’s own numbers', () => {
    const { plan } = planOf({
      preset: 'custom',
      plan: { requestsPer5h: 50, weeklyResetDay: 'friday', requestsPerWeek: 300 },
    });
    assert.equal(plan?.tier, 'custom');
    assert.deepEqual(plan?.windows[1], { kind: 'weekly', limit: 300, reset: { weekday: 5, hour: 0, timeZone: 'UTC' } });
  });

  it('a tier the plan does not have, or a time zone that does not exist, is a clear problem', () => {
    const max = planOf({ preset: 'coding-plan-intl', plan: { tier: 'max' } });
    assert.match(max.problems[0]?.message ?? '', /plan\.tier has no "max" tier for Coding Plan; use "lite", "pro"/);
    assert.equal(max.plan?.tier, 'lite');
    const zone = parseProviders([{ id: 'p', preset: 'coding-plan-intl', plan: { resetTimeZone: 'Mars/Olympus' } }]);
    assert.equal(zone.providers.length, 0);
    assert.match(zone.problems[0]?.message ?? '', /resetTimeZone must be a time zone/);
  });
});

describe('plan windows as limits', () => {
  const windows = [{ kind: 'rolling', hours: 5, limit: 10 } as const];
  const times = (n: number) => Array.from({ length: n }, (_, i) => NOW - 60_000 * (n - i));

  it('warns from 80% and is exhausted at the limit, naming the window', () => {
    const at = (n: number) =>
      evaluateLimits({
        limits: {},
        usage: IDLE,
        planWindows: planReadings(windows, times(n), NOW, 'requests'),
        now: NOW,
      });
    assert.equal(at(7).level, 'ok');
    const warning = at(8);
    assert.equal(warning.level, 'warning');
    assert.equal(warning.worst?.kind, 'plan-window');
    assert.match(
      describeState('Coding Plan', warning, NOW) ?? '',
      /is at 80% of a limit: 8 of 10 plan requests in 5 h; it resets at /,
    );
    const exhausted = at(10);
    assert.equal(exhausted.level, 'exhausted');
    assert.match(
      describeState('Coding Plan', exhausted, NOW) ?? '',
      /reached its limit: 10 of 10 plan requests in 5 h/,
    );
    assert.equal(
      nearestWindowText('Coding Plan', planWindowReadings(warning), NOW, 'UTC'),
      'Coding Plan · 8 / 10 in 5 h · resets 14:52',
    );
  });
});

describe('included in plan', () => {
  const usage = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true };

  it('a plan request is priced as in the plan: never unknown, never a plain $0', () => {
    assert.deepEqual(
      priceRequest({ presetId: 'coding-plan-intl', local: false, plan: true, model: 'qwen3-coder-plus', usage }),
      {
        micros: 0,
        currency: 'USD',
        source: 'plan',
      },
    );
    // The same model without the plan is not priced by the plan.
    assert.equal(
      priceRequest({ presetId: 'coding-plan-intl', local: false, model: 'qwen3-coder-plus', usage }).source,
      'unknown',
    );
    assert.equal(
      usageLine({ inputTokens: 1000, outputTokens: 100, reported: true, costMicros: 0, inPlan: true }),
      '1,000 in · 100 out tokens · included in plan',
    );
    assert.equal(
      totalsLine({ requests: 3, inputTokens: 10, outputTokens: 5, cost: {}, unpriced: 0, inPlan: 3 }),
      '3 requests · 15 tokens · included in plan',
    );
    assert.equal(
      totalsLine({ requests: 3, inputTokens: 10, outputTokens: 5, cost: { USD: 4200 }, unpriced: 0, inPlan: 2 }),
      '3 requests · 15 tokens · $0.0042 + 2 in plan',
    );
  });
});

describe("providers' own usage figures", () => {
  it("Z.ai's quota endpoint: the 5-hour token window, in either shape; MCP calls left out", () => {
    const reset = NOW + 3_600_000;
    const withCounts = parseZaiQuota(
      {
        code: 200,
        msg: 'ok',
        success: true,
        data: {
          limits: [
            { type: 'TIME_LIMIT', unit: 5, number: 1, usage: 100, currentValue: 20, remaining: 80, percentage: 20 },
            {
              type: 'TOKENS_LIMIT',
              unit: 3,
              number: 5,
              usage: 40_000_000,
              currentValue: 13_050_812,
              remaining: 26_949_188,
              percentage: 32,
              nextResetTime: reset,
            },
          ],
          level: 'lite',
        },
      },
      NOW,
    );
    assert.deepEqual(withCounts?.windows, [
      {
        window: 'in 5 h',
        used: 13_050_812,
        limit: 40_000_000,
        fraction: 13_050_812 / 40_000_000,
        unit: 'tokens',
        resetsAt: reset,
      },
    ]);
    assert.equal(withCounts?.level, 'lite');
    const shareOnly = parseZaiQuota(
      {
        code: 200,
        data: { limits: [{ type: 'TOKENS_LIMIT', unit: 3, number: 5, percentage: 85, nextResetTime: reset }] },
      },
      NOW,
    );
    assert.deepEqual(shareOnly?.windows[0], {
      window: 'in 5 h',
      used: 85,
      limit: 100,
      fraction: 0.85,
      unit: 'percent',
      resetsAt: reset,
    });
    assert.equal(parseZaiQuota({ code: 401, msg: 'token expired' }, NOW), undefined);
    assert.equal(zaiQuotaUrl('https://api.z.ai/api/coding/paas/v4'), 'https://api.z.ai/api/monitor/usage/quota/limit');
  });

  it("Z.ai's quota endpoint: a reset time no clock can show is left out, and the status bar still reads", () => {
    const quota = parseZaiQuota(
      {
        code: 200,
        data: { limits: [{ type: 'TOKENS_LIMIT', unit: 3, number: 5, percentage: 40, nextResetTime: 1e20 }] },
      },
      NOW,
    );
    assert.equal(quota?.windows[0]?.resetsAt, undefined);
    assert.equal(nearestWindowText('GLM Coding Plan', quota?.windows ?? [], NOW), 'GLM Coding Plan · 40% in 5 h');
  });

  it("OpenRouter's key endpoint: the account's :free allowance replaces the published 50/day", () => {
    const balance = parseOpenRouterKey(
      {
        data: {
          label: 'sk-or-v1-abc...123',
          limit: null,
          usage: 0,
          is_free_tier: false,
          free_model_daily_requests: { limit: 1000, remaining: 150, used: 850 },
        },
      },
      NOW,
    );
    assert.deepEqual(balance?.freeDaily, { used: 850, limit: 1000, resetsAt: Date.parse('2026-12-06T00:00:00Z') });
    const state = evaluateLimits({
      limits: {},
      presetQuota: findPreset('openrouter')?.quota,
      usage: { ...IDLE, requestsToday: 60 },
      freeDaily: balance?.freeDaily,
      now: NOW,
    });
    assert.equal(state.level, 'warning');
    assert.equal(state.worst?.kind, 'free-requests-per-day');
    assert.ok(!state.readings.some((r) => r.kind === 'requests-per-day'), 'the published 50/day no longer applies');
  });

  it("Moonshot's balance, in the platform's currency", () => {
    const body = { code: 0, data: { available_balance: 49.58, voucher_balance: 46.58, cash_balance: 3 }, status: true };
    assert.deepEqual(parseMoonshotBalance(body, NOW, 'USD'), {
      source: 'moonshot',
      currency: 'USD',
      remaining: 49.58,
      available: true,
      fetchedAt: NOW,
    });
  });
});

describe("Model Studio's free quota", () => {
  const quota = { model: 'qwen3-coder-plus', tokens: 1_000_000, until: '2027-03-01' };

  it('counts the tokens sent to that model since its start and warns before it runs out', () => {
    const asked: string[] = [];
    const readings = freeQuotaReadings(
      [quota],
      (model, fromDay) => {
        asked.push(`${model} ${fromDay}`);
        return 850_000;
      },
      NOW,
    );
    // 90 days before the end of 2027-03-01.
    assert.deepEqual(asked, ['qwen3-coder-plus 2026-12-02']);
    assert.deepEqual(readings, [
      {
        model: 'qwen3-coder-plus',
        used: 850_000,
        limit: 1_000_000,
        remaining: 150_000,
        expiresAt: Date.parse('2027-03-02T00:00:00Z'),
      },
    ]);
    const state = evaluateLimits({ limits: {}, usage: IDLE, freeTokens: readings, now: NOW });
    assert.equal(state.level, 'warning');
    assert.match(
      describeState('Qwen', state, NOW) ?? '',
      /150,000 of 1,000,000 free tokens remaining for qwen3-coder-plus/,
    );
  });

  it('a spent allowance warns but does not block: calls are then billed', () => {
    const readings = freeQuotaReadings([{ ...quota, since: '2026-12-01' }], () => 1_200_000, NOW);
    assert.equal(readings[0]?.remaining, 0);
    const state = evaluateLimits({ limits: {}, usage: IDLE, freeTokens: readings, now: NOW });
    assert.equal(state.level, 'warning');
    assert.match(
      describeState('Qwen', state, NOW) ?? '',
      /free tokens for qwen3-coder-plus used up; calls are now billed/,
    );
  });

  it('an expired allowance is gone; a bad date is a clear settings problem', () => {
    assert.deepEqual(
      freeQuotaReadings([{ ...quota, until: '2026-12-04' }], () => 0, NOW),
      [],
    );
    const { problems } = parseProviders([
      {
        id: 'q',
        preset: 'dashscope-intl',
        freeQuota: [{ model: 'qwen3-coder-plus', tokens: 1000, until: '2027-02-30' }],
      },
    ]);
    assert.match(problems[0]?.message ?? '', /freeQuota\.0\.until must be a date like "2027-03-01"/);
  });
});

describe("a plan tier's note beside the user's own figures", () => {
  it('the international Lite note names only the figures still inferred from China', () => {
    const inferred = planOf({ preset: 'coding-plan-intl' }).plan?.note ?? '';
    assert.match(inferred, /The 5-hour and weekly limits are those Alibaba publishes for Lite in China/);
    const own5h = planOf({ preset: 'coding-plan-intl', plan: { requestsPer5h: 10 } }).plan?.note ?? '';
    assert.doesNotMatch(own5h, /5-hour/, own5h);
    assert.match(own5h, /The weekly limit is the one Alibaba publishes for Lite in China/);
    const ownBoth = planOf({ preset: 'coding-plan-intl', plan: { requestsPer5h: 10, requestsPerWeek: 70 } }).plan;
    assert.equal(ownBoth?.note, undefined);
  });

  it("the GLM plan's estimate is not said beside the user's own 5-hour figure", () => {
    assert.match(planOf({ preset: 'zai-coding-plan' }).plan?.note ?? '', /an estimate/);
    assert.equal(planOf({ preset: 'zai-coding-plan', plan: { requestsPer5h: 50 } }).plan?.note, undefined);
  });
});
