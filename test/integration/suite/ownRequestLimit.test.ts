/**
 * A limit on requests of the user's own (`limits.requestsPerDay`), reached with no fallback set and
 * completion not yielding to chat: it warns and offers the switch, and does not stop completion's
 * requests (a budget does). The notification says so, so nobody takes "reached its limit" for
 * "stopped".
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Notice } from '../../../src/usage/limitMonitor';
import { participantHandler } from '../../../src/chat/vscodeChat/chatParticipant';
import { openChatView, type FakeChatView } from './fakeChatView';
import { chatRequest, recordingStream } from './participantRequest';
import {
  activateWithLedger,
  completeNewFunction,
  emulatorBackend,
  eventually,
  restoreSettingsAfterEach,
  setUserSettings,
  statusBarText,
} from './helpers';

describe('a request limit of your own', () => {
  const start = restoreSettingsAfterEach([
    'fallback',
    'completion.yieldToChat',
    'completion.provider',
    'chat.provider',
  ]);

  /**
   * Completion on a new backend `id` named `name`, limited to one request a day, with `more`
   * settings; resolves once the status bar shows it. `notices` gathers every notification meanwhile.
   */
  async function limitedToOne(
    id: string,
    name: string,
    more: Readonly<Record<string, unknown>>,
    extraBackends: Record<string, unknown>[] = [],
  ) {
    const api = await activateWithLedger();
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, id, name, { limits: { requestsPerDay: 1 } }),
        ...extraBackends,
      ],
      fallback: [],
      'completion.provider': id,
      ...more,
    });
    await statusBarText(api, (text) => text.includes(name), 'the status bar to show the limited backend');
    const reached = () =>
      eventually(
        () => notices.find((candidate) => candidate.message.startsWith(`${name} reached its limit`))?.message,
        Boolean,
        'the notification that the limit is reached',
      );
    return { api, reached, done: () => subscription.dispose() };
  }

  /**
   * Chat on a new backend `<prefix>-move` limited to one request a day, with `<prefix>-standby`
   * next in `switchboard.fallback`; resolves once chat is on the limited one.
   */
  async function chatLimitedToOne(prefix: string, name: string) {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, `${prefix}-move`, `${name} Moving`, { limits: { requestsPerDay: 1 } }),
        emulatorBackend(start.emulatorBaseUrl, `${prefix}-standby`, `${name} Standby`),
      ],
      fallback: [`${prefix}-standby`],
      'chat.provider': `${prefix}-move`,
    });
    await eventually(
      () => api.backends.configFor('chat')?.id,
      (id) => id === `${prefix}-move`,
      'chat on the limited backend',
    );
    return api;
  }

  it('says when reached that completion still asks the backend until you switch, and it does', async () => {
    const { api, reached, done } = await limitedToOne('own-daily', 'Own Daily', { 'completion.yieldToChat': false });
    try {
      assert.equal(await completeNewFunction(api, 'ownLimit'), 1, 'the first request is answered');
      assert.match(
        (await reached()) ?? '',
        /^Own Daily reached its limit: 1 of 1 requests today; it resets at [^.]+\. Completion still asks it at every pause until you switch: a limit on requests only warns, a budget pauses completion\./,
      );
      // As it says: the next pause is still asked of it, and answered.
      assert.equal(await completeNewFunction(api, 'ownLimit'), 1, 'the request past the limit went');
    } finally {
      done();
    }
  });

  it('with a fallback set, the pause right after the limit goes to the fallback, not once more past the limit', async () => {
    const { api, done } = await limitedToOne(
      'own-move',
      'Own Moving',
      { fallback: ['own-standby'], 'completion.yieldToChat': false },
      [emulatorBackend(start.emulatorBaseUrl, 'own-standby', 'Own Standby')],
    );
    try {
      assert.equal(await completeNewFunction(api, 'ownMove'), 1, "the day's one request is answered");
      // The user's next pause comes once the limit is known to be reached, while the move is decided.
      await eventually(
        () => api.limits.stateOf('own-move')?.level,
        (level) => level === 'exhausted',
        'the limit to be reached',
      );
      assert.equal(await completeNewFunction(api, 'ownMove'), 1, 'ghost text at that pause');
      assert.equal(api.meter.today('own-move')?.requests, 1, 'nothing past the limit went to the backend that ran out');
      await eventually(
        () => api.meter.today('own-standby')?.requests ?? 0,
        (requests) => requests === 1,
        'the pause to be answered by the fallback',
      );
    } finally {
      done();
    }
  });

  it('with a fallback set, a chat question right after the limit goes to the fallback, not past the limit', async () => {
    const api = await chatLimitedToOne('chat', 'Chat');
    const view = openChatView(api, true, true);
    /** Sends `text` as the view's Send button would, once the previous answer has ended. */
    const send = async (chat: FakeChatView, text: string) => {
      const context = await eventually(
        () => chat.posted.filter((message) => message.type === 'context').at(-1),
        Boolean,
        'the context chips',
      );
      chat.receive({ type: 'send', text, context: { revision: context!.revision, ids: [] } });
    };
    const idle = () =>
      eventually(
        () => view.posted.filter((message) => message.type === 'controls').at(-1) as { busy?: boolean } | undefined,
        (controls) => controls?.busy === false,
        'the answer to end',
      );
    try {
      view.receive({ type: 'ready' });
      await send(view, "The day's one question");
      await eventually(
        () => api.meter.today('chat-move')?.requests ?? 0,
        (requests) => requests === 1,
        "the day's one question to be answered",
      );
      await idle();
      // The user's next question comes once the limit is known to be reached, while the move is decided.
      await eventually(
        () => api.limits.stateOf('chat-move')?.level,
        (level) => level === 'exhausted',
        'the limit to be reached',
      );
      await send(view, 'And one more');
      await eventually(
        () => api.meter.today('chat-standby')?.requests ?? 0,
        (requests) => requests === 1,
        'the question to be answered by the fallback',
      );
      assert.equal(
        api.meter.today('chat-move')?.requests,
        1,
        'nothing past the limit went to the backend that ran out',
      );
      assert.equal(
        view.posted.find((message) => message.type === 'sendRejected'),
        undefined,
        'neither question was refused',
      );
    } finally {
      view.dispose();
    }
  });

  it('with a fallback set, an @switchboard question right after the limit goes to the fallback', async () => {
    const api = await chatLimitedToOne('ask', 'Ask');
    // As the extension registers it.
    const handler = participantHandler(api.backends, api.meter, api.chatGate, (id) => api.limits.movingAway(id));
    const ask = async (prompt: string) => {
      const { stream, progress } = recordingStream();
      const result = await handler(
        chatRequest(prompt),
        { history: [] },
        stream,
        new vscode.CancellationTokenSource().token,
      );
      assert.equal(result?.errorDetails, undefined);
      return progress;
    };
    assert.deepEqual(await ask("The day's one question"), ['Asking Ask Moving (default)…']);
    await eventually(
      () => api.limits.stateOf('ask-move')?.level,
      (level) => level === 'exhausted',
      'the limit to be reached',
    );
    assert.deepEqual(await ask('And one more'), ['Asking Ask Standby (default)…']);
    assert.equal(api.meter.today('ask-move')?.requests, 1, 'nothing past the limit went to the backend that ran out');
  });

  it('says nothing of the kind where completion yields to chat: it asks only on Alt+\\ by then', async () => {
    const { api, reached, done } = await limitedToOne('own-daily-yield', 'Own Yielding', {});
    try {
      // With one request a day, completion keeps that one for chat from the start: Alt+\ spends it.
      await completeNewFunction(api, 'ownYield', vscode.InlineCompletionTriggerKind.Invoke);
      assert.doesNotMatch((await reached()) ?? '', /still asks/);
      await statusBarText(api, (text) => text.includes('completion on Alt+\\ only'), 'completion to yield to chat');
      assert.equal(await completeNewFunction(api, 'ownYield'), 0, 'no automatic request past the limit');
    } finally {
      done();
    }
  });
});
