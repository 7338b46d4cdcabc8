import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findPreset, PRESET_IDS, PRESETS, type Preset } from '../../../src/core/providers/presets';

/** The ids users type in settings; renaming one breaks their configuration. */
const REQUIRED_IDS = [
  'custom',
  'openai',
  'dashscope-intl',
  'dashscope-us',
  'dashscope-cn',
  'qwen-oauth',
  'anthropic',
  'deepseek',
  'mistral',
  'codestral',
  'openrouter',
  'groq',
  'moonshot',
  'zhipu',
  'siliconflow',
  'gemini',
  'ollama',
  'lmstudio',
  'llamacpp',
  'vllm',
  'litellm',
];

/**
 * Self-hosted entries whose default address is a placeholder on this machine even though they are
 * not `local` (a LiteLLM gateway bills real backends; `custom` is whatever the user runs).
 */
const SELF_HOSTED_PLACEHOLDERS = new Set(['custom', 'litellm']);

const onThisMachine = (preset: Preset) => preset.local === true || SELF_HOSTED_PLACEHOLDERS.has(preset.id);

/** VS Code's own language models are reached through the editor: no address, no key of ours. */
const inTheEditor = (preset: Preset) => preset.protocol === 'vscode-lm';

/** `v1`, `v4`, `v1beta`, `v2alpha1`: an API version path segment. */
const VERSION_SEGMENT = /^v\d+(?:alpha|beta)?\d*$/;

function each(check: (preset: Preset) => void): void {
  for (const preset of PRESETS) {
    try {
      check(preset);
    } catch (error) {
      if (error instanceof assert.AssertionError) error.message = `preset "${preset.id}": ${error.message}`;
      throw error;
    }
  }
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}

describe('PRESETS', () => {
  it('has unique, short, lower-case ids', () => {
    const ids = PRESETS.map((p) => p.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate ids in ${ids.join(', ')}`);
    each((p) => assert.match(p.id, /^[a-z0-9-]+$/));
  });

  it('contains every id users rely on', () => {
    const missing = REQUIRED_IDS.filter((id) => !findPreset(id));
    assert.deepEqual(missing, []);
    assert.ok(findPreset('together') || findPreset('fireworks'), 'expected together and/or fireworks');
  });

  it('exports PRESET_IDS in catalogue order and finds presets by id', () => {
    assert.deepEqual(
      PRESET_IDS,
      PRESETS.map((p) => p.id),
    );
    each((p) => assert.equal(findPreset(p.id), p));
    assert.equal(findPreset('no-such-preset'), undefined);
    assert.equal(findPreset('OpenAI'), undefined, 'ids are matched exactly');
  });

  it('uses https for hosted backends and http://127.0.0.1 for servers on this machine', () => {
    each((p) => {
      if (inTheEditor(p)) return assert.equal(p.baseUrl, '', 'the editor’s models have no address');
      const url = new URL(p.baseUrl);
      assert.ok(!p.baseUrl.endsWith('/'), `baseUrl ${p.baseUrl} must not end with a slash`);
      assert.equal(url.search + url.hash, '', 'no query or fragment');
      if (onThisMachine(p)) {
        assert.equal(url.protocol, 'http:');
        assert.equal(
          url.hostname,
          '127.0.0.1',
          'an IPv4 literal, so a localhost that resolves to ::1 does not miss the server',
        );
        assert.notEqual(url.port, '', 'an explicit port to probe');
      } else {
        assert.equal(url.protocol, 'https:');
      }
    });
  });

  it('gives OpenAI-compatible presets a versioned base URL, and Anthropic/Ollama their roots', () => {
    each((p) => {
      if (inTheEditor(p)) return;
      const segments = new URL(p.baseUrl).pathname.split('/').filter(Boolean);
      if (p.protocol === 'openai' || p.protocol === 'qwen-oauth') {
        // The version is the last segment (`/v1`) or the one before a vendor suffix (`/v1beta/openai`).
        assert.ok(
          segments.slice(-2).some((s) => VERSION_SEGMENT.test(s)),
          `${p.baseUrl} should end in a version segment such as /v1`,
        );
      } else {
        assert.deepEqual(segments, [], `${p.protocol} takes the server root, got ${p.baseUrl}`);
      }
    });
  });

  it('names an environment variable for every keyed preset', () => {
    each((p) => {
      if (p.authStyle === 'bearer' || p.authStyle === 'x-api-key') {
        assert.equal(p.requiresKey, true);
        assert.match(p.apiKeyEnv ?? '', /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*_API_KEY$/);
      } else {
        assert.equal(p.apiKeyEnv, undefined, `authStyle ${p.authStyle} reads no key from the environment`);
      }
    });
  });

  it('lets only local servers, the custom entry and the editor’s own models go without a key', () => {
    each((p) => {
      if (!p.requiresKey) {
        assert.ok(
          p.local === true || p.id === 'custom' || inTheEditor(p),
          'requiresKey false outside local/custom/vscode-lm',
        );
        assert.equal(p.authStyle, 'none');
      }
      if (p.local) {
        assert.equal(p.requiresKey, false);
        assert.equal(p.authStyle, 'none');
      }
    });
  });

  it('pairs each protocol with the auth and FIM route it speaks', () => {
    each((p) => {
      if (p.protocol === 'anthropic') assert.equal(p.authStyle, 'x-api-key');
      if (p.protocol === 'qwen-oauth') assert.equal(p.authStyle, 'oauth');
      if (p.authStyle === 'oauth') assert.equal(p.protocol, 'qwen-oauth');
      // Only the native Ollama client can call /api/generate; Anthropic has no completions endpoint.
      assert.equal(p.fimRoute === 'ollama-generate', p.protocol === 'ollama');
      if (p.protocol === 'anthropic') assert.equal(p.fimRoute, 'chat');
    });
  });

  it('sets fimBaseUrl exactly when FIM lives on DeepSeek /beta', () => {
    each((p) => {
      if (p.fimRoute === 'deepseek-beta') {
        assert.ok(p.fimBaseUrl && isHttpsUrl(p.fimBaseUrl), `fimBaseUrl ${String(p.fimBaseUrl)} must be https`);
      } else {
        assert.equal(p.fimBaseUrl, undefined);
      }
    });
    assert.equal(findPreset('deepseek')?.fimBaseUrl, 'https://api.deepseek.com/beta');
  });

  it('names a chat model, a completion model and only non-empty extra models', () => {
    each((p) => {
      for (const model of [p.chatModel, p.completionModel, ...(p.models ?? [])]) {
        assert.ok(model.trim().length > 0 && model === model.trim(), `model id ${JSON.stringify(model)}`);
      }
      const models = p.models ?? [];
      assert.equal(new Set(models).size, models.length, `duplicate models in ${models.join(', ')}`);
    });
  });

  it('links each preset to https documentation', () => {
    each((p) => assert.ok(isHttpsUrl(p.docs), `docs ${p.docs}`));
  });

  it('publishes only positive whole-number limits, each with a note on its source', () => {
    each((p) => {
      if (!p.quota) return;
      for (const value of [p.quota.requestsPerMinute, p.quota.requestsPerDay, p.quota.tokensPerMinute]) {
        if (value !== undefined) assert.ok(Number.isInteger(value) && value > 0, `limit ${value}`);
      }
      assert.ok((p.quota.note ?? '').length > 0, 'a quota needs a note on where it comes from');
    });
  });

  it('marks only the Qwen OAuth free tier as discontinued, and says where to go instead', () => {
    const discontinued = PRESETS.filter((p) => p.discontinued).map((p) => p.id);
    assert.deepEqual(discontinued, ['qwen-oauth']);
    const notice = findPreset('qwen-oauth')?.discontinued;
    assert.equal(notice?.since, '2026-04-15');
    assert.ok(!Number.isNaN(Date.parse(notice?.since ?? '')));
    for (const alternative of ['dashscope', 'openrouter', 'ollama']) {
      assert.match(notice?.message ?? '', new RegExp(alternative, 'i'));
    }
  });

  it("offers VS Code's own language models as a backend that speaks through the editor", () => {
    const editor = findPreset('vscode-lm');
    assert.equal(editor?.protocol, 'vscode-lm');
    assert.equal(editor?.requiresKey, false);
    assert.equal(editor?.authStyle, 'none');
    assert.equal(editor?.fimRoute, 'chat', 'the Language Model API is chat only');
    assert.equal(editor?.local, undefined, 'not a server to probe on this machine');
    assert.deepEqual(
      PRESETS.filter(inTheEditor).map((p) => p.id),
      ['vscode-lm'],
    );
  });

  it('keeps the Qwen defaults the settings and README rely on', () => {
    const intl = findPreset('dashscope-intl');
    assert.equal(intl?.baseUrl, 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1');
    assert.equal(intl?.chatModel, 'qwen3-coder-plus');
    assert.equal(intl?.apiKeyEnv, 'DASHSCOPE_API_KEY');
    assert.equal(findPreset('dashscope-us')?.baseUrl, 'https://dashscope-us.aliyuncs.com/compatible-mode/v1');
    assert.equal(findPreset('dashscope-cn')?.baseUrl, 'https://dashscope.aliyuncs.com/compatible-mode/v1');
    assert.ok(
      findPreset('openrouter')?.models?.includes('qwen/qwen3-coder:free') ||
        findPreset('openrouter')?.chatModel === 'qwen/qwen3-coder:free',
    );
    assert.equal(findPreset('ollama')?.baseUrl, 'http://127.0.0.1:11434');
  });
});
