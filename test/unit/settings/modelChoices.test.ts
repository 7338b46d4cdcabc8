import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { modelChoices } from '../../../src/core/settings/modelChoices';

describe('the models offered in a pick', () => {
  it('puts the current model first when the server offers it', () => {
    assert.deepEqual(modelChoices(['a-model', 'qwen-coder', 'z-model'], 'qwen-coder'), [
      { model: 'qwen-coder', note: 'current' },
      { model: 'a-model' },
      { model: 'z-model' },
    ]);
  });

  it("puts the server's models first when it does not offer the current one, so Enter never picks a model it lacks", () => {
    // A LiteLLM gateway serves its own aliases; the preset's "default" is none of them.
    assert.deepEqual(modelChoices(['claude-sonnet', 'gpt-4.1'], 'default'), [
      { model: 'claude-sonnet' },
      { model: 'gpt-4.1' },
      { model: 'default', note: 'current · not offered by this server' },
    ]);
  });
});
