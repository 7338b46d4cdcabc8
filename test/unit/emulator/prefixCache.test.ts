/**
 * The emulator's implicit prefix cache: what each backend reports as cache hits when consecutive
 * prompts share their start, by that backend's rules, over real HTTP and in the cache itself.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { PrefixCache, REMEMBERED_PROMPTS } from '../../emulator/prefixCache';
import { startEmulator, type Emulator } from '../../emulator/server';

const KEY = 'sk-emu-test-0123456789abcdefCACHE';
const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };

/** `tokens` emulator tokens (four characters each) of text that no other test prompt starts with. */
const text = (tokens: number, seed: string) => `${seed}:`.padEnd(tokens * 4, 'abcd');

describe('implicit prefix cache (emulator)', () => {
  it('counts the longest shared prefix, rounded down to the block, and nothing below the minimum', () => {
    const cache = new PrefixCache();
    const shared = text(200, 'shared');
    assert.equal(cache.lookup('deepseek', `${shared}first ending`), 0, 'nothing is cached the first time');
    // 200 shared tokens (plus 2 characters): three whole 64-token units.
    assert.equal(cache.lookup('deepseek', `${shared}second`), 192);
    // OpenAI caches nothing under 1,024 tokens, then in steps of 128.
    assert.equal(cache.lookup('openai', `${shared}a`), 0);
    assert.equal(cache.lookup('openai', `${shared}b`), 0, '200 shared tokens are under the minimum');
    const long = text(1300, 'long');
    cache.lookup('openai', `${long}x`);
    assert.equal(cache.lookup('openai', `${long}y`), 1280);
    // Model Studio: from 256 tokens, no block.
    cache.lookup('dashscope', `${text(255, 'short')}x`);
    assert.equal(cache.lookup('dashscope', `${text(255, 'short')}y`), 0);
    cache.lookup('dashscope', `${text(300, 'ms')}x`);
    assert.equal(cache.lookup('dashscope', `${text(300, 'ms')}y`), 300);
    assert.equal(cache.lookup('mistral', shared), undefined, 'a backend without an implicit cache');
  });

  it('keeps each backend apart and forgets the oldest prompts', () => {
    const cache = new PrefixCache();
    const first = text(128, 'first');
    cache.lookup('deepseek', `${first}1`);
    assert.equal(cache.lookup('dashscope', `${first}2`), 0, "another backend never saw DeepSeek's prompt");
    for (let i = 0; i < REMEMBERED_PROMPTS; i++) cache.lookup('deepseek', `${text(100, `other ${i}`)}`);
    assert.equal(cache.lookup('deepseek', `${first}3`), 0, 'pushed out by newer prompts');
    assert.equal(cache.lookup('deepseek', `${first}4`), 128, 'remembered again once seen');
  });

  describe('over HTTP', () => {
    let emulator: Emulator;
    before(async () => {
      emulator = await startEmulator({ apiKey: KEY, implicitPrefixCache: true });
    });
    after(() => emulator.close());

    const post = async (path: string, body: unknown) =>
      (await (
        await fetch(`${emulator.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) })
      ).json()) as {
        usage: Record<string, unknown>;
      };

    it('DeepSeek reports hits in its own counters, prompt then suffix as the model reads them', async () => {
      const prompt = text(300, 'deepseek fim');
      const first = await post('/beta/completions', { model: 'deepseek-v4-flash', prompt, suffix: '\n}\n' });
      assert.equal(first.usage.prompt_cache_hit_tokens, 0);
      // The same file one key later: everything up to the old cursor is shared.
      const second = await post('/beta/completions', {
        model: 'deepseek-v4-flash',
        prompt: `${prompt}x`,
        suffix: '\n}\n',
      });
      assert.equal(second.usage.prompt_cache_hit_tokens, 256);
      assert.equal(second.usage.prompt_cache_miss_tokens, (second.usage.prompt_tokens as number) - 256);
      assert.equal(second.usage.prompt_tokens_details, undefined, 'DeepSeek has counters of its own');
    });

    it('Model Studio reports hits in prompt_tokens_details.cached_tokens, chat included', async () => {
      const messages = (user: string) => [
        { role: 'system', content: 'You are a code completion engine.' },
        { role: 'user', content: user },
      ];
      const file = text(400, 'model studio');
      const first = await post('/compatible-mode/v1/chat/completions', {
        model: 'qwen3-coder-flash',
        messages: messages(`${file}<HOLE>`),
      });
      assert.deepEqual(first.usage.prompt_tokens_details, { cached_tokens: 0 });
      const second = await post('/compatible-mode/v1/chat/completions', {
        model: 'qwen3-coder-flash',
        messages: messages(`${file}y<HOLE>`),
      });
      const cached = (second.usage.prompt_tokens_details as { cached_tokens: number }).cached_tokens;
      // The system message and the file: more than the file alone, less than the whole prompt.
      assert.ok(cached > 400 && cached <= (second.usage.prompt_tokens as number), String(cached));
    });

    it('reports nothing cached unless asked to model the cache', async () => {
      emulator.configure({ implicitPrefixCache: undefined });
      try {
        const prompt = text(300, 'uncached');
        await post('/beta/completions', { model: 'deepseek-v4-flash', prompt });
        const again = await post('/beta/completions', { model: 'deepseek-v4-flash', prompt });
        assert.equal(again.usage.prompt_cache_hit_tokens, 0);
        const chat = await post('/compatible-mode/v1/chat/completions', {
          model: 'qwen3-coder-flash',
          messages: [{ role: 'user', content: prompt }],
        });
        assert.equal(chat.usage.prompt_tokens_details, undefined);
      } finally {
        emulator.configure({ implicitPrefixCache: true });
      }
    });
  });
});
