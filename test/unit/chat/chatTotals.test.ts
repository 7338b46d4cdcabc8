import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readConversation, writeConversation } from '../../../src/core/chat/storedConversation';
import { perMTokText, SessionTotals, totalsLine, usageLine } from '../../../src/core/chat/usageText';

describe('chat usage and session totals', () => {
  it('shows tokens and cost under an answer, marking estimates', () => {
    assert.equal(
      usageLine({ inputTokens: 1234, outputTokens: 56, reported: true, costMicros: 1200 }),
      '1,234 in · 56 out tokens · $0.0012',
    );
    assert.equal(
      usageLine({ inputTokens: 10, outputTokens: 2, reported: false, costMicros: null }),
      '≈ 10 in · 2 out tokens (estimated) · price unknown',
    );
    assert.equal(
      usageLine({ inputTokens: 1, outputTokens: 1, reported: true, costMicros: 0 }),
      '1 in · 1 out tokens · $0.00',
    );
    assert.equal(
      usageLine({
        inputTokens: 4,
        outputTokens: 1156,
        reported: true,
        costMicros: null,
        inPlan: true,
        reasoningTokens: 1100,
      }),
      '4 in · 1,156 out tokens (1,100 reasoning) · included in plan',
      'a long reasoning is said, so the count is no surprise',
    );
  });

  it('says the attempts sent again beside the answer, at their price, and keeps them after a reload', () => {
    const retried = { inputTokens: 500, outputTokens: 40, reported: true, costMicros: 1200 };
    assert.equal(
      usageLine({ ...retried, retried: { requests: 2, inputTokens: 900, outputTokens: 0, costMicros: 900 } }),
      '500 in · 40 out tokens · $0.0012 · +2 retried requests, $0.0009',
    );
    assert.equal(
      usageLine({ ...retried, retried: { requests: 1, inputTokens: 450, outputTokens: 0, costMicros: null } }),
      '500 in · 40 out tokens · $0.0012 · +1 retried request, price unknown',
    );
    assert.equal(
      usageLine({
        ...retried,
        costMicros: null,
        inPlan: true,
        retried: { requests: 1, inputTokens: 450, outputTokens: 0, costMicros: null },
      }),
      '500 in · 40 out tokens · included in plan · +1 retried request, included in plan',
    );
    const turn = {
      role: 'assistant' as const,
      id: 'a',
      text: 'Hello',
      status: 'complete' as const,
      at: 1,
      usage: { ...retried, retried: { requests: 1, inputTokens: 450, outputTokens: 0, costMicros: 450 } },
    };
    const { conversation } = readConversation(
      writeConversation({ id: 'c', createdAt: 1, updatedAt: 1, turns: [turn] }),
    );
    assert.deepEqual(conversation?.turns[0], turn, 'a reopened conversation says the same');
    const totals = new SessionTotals();
    totals.add(turn.usage);
    assert.deepEqual(totals.value, {
      requests: 2,
      inputTokens: 950,
      outputTokens: 40,
      cost: { USD: 1650 },
      unpriced: 0,
    });
  });

  it('sums every request of the session, keeping unpriced ones apart', () => {
    const totals = new SessionTotals();
    assert.equal(totalsLine(totals.value), 'no requests yet');
    totals.add({ inputTokens: 1000, outputTokens: 200, reported: true, costMicros: 15_000 });
    assert.equal(totalsLine(totals.value), '1 request · 1,200 tokens · $0.02');
    totals.add({ inputTokens: 50, outputTokens: 10, reported: false, costMicros: null });
    totals.add({ inputTokens: 3000, outputTokens: 900, reported: true, costMicros: 2_500_000 });
    assert.deepEqual(totals.value, {
      requests: 3,
      inputTokens: 4050,
      outputTokens: 1110,
      cost: { USD: 2_515_000 },
      unpriced: 1,
    });
    assert.equal(totalsLine(totals.value), '3 requests · 5,160 tokens · $2.52 + 1 unpriced');
    assert.equal(
      totalsLine({ requests: 2, inputTokens: 1, outputTokens: 1, cost: {}, unpriced: 2 }),
      '2 requests · 2 tokens · price unknown',
    );
  });

  it('prices per 1M tokens for the backend picker', () => {
    assert.equal(perMTokText({ input: 0.27, output: 1.1 }), '$0.27 / $1.10 per 1M');
    assert.equal(perMTokText({ input: 0.0075, output: 3 }), '$0.0075 / $3.00 per 1M');
    assert.equal(perMTokText({ input: 0, output: 0 }), 'free');
    assert.equal(perMTokText(undefined), 'price unknown');
  });
});
