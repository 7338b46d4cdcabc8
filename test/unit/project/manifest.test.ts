import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PRESET_IDS } from '../../../src/core/providers/presets';

interface SettingSchema {
  scope?: string;
  items?: { properties?: Record<string, { enum?: string[] }> };
}

const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, SettingSchema> } };
};
const settings = manifest.contributes.configuration.properties;

describe('package.json contributions', () => {
  it('keeps settings that carry URLs, headers or the fallback order out of workspace scope', () => {
    // A cloned repository's .vscode/settings.json must not be able to point a key at its server.
    for (const name of ['switchboard.providers', 'switchboard.fallback']) {
      assert.ok(['application', 'machine'].includes(settings[name]?.scope ?? ''), `${name} is user-scope only`);
    }
  });

  it('offers exactly the catalogue presets in settings.json completion', () => {
    assert.deepEqual(settings['switchboard.providers']?.items?.properties?.preset?.enum, [...PRESET_IDS]);
  });
});
