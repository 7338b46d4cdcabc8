import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { meteredChat } from '../../../src/chat/vscodeChat/meteredChat';
import { ProviderError } from '../../../src/core/providers/providerError';
import type { ChatEvent, Provider } from '../../../src/core/providers/types';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import type { RequestOutcome, UsageMeter } from '../../../src/usage/usageMeter';

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
    const meter = { record: (outcome: RequestOutcome) => void recorded.push(outcome) } as unknown as UsageMeter;
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
});
