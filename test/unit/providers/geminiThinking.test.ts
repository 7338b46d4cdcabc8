import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { geminiCompletionEfforts } from '../../../src/core/providers/geminiThinking';

describe("Gemini's thinking, turned down for a completion", () => {
  it('asks each model for the least it takes, in the order to try, and nothing of a model that does not think', () => {
    const cases: [string, string[]][] = [
      ['gemini-2.5-flash', ['none']],
      ['gemini-2.5-flash-lite', ['none']],
      ['gemini-2.5-pro', ['low']],
      ['gemini-3.5-flash-lite', ['minimal', 'low']],
      ['gemini-3.1-pro-preview', ['minimal', 'low']],
      ['gemini-4', ['minimal', 'low']],
      ['models/gemini-3.8-flash', ['minimal', 'low']],
      // Before thinking, and Google's open models: nothing is sent.
      ['gemini-2.0-flash', []],
      ['gemma-4-27b-it', []],
      ['gemini-30b-local', []],
    ];
    for (const [model, efforts] of cases) assert.deepEqual(geminiCompletionEfforts(model), efforts, model);
  });
});
