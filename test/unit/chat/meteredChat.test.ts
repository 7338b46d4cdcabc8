import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { meteredChat } from '../../../src/chat/vscodeChat/meteredChat';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { ChatEvent, Provider } from '../../../src/core/providers/types';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import type { RequestOutcome, UsageMeter } from '../../../src/usage/usageMeter';
import { CHAT_RESERVED_OUTPUT_TOKENS } from '../../../src/core/usage/inFlightSpend';

const [config] = parseProviders([{ id: 'deepseek', preset: 'deepseek', chatModel: 'deepseek-reasoner' }]).providers;
assert.ok(config);

const token = {
  isCancellationRequested: false,
  onCancellationRequested: () => ({ dispose: () => {} }),
} as unknown as vscode.CancellationToken;

describe("VS Code chat's requests to a Switchboard backend", () => {
  it('a request that fails after a long reasoning is metered with that reasoning, which never reaches the answer', async () => {
    const reasoning = 'Check the base case, then the step. '.repeat(1_000);
    const provider = {
      id: 'deepseek',
      chat: async function* (): AsyncGenerator<ChatEvent> {
        for (const text of reasoning.match(/.{1,500}/gs) ?? []) yield { type: 'thinking', text };
        yield { type: 'text', text: 'By induction' };
        throw new ProviderError({ kind: 'server', providerId: 'deepseek', message: 'Stream broke.' });
      },
    } as unknown as Provider;
    const recorded: RequestOutcome[] = [];
    const meter = {
      record: (outcome: RequestOutcome) => void recorded.push(outcome),
      reserve: () => () => {},
    } as unknown as UsageMeter;
    let shown = '';
    let thinking = 0;
    await assert.rejects(
      meteredChat({
        provider,
        config: config!,
        meter,
        messages: [{ role: 'user', content: 'Prove it' }],
        token,
        onText: (text) => (shown += text),
        onThinking: () => thinking++,
      }),
      (error) => ProviderError.is(error, 'server'),
    );
    assert.equal(shown, 'By induction');
    assert.equal(thinking, 1, 'said once');
    assert.equal(recorded.length, 1);
    assert.ok(recorded[0]!.outputText === `${reasoning}By induction`, 'the ledger estimates from the reasoning too');
    assert.ok(recorded[0]!.reasoningText === reasoning, 'the reasoning is named, for a thinking rate');
  });

  it('records each failed attempt the retry policy sends again, as the request it was', async () => {
    const overloaded = new ProviderError({
      kind: 'server',
      providerId: 'deepseek',
      message: 'Overloaded.',
      status: 503,
    });
    const provider = {
      id: 'deepseek',
      chat: async function* (options: { onRetry?: (error: ProviderError) => void }): AsyncGenerator<ChatEvent> {
        // The provider's retry policy: the first attempt got a 503 and is sent again.
        options.onRetry?.(overloaded);
        yield { type: 'text', text: 'Yes.' };
        yield {
          type: 'done',
          usage: { inputTokens: 3, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
        };
      },
    } as unknown as Provider;
    const recorded: RequestOutcome[] = [];
    const meter = {
      record: (outcome: RequestOutcome) => void recorded.push(outcome),
      reserve: () => () => {},
    } as unknown as UsageMeter;
    await meteredChat({
      provider,
      config: config!,
      meter,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Is it?' }],
      token,
      onText: () => {},
    });
    assert.equal(recorded.length, 2, 'the retried attempt and the answer');
    const [retried, answered] = recorded;
    assert.equal(retried!.error, overloaded);
    assert.equal(retried!.feature, 'chat');
    assert.equal(retried!.promptText, 'Be brief.\nIs it?', 'estimated from what was sent');
    assert.equal(answered!.error, undefined);
  });

  it("holds the answer's worst case for the budgets until it is recorded: answered, failed or cancelled", async () => {
    const answered = async function* (): AsyncGenerator<ChatEvent> {
      yield { type: 'text', text: 'Yes.' };
      yield {
        type: 'done',
        usage: { inputTokens: 3, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
      };
    };
    const failed = async function* (): AsyncGenerator<ChatEvent> {
      yield { type: 'text', text: 'Ye' };
      throw new ProviderError({ kind: 'server', providerId: 'deepseek', message: 'Stream broke.' });
    };
    const cancelled = async function* (): AsyncGenerator<ChatEvent> {
      yield { type: 'text', text: 'Ye' };
      throw new ProviderError({ kind: 'cancelled', providerId: 'deepseek', message: 'Cancelled.' });
    };
    for (const [how, chat] of [
      ['answered', answered],
      ['failed', failed],
      ['cancelled', cancelled],
    ] as const) {
      const log: string[] = [];
      const meter = {
        record: () => void log.push('record'),
        reserve: (_config: unknown, model: string, promptText: string, maxOutputTokens: number) => {
          log.push(`reserve ${model} ${promptText} ${maxOutputTokens}`);
          return () => void log.push('release');
        },
      } as unknown as UsageMeter;
      await meteredChat({
        provider: { id: 'deepseek', chat } as unknown as Provider,
        config: config!,
        meter,
        system: 'Be brief.',
        messages: [{ role: 'user', content: 'Is it?' }],
        token,
        onText: () => {},
      }).catch(() => undefined);
      assert.deepEqual(
        log,
        [`reserve deepseek-reasoner Be brief.\nIs it? ${CHAT_RESERVED_OUTPUT_TOKENS}`, 'record', 'release'],
        how,
      );
    }
  });
});
