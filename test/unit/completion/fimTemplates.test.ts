import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIM_TEMPLATES, templateForModel } from '../../../src/core/completion/fimTemplates';
import { postProcess } from '../../../src/core/completion/postprocess';

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
    // Code Llama suffix-first (SPM), so typing changes only the prompt's end; the old order for the benchmark.
    assert.equal(FIM_TEMPLATES.codellama.build('a', 'b'), '<PRE> <SUF>b <MID> a');
    assert.equal(FIM_TEMPLATES.codellama.build('a', 'b', { order: 'legacy' }), '<PRE> a <SUF>b <MID>');
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
    const cut = (raw: string, stops: readonly string[]) =>
      postProcess(raw, {
        prefix: 'const x = ',
        suffix: '',
        multiline: false,
        languageId: 'javascript',
        maxLines: 12,
        stops,
        fromChat: false,
      });
    assert.equal(cut('a + b;<|endoftext|>junk', FIM_TEMPLATES.qwen.stop), 'a + b;');
    assert.equal(cut('1;<｜end▁of▁sentence｜>', FIM_TEMPLATES.deepseek.stop), '1;');
  });

  it('puts context files before the edited file in the repo-level Qwen form', () => {
    assert.equal(
      FIM_TEMPLATES.qwen.build('a', 'b', {
        path: 'src/cart.ts',
        snippets: [{ path: 'src/tax.ts', text: 'export const rate = 0.2;' }],
      }),
      '<|repo_name|>workspace\n<|file_sep|>src/tax.ts\nexport const rate = 0.2;\n<|file_sep|>src/cart.ts\n<|fim_prefix|>a<|fim_suffix|>b<|fim_middle|>',
    );
  });
});
