/**
 * A limit on requests of the user's own (`limits.requestsPerDay`), reached with no fallback set and
 * completion not yielding to chat: it warns and offers the switch, and does not stop completion's
 * requests (a budget does). The notification says so, so nobody takes "reached its limit" for
 * "stopped".
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Notice } from '../../../src/usage/limitMonitor';
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
  const start = restoreSettingsAfterEach(['fallback', 'completion.yieldToChat', 'completion.provider']);

  it('says when reached that completion still asks the backend until you switch, and it does', async () => {
    const api = await activateWithLedger();
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    try {
      await setUserSettings({
        providers: [
          ...start.providers,
          emulatorBackend(start.emulatorBaseUrl, 'own-daily', 'Own Daily', { limits: { requestsPerDay: 1 } }),
        ],
        fallback: [],
        'completion.yieldToChat': false,
        'completion.provider': 'own-daily',
      });
      await statusBarText(api, (text) => text.includes('Own Daily'), 'the status bar to show the limited backend');
      assert.equal(await completeNewFunction(api, 'ownLimit'), 1, 'the first request is answered');
      const notice = await eventually(
        () => notices.find((candidate) => candidate.message.startsWith('Own Daily reached its limit')),
        Boolean,
        'the notification that the limit is reached',
      );
      assert.match(
        notice?.message ?? '',
        /^Own Daily reached its limit: 1 of 1 requests today; it resets at [^.]+\. Completion still asks it at every pause until you switch: a limit on requests only warns, a budget pauses completion\./,
      );
      // As it says: the next pause is still asked of it, and answered.
      assert.equal(await completeNewFunction(api, 'ownLimit'), 1, 'the request past the limit went');
    } finally {
      subscription.dispose();
    }
  });

  it('with a fallback set, the pause right after the limit goes to the fallback, not once more past the limit', async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'own-move', 'Own Moving', { limits: { requestsPerDay: 1 } }),
        emulatorBackend(start.emulatorBaseUrl, 'own-standby', 'Own Standby'),
      ],
      fallback: ['own-standby'],
      'completion.yieldToChat': false,
      'completion.provider': 'own-move',
    });
    await statusBarText(api, (text) => text.includes('Own Moving'), 'the status bar to show the limited backend');
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
  });

  it('says nothing of the kind where completion yields to chat: it asks only on Alt+\\ by then', async () => {
    const api = await activateWithLedger();
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    try {
      await setUserSettings({
        providers: [
          ...start.providers,
          emulatorBackend(start.emulatorBaseUrl, 'own-daily-yield', 'Own Yielding', { limits: { requestsPerDay: 1 } }),
        ],
        fallback: [],
        'completion.provider': 'own-daily-yield',
      });
      await statusBarText(api, (text) => text.includes('Own Yielding'), 'the status bar to show the limited backend');
      // With one request a day, completion keeps that one for chat from the start: Alt+\\ spends it.
      await completeNewFunction(api, 'ownYield', vscode.InlineCompletionTriggerKind.Invoke);
      const notice = await eventually(
        () => notices.find((candidate) => candidate.message.startsWith('Own Yielding reached its limit')),
        Boolean,
        'the notification that the limit is reached',
      );
      assert.doesNotMatch(notice?.message ?? '', /still asks/);
      await statusBarText(api, (text) => text.includes('completion on Alt+\\ only'), 'completion to yield to chat');
      assert.equal(await completeNewFunction(api, 'ownYield'), 0, 'no automatic request past the limit');
    } finally {
      subscription.dispose();
    }
  });
});
