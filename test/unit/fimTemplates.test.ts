import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeAt, type FimBackend } from '../../src/core/completion/engine';
import { cutAtStops, FIM_TEMPLATES, templateForModel } from '../../src/core/completion/fimTemplates';
import type { FimRequest } from '../../src/core/providers/types';

describe('FIM templates', () => {
  it('builds each family in its own token order', () => {
    assert.equal(FIM_TEMPLATES.qwen.build('a', 'b'), '<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>');
    assert.equal(
      FIM_TEMPLATES.qwen.build('a', 'b', { repoName: 'shop', path: 'src/cart.ts' }),
      '<|repo_name|>shop\n<|file_sep|>src/cart.ts\n<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>',
    );
    assert.equal(FIM_TEMPLATES.deepseek.build('a', 'b'), '<｜fim▁begin｜>a<｜fim▁hole｜>b<｜fim▁end｜>');
    assert.equal(FIM_TEMPLATES.codestral.build('a', 'b'), '[SUFFIX]b[PREFIX]a');
    assert.equal(FIM_TEMPLATES.starcoder.build('a', 'b'), '<fim_prefix>a<fim_suffix>b<fim_middle>');
    assert.equal(FIM_TEMPLATES.codellama.build('a', 'b'), '<PRE> a <SUF>b <MID>');
    assert.equal(FIM_TEMPLATES.codegemma.build('a', 'b'), '<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>');
  });

  it('chooses the template from the model id, and none for plain chat models', () => {
    const pick = (model: string) => templateForModel(model)?.id;
    assert.equal(pick('qwen2.5-coder:1.5b-base'), 'qwen');
    assert.equal(pick('Qwen/Qwen2.5-Coder-7B-Instruct'), 'qwen');
    assert.equal(pick('qwen3-coder-flash'), 'qwen');
    assert.equal(pick('qwen-turbo'), undefined, 'a plain qwen model is not Qwen-Coder');
    assert.equal(pick('deepseek-coder-v2:16b'), 'deepseek');
    assert.equal(pick('codestral-latest'), 'codestral');
    assert.equal(pick('bigcode/starcoder2-3b'), 'starcoder');
    assert.equal(pick('codellama:7b-code'), 'codellama');
    assert.equal(pick('codegemma:2b'), 'codegemma');
    assert.equal(pick('gpt-5.4-mini'), undefined);
    assert.equal(templateForModel('gpt-5.4-mini', 'starcoder')?.id, 'starcoder', 'an explicit override wins');
  });

  it('cuts a completion at a leaked control token', () => {
    assert.equal(cutAtStops('return a + b;<|endoftext|>junk', FIM_TEMPLATES.qwen.stop), 'return a + b;');
    assert.equal(cutAtStops('x = 1<｜end▁of▁sentence｜>', FIM_TEMPLATES.deepseek.stop), 'x = 1');
  });

  it('the engine sends the raw template with its stops apart, and strips leaked tokens', async () => {
    const requests: FimRequest[] = [];
    const backend: FimBackend = {
      async fim(request) {
        requests.push(request);
        return { text: '\n  return a + b;<|file_sep|>other.ts', model: 'm', route: 'raw-template', usage: { inputTokens: 1, outputTokens: 1, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true } };
      },
    };
    const text = 'function add(a, b) {\n}\n';
    const result = await completeAt(backend, { text, offset: 20, languageId: 'javascript', path: 'add.js' }, new AbortController().signal, undefined, 'qwen2.5-coder:1.5b-base');
    assert.equal(result?.insertText, '\n  return a + b;');
    assert.equal(requests[0]?.rawPrompt, '<|repo_name|>workspace\n<|file_sep|>add.js\n<|fim_prefix|>function add(a, b) {<|fim_suffix|>\n}\n<|fim_middle|>');
    assert.deepEqual(requests[0]?.stop, ['\n\n\n'], 'line stops only: template tokens travel in rawStop');
    assert.deepEqual(requests[0]?.rawStop, FIM_TEMPLATES.qwen.stop);
  });
});
