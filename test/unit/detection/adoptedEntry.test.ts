import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adoptedEntry, type DetectedEntry } from '../../../src/core/detection/adoptedEntry';
import { detectLocalServers, type DetectedServer } from '../../../src/core/detection/localServers';
import { findPreset } from '../../../src/core/providers/presets';
import { ProviderError } from '../../../src/core/providers/providerError';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import { createProvider } from '../../../src/backends/providerRuntime';
import { startEmulator, type Emulator } from '../../emulator/server';

/** The entry the switcher offers for a server detection found (src/backends/detection.ts). */
function found(server: DetectedServer): DetectedEntry {
  return {
    id: server.presetId,
    preset: server.presetId,
    name: findPreset(server.presetId)!.name,
    baseUrl: server.baseUrl,
  };
}

async function detect(emulator: Emulator, presetId: string): Promise<DetectedServer> {
  const [server] = await detectLocalServers({ hosts: [{ presetId, baseUrl: emulator.url }], timeoutMs: 2000 });
  assert.ok(server, `the emulator is detected as ${presetId}`);
  return server;
}

/** What the extension runs on once the adopted entry is in the settings. */
function adopt(server: DetectedServer, taken: ReadonlySet<unknown> = new Set()) {
  const entry = adoptedEntry(found(server), taken, server.models);
  const { providers, problems } = parseProviders([entry]);
  assert.deepEqual(problems, []);
  return { entry, config: providers[0]! };
}

describe('adopting a detected local server', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator();
  });
  after(() => emulator.close());

  it("Ollama: the first completion and chat ask for models the server has, not the preset's", async () => {
    const installed = ['llama3.2:3b', 'qwen2.5-coder:7b-base'];
    emulator.configure({ models: installed });
    const server = await detect(emulator, 'ollama');
    assert.deepEqual(server.models, installed);
    const { config } = adopt(server);
    const result = await createProvider(config, undefined)
      .fim({ prefix: 'def add(a, b):\n    return ', suffix: '\n', stop: ['\n'], maxTokens: 32 })
      .catch((error: unknown) =>
        assert.fail(ProviderError.is(error) ? `${error.kind}: ${error.message}` : String(error)),
      );
    assert.equal(typeof result.text, 'string');
    assert.equal(config.completionModel, 'qwen2.5-coder:7b-base');
    assert.ok(installed.includes(config.chatModel), `chat asks for ${config.chatModel}`);
  });

  it('LM Studio: an instruct model for chat, a coder model for completion, never an embedding model', async () => {
    emulator.configure({
      models: ['text-embedding-nomic-embed-text-v1.5', 'qwen2.5-coder-7b-instruct', 'deepseek-coder-1.3b-base'],
    });
    const { config } = adopt(await detect(emulator, 'lmstudio'));
    assert.equal(config.chatModel, 'qwen2.5-coder-7b-instruct');
    assert.equal(config.completionModel, 'deepseek-coder-1.3b-base');
  });

  it("a server with no model listed keeps the preset's defaults", async () => {
    emulator.configure({ models: [] });
    const { entry, config } = adopt(await detect(emulator, 'ollama'));
    assert.equal(entry.chatModel, undefined);
    assert.equal(config.completionModel, findPreset('ollama')!.completionModel);
  });

  it('takes the next free id when one is in use', async () => {
    emulator.configure({ models: undefined });
    const { entry } = adopt(await detect(emulator, 'ollama'), new Set(['ollama', 'ollama-2']));
    assert.equal(entry.id, 'ollama-3');
  });

  it('keeps a model the found entry names itself, and leaves out fields detection left empty', () => {
    const entry = adoptedEntry(
      { id: 'ollama', preset: 'ollama', name: 'Ollama (local)', chatModel: 'mine:latest', apiKeyEnv: undefined },
      new Set(),
      ['qwen2.5-coder:7b-base'],
    );
    assert.deepEqual(entry, {
      id: 'ollama',
      preset: 'ollama',
      name: 'Ollama (local)',
      chatModel: 'mine:latest',
      completionModel: 'qwen2.5-coder:7b-base',
    });
  });
});
