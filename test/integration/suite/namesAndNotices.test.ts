import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { startEmulator, type Emulator } from '../../emulator/server';
import type { Notice } from '../../../src/usage/limitMonitor';
import { activateSwitchboard, completeNewFunction, eventually } from './helpers';

/** The server's daily allocation, and the user's own daily limit: the same, so both run out together. */
const QUOTA = 3;

describe('backend names, split roles and one notification per event', () => {
  const config = () => vscode.workspace.getConfiguration('switchboard');
  let original: unknown[];
  let emulator: Emulator;

  before(async () => {
    original = config().get<unknown[]>('providers') ?? [];
    // This test runs the quota out through completion on purpose: completion must not yield to chat.
    await config().update('completion.yieldToChat', false, vscode.ConfigurationTarget.Global);
    // A second emulator, in this extension host, whose DashScope side enforces a daily quota.
    emulator = await startEmulator({ quotas: { dashscope: { requestsPerDay: QUOTA, quotaStyle: 'dashscope-free' } } });
  });
  after(async () => {
    await config().update('completion.yieldToChat', undefined, vscode.ConfigurationTarget.Global);
    await config().update('completion.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', undefined, vscode.ConfigurationTarget.Global);
    await config().update('providers', original, vscode.ConfigurationTarget.Global);
    await emulator.close();
  });

  it('names backends by name, else id; shows both roles; one toast when the limit and the quota run out', async () => {
    const api = await activateSwitchboard();
    await eventually(() => api.meter.ready, Boolean, 'the ledger to open');
    const notices: Notice[] = [];
    const subscription = api.limits.onDidNotify((notice) => notices.push(notice));
    const openai = (original[0] as { baseUrl: string }).baseUrl;
    // Two entries of one preset (OpenAI-compatible server): one named, one called by its id.
    await config().update(
      'providers',
      [
        {
          id: 'qwen-quota',
          name: 'Qwen (demo)',
          preset: 'custom',
          baseUrl: emulator.baseUrls.dashscope,
          completionModel: 'emulator-coder',
          limits: { requestsPerDay: QUOTA },
        },
        { id: 'team-gateway', preset: 'custom', baseUrl: openai, completionModel: 'emulator-coder' },
      ],
      vscode.ConfigurationTarget.Global,
    );
    await config().update('completion.provider', 'qwen-quota', vscode.ConfigurationTarget.Global);
    await config().update('chat.provider', 'team-gateway', vscode.ConfigurationTarget.Global);
    try {
      const text = await eventually(
        () => api.statusBarItem.text,
        (value) => value.includes('Qwen (demo)') && value.includes('team-gateway'),
        'the status bar to name both roles',
      );
      // The figure after the labels depends on the editor in front (completion may be off for it).
      assert.match(text, /^\$\(plug\) Qwen \(demo\) · chat: team-gateway( · |$)/);
      assert.doesNotMatch(text, /OpenAI-compatible/);
      const tooltip = (api.statusBarItem.tooltip as vscode.MarkdownString).value;
      assert.match(tooltip, /Completion: Qwen \(demo\) — OpenAI-compatible server · emulator-coder/);
      assert.match(tooltip, /Chat: team-gateway \(OpenAI-compatible server\)/);
      assert.doesNotMatch(api.statusBarItem.accessibilityInformation?.label ?? '|', /\||\*\*|\\/);
      assert.match(
        api.statusBarItem.accessibilityInformation?.label ?? '',
        /completion: Qwen \(demo\), chat: team-gateway/,
      );

      // Up to the limit (the user's), then past it (the server refuses): one event.
      for (let i = 0; i < QUOTA + 2; i++) await completeNewFunction(api, 'quota');
      await eventually(
        () => api.limits.stateOf('qwen-quota')?.failure?.kind,
        (kind) => kind === 'quota-exhausted',
        'the server to refuse the quota',
      );
      await eventually(
        () => notices.length,
        (count) => count > 0,
        'a notification',
      );
      // Let the meter and the monitor settle: a second toast would come within this.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const errors = notices.filter((notice) => notice.level === 'error');
      assert.equal(errors.length, 1, `one notification, got: ${JSON.stringify(notices)}`);
      assert.match(errors[0]!.message, /^Qwen \(demo\) /);
      assert.ok(
        errors[0]!.buttons.some((text) => text.startsWith('Switch to team-gateway')),
        errors[0]!.buttons.join(', '),
      );
      assert.match(api.statusBarItem.text, /^\$\(error\) Qwen \(demo\) · chat: team-gateway · /);
    } finally {
      subscription.dispose();
    }
  });
});
