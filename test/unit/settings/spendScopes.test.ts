import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cheaperChoice,
  cheaperLanguages,
  cheaperNumber,
  cheaperSwitch,
  mapAllows,
  savingSwitch,
} from '../../../src/core/settings/spendScopes';

describe('spend settings from a repository only lower spend', () => {
  it('numbers: the lower (or for a wait, the higher) of the user and the repository', () => {
    assert.equal(cheaperNumber({ defaultValue: 1500, workspaceValue: 30_000 }, 'lower'), 1500);
    assert.equal(cheaperNumber({ defaultValue: 1500, globalValue: 800, workspaceValue: 1000 }, 'lower'), 800);
    assert.equal(cheaperNumber({ defaultValue: 1500, workspaceFolderValue: 400 }, 'lower'), 400);
    assert.equal(cheaperNumber({ defaultValue: 300, workspaceValue: 0 }, 'higher'), 300);
  });

  it('choices: a repository can pick a cheaper one, never a dearer one or an unknown one', () => {
    const speeds = ['frugal', 'balanced', 'fast'] as const;
    assert.equal(cheaperChoice({ defaultValue: 'balanced', workspaceValue: 'fast' }, speeds, 'balanced'), 'balanced');
    assert.equal(cheaperChoice({ defaultValue: 'balanced', workspaceValue: 'frugal' }, speeds, 'balanced'), 'frugal');
    assert.equal(
      cheaperChoice(
        { defaultValue: 'balanced', globalValue: 'fast', workspaceFolderValue: 'balanced' },
        speeds,
        'balanced',
      ),
      'balanced',
    );
    assert.equal(cheaperChoice({ defaultValue: 'balanced', globalValue: 'fast' }, speeds, 'balanced'), 'fast');
    assert.equal(cheaperChoice({ defaultValue: 'balanced', globalValue: 'turbo' }, speeds, 'balanced'), 'balanced');
    assert.equal(cheaperChoice({ defaultValue: 'fast', workspaceValue: 'turbo' }, speeds, 'balanced'), 'fast');
  });

  it('switches: a repository can turn off, never on', () => {
    assert.equal(cheaperSwitch({ defaultValue: true, globalValue: false, workspaceValue: true }), false);
    assert.equal(cheaperSwitch({ defaultValue: true, workspaceFolderValue: false }), false);
    assert.equal(cheaperSwitch({ defaultValue: true }), true);
  });

  it('a switch that saves when on (reuse): a repository can turn it on, never off', () => {
    assert.equal(savingSwitch({ defaultValue: true, workspaceValue: false }), true);
    assert.equal(savingSwitch({ defaultValue: true, workspaceFolderValue: false }), true);
    assert.equal(savingSwitch({ defaultValue: true, globalValue: false }), false, "the user's own choice holds");
    assert.equal(savingSwitch({ defaultValue: true, globalValue: false, workspaceValue: true }), true);
  });

  it('languages: on only where the user and every repository map allow it', () => {
    const languages = cheaperLanguages({
      defaultValue: { '*': true, plaintext: false },
      workspaceValue: { '*': true, plaintext: true, python: false },
      workspaceFolderValue: { '*': false, go: true },
    });
    assert.equal(mapAllows(languages, 'plaintext'), false);
    assert.equal(mapAllows(languages, 'python'), false);
    assert.equal(mapAllows(languages, 'go'), true);
    assert.equal(mapAllows(languages, 'rust'), false, "the folder's * off counts for languages nobody names");
  });
});
