import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectEnvKeys } from '../../../src/core/detection/envKeys';
import { migrationNotice, migrationRoutes, routeRegions } from '../../../src/core/detection/qwenMigration';
import { findPreset } from '../../../src/core/providers/presets';

describe('after the Qwen Code login ended', () => {
  it('offers the three routes Qwen Code recommends, each a working preset, and Ollama only when it runs', () => {
    const routes = migrationRoutes(false);
    assert.deepEqual(
      routes.map((route) => route.presetId),
      ['coding-plan-intl', 'dashscope-intl', 'openrouter'],
    );
    for (const route of migrationRoutes(true)) {
      const preset = findPreset(route.presetId);
      assert.ok(preset && !preset.discontinued, `${route.presetId} can be added`);
    }
    assert.equal(migrationRoutes(true).at(-1)?.presetId, 'ollama');
    // OpenRouter's route lands on the free Qwen coder as it is added.
    assert.equal(findPreset('openrouter')?.chatModel, 'qwen/qwen3-coder:free');
  });

  it('uses a key already in the environment: the route says so and needs no key typed in', () => {
    const keys = new Map(
      detectEnvKeys({ OPENROUTER_API_KEY: 'sk-or-v1-0123456789' }).map((k) => [k.presetId, `$${k.envVar}`]),
    );
    const routes = migrationRoutes(false, keys);
    const openrouter = routes.find((route) => route.id === 'openrouter-free');
    assert.equal(openrouter?.label, 'OpenRouter (free, key found)');
    assert.equal(openrouter?.keyPlace, '$OPENROUTER_API_KEY');
    assert.match(openrouter?.cost ?? '', /Your key in \$OPENROUTER_API_KEY is used\.$/);
    // The others still open Add Provider, where their key is asked for.
    assert.deepEqual(
      routes.filter((route) => route.keyPlace === undefined).map((route) => route.label),
      ['Coding Plan…', 'Model Studio…'],
    );
  });

  it('asks the region of a Model Studio or Coding Plan account before its key, since a key works only in its own', () => {
    const routes = migrationRoutes(true);
    const regions = (id: string) => routeRegions(routes.find((route) => route.id === id)!);
    assert.deepEqual(
      regions('model-studio').map((region) => [region.label, findPreset(region.presetId)?.baseUrl]),
      [
        ['Singapore', 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1'],
        ['US (Virginia)', 'https://dashscope-us.aliyuncs.com/compatible-mode/v1'],
        ['China (Beijing)', 'https://dashscope.aliyuncs.com/compatible-mode/v1'],
      ],
    );
    assert.match(regions('model-studio')[0]!.detail, /only region with a free quota/);
    assert.deepEqual(
      regions('coding-plan').map((region) => [region.label, findPreset(region.presetId)?.baseUrl]),
      [
        ['International', 'https://coding-intl.dashscope.aliyuncs.com/v1'],
        ['China', 'https://coding.dashscope.aliyuncs.com/v1'],
      ],
    );
    // The route's own preset comes first, so Enter keeps today's default.
    for (const id of ['model-studio', 'coding-plan'])
      assert.equal(regions(id)[0]!.presetId, routes.find((route) => route.id === id)!.presetId);
    assert.deepEqual(regions('openrouter-free'), []);
    assert.deepEqual(regions('ollama'), []);
    // A key found already has its entry, and with it its host: nothing to ask.
    const found = migrationRoutes(false, new Map([['dashscope-intl', '~/.qwen/settings.json']]));
    assert.deepEqual(routeRegions(found.find((route) => route.id === 'model-studio')!), []);
  });

  it('says in one line each how the routes differ in cost', () => {
    const { message, detail } = migrationNotice(migrationRoutes(true));
    assert.match(message, /free tier ended on 2026-04-15/);
    const lines = detail.split('\n');
    assert.equal(lines.length, 4);
    assert.match(lines[0] ?? '', /flat monthly subscription/);
    assert.match(lines[1] ?? '', /per token.*free quota/);
    assert.match(lines[2] ?? '', /\$0.*50 a day.*1,000/);
    assert.match(lines[3] ?? '', /free and private/);
  });

  it('a Coding Plan key in DASHSCOPE_API_KEY is found as the Coding Plan, not Model Studio', () => {
    assert.deepEqual(detectEnvKeys({ DASHSCOPE_API_KEY: 'sk-sp-0123456789abcdef' }), [
      { presetId: 'coding-plan-intl', envVar: 'DASHSCOPE_API_KEY' },
    ]);
    assert.deepEqual(detectEnvKeys({ DASHSCOPE_API_KEY: 'sk-0123456789abcdef' }), [
      { presetId: 'dashscope-intl', envVar: 'DASHSCOPE_API_KEY' },
    ]);
  });
});
