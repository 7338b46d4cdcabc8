import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  headerGetter,
  parseDuration,
  parseRateLimitHeaders,
  waitFromSnapshot,
} from '../../../src/core/providers/rateLimitHeaders';
import { formatReset } from '../../../src/core/usage/switchAdvice';

const NOW = Date.parse('2025-08-21T12:40:30Z');

describe('parseDuration', () => {
  const cases: [string, number][] = [
    ['6m0s', 360_000],
    ['12ms', 12],
    ['1s', 1_000],
    ['0.5s', 500],
    ['1h2m3.5s', 3_723_500],
    ['2h', 7_200_000],
    ['1m30s', 90_000],
    ['750us', 0.75],
    // Azure OpenAI sends whole seconds without a unit.
    ['6', 6_000],
    [' 20ms ', 20],
  ];
  for (const [input, expected] of cases) {
    it(`reads ${JSON.stringify(input)} as ${expected} ms`, () => {
      assert.equal(parseDuration(input), expected);
    });
  }

  for (const garbage of ['', '   ', 'abc', '5x', '1m-2s', '-1s', 's', '1.2.3s', '1s junk', 'NaNs', '1e3s']) {
    it(`rejects ${JSON.stringify(garbage)}`, () => {
      assert.equal(parseDuration(garbage), undefined);
    });
  }
});

describe('headerGetter', () => {
  it('reads a fetch Headers object case-insensitively', () => {
    const get = headerGetter(new Headers({ 'Retry-After': '3' }));
    assert.equal(get('retry-after'), '3');
    assert.equal(get('RETRY-AFTER'), '3');
    assert.equal(get('missing'), undefined);
  });

  it('reads a plain record case-insensitively and takes the first of repeated values', () => {
    const get = headerGetter({ 'X-Request-Id': 'req_1', 'retry-after': ['5', '9'], empty: undefined });
    assert.equal(get('x-request-id'), 'req_1');
    assert.equal(get('Retry-After'), '5');
    assert.equal(get('empty'), undefined);
  });
});

describe('parseRateLimitHeaders', () => {
  it('reads the OpenAI family, turning reset durations into times', () => {
    // As OpenAI sends them (https://community.openai.com/t/how-to-get-rate-limit-reset-time-for-response-api/1268905).
    const snapshot = parseRateLimitHeaders(
      {
        'x-ratelimit-limit-requests': '5000',
        'x-ratelimit-limit-tokens': '160000',
        'x-ratelimit-remaining-requests': '4999',
        'x-ratelimit-remaining-tokens': '159976',
        'x-ratelimit-reset-requests': '12ms',
        'x-ratelimit-reset-tokens': '6m0s',
        'x-request-id': 'req_8c1f',
      },
      NOW,
    );
    assert.deepEqual(snapshot, {
      observedAt: NOW,
      requests: { limit: 5000, remaining: 4999, resetAt: NOW + 12 },
      tokens: { limit: 160000, remaining: 159976, resetAt: NOW + 360_000 },
      requestId: 'req_8c1f',
    });
  });

  it('reads the Anthropic family with RFC 3339 resets', () => {
    // Captured from api.anthropic.com (https://rdrr.io/cran/tidyllm/src/tests/testthat/claude/api.anthropic.com/v1/messages-e050b5-POST.R).
    const snapshot = parseRateLimitHeaders(
      new Headers({
        'anthropic-ratelimit-input-tokens-limit': '80000',
        'anthropic-ratelimit-input-tokens-remaining': '80000',
        'anthropic-ratelimit-input-tokens-reset': '2025-08-21T12:40:59Z',
        'anthropic-ratelimit-output-tokens-limit': '16000',
        'anthropic-ratelimit-output-tokens-remaining': '16000',
        'anthropic-ratelimit-output-tokens-reset': '2025-08-21T12:41:00Z',
        'anthropic-ratelimit-requests-limit': '1000',
        'anthropic-ratelimit-requests-remaining': '999',
        'anthropic-ratelimit-requests-reset': '2025-08-21T12:40:59Z',
        'anthropic-ratelimit-tokens-limit': '96000',
        'anthropic-ratelimit-tokens-remaining': '96000',
        'anthropic-ratelimit-tokens-reset': '2025-08-21T12:40:59Z',
        'request-id': 'req_011CSLsW7mFqvHHnzrKdKjAE',
      }),
      NOW,
    );
    const at59 = Date.parse('2025-08-21T12:40:59Z');
    assert.deepEqual(snapshot, {
      observedAt: NOW,
      requests: { limit: 1000, remaining: 999, resetAt: at59 },
      tokens: { limit: 96000, remaining: 96000, resetAt: at59 },
      inputTokens: { limit: 80000, remaining: 80000, resetAt: at59 },
      outputTokens: { limit: 16000, remaining: 16000, resetAt: Date.parse('2025-08-21T12:41:00Z') },
      requestId: 'req_011CSLsW7mFqvHHnzrKdKjAE',
    });
  });

  it('reads retry-after as seconds', () => {
    assert.equal(parseRateLimitHeaders({ 'retry-after': '17' }, NOW)?.retryAfterMs, 17_000);
    assert.equal(parseRateLimitHeaders({ 'retry-after': '1.5' }, NOW)?.retryAfterMs, 1_500);
  });

  it('reads retry-after as an HTTP date, and a date in the past as no wait', () => {
    const in90s = new Date(NOW + 90_000).toUTCString();
    assert.equal(parseRateLimitHeaders({ 'retry-after': in90s }, NOW)?.retryAfterMs, 90_000);
    const past = new Date(NOW - 5_000).toUTCString();
    assert.equal(parseRateLimitHeaders({ 'retry-after': past }, NOW)?.retryAfterMs, 0);
  });

  it('prefers retry-after-ms to retry-after', () => {
    assert.equal(parseRateLimitHeaders({ 'retry-after-ms': '250', 'retry-after': '1' }, NOW)?.retryAfterMs, 250);
  });

  it('tells a reset delta from an epoch in seconds or milliseconds by size', () => {
    const reset = (value: string, name = 'x-ratelimit-reset') =>
      parseRateLimitHeaders({ [name]: value }, NOW)?.requests?.resetAt;
    assert.equal(reset('30'), NOW + 30_000);
    assert.equal(reset('1755780090'), 1_755_780_090_000);
    // OpenRouter style: epoch milliseconds.
    assert.equal(reset('1755820800000'), 1_755_820_800_000);
    assert.equal(reset('45', 'ratelimit-reset'), NOW + 45_000);
  });

  it('reads the unsuffixed family into the requests window', () => {
    const snapshot = parseRateLimitHeaders(
      { 'X-RateLimit-Limit': '50', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1755820800000' },
      NOW,
    );
    assert.deepEqual(snapshot?.requests, { limit: 50, remaining: 0, resetAt: 1_755_820_800_000 });
  });

  it('ignores garbage values without throwing', () => {
    const snapshot = parseRateLimitHeaders(
      {
        'x-ratelimit-limit-requests': 'lots',
        // Azure OpenAI sends -1 for "unknown".
        'x-ratelimit-remaining-tokens': '-1',
        'x-ratelimit-reset-tokens': 'soon',
        'anthropic-ratelimit-requests-reset': 'tomorrow',
        'anthropic-ratelimit-tokens-remaining': '12.5',
        'retry-after': 'Friday',
        'retry-after-ms': '',
        'x-ratelimit-reset': '1',
      },
      NOW,
    );
    // Only the one readable value survives.
    assert.deepEqual(snapshot, { observedAt: NOW, requests: { resetAt: NOW + 1_000 } });
  });

  it('skips a count past 2^53 and a reset or wait no clock can show, so the status bar can still say when', () => {
    const huge = '9'.repeat(20);
    const snapshot = parseRateLimitHeaders(
      {
        'x-ratelimit-limit-requests': '9'.repeat(400),
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': `${huge}h`,
        'x-ratelimit-limit': '100',
        'x-ratelimit-remaining': '10',
        'x-ratelimit-reset': huge,
        'anthropic-ratelimit-tokens-limit': '1000',
        'anthropic-ratelimit-tokens-reset': '9999-12-31T00:00:00Z',
        'retry-after': huge,
      },
      NOW,
    );
    // What the status bar writes beside a limit: a time, never a RangeError.
    for (const window of [snapshot?.requests, snapshot?.tokens])
      if (window?.resetAt !== undefined) assert.ok(formatReset(window.resetAt, NOW));
    assert.deepEqual(snapshot, {
      observedAt: NOW,
      requests: { limit: 100, remaining: 0 },
      tokens: { limit: 1000 },
    });
  });

  it('returns undefined when every rate-limit value is unreadable', () => {
    assert.equal(parseRateLimitHeaders({ 'retry-after': 'later', 'x-ratelimit-limit-tokens': 'n/a' }, NOW), undefined);
  });

  it('does not take text that Date.parse happens to accept for a date', () => {
    // V8 reads "later 2" as 2001-02-01 and "May 3" as 2001-05-03.
    assert.equal(parseRateLimitHeaders({ 'retry-after': 'later 2', 'x-ratelimit-reset': 'May 3' }, NOW), undefined);
  });

  it('returns undefined when there is no rate-limit header at all, as from DeepSeek', () => {
    assert.equal(parseRateLimitHeaders({ 'content-type': 'application/json', 'x-request-id': 'abc' }, NOW), undefined);
    assert.equal(parseRateLimitHeaders(new Headers(), NOW), undefined);
  });
});

describe('waitFromSnapshot', () => {
  it('uses what the server asked for first', () => {
    const snapshot = { observedAt: NOW, retryAfterMs: 4_000, tokens: { remaining: 0, resetAt: NOW + 60_000 } };
    assert.equal(waitFromSnapshot(snapshot, NOW), 4_000);
  });

  it('otherwise waits for the latest exhausted window', () => {
    const snapshot = {
      observedAt: NOW,
      requests: { remaining: 0, resetAt: NOW + 2_000 },
      tokens: { remaining: 0, resetAt: NOW + 7_000 },
      inputTokens: { remaining: 500, resetAt: NOW + 30_000 },
    };
    assert.equal(waitFromSnapshot(snapshot, NOW), 7_000);
  });

  it('does not guess when no window is exhausted', () => {
    const snapshot = { observedAt: NOW, requests: { remaining: 3, resetAt: NOW + 2_000 } };
    assert.equal(waitFromSnapshot(snapshot, NOW), undefined);
  });
});
