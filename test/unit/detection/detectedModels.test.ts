import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseDetectedModels } from '../../../src/core/detection/detectedModels';
import { findPreset } from '../../../src/core/providers/presets';

const ollama = findPreset('ollama')!;
const lmstudio = findPreset('lmstudio')!;

describe('chooseDetectedModels', () => {
  it('Ollama tags: a coder base model completes, an instruct model chats', () => {
    assert.deepEqual(chooseDetectedModels(ollama, ['llama3.2:3b', 'qwen2.5-coder:7b-base']), {
      chatModel: 'llama3.2:3b',
      completionModel: 'qwen2.5-coder:7b-base',
    });
    assert.deepEqual(chooseDetectedModels(ollama, ['nomic-embed-text:latest', 'llama3.2:3b', 'qwen2.5-coder:14b']), {
      chatModel: 'qwen2.5-coder:14b',
      completionModel: 'qwen2.5-coder:14b',
    });
    // Only a chat model pulled: it does both, rather than a model the server lacks.
    assert.deepEqual(chooseDetectedModels(ollama, ['llama3.2:latest']), {
      chatModel: 'llama3.2:latest',
      completionModel: 'llama3.2:latest',
    });
    // Only a base model: chat uses it too.
    assert.deepEqual(chooseDetectedModels(ollama, ['qwen2.5-coder:3b-base']), {
      chatModel: 'qwen2.5-coder:3b-base',
      completionModel: 'qwen2.5-coder:3b-base',
    });
  });

  it('LM Studio ids: the instruct model chats, the unmarked or base coder completes', () => {
    assert.deepEqual(
      chooseDetectedModels(lmstudio, [
        'text-embedding-nomic-embed-text-v1.5',
        'qwen2.5-coder-7b-instruct',
        'deepseek-coder-6.7b-base',
      ]),
      { chatModel: 'qwen2.5-coder-7b-instruct', completionModel: 'deepseek-coder-6.7b-base' },
    );
    assert.deepEqual(chooseDetectedModels(lmstudio, ['qwen2.5-coder-3b', 'qwen2.5-coder-14b-instruct']), {
      chatModel: 'qwen2.5-coder-14b-instruct',
      completionModel: 'qwen2.5-coder-3b',
    });
    assert.deepEqual(chooseDetectedModels(lmstudio, ['meta-llama-3.1-8b-instruct', 'qwen2.5-coder-7b-instruct']), {
      chatModel: 'qwen2.5-coder-7b-instruct',
      completionModel: 'qwen2.5-coder-7b-instruct',
    });
  });

  it("keeps the preset's default for a role when the server has it", () => {
    assert.deepEqual(chooseDetectedModels(ollama, ['llama3.2:3b', ollama.chatModel, ollama.completionModel]), {
      chatModel: ollama.chatModel,
      completionModel: ollama.completionModel,
    });
    assert.deepEqual(chooseDetectedModels(ollama, ['qwen2.5-coder:7b-base', ollama.chatModel]), {
      chatModel: ollama.chatModel,
      completionModel: 'qwen2.5-coder:7b-base',
    });
    assert.deepEqual(chooseDetectedModels(lmstudio, [lmstudio.completionModel, 'llama-3.2-3b-instruct']), {
      chatModel: 'llama-3.2-3b-instruct',
      completionModel: lmstudio.completionModel,
    });
  });

  it("chooses nothing for an embedding-only server or an empty one: the preset's defaults stand", () => {
    assert.deepEqual(chooseDetectedModels(ollama, ['nomic-embed-text:latest', 'mxbai-embed-large:latest']), {});
    assert.deepEqual(chooseDetectedModels(lmstudio, ['text-embedding-nomic-embed-text-v1.5']), {});
    assert.deepEqual(chooseDetectedModels(ollama, []), {});
  });
});
