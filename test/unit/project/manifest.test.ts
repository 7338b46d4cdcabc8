import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PRESET_IDS } from '../../../src/core/providers/presets';
import { DEFAULT_COMPLETION_EXCLUDE } from '../../../src/core/completion/excludeGlobs';

interface SettingSchema {
  scope?: string;
  default?: unknown;
  items?: { properties?: Record<string, { enum?: string[] }> };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
  capabilities?: {
    untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[]; description?: string };
    virtualWorkspaces?: { supported?: unknown; description?: string };
  };
};
const settings = manifest.contributes.configuration.properties;

describe('package.json contributions', () => {
  it('keeps settings that carry URLs, headers or the fallback order out of workspace scope', () => {
    // A cloned repository's .vscode/settings.json must not be able to point a key at its server.
    for (const name of ['switchboard.providers', 'switchboard.fallback']) {
      assert.ok(['application', 'machine'].includes(settings[name]?.scope ?? ''), `${name} is user-scope only`);
    }
  });

  it('keeps the paid-fallback confirmations and the fallback budget user-scope: a repository cannot allow spending', () => {
    for (const name of ['switchboard.paidFallbackAllowed', 'switchboard.fallbackBudget']) {
      assert.ok(['application', 'machine'].includes(settings[name]?.scope ?? ''), `${name} is user-scope only`);
    }
  });

  it('keeps the choice of backend per role user-scope: a repository cannot move you to a dearer one', () => {
    for (const name of ['switchboard.completion.provider', 'switchboard.chat.provider']) {
      assert.ok(['application', 'machine'].includes(settings[name]?.scope ?? ''), `${name} is user-scope only`);
    }
  });

  it('keeps budgets and their action user-scope: a repository cannot turn a pause into a warning', () => {
    const budget = settings['switchboard.budget'] as SettingSchema & {
      properties?: Record<string, { enum?: string[]; default?: unknown }>;
    };
    assert.ok(['application', 'machine'].includes(budget?.scope ?? ''), 'switchboard.budget is user-scope only');
    assert.deepEqual(budget.properties?.action?.enum, ['pause', 'warn']);
    assert.equal(budget.properties?.action?.default, 'pause');
  });

  it('describes every field a user writes in settings.json, nested ones too, for its hover and completion', () => {
    type Schema = {
      description?: string;
      markdownDescription?: string;
      enumDescriptions?: string[];
      properties?: Record<string, Schema>;
      items?: Schema;
    };
    const undescribed: string[] = [];
    const walk = (schema: Schema, path: string, listItem: boolean) => {
      // A list's item is described by its list; its fields are not.
      if (!listItem && !schema.description && !schema.markdownDescription && !schema.enumDescriptions)
        undescribed.push(path);
      for (const [name, field] of Object.entries(schema.properties ?? {})) walk(field, `${path}.${name}`, false);
      if (schema.items) walk(schema.items, `${path}[]`, true);
    };
    for (const [name, schema] of Object.entries(settings)) walk(schema as Schema, name, false);
    assert.deepEqual(undescribed, []);
  });

  it('offers exactly the catalogue presets in settings.json completion', () => {
    assert.deepEqual(settings['switchboard.providers']?.items?.properties?.preset?.enum, [...PRESET_IDS]);
  });
});

describe('what a workspace may decide', () => {
  it('keeps the completion exclude list user-scope, with the same default as the code', () => {
    const exclude = settings['switchboard.completion.exclude'];
    assert.ok(['application', 'machine'].includes(exclude?.scope ?? ''), 'a repository cannot shorten the list');
    assert.deepEqual(exclude?.default, [...DEFAULT_COMPLETION_EXCLUDE]);
  });

  it('declares Restricted Mode and virtual folders as limited, naming settings that exist', () => {
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.ok(untrusted?.description);
    const restricted = untrusted?.restrictedConfigurations ?? [];
    for (const name of ['switchboard.completion.promptTokens', 'switchboard.completion.maxTokens'])
      assert.ok(restricted.includes(name), `${name} is restricted`);
    for (const name of restricted) assert.ok(settings[name], `${name} is a contributed setting`);
    assert.equal(manifest.capabilities?.virtualWorkspaces?.supported, 'limited');
    assert.ok(manifest.capabilities?.virtualWorkspaces?.description);
  });
});
