/**
 * Commands run from the palette before a backend can answer: instead of a picker with nothing to
 * pick, or a notice about the wrong thing, one message says what is missing and offers the command
 * that supplies it.
 */
import assert from 'node:assert/strict';
import { activateSwitchboard, restoreSettingsAfterEach, setUserSettings } from './helpers';
import { runCommandSaying } from './commandSaying';

const runSaying = runCommandSaying;

describe('the palette before a backend can answer', () => {
  restoreSettingsAfterEach(['completion.provider', 'chat.provider']);

  for (const command of ['switchboard.removeProvider', 'switchboard.chooseModel', 'switchboard.setPrice']) {
    it(`${command} with no backend says so and offers Add Provider, not an empty picker`, async () => {
      await activateSwitchboard();
      await setUserSettings({ providers: [] });
      const said = await runSaying(command);
      assert.deepEqual(
        said.pickers.filter((items) => items.length === 0),
        [],
        'no picker with nothing to pick',
      );
      assert.equal(said.messages.length, 1, JSON.stringify(said));
      assert.match(said.messages[0]!.text, /no backend is set up yet/);
      assert.deepEqual(said.messages[0]!.buttons, ['Add Provider…']);
    });
  }

  it('Try Inline Completion with a backend whose key is missing names it and offers Set API Key', async () => {
    await activateSwitchboard();
    await setUserSettings({
      providers: [{ id: 'keyless', name: 'Keyless OpenAI', preset: 'openai', baseUrl: 'http://127.0.0.1:9/v1' }],
      'completion.provider': 'keyless',
    });
    const said = await runSaying('switchboard.tryCompletion');
    assert.equal(said.messages.length, 1, JSON.stringify(said));
    assert.match(said.messages[0]!.text, /Keyless OpenAI has no API key/);
    assert.deepEqual(said.messages[0]!.buttons, ['Set API Key']);
  });

  it('offers Set price… for an unpriced backend only where it belongs: in Switch Provider, not Remove, Choose Model or Set API Key', async () => {
    await activateSwitchboard();
    await setUserSettings({
      providers: [
        {
          id: 'unpriced-pick',
          name: 'Unpriced Pick',
          preset: 'custom',
          baseUrl: 'http://127.0.0.1:9/v1',
          completionModel: 'my-own-coder',
        },
      ],
      'completion.provider': 'unpriced-pick',
    });
    const labels = async (command: string) =>
      (await runSaying(command)).pickers.flat().map((item) => (item as { label?: string }).label ?? '');
    const switching = await labels('switchboard.switchProvider');
    assert.ok(
      switching.some((label) => label.includes('Set price…')),
      `Switch Provider offers it: ${switching.join(' | ')}`,
    );
    for (const command of ['switchboard.removeProvider', 'switchboard.chooseModel', 'switchboard.setApiKey']) {
      const shown = await labels(command);
      assert.ok(shown.length > 0, `${command} shows a picker`);
      assert.ok(!shown.some((label) => label.includes('Set price…')), `${command}: ${shown.join(' | ')}`);
    }
  });
});
