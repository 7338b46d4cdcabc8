import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { backendDetail, backendLabel, removedBackendLabel, shortLabel } from '../../../src/core/settings/backendLabel';
import { parseProviders } from '../../../src/core/settings/providerSettings';

describe('a backend is called what the user called it', () => {
  it('two entries of one preset keep their own names, else their ids, never both the preset name', () => {
    const { providers } = parseProviders([
      { id: 'gpu-box', preset: 'custom', baseUrl: 'http://10.0.0.5:8000/v1', name: 'GPU box' },
      { id: 'gateway', preset: 'custom', baseUrl: 'https://llm.example.com/v1' },
      { id: 'ollama', preset: 'ollama' },
      { id: 'ollama-2', preset: 'ollama', baseUrl: 'http://10.0.0.9:11434' },
    ]);
    assert.deepEqual(
      providers.map((config) => config.name),
      ['GPU box', 'gateway', 'ollama', 'ollama-2'],
    );
    // The preset stays as the detail beside the label.
    assert.deepEqual(
      providers.map((config) => backendDetail(config)),
      ['OpenAI-compatible server', 'OpenAI-compatible server', 'Ollama (local)', 'Ollama (local)'],
    );
  });

  it('a blank name falls back to the id; a name equal to the preset needs no detail', () => {
    assert.equal(backendLabel({ id: 'qwen', name: '  ' }), 'qwen');
    assert.equal(backendLabel({ id: 'qwen' }), 'qwen');
    assert.equal(backendLabel({ id: 'qwen', name: 'Qwen at work' }), 'Qwen at work');
    assert.equal(backendDetail({ name: 'Ollama', preset: { name: 'Ollama' } }), undefined);
  });

  it('shortens a long label for the status bar, marking the cut', () => {
    assert.equal(shortLabel('Qwen (demo)'), 'Qwen (demo)');
    assert.equal(shortLabel('Our very long team gateway name', 12), 'Our very lo…');
    assert.equal([...shortLabel('😀'.repeat(30), 10)].length, 10, 'never cuts a character in half');
  });
});

describe('a removed backend is still called something the user knows', () => {
  it('by the name its records carry, marked removed', () => {
    assert.equal(removedBackendLabel('deepseek-2', 'DeepSeek work'), 'DeepSeek work (removed)');
  });

  it('by its preset when its records carry no name (written before names were), never by a bare id', () => {
    assert.equal(removedBackendLabel('deepseek-2'), 'DeepSeek (removed)');
    assert.equal(removedBackendLabel('openrouter'), 'OpenRouter (removed)');
    // One pair of brackets, not two: "Ollama (local, removed)".
    assert.equal(removedBackendLabel('ollama-12'), 'Ollama (local, removed)');
    assert.equal(removedBackendLabel('qwen', 'Qwen (work)'), 'Qwen (work, removed)');
  });

  it('by its id when nothing else is known, still marked removed', () => {
    assert.equal(removedBackendLabel('gpu-box'), 'gpu-box (removed)');
    assert.equal(removedBackendLabel('gpu-box', '   '), 'gpu-box (removed)');
  });
});
