import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import {
  editorModelId,
  matchEditorModel,
  SWITCHBOARD_VENDOR,
  withoutSwitchboard,
} from '../../../src/chat/vscodeChat/editorModelMatch';

const models = [
  { vendor: 'copilot', id: 'gpt-4.1', family: 'gpt-4.1' },
  { vendor: 'copilot', id: 'claude-sonnet-4', family: 'claude-sonnet' },
  { vendor: 'acme', id: 'acme/coder-large', family: 'coder' },
];

describe('VS Code language models as a backend', () => {
  it('parses a settings entry that names only the preset, or the preset and a model', () => {
    const { providers, problems } = parseProviders([
      { id: 'editor', preset: 'vscode-lm' },
      { id: 'copilot', preset: 'vscode-lm', chatModel: 'copilot/gpt-4.1' },
    ]);
    assert.deepEqual(problems, []);
    assert.equal(providers[0]?.preset.protocol, 'vscode-lm');
    // Called by its id, with the preset as the detail beside it.
    assert.equal(providers[0]?.name, 'editor');
    assert.equal(providers[0]?.preset.name, 'VS Code language models');
    assert.equal(providers[0]?.chatModel, 'auto');
    assert.equal(providers[0]?.baseUrl, '');
    assert.equal(providers[1]?.chatModel, 'copilot/gpt-4.1');
  });

  it('finds the model a chatModel names: auto, vendor/id, vendor/family, a bare vendor or id', () => {
    assert.equal(matchEditorModel(models, 'auto'), models[0]);
    assert.equal(matchEditorModel(models, 'copilot/claude-sonnet-4'), models[1]);
    assert.equal(matchEditorModel(models, 'copilot/claude-sonnet'), models[1], 'by family');
    assert.equal(matchEditorModel(models, 'acme'), models[2], 'a bare vendor takes its first model');
    assert.equal(matchEditorModel(models, 'acme/acme/coder-large'), models[2], 'ids may hold a slash');
    assert.equal(matchEditorModel(models, 'acme/coder-large'), models[2], 'or a bare id that holds one');
    assert.equal(matchEditorModel(models, 'gpt-4.1'), models[0], 'a bare id');
    assert.equal(matchEditorModel(models, 'copilot/o9'), undefined);
    assert.equal(matchEditorModel([], 'auto'), undefined);
  });

  it("never offers Switchboard's own models, so a request cannot come back round", () => {
    const mixed = [{ vendor: SWITCHBOARD_VENDOR, id: 'emulator/emulator-chat', family: 'emulator-chat' }, ...models];
    assert.deepEqual(withoutSwitchboard(mixed), models);
    assert.equal(matchEditorModel(withoutSwitchboard(mixed), 'auto'), models[0]);
    assert.equal(editorModelId(models[1]!), 'copilot/claude-sonnet-4');
  });
});
