import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configuredAlready } from '../../../src/core/detection/configuredAlready';

describe('a found backend the user has configured already', () => {
  const gateway = { presetId: 'litellm', baseUrl: 'https://llm.example.corp/v1' };

  it('is the configured one at its address, whatever preset either names', () => {
    // OPENAI_BASE_URL pointing at the team's gateway reads as an OpenAI-compatible server.
    assert.equal(configuredAlready({ preset: 'custom', baseUrl: 'https://llm.example.corp' }, [gateway]), true);
    assert.equal(configuredAlready({ preset: 'custom', baseUrl: 'https://llm.example.corp/v1/' }, [gateway]), true);
    assert.equal(configuredAlready({ preset: 'custom', baseUrl: 'https://other.example.corp/v1' }, [gateway]), false);
  });

  it("without an address, is its preset's configured entry", () => {
    const openrouter = { presetId: 'openrouter', baseUrl: 'https://openrouter.ai/api/v1' };
    assert.equal(configuredAlready({ preset: 'openrouter' }, [openrouter]), true);
    assert.equal(configuredAlready({ preset: 'deepseek' }, [openrouter]), false);
  });
});
