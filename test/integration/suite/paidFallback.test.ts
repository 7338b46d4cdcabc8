import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { parseProviders } from '../../../src/core/settings/providerSettings';
import type { Candidate } from '../../../src/core/usage/switchAdvice';
import type { Notice } from '../../../src/usage/limitMonitor';
import { PaidFallbackGuard } from '../../../src/usage/paidFallback';
import { UsageMeter } from '../../../src/usage/usageMeter';
import { MemoryStorage } from '../../harness/memoryStorage';
import { openChatView } from './fakeChatView';
import { startEmulator } from '../../emulator/server';
import type * as vscode from 'vscode';
import {
  activateWithLedger,
  completeNewFunction,
  config,
  emulatorBackend,
  eventually,
  restoreSettingsAfterEach,
  setUserSettings,
  statusBarText,
} from './helpers';

describe('the automatic fallback never slides into paid', () => {
  const start = restoreSettingsAfterEach([
    'completion.provider',
    'chat.provider',
    'fallback',
    'paidFallbackAllowed',
    'fallbackBudget',
    'completion.yieldToChat',
  ]);

  /** The paid spare as a fallback candidate, configured and ready. */
  const spare: Candidate = {
    id: 'paid-spare',
    name: 'Paid Spare',
    level: 'ok',
    ready: true,
    local: false,
    configured: true,
  };

  const paidSpare = () =>
    emulatorBackend(start.emulatorBaseUrl, 'paid-spare', 'Paid Spare', {
      prices: { '*': { inputPerMTok: 1, outputPerMTok: 5 } },
    });

  /** A free backend (the user's own price of 0) with a daily limit of one request, and a paid spare. */
  async function setUp(freeId: string): Promise<void> {
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, freeId, 'Free Tiny', {
          limits: { requestsPerDay: 1 },
          prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
        }),
        paidSpare(),
      ],
      fallback: ['paid-spare'],
      // The one request a day is spent by completion on purpose, which its gears would keep for chat.
      'completion.yieldToChat': false,
      'completion.provider': freeId,
      'chat.provider': freeId,
    });
  }

  it('asks with the price instead of switching to a paid backend not confirmed yet', async () => {
    const api = await activateWithLedger();
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    try {
      await setUp('free-tiny');
      await statusBarText(api, (text) => text.includes('Free Tiny'), 'the free backend');
      await completeNewFunction(api, 'paid');
      const asked = await eventually(
        () => notices.find((notice) => notice.level === 'error' && /nothing was switched/.test(notice.message)),
        Boolean,
        'a notification that asks',
      );
      assert.match(
        asked!.message,
        /Next in switchboard\.fallback is Paid Spare, which is paid \(~\$0\.0065\/request\)/,
      );
      // The button is short enough for a notification to show whole: the backend by the name the
      // user gave it (no host), the price in the message.
      assert.ok(
        asked!.buttons.some((label) => label === 'Switch to Paid Spare'),
        asked!.buttons.join(', '),
      );
      // A switch would have been written before the notification; give it time to show anyway.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      assert.equal(config().get('completion.provider'), 'free-tiny', 'completion stays on the free backend');
      assert.equal(config().get('chat.provider'), 'free-tiny', 'chat stays on the free backend');
    } finally {
      subscription.dispose();
    }
  });

  it('switches by itself to a paid backend the user confirmed before', async () => {
    const api = await activateWithLedger();
    await setUserSettings({ paidFallbackAllowed: ['paid-spare'] });
    // Another id: a backend the monitor has not announced yet, with nothing counted today.
    await setUp('free-tiny-2');
    await statusBarText(api, (text) => text.includes('Free Tiny'), 'the free backend');
    await completeNewFunction(api, 'paid');
    await eventually(
      () => config().get('completion.provider'),
      (id) => id === 'paid-spare',
      'completion to move to the confirmed paid backend',
    );
  });

  it('with a fallback budget set, does not switch by itself to a confirmed backend whose price is unknown', async () => {
    const api = await activateWithLedger();
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    try {
      await setUserSettings({
        providers: [
          ...start.providers,
          emulatorBackend(start.emulatorBaseUrl, 'free-tiny-unpriced', 'Free Tiny', {
            limits: { requestsPerDay: 1 },
            prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
          }),
          // A server of the user's own with no price set: what it spends is unknown.
          emulatorBackend(start.emulatorBaseUrl, 'unpriced-spare', 'Unpriced Spare'),
        ],
        fallback: ['unpriced-spare'],
        paidFallbackAllowed: ['unpriced-spare'],
        fallbackBudget: { usdPerDay: 1 },
        'completion.yieldToChat': false,
        'completion.provider': 'free-tiny-unpriced',
        'chat.provider': 'free-tiny-unpriced',
      });
      await statusBarText(api, (text) => text.includes('Free Tiny'), 'the free backend');
      await completeNewFunction(api, 'unpriced');
      await eventually(
        () => notices.find((notice) => /nothing was switched/.test(notice.message)),
        Boolean,
        'a notification that asks instead',
      );
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      assert.equal(
        config().get('completion.provider'),
        'free-tiny-unpriced',
        'the fallback budget could not have stopped it',
      );
    } finally {
      subscription.dispose();
    }
  });

  it('at the daily fallback budget, counting from the moment of the switch, sends the roles back and says so once', async () => {
    const api = await activateWithLedger();
    const notices: Notice[] = [];
    const spare = parseProviders([paidSpare()]).providers[0]!;
    let switched = false;
    const subscriptions = [
      api.limits.onDidNotify((notice) => notices.push(notice)),
      // A request the target answers as the switch is made (the editor asks again as soon as the
      // completion setting moves): over the day's fallback budget on its own.
      api.limits.onDidSwitch((change) => {
        if (change.to !== 'paid-spare') return;
        switched = true;
        api.meter.record({
          config: spare,
          feature: 'completion',
          model: spare.completionModel,
          startedAt: Date.now(),
          usage: { inputTokens: 1_000, outputTokens: 1_000, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
        });
      }),
    ];
    try {
      await setUserSettings({ paidFallbackAllowed: ['paid-spare'] });
      await setUserSettings({ fallbackBudget: { usdPerDay: 0.00001 } });
      await setUp('free-tiny-3');
      await statusBarText(api, (text) => text.includes('Free Tiny'), 'the free backend');
      await completeNewFunction(api, 'paid');
      await eventually(() => switched, Boolean, 'the fallback to the paid spare');
      // No other request: that first one alone reaches the cap, and the roles go back.
      await eventually(
        () => [config().get('completion.provider'), config().get('chat.provider')],
        (ids) => ids.every((id) => id === 'free-tiny-3'),
        'the roles to go back at the cap',
        10_000,
      );
      // The notification follows the two settings writes that move the roles back.
      const capped = await eventually(
        () => notices.filter((notice) => /fallback budget/.test(notice.message)),
        (found) => found.length > 0,
        'the notification at the cap',
      );
      assert.equal(capped.length, 1, JSON.stringify(notices));
      assert.match(capped[0]!.message, /completion and chat went back to Free Tiny/);
      assert.ok(
        capped[0]!.buttons.some((label) => label.startsWith('Keep using Paid Spare')),
        capped[0]!.buttons.join(),
      );
      await completeNewFunction(api, 'paid');
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      assert.equal(notices.filter((notice) => /fallback budget/.test(notice.message)).length, 1, 'said once');
    } finally {
      for (const subscription of subscriptions) subscription.dispose();
    }
  });

  it("weighs a notification's switch button again when it is clicked: a fallback budget spent since stops it", async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'free-tiny-5', 'Free Tiny', {
          prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
        }),
        paidSpare(),
      ],
      paidFallbackAllowed: ['paid-spare'],
    });
    const shown: Notice[] = [];
    const guard = new PaidFallbackGuard(
      api.backends,
      api.meter,
      async (level, message, buttons) => {
        shown.push({ level, message, buttons });
        return undefined;
      },
      new MemoryStorage() as unknown as vscode.Memento,
    );
    const from = api.backends.current().providers.find((entry) => entry.id === 'free-tiny-5')!;
    // When the notification was shown: confirmed before, no fallback budget, so the button switches.
    const offer = guard.offer(from, spare, ['completion']);
    assert.equal(offer.verdict, 'switch');
    // Before the click, another fallback to the spare spends past a fallback budget set meanwhile.
    guard.began(from, offer, 'paid-spare');
    const spareConfig = parseProviders([paidSpare()]).providers[0]!;
    api.meter.record({
      config: spareConfig,
      feature: 'completion',
      model: spareConfig.completionModel,
      startedAt: Date.now(),
      usage: { inputTokens: 1_000, outputTokens: 1_000, cacheReadTokens: 0, cacheWriteTokens: 0, reported: true },
    });
    await setUserSettings({ fallbackBudget: { usdPerDay: 0.00001 } });
    assert.equal(await guard.mayProceed(from, offer), false, 'the stale button must not switch');
    assert.equal(shown.length, 1, JSON.stringify(shown));
    assert.match(shown[0]!.message, /fallback budget/);
  });

  it('holds the next request to a fallback target while the requests under way there may reach the fallback budget', async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'free-tiny-6', 'Free Tiny', {
          prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
        }),
        paidSpare(),
      ],
      paidFallbackAllowed: ['paid-spare'],
      // Each chat request on the spare is held at up to 4,096 output tokens at $5/MTok: ~$0.0205.
      fallbackBudget: { usdPerDay: 0.05 },
    });
    const guard = new PaidFallbackGuard(
      api.backends,
      api.meter,
      async () => undefined,
      new MemoryStorage() as unknown as vscode.Memento,
    );
    const from = api.backends.current().providers.find((entry) => entry.id === 'free-tiny-6')!;
    const spareConfig = parseProviders([paidSpare()]).providers[0]!;
    guard.began(from, guard.offer(from, spare, ['chat']), 'paid-spare');
    const releases: (() => void)[] = [];
    try {
      assert.equal(guard.requestHold(spareConfig, 'chat'), undefined, 'nothing spent, nothing under way');
      releases.push(api.meter.reserve(spareConfig, spareConfig.chatModel, 'hi', 4_096));
      releases.push(api.meter.reserve(spareConfig, spareConfig.chatModel, 'hi', 4_096));
      assert.equal(guard.requestHold(spareConfig, 'chat'), undefined, 'two under way leave room');
      releases.push(api.meter.reserve(spareConfig, spareConfig.chatModel, 'hi', 4_096));
      const held = guard.requestHold(spareConfig, 'chat');
      assert.match(
        held ?? '',
        /spent \$0\.00 of today's \$0\.05 fallback budget, and the requests under way on Paid Spare may cost up to \$0\.06 more/,
      );
      // A role the fallback did not move is not the fallback budget's to hold.
      assert.equal(guard.requestHold(spareConfig, 'completion'), undefined);
      releases.pop()!();
      assert.equal(guard.requestHold(spareConfig, 'chat'), undefined, 'the hold ends with the request');
    } finally {
      for (const release of releases) release();
    }
  });

  it('says in the chat view why the fallback budget held a question, and sends nothing', async () => {
    const api = await activateWithLedger();
    // The spare on an emulator of its own, to count what reaches it.
    const own = await startEmulator();
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'free-tiny-7', 'Free Tiny', {
          prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
        }),
        emulatorBackend(own.baseUrls.openai, 'paid-spare', 'Paid Spare', {
          prices: { '*': { inputPerMTok: 1, outputPerMTok: 5 } },
        }),
      ],
      fallback: ['paid-spare'],
      paidFallbackAllowed: ['paid-spare'],
      // Each chat request on the spare is held at up to 4,096 output tokens at $5/MTok: ~$0.0205.
      fallbackBudget: { usdPerDay: 0.05 },
      // Where the fallback moved chat.
      'chat.provider': 'paid-spare',
    });
    const spareConfig = await eventually(
      () => api.backends.configFor('chat'),
      (config) => config?.id === 'paid-spare',
      'chat on the spare',
    );
    assert.equal(await api.limits.guardPickedFallback('free-tiny-7', spareConfig!, ['chat']), true);
    const chats = () => own.count('/v1/chat/completions');
    const view = openChatView(api, true);
    const releases = [1, 2, 3].map(() => api.meter.reserve(spareConfig!, spareConfig!.chatModel, 'hi', 4_096));
    try {
      view.receive({ type: 'ready' });
      const context = await eventually(
        () => view.posted.filter((message) => message.type === 'context').at(-1),
        Boolean,
        'the context chips',
      );
      const before = chats();
      view.receive({ type: 'send', text: 'Still there?', context: { revision: context!.revision, ids: [] } });
      const rejected = await eventually(
        () => view.posted.find((message) => message.type === 'sendRejected'),
        Boolean,
        'the question to be refused',
      );
      // Earlier tests in this host may have spent on the spare today (a few tenths of a cent).
      assert.match(
        (rejected as { reason?: string }).reason ?? '',
        /^Not sent: Fallbacks have spent \$0\.0\d+ of today's \$0\.05 fallback budget, and the requests under way on Paid Spare may cost up to \$0\.0\d more: nothing more goes to it until they end\.$/,
      );
      assert.equal(rejected!.text, 'Still there?', 'the question goes back into the input');
      assert.equal(chats(), before, 'nothing went to the spare');
    } finally {
      for (const release of releases) release();
      view.dispose();
      await own.close();
    }
  });

  it('asks before every paid fallback while its budget cannot count (the ledger could not be opened)', async () => {
    const api = await activateWithLedger();
    await setUserSettings({
      providers: [
        ...start.providers,
        emulatorBackend(start.emulatorBaseUrl, 'free-tiny-unopened', 'Free Tiny', {
          prices: { '*': { inputPerMTok: 0, outputPerMTok: 0 } },
        }),
        paidSpare(),
      ],
      // Confirmed before, with a fallback budget: a counted fallback would switch without asking.
      paidFallbackAllowed: ['paid-spare'],
      fallbackBudget: { usdPerDay: 1 },
    });
    const from = await eventually(
      () => api.backends.current().providers.find((entry) => entry.id === 'free-tiny-unopened'),
      Boolean,
      'the free backend',
    );
    const scratch = mkdtempSync(join(tmpdir(), 'sb-fallback-unopened-'));
    // A file where the ledger's folder should be.
    writeFileSync(join(scratch, 'usage'), 'not a folder');
    const meter = new UsageMeter(join(scratch, 'usage'), 90);
    const guardOn = (usage: UsageMeter) =>
      new PaidFallbackGuard(
        api.backends,
        usage,
        async () => undefined,
        new MemoryStorage() as unknown as vscode.Memento,
      );
    try {
      // With the ledger open, the confirmed spare is switched to, counted against the budget.
      assert.equal(guardOn(api.meter).offer(from!, spare, ['completion']).verdict, 'switch');
      await eventually(() => meter.unavailable, Boolean, 'the ledger to fail to open');
      const offer = guardOn(meter).offer(from!, spare, ['completion']);
      assert.equal(offer.verdict, 'ask', 'what it spends could not be counted against the fallback budget');
      assert.equal(offer.uncounted, true);
    } finally {
      meter.dispose();
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
