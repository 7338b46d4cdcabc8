/**
 * Plants a key, drives every protocol through success and failure (including a server that echoes
 * the key back), and scans everything the suite logged and recorded: errors, results, rate-limit
 * snapshots, console output and the emulator's request log. The key must appear nowhere.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { format } from 'node:util';
import type { RateLimitSnapshot } from '../../../src/core/providers/rateLimitHeaders';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { createProvider } from '../../../src/backends/providerRuntime';
import { startEmulator, type Emulator } from '../../emulator/server';

const PLANTED = 'sk-proj-PLANTEDsecretKEY9f8e7d6c5b4a3210zyxw';

describe('a planted key never leaks', () => {
  let emulator: Emulator;
  const captured: string[] = [];
  const snapshots: RateLimitSnapshot[] = [];
  const originals = { log: console.log, warn: console.warn, error: console.error, info: console.info };

  before(async () => {
    emulator = await startEmulator({ apiKey: PLANTED, echoRejectedKey: true });
    for (const name of ['log', 'warn', 'error', 'info'] as const) {
      console[name] = (...args: unknown[]) => void captured.push(format(...args));
    }
  });
  after(async () => {
    Object.assign(console, originals);
    await emulator.close();
  });

  const entries = () => [
    {
      preset: 'custom',
      baseUrl: emulator.baseUrls.openai,
      chatModel: 'emulator-chat',
      completionModel: 'emulator-coder',
    },
    { preset: 'dashscope-intl', baseUrl: emulator.baseUrls.dashscope },
    { preset: 'deepseek', baseUrl: emulator.baseUrls.openai, fimBaseUrl: emulator.baseUrls.deepseekBeta },
    { preset: 'mistral', baseUrl: emulator.baseUrls.mistral },
    { preset: 'openrouter', baseUrl: emulator.baseUrls.openrouter },
    { preset: 'anthropic', baseUrl: emulator.baseUrls.anthropic },
    { preset: 'ollama', baseUrl: emulator.baseUrls.ollama, completionModel: 'emulator-coder' },
  ];

  async function exercise(key: string): Promise<void> {
    const { providers } = parseProviders(entries().map((entry, index) => ({ id: `p${index}`, ...entry })));
    for (const config of providers) {
      const provider = createProvider(config, key, {
        hooks: { onRateLimit: (_id, snapshot) => snapshots.push(snapshot) },
      });
      const outcomes: unknown[] = [];
      try {
        for await (const event of provider.chat({ messages: [{ role: 'user', content: 'hi' }] })) outcomes.push(event);
      } catch (error) {
        outcomes.push(error);
      }
      outcomes.push(await provider.fim({ prefix: 'const x =', suffix: '' }).catch((error: unknown) => error));
      outcomes.push(await provider.probe());
      for (const outcome of outcomes) {
        captured.push(format('%o', outcome));
        if (outcome instanceof Error) captured.push(outcome.message, outcome.stack ?? '', JSON.stringify(outcome));
        console.warn('outcome', outcome);
      }
    }
  }

  it('with the right key and with a rejected one that the server echoes', async () => {
    await exercise(PLANTED);
    emulator.configure({ apiKey: 'sk-other-key-the-server-expects-000000' });
    await exercise(PLANTED);
    const rejected = captured.filter((text) => /Incorrect API key provided/.test(text));
    assert.ok(rejected.length > 0, 'the server did refuse and echo the key');

    const everything = [...captured, JSON.stringify(snapshots), JSON.stringify(emulator.requests)].join('\n');
    assert.ok(everything.length > 10_000, 'the scan saw a real amount of output');
    assert.equal(everything.includes(PLANTED), false, 'the planted key appears in logged or recorded output');
    // Nor a long fragment of it.
    assert.equal(everything.includes(PLANTED.slice(8, 30)), false, 'a fragment of the planted key leaked');
  });
});
