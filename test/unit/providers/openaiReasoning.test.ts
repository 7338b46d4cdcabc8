import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openAiReasoningModel } from '../../../src/core/providers/openaiReasoning';

describe("OpenAI's reasoning models, told apart by id", () => {
  it('asks each for the least reasoning it accepts, and older chat models for none', () => {
    const cases: [string, ReturnType<typeof openAiReasoningModel>][] = [
      ['gpt-5.4-mini', { fastestEffort: 'none' }],
      ['gpt-5.5', { fastestEffort: 'none' }],
      ['gpt-5', { fastestEffort: 'minimal' }],
      ['gpt-5-mini', { fastestEffort: 'minimal' }],
      ['o3', { fastestEffort: 'low' }],
      ['o4-mini', { fastestEffort: 'low' }],
      // Reasoning models that take no reasoning_effort but their own.
      ['o1-mini', {}],
      ['gpt-5-pro', {}],
      // Not reasoning models: the older parameters.
      ['gpt-5-chat-latest', undefined],
      ['gpt-4.1-mini', undefined],
      ['gpt-50', undefined],
      ['openai/gpt-5', undefined],
      ['omni-coder', undefined],
    ];
    for (const [model, expected] of cases) assert.deepEqual(openAiReasoningModel(model), expected, model);
  });
});
