/**
 * The chat view's backend picker and its Send: a question sent right after a pick goes to the
 * backend the picker shows, even while the pick is still being written into settings.json.
 */
import assert from 'node:assert/strict';
import { startEmulator, type Emulator } from '../../emulator/server';
import { openChatView } from './fakeChatView';
import { activateWithLedger, config, eventually, restoreSettingsAfterEach, setUserSettings } from './helpers';

const CHAT = '/v1/chat/completions';

describe('the chat view: pick, then send at once', () => {
  const start = restoreSettingsAfterEach(['chat.provider']);
  let first: Emulator;
  let second: Emulator;

  before(async () => {
    first = await startEmulator();
    second = await startEmulator();
  });

  after(async () => {
    await first.close();
    await second.close();
  });

  it('the question goes to the backend just picked, not the one the settings still name', async () => {
    const api = await activateWithLedger();
    const backend = (id: string, name: string, baseUrl: string) => ({
      id,
      name,
      preset: 'custom',
      baseUrl,
      completionModel: 'emulator-coder',
      chatModel: 'emulator-chat',
    });
    await setUserSettings({
      providers: [
        ...start.providers,
        backend('pick-first', 'Picked First', first.openaiBaseUrl),
        backend('pick-second', 'Picked Second', second.openaiBaseUrl),
      ],
      'chat.provider': 'pick-first',
    });
    const { posted, receive, dispose } = openChatView(api);
    try {
      receive({ type: 'ready' });
      const context = await eventually(
        () => posted.filter((message) => message.type === 'context').at(-1),
        Boolean,
        'the context chips',
      );
      // The webview's picker shows the pick as it is made; Send follows a moment later, before
      // VS Code has finished writing the pick into settings.json.
      receive({ type: 'selectBackend', providerId: 'pick-second' });
      receive({ type: 'send', text: 'Which backend am I on?', context: { revision: context!.revision, ids: [] } });
      await eventually(
        () => first.count(CHAT) + second.count(CHAT),
        (count) => count > 0,
        'the question to reach a backend',
      );
      assert.equal(second.count(CHAT), 1, 'the question went to the backend the picker shows');
      assert.equal(first.count(CHAT), 0, 'nothing went to the backend it was moved from');
      assert.equal(config().get('chat.provider'), 'pick-second');
    } finally {
      dispose();
    }
  });
});
