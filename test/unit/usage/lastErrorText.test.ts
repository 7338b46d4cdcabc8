import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ProviderError } from '../../../src/core/providers/providerError';
import { lastErrorText } from '../../../src/core/usage/lastErrorText';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);
const backend = { id: 'ds-2', name: 'DeepSeek (work)', model: 'deepseek-chat', protocol: 'openai' };

describe('the tooltip’s last error, in words', () => {
  it('names the backend as the user named it, says what happened and what helps, without the raw status', () => {
    const error = new ProviderError({
      kind: 'server',
      providerId: 'ds-2',
      status: 500,
      message: 'Backend error (ds-2 500): upstream exploded',
    });
    const text = lastErrorText(error, backend, NOW) ?? '';
    assert.equal(
      text,
      "DeepSeek (work) had an internal error. The problem is on DeepSeek (work)'s side; trying again usually works.",
    );
  });

  it('a refused key says to set a new one', () => {
    const error = new ProviderError({
      kind: 'auth',
      providerId: 'ds-2',
      status: 401,
      message: 'Authentication failed (ds-2 401)',
    });
    assert.match(lastErrorText(error, backend, NOW) ?? '', /^DeepSeek \(work\) refused the API key\. .*Set a new key/);
  });

  it('speaks of completion, not of a chat: its model setting and the code around the cursor', () => {
    const missing = new ProviderError({ kind: 'model-not-found', providerId: 'ds-2', status: 404, message: 'x' });
    assert.match(lastErrorText(missing, backend, NOW) ?? '', /Check completionModel/);
    const ollama = { ...backend, name: 'Ollama', protocol: 'ollama', model: 'qwen2.5-coder:1.5b-base' };
    assert.match(lastErrorText(missing, ollama, NOW) ?? '', /Run `ollama pull qwen2\.5-coder:1\.5b-base`/);
    const long = new ProviderError({ kind: 'context-too-long', providerId: 'ds-2', status: 400, message: 'x' });
    assert.doesNotMatch(lastErrorText(long, backend, NOW) ?? '', /conversation|new chat|context chips/);
  });

  it('a request the user cancelled is no failure to report', () => {
    const error = new ProviderError({ kind: 'cancelled', providerId: 'ds-2', message: 'Cancelled' });
    assert.equal(lastErrorText(error, backend, NOW), undefined);
  });
});
