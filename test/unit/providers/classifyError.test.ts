import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyHttpError, classifyStreamError, type HeaderSource } from '../../../src/core/providers/classifyError';
import type { ProviderError, ProviderErrorKind } from '../../../src/core/providers/providerError';

const NOW = Date.parse('2026-02-06T19:08:04Z');
const OPENAI_KEY = 'sk-proj-abcDEF1234567890ghijklmnopQRSTuvwx';
const DASHSCOPE_KEY = 'sk-0123456789abcdef0123456789abcdef';

function http(
  providerId: string,
  status: number,
  body: unknown,
  headers: HeaderSource = {},
  apiKey?: string,
): ProviderError {
  return classifyHttpError({ providerId, status, body, headers, apiKey, now: NOW });
}

function expectKind(error: ProviderError, kind: ProviderErrorKind, retryable: boolean, status?: number): void {
  assert.equal(error.kind, kind, error.message);
  assert.equal(error.retryable, retryable, `retryable for ${kind}`);
  assert.equal(error.status, status);
}

describe('classifyHttpError: OpenAI', () => {
  const openaiQuota = (code: string | null) => ({
    error: {
      message: 'You exceeded your current quota, please check your plan and billing details.',
      type: 'insufficient_quota',
      param: null,
      code,
    },
  });

  it('429 insufficient_quota is quota-exhausted, not retryable, with no wait even when headers offer one', () => {
    const error = http('openai', 429, openaiQuota('insufficient_quota'), {
      'retry-after': '20',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '1s',
    });
    expectKind(error, 'quota-exhausted', false, 429);
    assert.equal(error.retryAfterMs, undefined);
    assert.equal(error.code, 'insufficient_quota');
    assert.match(error.message, /^Quota exhausted \(openai 429\): You exceeded your current quota/);
  });

  it('the older shape with only the type set is quota-exhausted too', () => {
    expectKind(http('openai', 429, openaiQuota(null)), 'quota-exhausted', false, 429);
  });

  // error.type stays insufficient_quota; error.code names the billing cause
  // (https://help.openai.com/en/articles/6614457-troubleshooting-api-usage-and-spend-limits).
  for (const code of [
    'credit_balance_exhausted',
    'organization_spend_limit_exceeded',
    'project_spend_limit_exceeded',
    'organization_usage_limit_exceeded',
  ]) {
    it(`429 ${code} is quota-exhausted and keeps the specific code`, () => {
      const error = http('openai', 429, openaiQuota(code));
      expectKind(error, 'quota-exhausted', false, 429);
      assert.equal(error.code, code);
    });
  }

  it('429 rate_limit_exceeded is rate-limited and waits for the exhausted window', () => {
    const error = http(
      'openai',
      429,
      {
        error: {
          message:
            'Rate limit reached for gpt-4.1 in organization org-abc on tokens per min (TPM): Limit 30000, Used 29500, Requested 1200. Please try again in 1.4s.',
          type: 'tokens',
          param: null,
          code: 'rate_limit_exceeded',
        },
      },
      {
        'x-ratelimit-limit-requests': '500',
        'x-ratelimit-remaining-requests': '499',
        'x-ratelimit-reset-requests': '120ms',
        'x-ratelimit-limit-tokens': '30000',
        'x-ratelimit-remaining-tokens': '0',
        'x-ratelimit-reset-tokens': '1.4s',
        'x-request-id': 'req_d2f6',
      },
    );
    expectKind(error, 'rate-limited', true, 429);
    assert.equal(error.retryAfterMs, 1_400);
    assert.equal(error.resetAt, NOW + 1_400);
    assert.equal(error.requestId, 'req_d2f6');
  });

  it('retry-after-ms beats the windows', () => {
    const error = http(
      'openai',
      429,
      { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
      new Headers({
        'retry-after-ms': '250',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '6m0s',
      }),
    );
    assert.equal(error.retryAfterMs, 250);
  });

  it('401 invalid_api_key is auth, and the echoed key is redacted', () => {
    const error = http(
      'openai',
      401,
      {
        error: {
          message: `Incorrect API key provided: ${OPENAI_KEY}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      },
      {},
      OPENAI_KEY,
    );
    expectKind(error, 'auth', false, 401);
    assert.ok(!error.message.includes(OPENAI_KEY), error.message);
    assert.ok(!error.message.includes('ghijklmnop'), error.message);
    assert.match(error.message, /^Authentication failed \(openai 401\): Incorrect API key provided: \[redacted\]/);
  });

  it('redacts a key-shaped token even when the caller did not pass the key', () => {
    const error = http('openai', 401, {
      error: {
        message: `Incorrect API key provided: ${OPENAI_KEY}.`,
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      },
    });
    assert.ok(!error.message.includes(OPENAI_KEY), error.message);
  });

  it('404 model_not_found is model-not-found', () => {
    const error = http('openai', 404, {
      error: {
        message: 'The model `gpt-9` does not exist or you do not have access to it.',
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      },
    });
    expectKind(error, 'model-not-found', false, 404);
  });

  it('400 context_length_exceeded is context-too-long', () => {
    const error = http('openai', 400, {
      error: {
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      },
    });
    expectKind(error, 'context-too-long', false, 400);
  });

  it('decides on the code, never on words in the message', () => {
    const error = http('openai', 400, {
      error: {
        message: 'Invalid value for rate limit quota: insufficient_quota is not a valid tier.',
        type: 'invalid_request_error',
        param: 'service_tier',
        code: null,
      },
    });
    expectKind(error, 'bad-request', false, 400);
  });
});

describe('classifyHttpError: Anthropic', () => {
  const anthropic = (type: string, message: string, details?: unknown) => ({
    type: 'error',
    error: { ...(details !== undefined && { details }), type, message },
    request_id: 'req_011CZR7dxurmpk4f459h33CD',
  });

  it('429 rate_limit_error with retry-after is rate-limited and waits as told', () => {
    const error = http(
      'anthropic',
      429,
      anthropic(
        'rate_limit_error',
        'This request would exceed the rate limit for your organization of 50,000 input tokens per minute.',
        null,
      ),
      {
        'retry-after': '17',
        'anthropic-ratelimit-input-tokens-limit': '50000',
        'anthropic-ratelimit-input-tokens-remaining': '0',
        'anthropic-ratelimit-input-tokens-reset': '2026-02-06T19:09:00Z',
        'request-id': 'req_011CZR7dxurmpk4f459h33CD',
      },
    );
    expectKind(error, 'rate-limited', true, 429);
    assert.equal(error.retryAfterMs, 17_000);
    assert.equal(error.requestId, 'req_011CZR7dxurmpk4f459h33CD');
  });

  it('429 rate_limit_error with details.error_code enforced_spend_limit_reached is quota-exhausted', () => {
    const body = anthropic(
      'rate_limit_error',
      "This request would exceed your account's monthly spend limit. Please try again later.",
      { error_code: 'enforced_spend_limit_reached' },
    );
    // No retry-after: access resumes next month.
    const error = http('anthropic', 429, body, { 'request-id': 'req_011CcEKSiJyvQLd8zW1kBxWe' });
    expectKind(error, 'quota-exhausted', false, 429);
    assert.equal(error.code, 'enforced_spend_limit_reached');
    assert.equal(error.retryAfterMs, undefined);
  });

  it('529 overloaded_error is overloaded and retryable', () => {
    expectKind(http('anthropic', 529, anthropic('overloaded_error', 'Overloaded')), 'overloaded', true, 529);
  });

  it('402 billing_error is insufficient-balance', () => {
    const error = http(
      'anthropic',
      402,
      anthropic('billing_error', 'Your credit balance is too low to access the Anthropic API.'),
    );
    expectKind(error, 'insufficient-balance', false, 402);
  });

  it('400 invalid_request_error for a user spend limit stays bad-request (only the message tells)', () => {
    const error = http(
      'anthropic',
      400,
      anthropic(
        'invalid_request_error',
        'You have reached your specified API usage limits. You will regain access on 2026-03-01 at 00:00 UTC.',
      ),
    );
    expectKind(error, 'bad-request', false, 400);
  });

  it('401 authentication_error and 403 permission_error are auth', () => {
    expectKind(http('anthropic', 401, anthropic('authentication_error', 'invalid x-api-key')), 'auth', false, 401);
    expectKind(
      http(
        'anthropic',
        403,
        anthropic('permission_error', 'Your API key does not have permission to use the specified resource.'),
      ),
      'auth',
      false,
      403,
    );
  });

  it('404 not_found_error is model-not-found', () => {
    expectKind(http('anthropic', 404, anthropic('not_found_error', 'model: claude-9')), 'model-not-found', false, 404);
  });

  it('413 request_too_large is context-too-long, also when Cloudflare answers in HTML', () => {
    expectKind(
      http('anthropic', 413, anthropic('request_too_large', 'Request exceeds the maximum allowed number of bytes.')),
      'context-too-long',
      false,
      413,
    );
    const html = http('anthropic', 413, '<html><head><title>413 Request Entity Too Large</title></head></html>');
    expectKind(html, 'context-too-long', false, 413);
    assert.equal(html.message, 'Request too long for the model (anthropic 413).');
  });

  it('500 api_error is server and retryable', () => {
    expectKind(http('anthropic', 500, anthropic('api_error', 'Internal server error')), 'server', true, 500);
  });
});

describe('classifyHttpError: DashScope (Model Studio)', () => {
  it('native Throttling and Throttling.RateQuota are rate-limited', () => {
    const rate = http('dashscope', 429, {
      code: 'Throttling.RateQuota',
      message: 'Requests rate limit exceeded, please try again later.',
      request_id: '1f6a7a5e-2c1d-9b3e-8d7a-0c5b2e4f6a1b',
    });
    expectKind(rate, 'rate-limited', true, 429);
    assert.equal(rate.code, 'Throttling.RateQuota');
    assert.equal(rate.requestId, '1f6a7a5e-2c1d-9b3e-8d7a-0c5b2e4f6a1b');
    expectKind(
      http('dashscope', 429, { code: 'Throttling', message: 'Requests throttling triggered.', request_id: 'r1' }),
      'rate-limited',
      true,
      429,
    );
  });

  it('native Throttling.AllocationQuota is quota-exhausted', () => {
    const error = http('qwen', 429, {
      code: 'Throttling.AllocationQuota',
      message: 'Free allocated quota exceeded.',
      request_id: 'r2',
    });
    expectKind(error, 'quota-exhausted', false, 429);
    assert.equal(error.message, 'Quota exhausted (qwen 429): Free allocated quota exceeded.');
  });

  it('compatible-mode insufficient_quota is quota-exhausted', () => {
    const error = http('dashscope', 429, {
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        param: null,
        code: 'insufficient_quota',
      },
      request_id: 'r3',
    });
    expectKind(error, 'quota-exhausted', false, 429);
  });

  it('403 AllocationQuota.FreeTierOnly is quota-exhausted', () => {
    const error = http('dashscope', 403, {
      error: {
        message:
          'The free quota has been exhausted. To continue accessing the model on a paid basis, please complete your payment information.',
        type: 'AllocationQuota.FreeTierOnly',
        param: null,
        code: 'AllocationQuota.FreeTierOnly',
      },
    });
    expectKind(error, 'quota-exhausted', false, 403);
  });

  it('Arrearage (compatible 400, native 403) is insufficient-balance', () => {
    // Body as quoted on https://help.aliyun.com/en/model-studio/error-code.
    const compatible = http('dashscope', 400, {
      error: {
        code: 'Arrearage',
        param: null,
        message: 'Access denied, please make sure your account is in good standing.',
        type: 'Arrearage',
      },
    });
    expectKind(compatible, 'insufficient-balance', false, 400);
    const native = http('dashscope', 403, {
      code: 'Arrearage',
      message: 'Access denied, please make sure your account is in good standing.',
      request_id: 'r4',
    });
    expectKind(native, 'insufficient-balance', false, 403);
  });

  it('InvalidApiKey / invalid_api_key 401 is auth, and the echoed key is redacted', () => {
    const native = http(
      'dashscope',
      401,
      { code: 'InvalidApiKey', message: `Invalid API-key provided: ${DASHSCOPE_KEY}`, request_id: 'r5' },
      {},
      DASHSCOPE_KEY,
    );
    expectKind(native, 'auth', false, 401);
    assert.ok(!native.message.includes(DASHSCOPE_KEY), native.message);
    const compatible = http('dashscope', 401, {
      error: {
        message: 'Incorrect API key provided. ',
        type: 'invalid_request_error',
        param: null,
        code: 'invalid_api_key',
      },
    });
    expectKind(compatible, 'auth', false, 401);
  });
});

describe('classifyHttpError: DeepSeek', () => {
  it('402 Insufficient Balance is insufficient-balance despite its generic code', () => {
    // The real body (https://github.com/Aider-AI/aider/issues/4851): code and type say nothing, the status does.
    const error = http('deepseek', 402, {
      error: { message: 'Insufficient Balance', type: 'unknown_error', param: null, code: 'invalid_request_error' },
    });
    expectKind(error, 'insufficient-balance', false, 402);
    assert.equal(error.message, 'Insufficient balance (deepseek 402): Insufficient Balance');
  });

  it('429 is rate-limited with no wait, since DeepSeek sends no rate-limit headers', () => {
    const error = http('deepseek', 429, {
      error: { message: 'Rate Limit Reached', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' },
    });
    expectKind(error, 'rate-limited', true, 429);
    assert.equal(error.retryAfterMs, undefined);
  });

  it('503 is overloaded', () => {
    const error = http('deepseek', 503, {
      error: { message: 'Server Overloaded', type: 'unknown_error', param: null, code: 'invalid_request_error' },
    });
    expectKind(error, 'overloaded', true, 503);
  });
});

describe('classifyHttpError: Gemini (its OpenAI-compatible endpoint)', () => {
  // Google's errors, which the OpenAI-compatible endpoint wraps in a one-element list
  // (continuedev/continue#8516, n4ze3m/page-assist#406); the details as the native API sends them
  // (googleapis/python-genai#2044, google/timesketch#3703).
  const google = (code: number, status: string, message: string, details: unknown[] = []) => [
    { error: { code, message, status, details } },
  ];
  const help = {
    '@type': 'type.googleapis.com/google.rpc.Help',
    links: [{ url: 'https://ai.google.dev/gemini-api/docs/rate-limits' }],
  };
  const violation = (quotaId: string) => ({
    quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests',
    quotaId,
    quotaDimensions: { location: 'global', model: 'gemini-3.5-flash-lite' },
  });
  const quotaFailure = (...quotaIds: string[]) => ({
    '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
    violations: quotaIds.map(violation),
  });
  const retryInfo = (delay: string) => ({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: delay });
  const QUOTA_TEXT =
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.';

  it("400 API_KEY_INVALID is auth, with Google's own words, not a bad request", () => {
    const error = http(
      'gemini',
      400,
      google(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', [
        { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' },
      ]),
    );
    expectKind(error, 'auth', false, 400);
    assert.equal(error.message, 'Authentication failed (gemini 400): API key not valid. Please pass a valid API key.');
    assert.equal(error.code, 'API_KEY_INVALID');
  });

  it('429 RESOURCE_EXHAUSTED on a per-minute quota is rate-limited and waits the RetryInfo delay', () => {
    const error = http(
      'gemini',
      429,
      google(429, 'RESOURCE_EXHAUSTED', `${QUOTA_TEXT}\nPlease retry in 46.57s.`, [
        help,
        quotaFailure('GenerateRequestsPerMinutePerProjectPerModel-FreeTier'),
        retryInfo('46.570s'),
      ]),
    );
    expectKind(error, 'rate-limited', true, 429);
    assert.equal(error.retryAfterMs, 46_570);
    assert.equal(error.resetAt, NOW + 46_570);
    assert.match(error.message, /^Rate limited \(gemini 429\): You exceeded your current quota/);
  });

  it('429 RESOURCE_EXHAUSTED on the per-day quota is quota-exhausted until midnight Pacific, never retried', () => {
    // Google lists every quota the request ran past; one per day means nothing more today.
    const error = http(
      'gemini',
      429,
      google(429, 'RESOURCE_EXHAUSTED', `${QUOTA_TEXT}\nPlease retry in 7.9s.`, [
        help,
        quotaFailure(
          'GenerateRequestsPerMinutePerProjectPerModel-FreeTier',
          'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
        ),
        retryInfo('7s'),
      ]),
    );
    expectKind(error, 'quota-exhausted', false, 429);
    assert.equal(error.code, 'GenerateRequestsPerDayPerProjectPerModel-FreeTier');
    assert.equal(error.retryAfterMs, undefined, 'the few seconds Google suggests would only meet the same refusal');
    // 2026-02-06 19:08Z is 11:08 PST; the day's requests come back at 00:00 PST, 08:00Z.
    assert.equal(error.resetAt, Date.parse('2026-02-07T08:00:00Z'));
    assert.match(error.message, /^Quota exhausted \(gemini 429\): You exceeded your current quota/);
  });

  it('the per-day reset follows Pacific daylight time in summer', () => {
    const summer = Date.parse('2026-07-01T12:00:00Z');
    const error = classifyHttpError({
      providerId: 'gemini',
      status: 429,
      body: google(429, 'RESOURCE_EXHAUSTED', QUOTA_TEXT, [
        quotaFailure('GenerateRequestsPerDayPerProjectPerModel-FreeTier'),
      ]),
      headers: {},
      now: summer,
    });
    assert.equal(error.resetAt, Date.parse('2026-07-02T07:00:00Z'));
  });

  it('503 UNAVAILABLE is overloaded and 403 PERMISSION_DENIED is auth', () => {
    expectKind(
      http('gemini', 503, google(503, 'UNAVAILABLE', 'The model is overloaded. Please try again later.')),
      'overloaded',
      true,
      503,
    );
    expectKind(
      http(
        'gemini',
        403,
        google(403, 'PERMISSION_DENIED', 'Your API key was reported as leaked. Please use another API key.'),
      ),
      'auth',
      false,
      403,
    );
  });

  it("a refused parameter keeps Google's words, so the client can leave the parameter out", () => {
    const error = http(
      'gemini',
      400,
      google(400, 'INVALID_ARGUMENT', 'Budget 0 is invalid. This model only works in thinking mode.'),
    );
    expectKind(error, 'bad-request', false, 400);
    assert.match(error.message, /This model only works in thinking mode/);
  });

  it('the same body unwrapped (the native API, or an SDK that took the list apart) reads the same', () => {
    const [inner] = google(429, 'RESOURCE_EXHAUSTED', QUOTA_TEXT, [
      quotaFailure('GenerateRequestsPerDayPerProjectPerModel-FreeTier'),
    ]);
    expectKind(http('gemini', 429, inner), 'quota-exhausted', false, 429);
    expectKind(http('gemini', 429, inner?.error), 'quota-exhausted', false, 429);
  });
});

describe('classifyHttpError: Moonshot (Kimi)', () => {
  // OpenAI's shape with Moonshot's own types. An empty prepaid balance suspends the account with
  // `exceeded_current_quota_error`, sent as 429 (forum.moonshot.ai/t/api-billing-behaviour/111,
  // /t/429-insufficient-balance/244) or 403 (kimi.com/help/kimi-api/api-error-codes).
  const moonshot = (type: string, message: string) => ({ error: { message, type } });

  it('exceeded_current_quota_error is an empty balance, whether it comes as 429 or 403', () => {
    const body = moonshot(
      'exceeded_current_quota_error',
      'Your account org-1<ak-2> is suspended, please check your plan and billing details',
    );
    expectKind(http('moonshot', 429, body), 'insufficient-balance', false, 429);
    expectKind(http('moonshot', 403, body), 'insufficient-balance', false, 403);
  });

  it('rate_limit_reached_error is a rate limit, engine_overloaded_error an overload, invalid_authentication_error auth', () => {
    expectKind(
      http('moonshot', 429, moonshot('rate_limit_reached_error', 'max RPM reached')),
      'rate-limited',
      true,
      429,
    );
    expectKind(
      http(
        'moonshot',
        429,
        moonshot('engine_overloaded_error', 'The engine is currently overloaded, please try again later'),
      ),
      'overloaded',
      true,
      429,
    );
    expectKind(
      http('moonshot', 401, moonshot('invalid_authentication_error', 'Invalid Authentication')),
      'auth',
      false,
      401,
    );
  });
});

describe('classifyHttpError: LiteLLM proxy', () => {
  it('budget_exceeded (a key, user or team budget spent) is a spent quota, whether sent as 429 or as 400', () => {
    // As LiteLLM answers it (BerriAI/litellm#40002; older versions said 400, BerriAI/litellm#14144).
    const body = (code: string) => ({
      error: {
        message: 'Budget has been exceeded! Key=e7fb… Current cost: 2.6, Max budget: 2.5',
        type: 'budget_exceeded',
        param: null,
        code,
      },
    });
    const error = http('team-gateway', 429, body('429'));
    expectKind(error, 'quota-exhausted', false, 429);
    assert.equal(error.code, 'budget_exceeded');
    assert.match(error.message, /Budget has been exceeded/);
    expectKind(http('team-gateway', 400, body('400')), 'quota-exhausted', false, 400);
  });
});

describe('classifyHttpError: one-api / new-api gateways', () => {
  it('403 insufficient_user_quota (the gateway account is out of credit) is an empty balance, not a bad key', () => {
    const error = http('gateway', 403, {
      error: {
        message: 'Your account balance is insufficient. Please recharge your account to continue using the API.',
        type: 'new_api_error',
        code: 'insufficient_user_quota',
      },
    });
    expectKind(error, 'insufficient-balance', false, 403);
  });
});

describe('classifyHttpError: Z.ai / Zhipu (GLM)', () => {
  // Z.ai's business codes in `error.code`, a string, under a status that says less: most come as
  // 429 (https://docs.bigmodel.cn/cn/api/api-code, docs.z.ai/api-reference/api-code; bodies as users
  // quote them: dirge-code/dirge#818, kaitranntt/ccs#402, anthropics/claude-code#9201).
  const zai = (code: string, message: string) => ({ error: { code, message } });

  it("429 1308 (the GLM Coding Plan's 5-hour window spent) is quota-exhausted, not a rate limit to retry", () => {
    const error = http('zai', 429, zai('1308', '已达到 5 小时的使用上限。您的限额将在 2026-08-25 07:41:44 重置。'));
    expectKind(error, 'quota-exhausted', false, 429);
    assert.equal(error.code, '1308');
    assert.match(error.message, /5 小时的使用上限/);
  });

  it('1310 (weekly or monthly limit) and 1304 (daily call limit) are quota-exhausted; 1309 (plan expired) too', () => {
    for (const code of ['1310', '1304', '1309'])
      expectKind(http('zai', 429, zai(code, 'limit')), 'quota-exhausted', false, 429);
  });

  it('429 1113 (arrears) is insufficient-balance, in the OpenAI shape and in the Anthropic one', () => {
    expectKind(
      http('zai', 429, zai('1113', 'Insufficient balance or no resource package. Please recharge.')),
      'insufficient-balance',
      false,
      429,
    );
    const anthropicShape = {
      type: 'error',
      error: { type: '1113', message: 'Insufficient balance or no resource package. Please recharge.' },
      request_id: '202510091744123546de24396949b8',
    };
    expectKind(http('zai', 429, anthropicShape), 'insufficient-balance', false, 429);
  });

  it('1302, 1303, 1305 and 1313 are rate limits; 1312 (the model is busy) is an overload', () => {
    for (const code of ['1302', '1303', '1305', '1313'])
      expectKind(http('zai', 429, zai(code, 'High concurrency usage of this API')), 'rate-limited', true, 429);
    expectKind(http('zai', 429, zai('1312', 'busy')), 'overloaded', true, 429);
  });

  it('1000–1004 and a locked account are auth; 1211 and 1311 model-not-found; 1261 context-too-long', () => {
    for (const code of ['1000', '1001', '1002', '1003', '1004', '1112', '1121'])
      expectKind(http('zai', 401, zai(code, 'Authentication failed')), 'auth', false, 401);
    expectKind(
      http('zai', 400, zai('1211', 'Unknown Model, please check the model code.')),
      'model-not-found',
      false,
      400,
    );
    expectKind(http('zai', 400, zai('1311', 'Your plan does not include this model')), 'model-not-found', false, 400);
    expectKind(http('zai', 400, zai('1261', 'Prompt exceeds max length')), 'context-too-long', false, 400);
  });
});

describe('classifyHttpError: OpenRouter', () => {
  it('402 with limit_source openrouter_credits is insufficient-balance and keeps the source', () => {
    const error = http('openrouter', 402, {
      error: {
        code: 402,
        message: 'Insufficient credits. Add more using https://openrouter.ai/credits',
        metadata: { limit_source: 'openrouter_credits' },
      },
    });
    expectKind(error, 'insufficient-balance', false, 402);
    assert.equal(error.limitSource, 'openrouter_credits');
  });

  it('402 with limit_source openrouter_key_limit is quota-exhausted and keeps the source', () => {
    const error = http('openrouter', 402, {
      error: {
        code: 402,
        message: 'Key limit exceeded (total limit). Manage it using https://openrouter.ai/settings/keys',
        metadata: { limit_source: 'openrouter_key_limit' },
      },
    });
    expectKind(error, 'quota-exhausted', false, 402);
    assert.equal(error.limitSource, 'openrouter_key_limit');
  });

  it('429 is rate-limited; the reset copied into the body sets the wait', () => {
    // Shape from https://github.com/Gitlawb/openclaude/issues/936; a daily cap resets hours away.
    const resetAt = NOW + 5 * 3_600_000;
    const error = http('openrouter', 429, {
      error: {
        message: 'Rate limit exceeded: free-models-per-day. Add 10 credits to unlock 1000 free model requests per day',
        code: 429,
        metadata: {
          headers: { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(resetAt) },
        },
      },
    });
    expectKind(error, 'rate-limited', true, 429);
    assert.equal(error.retryAfterMs, 5 * 3_600_000);
    assert.equal(error.resetAt, resetAt);
  });

  it('a real retry-after header beats the copy in the body', () => {
    const error = http(
      'openrouter',
      429,
      { error: { code: 429, message: 'Rate limit exceeded', metadata: { headers: { 'Retry-After': '600' } } } },
      new Headers({ 'Retry-After': '3' }),
    );
    assert.equal(error.retryAfterMs, 3_000);
  });
});

describe('classifyHttpError: the inner error object, as openai-node hands it over', () => {
  // openai-node's APIError.error is the body's `error` member, not the body.
  it('reads the type when the code is null', () => {
    const inner = {
      message: 'You exceeded your current quota, please check your plan and billing details.',
      type: 'insufficient_quota',
      param: null,
      code: null,
    };
    expectKind(http('openai', 429, inner), 'quota-exhausted', false, 429);
  });

  it("reads OpenRouter's limit_source and copied headers", () => {
    const keyLimit = http('openrouter', 402, {
      code: 402,
      message: 'Key limit exceeded (total limit).',
      metadata: { limit_source: 'openrouter_key_limit' },
    });
    expectKind(keyLimit, 'quota-exhausted', false, 402);
    assert.equal(keyLimit.limitSource, 'openrouter_key_limit');
    const limited = http('openrouter', 429, {
      code: 429,
      message: 'Rate limit exceeded: free-models-per-min.',
      metadata: { headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW + 40_000) } },
    });
    assert.equal(limited.retryAfterMs, 40_000);
  });

  it("reads Anthropic's details when handed the error member alone", () => {
    const inner = {
      details: { error_code: 'enforced_spend_limit_reached' },
      type: 'rate_limit_error',
      message: "This request would exceed your account's monthly spend limit.",
    };
    expectKind(http('anthropic', 429, inner), 'quota-exhausted', false, 429);
  });
});

describe('classifyHttpError: Qwen OAuth', () => {
  it('401 "invalid access token or token expired" is auth, not retryable', () => {
    const error = http('qwen-oauth', 401, {
      error: { message: 'invalid access token or token expired', type: 'invalid_request_error' },
    });
    expectKind(error, 'auth', false, 401);
    assert.equal(error.message, 'Authentication failed (qwen-oauth 401): invalid access token or token expired');
  });
});

describe('classifyHttpError: status fallbacks and messages', () => {
  const cases: [number, ProviderErrorKind, boolean][] = [
    [400, 'bad-request', false],
    [401, 'auth', false],
    [402, 'insufficient-balance', false],
    [404, 'model-not-found', false],
    [408, 'timeout', true],
    [418, 'bad-request', false],
    [429, 'rate-limited', true],
    [500, 'server', true],
    [502, 'server', true],
    [503, 'overloaded', true],
  ];
  for (const [status, kind, retryable] of cases) {
    it(`${status} with an empty body is ${kind}`, () => {
      const error = http('custom', status, '');
      expectKind(error, kind, retryable, status);
      assert.match(error.message, new RegExp(`\\(custom ${status}\\)\\.$`));
    });
  }

  it('a raw text body becomes the message', () => {
    const error = http('ollama', 500, 'model runner has unexpectedly stopped');
    assert.equal(error.message, 'Backend error (ollama 500): model runner has unexpectedly stopped');
  });

  it('a JSON string body is parsed before deciding', () => {
    const body = JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    expectKind(http('anthropic', 529, body), 'overloaded', true, 529);
  });

  it('a 503 with an HTTP-date retry-after waits until then', () => {
    const error = http('custom', 503, '', { 'Retry-After': new Date(NOW + 30_000).toUTCString() });
    expectKind(error, 'overloaded', true, 503);
    assert.equal(error.retryAfterMs, 30_000);
  });

  it('collapses whitespace and shortens a long message', () => {
    const error = http('custom', 400, { error: { message: `line one\n\n  line two ${'x'.repeat(1_000)}` } });
    assert.ok(error.message.startsWith('Request rejected (custom 400): line one line two x'), error.message);
    assert.ok(error.message.length < 360, `length ${error.message.length}`);
    assert.ok(error.message.endsWith('…'));
  });

  it('survives bodies of the wrong shape', () => {
    for (const body of [null, undefined, 42, [], { error: 'boom' }, { error: { code: {}, type: 7, message: [] } }]) {
      const error = http('custom', 500, body);
      expectKind(error, 'server', true, 500);
    }
    assert.equal(http('custom', 500, { error: 'boom' }).message, 'Backend error (custom 500): boom');
  });
});

describe('classifyStreamError', () => {
  it("Anthropic's event: error overloaded_error is overloaded", () => {
    const error = classifyStreamError({
      providerId: 'anthropic',
      data: { type: 'error', error: { details: null, type: 'overloaded_error', message: 'Overloaded' } },
    });
    expectKind(error, 'overloaded', true, undefined);
    assert.equal(error.message, 'Backend overloaded (anthropic): Overloaded');
  });

  it('an OpenRouter mid-stream chunk with a numeric code maps through the status', () => {
    const data = {
      id: 'gen-1741305600-abc',
      object: 'chat.completion.chunk',
      created: 1741305600,
      model: 'qwen/qwen3-coder',
      provider: 'Alibaba',
      error: { code: 502, message: 'Provider returned error' },
      choices: [{ index: 0, delta: { content: '' }, finish_reason: 'error' }],
    };
    const error = classifyStreamError({ providerId: 'openrouter', data });
    expectKind(error, 'server', true, undefined);
    assert.equal(error.code, '502');
    const limited = classifyStreamError({
      providerId: 'openrouter',
      data: JSON.stringify({ ...data, error: { code: 429, message: 'Rate limit exceeded' } }),
    });
    expectKind(limited, 'rate-limited', true, undefined);
  });

  it('an OpenRouter chunk with a string code uses the code', () => {
    const error = classifyStreamError({
      providerId: 'openrouter',
      data: { error: { code: 'context_length_exceeded', message: 'too long' } },
    });
    expectKind(error, 'context-too-long', false, undefined);
  });

  it("OpenAI's in-stream server_error is server", () => {
    const error = classifyStreamError({
      providerId: 'openai',
      data: {
        error: {
          message: 'The server had an error while processing your request. Sorry about that!',
          type: 'server_error',
        },
      },
    });
    expectKind(error, 'server', true, undefined);
  });

  it('with no usable signal it is a retryable server failure, and keys are redacted', () => {
    const error = classifyStreamError({
      providerId: 'custom',
      data: `upstream died, key ${OPENAI_KEY}`,
      apiKey: OPENAI_KEY,
    });
    expectKind(error, 'server', true, undefined);
    assert.ok(!error.message.includes(OPENAI_KEY), error.message);
  });
});

describe('classifyHttpError: FastAPI validation errors (Mistral, vLLM)', () => {
  const detail = [
    {
      type: 'extra_forbidden',
      loc: ['body', 'stream_options', 'include_usage'],
      msg: 'Extra inputs are not permitted',
      input: true,
    },
  ];

  it("Mistral's 422 says which field it refused, not just the status", () => {
    const error = http('mistral', 422, {
      object: 'error',
      message: { detail },
      type: 'invalid_request_error',
      param: null,
      code: null,
    });
    expectKind(error, 'bad-request', false, 422);
    assert.equal(
      error.message,
      'Request rejected (mistral 422): stream_options.include_usage: Extra inputs are not permitted',
    );
  });

  it("vLLM's top-level detail, as a list or a sentence", () => {
    assert.match(
      http('vllm', 422, { detail }).message,
      /stream_options\.include_usage: Extra inputs are not permitted$/,
    );
    assert.match(http('vllm', 400, { detail: 'Model not loaded' }).message, /: Model not loaded$/);
  });
});

describe('classifyHttpError: local servers out of context', () => {
  it("llama.cpp's exceed_context_size_error is context-too-long", () => {
    const error = http('llamacpp', 400, {
      error: {
        code: 400,
        message: 'the request exceeds the available context size, try increasing it',
        type: 'exceed_context_size_error',
        n_prompt_tokens: 5000,
        n_ctx: 4096,
      },
    });
    expectKind(error, 'context-too-long', false, 400);
    assert.equal(error.code, 'exceed_context_size_error');
  });

  it("vLLM's BadRequestError, which only its words tell apart, is context-too-long", () => {
    const error = http('vllm', 400, {
      object: 'error',
      message:
        "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4872 in the messages, 128 in the completion). Please reduce the length of the messages or completion.",
      type: 'BadRequestError',
      param: null,
      code: 400,
    });
    expectKind(error, 'context-too-long', false, 400);
  });

  it("LM Studio's plain error string is context-too-long", () => {
    const error = http('lmstudio', 400, {
      error:
        'Trying to keep the first 5012 tokens when context the overflows. However, the model is loaded with context length of only 4096 tokens, which is not enough. Try to load the model with a larger context length, or provide a shorter input',
    });
    expectKind(error, 'context-too-long', false, 400);
  });

  it('the words decide only a 400 whose fields decide nothing', () => {
    expectKind(
      http('vllm', 400, { object: 'error', message: 'Model not loaded', type: 'BadRequestError' }),
      'bad-request',
      false,
      400,
    );
    // A structured code wins over the words: a spent budget whose message mentions a context window.
    expectKind(
      http('litellm', 400, {
        error: { message: 'Budget exceeded for the context window tier', type: 'budget_exceeded', code: '400' },
      }),
      'quota-exhausted',
      false,
      400,
    );
    expectKind(http('proxy', 500, { error: { message: 'maximum context length unknown' } }), 'server', true, 500);
  });
});
